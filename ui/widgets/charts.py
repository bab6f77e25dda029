"""Bar charts for the dashboard, on Qt Charts (shipped with PySide6).

``BarChart`` is a chart view that is filled again with each refresh: categories (the hours, the
statuses, the reasons) and one or more named series of values, stacked or side by side,
upright or lying. Its fonts are the application's (with the shipped CJK font as fallback, so
Chinese titles, axes and legends render on any machine), made large enough to read from a few
metres away. ``values()`` gives back what is drawn (the tests read the figures from it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QWidget

#: colours that stay apart for colour-blind eyes too (Okabe-Ito), in the order series get them
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
TITLE_PT = 15
LABEL_PT = 12


def chart_font(points: int, bold: bool = False) -> QFont:
    """The application's font (its CJK fallback included) at ``points``."""
    font = QFont(QApplication.font())
    font.setPointSize(points)
    font.setBold(bold)
    return font


def _series(stacked: bool, horizontal: bool) -> QAbstractBarSeries:
    if horizontal:
        return QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
    return QStackedBarSeries() if stacked else QBarSeries()


def _top(values: Mapping[str, Sequence[float]], stacked: bool) -> float:
    columns = list(zip(*values.values(), strict=True)) or [(0.0,)]
    tops = [sum(c) if stacked else max(c, default=0.0) for c in columns]
    return max([*tops, 0.0])


def ticks_for(top: float) -> int:
    """Ticks that land on whole, round numbers for a ``nice_top`` maximum: 0-5 by 1, 0-10 by
    2, 0-20 by 5, 0-50 by 10..."""
    if top <= 5:
        return int(top) + 1
    lead = top
    while lead >= 10:
        lead /= 10
    return 5 if round(lead) == 2 else 6


def nice_top(top: float) -> float:
    """A round axis maximum above ``top`` (at least 1), so the bars never touch the edge."""
    if top <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= top:
        step *= 10
    for m in (1, 2, 5, 10):
        if m * step > top:
            return float(m * step)
    return float(10 * step)


class BarChart(QChartView):
    """A titled bar chart filled by ``show_bars``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        c = self.chart_
        c.setTitle(title)
        c.setTitleFont(chart_font(TITLE_PT, bold=True))
        c.legend().setFont(chart_font(LABEL_PT))
        c.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        c.setMargins(QMargins(4, 4, 4, 4))
        c.setBackgroundRoundness(0)
        c.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._categories: list[str] = []
        self._values: dict[str, list[float]] = {}

    def set_title(self, title: str) -> None:
        self.chart_.setTitle(title)

    def show_bars(
        self,
        categories: Sequence[str],
        values: Mapping[str, Sequence[float]],
        *,
        stacked: bool = False,
        horizontal: bool = False,
        value_title: str = "",
        labels: bool = True,
    ) -> None:
        """Draw ``values`` (series name -> one value per category) over ``categories``."""
        c = self.chart_
        c.removeAllSeries()
        for axis in c.axes():
            c.removeAxis(axis)
        self._categories = list(categories)
        self._values = {k: [float(x) for x in v] for k, v in values.items()}
        series = _series(stacked, horizontal)
        for i, (name, row) in enumerate(self._values.items()):
            bar = QBarSet(name)
            bar.append(row)
            bar.setColor(QColor(PALETTE[i % len(PALETTE)]))
            bar.setLabelColor(QColor("#111111") if not stacked else QColor("#ffffff"))
            bar.setLabelFont(chart_font(LABEL_PT, bold=True))
            series.append(bar)
        series.setLabelsVisible(labels)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(
            QAbstractBarSeries.LabelsPosition.LabelsCenter
            if stacked
            else QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd
        )
        c.addSeries(series)
        names = QBarCategoryAxis()
        names.append(self._categories or [""])
        names.setLabelsFont(chart_font(LABEL_PT))
        amounts = QValueAxis()
        amounts.setRange(0, nice_top(_top(self._values, stacked) * 1.15))
        amounts.setLabelFormat("%.0f")
        amounts.setLabelsFont(chart_font(LABEL_PT - 1))
        amounts.setTickCount(ticks_for(amounts.max()))
        if value_title:
            amounts.setTitleText(value_title)
            amounts.setTitleFont(chart_font(LABEL_PT - 1))
        edge_names, edge_amounts = (
            (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
            if horizontal
            else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        )
        c.addAxis(names, edge_names)
        c.addAxis(amounts, edge_amounts)
        series.attachAxis(names)
        series.attachAxis(amounts)
        c.legend().setVisible(len(self._values) > 1)

    # --- what is drawn, for the tests and the screenshots' checks ------------------------------
    def categories(self) -> list[str]:
        return list(self._categories)

    def values(self) -> dict[str, list[float]]:
        """Series name -> values, read back from the chart's bar sets."""
        out: dict[str, list[float]] = {}
        for series in self.chart_.series():
            if isinstance(series, QAbstractBarSeries):
                for bar in series.barSets():
                    out[bar.label()] = [bar.at(i) for i in range(bar.count())]
        return out
