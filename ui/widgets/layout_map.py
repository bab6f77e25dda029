"""The warehouse map: a ``QGraphicsView`` that draws a layout to scale, a route on it, and the
place to go next. Used by the Layout screen, the pick screen, and the wave detail.

API (data comes from ``app.services.layouts``; nothing here reads the database)::

    m = LayoutMap(parent)
    m.set_layout(view)            # a LayoutView (layout_view() / read_layout_view() /
                                  # RouteDrawing.layout); draws aisles with racks either side,
                                  # cross aisles, locations (small rectangles), depots
    m.show_route(points, stops)   # points: the walked polyline [(x, y), ...] in metres
                                  # (RouteDrawing.path, or app.domain.routing.walk_path);
                                  # stops: [(x, y), ...] in visiting order, numbered 1, 2, ...
                                  # (or RouteStopView objects: their .x, .y are used)
    m.show_drawing(drawing)       # set_layout(drawing.layout) + show_route(path, stops)
    m.clear_route()
    m.highlight("P01-03-2A")      # ring the location (or a stop with that code) and centre
                                  # on it; returns False when it is not on the map;
                                  # highlight(None) removes the ring
    m.set_colour_mode("zone")     # or "fill": on hand vs. reserved
    m.fit()                       # fit the whole warehouse in view (also after set_layout)
    m.location_item(code)         # the drawn rectangle (its tool tip is the code), for tests

Wheel zooms around the mouse; hovering a location shows its code. Metres map to scene units by
``SCALE``; y grows upwards on screen (the front cross aisle at the bottom).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from app.services.layout_views import LayoutView, MapLocation, RouteDrawing

#: scene units per metre
SCALE = 20.0
#: a rack's depth either side of the aisle centre line, and the gap to the centre line (metres)
RACK_DEPTH, RACK_GAP = 0.8, 0.6
#: the gap between a rack's end and a cross aisle (metres)
RACK_INSET = 0.3
#: depots: the default one, the others
DEPOT_COLOURS = ("#263238", "#78909C")
#: zone colours when the layout gives none (Okabe-Ito, readable for colour-blind people)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
ROUTE_COLOUR = "#D62728"


def zone_colours(view: LayoutView) -> dict[str, QColor]:
    """Each zone's colour: the layout's own, else one from the palette (zones the layout does
    not list but locations name get one too)."""
    codes = [z.code for z in view.zones]
    codes += sorted({loc.zone for loc in view.locations} - set(codes))
    given = {z.code: z.colour for z in view.zones if z.colour}
    return {
        code: QColor(given.get(code) or PALETTE[i % len(PALETTE)]) for i, code in enumerate(codes)
    }


def fill_colour(loc: MapLocation) -> QColor:
    """Grey: empty; green to red as more of what is on hand is reserved."""
    if loc.on_hand <= 0:
        return QColor("#BDBDBD")
    share = max(0.0, min(1.0, loc.reserved / loc.on_hand))
    free, taken = QColor("#2CA02C"), QColor("#D62728")
    return QColor(
        round(free.red() + (taken.red() - free.red()) * share),
        round(free.green() + (taken.green() - free.green()) * share),
        round(free.blue() + (taken.blue() - free.blue()) * share),
    )


def _pt(x: float, y: float) -> QPointF:
    return QPointF(x * SCALE, -y * SCALE)


def _pen(colour: str | QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # the same width at every zoom
    return pen


class LayoutMap(QGraphicsView):
    """The warehouse to scale; see the module docstring for the API."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayoutMap")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#FAFAFA"))
        self.view: LayoutView | None = None
        self.colour_mode = "zone"
        self._locations: dict[str, QGraphicsRectItem] = {}
        self._route: list[QGraphicsItem] = []
        self._stops: dict[str, QPointF] = {}
        self._ring: QGraphicsEllipseItem | None = None

    # --- layout ---------------------------------------------------------------------------
    def set_layout(self, view: LayoutView) -> None:
        """Draw ``view`` (replacing what was drawn, route included) and fit it in."""
        scene = self.scene()
        scene.clear()
        self._locations, self._route, self._stops, self._ring = {}, [], {}, None
        self.view = view
        if view.is_empty:
            self.fit()
            return
        x0, _, x1, _ = view.bounds()
        pad = RACK_GAP + RACK_DEPTH + 1.0
        for c in view.cross_aisles:
            item = scene.addLine(
                _pt(x0 - pad, c.y).x(), _pt(0, c.y).y(), _pt(x1 + pad, c.y).x(), _pt(0, c.y).y()
            )
            item.setPen(_pen("#9E9E9E", 6))
            item.setToolTip(c.name or f"y = {c.y:g} m")
        low, high = view.cross_aisles[0].y, view.cross_aisles[-1].y
        for a in view.aisles:
            self._draw_aisle(a.code, a.x, a.y_from, a.y_to, low, high)
        for loc in view.locations:
            self._draw_location(loc)
        self._recolour()
        for d in view.depots:
            self._draw_depot(d.code, d.name, d.x, d.y, d is view.depots[0])
        self.fit()

    def _draw_aisle(
        self, code: str, x: float, y_from: float, y_to: float, low: float, high: float
    ) -> None:
        scene = self.scene()
        walk = scene.addLine(_pt(x, low).x(), _pt(x, low).y(), _pt(x, high).x(), _pt(x, high).y())
        walk.setPen(_pen("#BDBDBD", 1.5, Qt.PenStyle.DashLine))
        walk.setToolTip(code)
        crosses = [c.y for c in self.view.cross_aisles] if self.view else [low, high]
        ends = sorted(
            {max(y_from, low), *(c for c in crosses if y_from < c < y_to), min(y_to, high)}
        )
        for bottom, top in pairwise(ends):  # racks stop at cross aisles
            if top - bottom <= 2 * RACK_INSET:
                continue
            for side in (-1, 1):
                left = x + RACK_GAP if side > 0 else x - RACK_GAP - RACK_DEPTH
                rect = QRectF(
                    _pt(left, top - RACK_INSET), _pt(left + RACK_DEPTH, bottom + RACK_INSET)
                )
                rack = scene.addRect(rect, _pen("#9E9E9E", 1), QBrush(QColor("#EEEEEE")))
                rack.setZValue(-1)
        label = scene.addSimpleText(code)
        label.setFont(QFont(label.font().family(), 9, QFont.Weight.Bold))
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        label.setPos(_pt(x, high) + QPointF(-6, -4))
        label.setBrush(QColor("#424242"))

    def _draw_location(self, loc: MapLocation) -> None:
        side = _side(loc)
        left = loc.x + RACK_GAP if side > 0 else loc.x - RACK_GAP - RACK_DEPTH
        h = 0.35
        rect = QRectF(_pt(left, loc.y + h / 2), _pt(left + RACK_DEPTH, loc.y - h / 2))
        item = self.scene().addRect(rect, QPen(Qt.PenStyle.NoPen))
        item.setToolTip(loc.code)
        item.setData(0, loc.code)
        self._locations[loc.code] = item

    def _draw_depot(self, code: str, name: str, x: float, y: float, default: bool) -> None:
        r = 0.9
        item = self.scene().addRect(
            QRectF(_pt(x - r, y + r), _pt(x + r, y - r)),
            _pen("#FFFFFF", 2),
            QBrush(QColor(DEPOT_COLOURS[0] if default else DEPOT_COLOURS[1])),
        )
        item.setToolTip(f"{code} {name}".strip())
        item.setZValue(5)
        text = self.scene().addSimpleText(code)
        text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        text.setPos(_pt(x, y - r) + QPointF(-8, 2))
        text.setZValue(5)

    def set_colour_mode(self, mode: str) -> None:
        """``"zone"``: locations in their zone's colour; ``"fill"``: by on hand vs. reserved."""
        self.colour_mode = "fill" if mode == "fill" else "zone"
        self._recolour()

    def _recolour(self) -> None:
        if self.view is None:
            return
        colours = zone_colours(self.view)
        for loc in self.view.locations:
            item = self._locations.get(loc.code)
            if item is not None:
                colour = (
                    fill_colour(loc) if self.colour_mode == "fill" else colours.get(loc.zone)
                ) or QColor("#90A4AE")
                item.setBrush(QBrush(colour))

    def location_item(self, code: str) -> QGraphicsRectItem | None:
        return self._locations.get(code)

    # --- route ----------------------------------------------------------------------------
    def show_route(self, points: Sequence[tuple[float, float]], stops: Sequence[Any]) -> None:
        """Draw the walked polyline ``points`` and number ``stops`` 1, 2, ... in order (each an
        (x, y) pair or an object with ``x``, ``y`` and optionally ``location``)."""
        self.clear_route()
        scene = self.scene()
        if points:
            path = QPainterPath(_pt(*points[0]))
            for x, y in points[1:]:
                path.lineTo(_pt(x, y))
            line = QGraphicsPathItem(path)
            line.setPen(_pen(ROUTE_COLOUR, 3))
            line.setZValue(10)
            scene.addItem(line)
            self._route.append(line)
        for n, stop in enumerate(stops, 1):
            x, y = (stop.x, stop.y) if hasattr(stop, "x") else stop
            self._route.extend(self._draw_stop(n, _pt(x, y)))
            key = getattr(stop, "location", "")
            if key:
                self._stops[key] = _pt(x, y)

    def _draw_stop(self, number: int, at: QPointF) -> list[QGraphicsItem]:
        dot = QGraphicsEllipseItem(-14, -14, 28, 28)
        dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        dot.setPos(at)
        dot.setBrush(QColor(ROUTE_COLOUR))
        dot.setPen(_pen("white", 1.5))
        dot.setZValue(11)
        text = QGraphicsSimpleTextItem(str(number), dot)
        text.setFont(QFont(text.font().family(), 11, QFont.Weight.Bold))
        text.setBrush(QColor("white"))
        box = text.boundingRect()
        text.setPos(-box.width() / 2, -box.height() / 2)
        self.scene().addItem(dot)
        return [dot]

    def show_drawing(self, drawing: RouteDrawing) -> None:
        """Draw a ``RouteDrawing``: its layout (unless that layout is already drawn) and route."""
        if self.view is None or self.view.warehouse_id != drawing.layout.warehouse_id:
            self.set_layout(drawing.layout)
        self.show_route(drawing.path, drawing.stops)

    def clear_route(self) -> None:
        for item in self._route:
            self.scene().removeItem(item)
        self._route, self._stops = [], {}

    def route_items(self) -> int:
        """How many route items (line + numbered stops) are drawn."""
        return len(self._route)

    # --- next place to go -----------------------------------------------------------------
    def highlight(self, location_code: str | None) -> bool:
        """Ring ``location_code`` and centre on it; False when it is not on the map."""
        if self._ring is not None:
            self.scene().removeItem(self._ring)
            self._ring = None
        if not location_code:
            return False
        item = self._locations.get(location_code)
        at = item.sceneBoundingRect().center() if item is not None else None
        at = at or self._stops.get(location_code)
        if at is None:
            return False
        ring = QGraphicsEllipseItem(-18, -18, 36, 36)
        ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        ring.setPos(at)
        ring.setPen(_pen("#1565C0", 5))
        ring.setZValue(20)
        self.scene().addItem(ring)
        self._ring = ring
        self.centerOn(at)
        return True

    def highlighted(self) -> QPointF | None:
        """Where the ring is (scene coordinates), or None."""
        return self._ring.pos() if self._ring is not None else None

    # --- zoom -----------------------------------------------------------------------------
    def fit(self) -> None:
        rect = self.scene().itemsBoundingRect()
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.2**steps)
        event.accept()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.view is not None and self._ring is None:
            self.fit()


def _side(loc: MapLocation) -> int:
    """Which side of the aisle a location's rack stands: its own x against the centre line;
    on the centre line, a side chosen from its code (so both racks show)."""
    if loc.rack_x < loc.x - 1e-6:
        return -1
    if loc.rack_x > loc.x + 1e-6:
        return 1
    return 1 if sum(map(ord, loc.code)) % 2 else -1
