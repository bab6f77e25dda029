"""Dashboard (supervisors, administrators): today's figures of the whole warehouse, by local
hour, on a wall screen or the supervisor's desk.

Big numbers on top (open orders, packed and shipped today, the pick walk's saving against the
S-shape, refused scans, returns), then six panels: open orders by status, orders packed per hour
by station or by packer, metres walked against the S-shape walk, refused scans and weight
exceptions per hour, the carriers' cut-off countdown, returns by reason. The figures are read
off the UI thread (``app.services.dashboard``) when the screen is shown and every
``REFRESH_MS`` while it is; "Export CSV" writes the figures on screen to one file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dashboard import hour_label
from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import dashboard
from app.services.dashboard import Dashboard
from app.services.dashboard_export import write_csv
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import current_language, error_text
from ui.live import LiveRefresh
from ui.screens.base import Screen
from ui.widgets.charts import BarChart
from ui.widgets.charts_board import URGENT, CutoffBoard, Tile
from ui.words import status_name

#: the figures are read again this often while the screen is shown
REFRESH_MS = 60_000
OK_STYLE = "color: #1b5e20; font-size: 13pt;"
ERROR_STYLE = "color: #b00020; font-size: 13pt; font-weight: bold;"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f} %"


class DashboardScreen(Screen):
    permission: ClassVar[Permission] = Permission.VIEW_DASHBOARD
    #: the figures were shown (or the load failed)
    loaded = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DashboardScreen", "Dashboard")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("DashboardScreen")
        #: the clock and time zone of the figures (None: the station's); tests set them
        self.clock: Callable[[], datetime | None] = lambda: None
        self.tz: tzinfo | None = None
        self.figures: Dashboard | None = None
        self._loading = False
        self.heading = QLabel(self.tr("Today"))
        self.heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.message = QLabel()
        self.by = QComboBox()
        self.by.addItem(self.tr("by station"), "station")
        self.by.addItem(self.tr("by packer"), "packer")
        self.by.currentIndexChanged.connect(lambda _: self._show_packed())
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addWidget(self.message, 1)
        bar.addWidget(QLabel(self.tr("Packed per hour:")))
        bar.addWidget(self.by)
        for key, text, slot in (
            ("refresh", self.tr("Refresh"), self.refresh),
            ("export", self.tr("Export CSV..."), self.export),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.setMinimumHeight(40)
            b.clicked.connect(slot)
            bar.addWidget(b)
        self.tiles = {
            "open": Tile(self.tr("open orders")),
            "packed": Tile(self.tr("orders packed today")),
            "shipped": Tile(self.tr("orders shipped today")),
            "saving": Tile(self.tr("pick walk shorter than S-shape")),
            "exceptions": Tile(self.tr("refused scans and weight stops today")),
            "returns": Tile(self.tr("units returned today")),
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.charts = {
            "status": BarChart(self.tr("Open orders by status")),
            "packed": BarChart(self.tr("Orders packed per hour")),
            "walk": BarChart(self.tr("Pick walk per hour (m)")),
            "exceptions": BarChart(self.tr("Refused scans and weight exceptions per hour")),
            "returns": BarChart(self.tr("Returns by reason (units)")),
        }
        self.cutoffs = CutoffBoard()
        grid = QGridLayout()
        places = (("status", 0, 0), ("packed", 0, 1), ("walk", 0, 2))
        for key, r, c in (*places, ("exceptions", 1, 0), ("returns", 1, 2)):
            grid.addWidget(self.charts[key], r, c)
        grid.addWidget(self.cutoffs, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        # the clock moves the hourly figures on; what stations do reloads them at once
        self.live = LiveRefresh(
            self, ctx.bus, ("order", "batch", "wave", "handover", "setting"), self.refresh
        )
        self._again = False

    # --- loading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.timer.start()
        if not self.live.shown():
            self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.timer.stop()

    def refresh(self) -> None:
        """Read the figures again off the UI thread (one read at a time)."""
        if self._loading:
            self._again = True  # what changed meanwhile is read right after
            return
        self._loading = True
        self._again = False
        services, actor, now, tz = self.ctx.services, self.ctx.actor, self.clock(), self.tz
        run_in_background(
            self,
            lambda: services.run(dashboard.dashboard, actor, now=now, tz=tz),
            self.show_figures,
            self._failed,
        )

    def _failed(self, exc: PackdeskError) -> None:
        self._loading = False
        self._again = False
        self._say(error_text(exc), False)
        self.loaded.emit()

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    # --- showing -----------------------------------------------------------------------------
    def show_figures(self, d: Dashboard) -> None:
        self._loading = False
        if self._again:
            QTimer.singleShot(0, self.refresh)
        self.figures = d
        local = d.generated_at.astimezone(self.tz) if self.tz else d.generated_at.astimezone()
        self.heading.setText(self.tr("Today {day}").format(day=d.day))
        self._say(self.tr("Updated at {time}").format(time=f"{local:%H:%M}"), True)
        self._show_tiles(d)
        self._show_status(d)
        self._show_packed()
        self._show_walk(d)
        self._show_exceptions(d)
        self.cutoffs.show_cutoffs(d.cutoffs)
        zh = current_language().startswith("zh")
        reasons = [(r.name_zh if zh and r.name_zh else r.name) or r.reason for r in d.returns]
        self.charts["returns"].set_title(
            self.tr("Returns by reason (units)")
            if d.returns
            else self.tr("Returns by reason: none finished today")
        )
        self.charts["returns"].show_bars(
            reasons, {self.tr("Units"): [r.units for r in d.returns]}, horizontal=True
        )
        self.loaded.emit()

    def _show_tiles(self, d: Dashboard) -> None:
        refused = sum(e.mis_scans + e.weight + e.pick_refused for e in d.exceptions)
        self.tiles["open"].set(f"{sum(d.orders_now.values()):,}")
        self.tiles["packed"].set(f"{d.packed_today:,}")
        self.tiles["shipped"].set(f"{d.orders_today.get('shipped', 0):,}")
        saving = d.saving_pct
        self.tiles["saving"].set(
            percent(saving), URGENT if saving is not None and saving < 0 else ""
        )
        self.tiles["exceptions"].set(f"{refused:,}", URGENT if refused else "")
        self.tiles["returns"].set(f"{sum(r.units for r in d.returns):,}")

    def _show_status(self, d: Dashboard) -> None:
        statuses = list(d.orders_now)
        self.charts["status"].show_bars(
            [status_name(s) for s in statuses],
            {self.tr("Orders"): [d.orders_now[s] for s in statuses]},
            horizontal=True,
        )

    def _hours(self, d: Dashboard) -> list[str]:
        return [hour_label(h) for h in d.hours]

    def _show_packed(self) -> None:
        d = self.figures
        if d is None:
            return
        key = str(self.by.currentData())
        groups = d.by(key)
        values = {
            (name or self.tr("(none)")): [hours.get(h, 0) for h in d.hours]
            for name, hours in groups.items()
        }
        chart = self.charts["packed"]
        chart.set_title(
            self.tr("Orders packed per hour by station")
            if key == "station"
            else self.tr("Orders packed per hour by packer")
        )
        chart.show_bars(
            self._hours(d), values or {self.tr("Orders"): [0] * len(d.hours)}, stacked=True
        )

    def _show_walk(self, d: Dashboard) -> None:
        by_hour = {w.hour: w for w in d.walk}
        walked = [by_hour[h].walked_m if h in by_hour else 0 for h in d.hours]
        s_shape = [by_hour[h].s_shape_m if h in by_hour else 0 for h in d.hours]
        chart = self.charts["walk"]
        chart.set_title(
            self.tr("Pick walk per hour (m): {saving} against S-shape").format(
                saving=percent(d.saving_pct)
            )
        )
        chart.show_bars(
            self._hours(d),
            {self.tr("Walked"): walked, self.tr("S-shape"): s_shape},
            value_title=self.tr("metres"),
            labels=False,
        )

    def _show_exceptions(self, d: Dashboard) -> None:
        by_hour = {e.hour: e for e in d.exceptions}

        def row(kind: str) -> list[int]:
            return [getattr(by_hour[h], kind) if h in by_hour else 0 for h in d.hours]

        self.charts["exceptions"].show_bars(
            self._hours(d),
            {
                self.tr("Pack mis-scans"): row("mis_scans"),
                self.tr("Weight exceptions"): row("weight"),
                self.tr("Pick refused scans"): row("pick_refused"),
            },
            stacked=True,
        )

    # --- export ------------------------------------------------------------------------------
    def export(self) -> None:
        if self.figures is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the dashboard's figures"),
            f"dashboard-{self.figures.day}.csv",
            self.tr("CSV files (*.csv)"),
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the figures on screen to ``path`` (one CSV, a ``panel`` column)."""
        if self.figures is None:
            return
        try:
            rows = write_csv(self.figures, path)
        except OSError as exc:
            self._say(
                self.tr("Could not write {path}: {error}").format(path=path, error=exc), False
            )
            return
        self._say(self.tr("{n} figures written to {path}").format(n=rows, path=path), True)
