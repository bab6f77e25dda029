"""Layout: the warehouse drawn to scale (aisles, racks, cross aisles, locations by zone or by
fill, depots), loading a layout file (its problems listed by row), and "Try a route": type or
scan location codes and see the shortest walk drawn with numbered stops and its length beside
the S-shape and largest-gap walks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Permission
from app.importers.records import RowProblem
from app.services import layout_load, layouts
from app.services.layout_load import LayoutLoadReport
from app.services.layout_views import LayoutView, MapLocation, RouteDrawing
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.screens.base import Screen
from ui.widgets.layout_map import (
    DEPOT_COLOURS,
    ROUTE_COLOUR,
    LayoutMap,
    fill_colour,
    zone_colours,
)

ERROR_COLOUR, OK_COLOUR = "#B71C1C", "#1B5E20"


def layout_problem_text(p: RowProblem, row_word: str) -> str:
    """A layout file's problem in the current language, with where it is ("row 5", "line 12")."""
    template = QCoreApplication.translate("PackdeskError", p.template)
    params = {
        k: QCoreApplication.translate("PackdeskError", v) if isinstance(v, str) and v else v
        for k, v in p.params.items()
    }
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        text = p.reason
    if not p.row:
        return text
    where = (
        QCoreApplication.translate("LayoutScreen", "Line {n}")
        if row_word == "line"
        else QCoreApplication.translate("LayoutScreen", "Row {n}")
    )
    return f"{where.format(n=p.row)}: {text}"


def _probe(on_hand: int, reserved: int) -> MapLocation:
    """A made-up location, for the fill legend's colours."""
    return MapLocation(0, "", "", "", "", 0.0, 0.0, 0.0, on_hand, reserved)


def _big(label: QLabel, extra: int, bold: bool = True) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + extra)
    font.setBold(bold)
    label.setFont(font)
    return label


class LayoutScreen(Screen):
    permission = Permission.PLAN_WAVES

    #: the layout was drawn (tests and screenshots wait for it)
    loaded = Signal()
    #: a route was drawn (its RouteDrawing) or refused (None)
    routed = Signal(object)
    #: a layout file was loaded or refused (its LayoutLoadReport), or could not be read (None)
    file_loaded = Signal(object)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("LayoutScreen", "Layout")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("LayoutScreen")
        self.view: LayoutView | None = None
        self.drawing: RouteDrawing | None = None
        self.map = LayoutMap()
        self.heading = _big(QLabel(), 4)
        self.heading.setObjectName("heading")
        self.zone_button = QRadioButton(self.tr("Colour by zone"))
        self.fill_button = QRadioButton(self.tr("Colour by fill (on hand vs. reserved)"))
        self.zone_button.setChecked(True)
        self.colour_group = QButtonGroup(self)
        self.colour_group.addButton(self.zone_button)
        self.colour_group.addButton(self.fill_button)
        # through a lambda: a bound method of this screen crashed PySide6 when the screen closed
        self.fill_button.toggled.connect(lambda on: self._colour_mode_changed(on))
        self.fit_button = QPushButton(self.tr("Fit to view"))
        self.fit_button.clicked.connect(self.map.fit)
        self.load_button = QPushButton(self.tr("Load layout file…"))
        self.load_button.setObjectName("load")
        self.load_button.clicked.connect(self.ask_layout_file)
        if not ctx.can(Permission.MANAGE_SETTINGS):
            self.load_button.setEnabled(False)
            self.load_button.setToolTip(self.tr("Only an administrator or supervisor may do this"))
        self.message = _big(QLabel(), 1)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(200)
        self.problems.hide()
        self.legend = QLabel()
        self.legend.setObjectName("legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for w in (self.zone_button, self.fill_button, self.fit_button, self.load_button):
            top.addWidget(w)
        side = QVBoxLayout()
        side.addWidget(self._route_box())
        side.addWidget(self.legend)
        side.addStretch(1)
        panel = QFrame()
        panel.setLayout(side)
        panel.setFixedWidth(380)
        middle = QHBoxLayout()
        middle.addWidget(self.map, 1)
        middle.addWidget(panel)
        root = QVBoxLayout(self)
        root.addLayout(top)
        root.addWidget(self.message)
        root.addWidget(self.problems)
        root.addLayout(middle, 1)

    def _route_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Try a route"))
        self.route_input = QLineEdit()
        self.route_input.setObjectName("route_input")
        self.route_input.setPlaceholderText(self.tr("Type or scan location codes"))
        self.route_input.returnPressed.connect(self.try_route)
        self.route_button = QPushButton(self.tr("Route"))
        self.route_button.setObjectName("route")
        self.route_button.clicked.connect(self.try_route)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear_route)
        self.length = _big(QLabel(), 6)
        self.length.setObjectName("length")
        self.s_shape = _big(QLabel(), 1, bold=False)
        self.s_shape.setObjectName("s_shape")
        self.largest_gap = _big(QLabel(), 1, bold=False)
        self.largest_gap.setObjectName("largest_gap")
        self.saving = _big(QLabel(), 1)
        self.saving.setObjectName("saving")
        self.stops = QListWidget()
        self.stops.setObjectName("stops")
        grid = QGridLayout(box)
        grid.addWidget(self.route_input, 0, 0, 1, 2)
        grid.addWidget(self.route_button, 1, 0)
        grid.addWidget(self.clear_button, 1, 1)
        for row, w in enumerate((self.length, self.s_shape, self.largest_gap, self.saving), 2):
            grid.addWidget(w, row, 0, 1, 2)
        grid.addWidget(self.stops, 6, 0, 1, 2)
        return box

    # --- the layout ------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(layouts.layout_view, actor),
            self._show_layout,
            lambda exc: self._say(error_text(exc), ok=False),
        )

    def _show_layout(self, view: LayoutView) -> None:
        self.view = view
        self.map.set_layout(view)
        self.map.set_colour_mode("fill" if self.fill_button.isChecked() else "zone")
        if view.is_empty:
            self.heading.setText(
                self.tr("Warehouse {code}: no layout yet").format(code=view.warehouse)
            )
            self._say(
                self.tr(
                    "Load a layout file (TOML or CSV: aisles, cross aisles, depots, zones) to "
                    "draw the warehouse and route picks."
                ),
                ok=True,
            )
        else:
            self.heading.setText(
                self.tr(
                    "Warehouse {code}: {aisles} aisles, {crosses} cross aisles, {n} locations"
                ).format(
                    code=view.warehouse,
                    aisles=len(view.aisles),
                    crosses=len(view.cross_aisles),
                    n=len(view.locations),
                )
            )
        self.legend.setText(self._legend_html(view))
        if self.drawing is not None and self.drawing.layout.warehouse_id == view.warehouse_id:
            self.map.show_route(self.drawing.path, self.drawing.stops)
        self.loaded.emit()

    def _colour_mode_changed(self, fill: bool) -> None:
        self.map.set_colour_mode("fill" if fill else "zone")
        if self.view is not None:
            self.legend.setText(self._legend_html(self.view))

    def _legend_html(self, view: LayoutView) -> str:
        def square(colour: str, text: str) -> str:
            return f"<span style='color:{colour}; font-size:16pt'>■</span> {text}".rstrip()

        if self.fill_button.isChecked():
            rows = ["<b>" + self.tr("Fill") + "</b>"]
            rows.append(square(fill_colour(_probe(0, 0)).name(), self.tr("Empty")))
            rows.append(square(fill_colour(_probe(10, 0)).name(), self.tr("Stock, none reserved")))
            rows.append(square(fill_colour(_probe(10, 5)).name(), self.tr("Half reserved")))
            rows.append(square(fill_colour(_probe(10, 10)).name(), self.tr("All reserved")))
        else:
            names = {z.code: z.name for z in view.zones}
            rows = ["<b>" + self.tr("Zones") + "</b>"]
            for code, colour in zone_colours(view).items():
                rows.append(square(colour.name(), f"{code} {names.get(code, '')}"))
        for d in view.depots:
            depot_colour = DEPOT_COLOURS[0] if d is view.depots[0] else DEPOT_COLOURS[1]
            rows.append(
                f"<span style='color:{depot_colour}; font-size:16pt'>■</span> "
                + self.tr("Depot {code} {name}").format(code=d.code, name=d.name).rstrip()
            )
        rows.append(
            f"<span style='color:{ROUTE_COLOUR}; font-size:16pt'>●</span> "
            + self.tr("Route stop (number: visiting order)")
        )
        return "<br>".join(rows)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {OK_COLOUR if ok else ERROR_COLOUR};")

    # --- loading a file --------------------------------------------------------------------
    def ask_layout_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the layout file"),
            str(Path.home()),
            self.tr("Layout files (*.toml *.csv);;All files (*)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        self.load_button.setEnabled(False)

        def failed(exc: PackdeskError) -> None:
            self.load_button.setEnabled(True)
            self.problems.hide()
            self._say(error_text(exc), ok=False)
            self.file_loaded.emit(None)

        run_in_background(
            self,
            lambda: services.run(layout_load.load_layout_file, actor, path),
            self._file_loaded,
            failed,
        )

    def _file_loaded(self, report: LayoutLoadReport) -> None:
        self.load_button.setEnabled(self.ctx.can(Permission.MANAGE_SETTINGS))
        self.problems.clear()
        if report.problems:
            self._say(
                self.tr(
                    "{file} has {n} problems; nothing was changed. Fix them in the file and "
                    "load it again."
                ).format(file=report.file, n=len(report.problems)),
                ok=False,
            )
            for p in report.problems:
                self.problems.addItem(layout_problem_text(p, report.row_word))
            self.problems.show()
        else:
            self.problems.hide()
            self._say(
                self.tr(
                    "Layout loaded from {file}: {aisles} aisles, {crosses} cross aisles, "
                    "{depots} depots, {zones} zones; {locations} locations moved."
                ).format(
                    file=report.file,
                    aisles=report.aisles,
                    crosses=report.cross_aisles,
                    depots=report.depots,
                    zones=report.zones,
                    locations=report.locations,
                ),
                ok=True,
            )
            self.drawing = None
            self.refresh()
        self.file_loaded.emit(report)

    # --- try a route -----------------------------------------------------------------------
    def codes(self) -> list[str]:
        return [c for c in re.split(r"[\s,;]+", self.route_input.text()) if c]

    def try_route(self) -> None:
        codes = self.codes()
        if not codes:
            self._say(self.tr("Type or scan at least one location code."), ok=False)
            return
        services, actor = self.ctx.services, self.ctx.actor

        def failed(exc: PackdeskError) -> None:
            self._say(error_text(exc), ok=False)
            self.routed.emit(None)

        run_in_background(
            self, lambda: services.run(layouts.route_locations, actor, codes), self._routed, failed
        )

    def _routed(self, d: RouteDrawing) -> None:
        self.drawing = d
        self.map.show_drawing(d)
        self.length.setText(self.tr("Route: {m} m").format(m=f"{d.length_m:.1f}"))
        self.s_shape.setText(self.tr("S-shape: {m} m").format(m=f"{d.s_shape_m:.1f}"))
        self.largest_gap.setText(self.tr("Largest gap: {m} m").format(m=f"{d.largest_gap_m:.1f}"))
        saving = 100.0 * (1.0 - d.length_m / d.s_shape_m) if d.s_shape_m > 0 else 0.0
        self.saving.setText(self.tr("{p} % shorter than S-shape").format(p=f"{saving:.0f}"))
        self.stops.clear()
        for s in d.stops:
            self.stops.addItem(f"{s.number}. {s.location}")
        self._say(
            self.tr("{n} stops routed from depot {depot} and back.").format(
                n=len(d.stops), depot=d.layout.depot.code if d.layout.depot else ""
            ),
            ok=True,
        )
        self.routed.emit(d)

    def clear_route(self) -> None:
        self.drawing = None
        self.route_input.clear()
        self.map.clear_route()
        self.map.highlight(None)
        for w in (self.length, self.s_shape, self.largest_gap, self.saving, self.message):
            w.clear()
        self.stops.clear()

    # --- scans -----------------------------------------------------------------------------
    takes_scans = True

    def on_scan(self, event: Any) -> None:
        """A scanned location joins the route and the route is drawn again."""
        if not isinstance(event, ScanEvent) or event.kind is not ScanKind.LOCATION:
            return
        code = event.code or event.text
        self.route_input.setText(" ".join([*self.codes(), code]))
        self.map.highlight(code)
        self.try_route()
