"""The Layout screen on a real migrated SQLite file: it draws the loaded layout to scale, lists a
bad file's problems by row and changes nothing, and routes typed or scanned locations with the
route drawn and numbered on the map."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from pytestqt.qtbot import QtBot

from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Permission, Role
from tests.conftest import make_actor
from tests.order_action_fixtures import add_location, add_products, receive
from ui.bus import Bus
from ui.context import UiContext
from ui.screens import screen_classes
from ui.screens.layout import LayoutScreen
from ui.widgets.layout_map import fill_colour, zone_colours

LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"


def _locations(ctx: UiContext) -> None:
    add_products(ctx.services, "CUP")
    for code, kind in [
        ("A-01", "pickable"),
        ("A-02", "pickable"),
        ("B-01", "pickable"),
        ("C-01", "pickable"),
        ("S-01", "storage"),
    ]:
        add_location(ctx.services, code, kind)
    receive(ctx.services, ctx.actor, "A-01", "CUP", 4)


def _screen(qtbot: QtBot, ctx: UiContext) -> LayoutScreen:
    screen = LayoutScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.activated()
    return screen


def _load(qtbot: QtBot, screen: LayoutScreen, name: str) -> object:
    with qtbot.waitSignal(screen.file_loaded, timeout=5000) as got:
        screen.load_file(LAYOUTS / name)
    return got.args[0]


def test_a_loaded_layout_is_drawn_with_every_location_and_its_code_on_hover(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _locations(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    assert "no layout yet" in screen.heading.text()
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        _load(qtbot, screen, "single_block.toml")
    assert "Layout loaded from single_block.toml: 3 aisles" in screen.message.text()
    assert screen.heading.text() == "Warehouse WH1: 3 aisles, 2 cross aisles, 5 locations"
    for code in ("A-01", "A-02", "B-01", "C-01", "S-01"):
        item = screen.map.location_item(code)
        assert item is not None and item.toolTip() == code
    # to scale: A-02 (aisle A, x 0) lies left of C-01 (aisle C, x 8), and above it (y 8 > 3)
    a02 = screen.map.location_item("A-02")
    c01 = screen.map.location_item("C-01")
    assert a02 is not None and c01 is not None
    assert a02.sceneBoundingRect().center().x() < c01.sceneBoundingRect().center().x()
    assert a02.sceneBoundingRect().center().y() < c01.sceneBoundingRect().center().y()
    assert "Fast movers" in screen.legend.text() and "Depot DOCK" in screen.legend.text()
    # zone colours, then fill colours (A-01 holds stock, nothing reserved: green)
    assert screen.view is not None
    a01 = screen.map.location_item("A-01")
    assert a01 is not None and a01.brush().color() == zone_colours(screen.view)["A"]
    screen.fill_button.setChecked(True)
    a01_view = next(loc for loc in screen.view.locations if loc.code == "A-01")
    assert a01.brush().color() == fill_colour(a01_view)
    assert a01.brush().color() != fill_colour(
        next(v for v in screen.view.locations if v.code == "B-01")
    )


def test_a_bad_layout_file_lists_its_problems_by_row_and_draws_nothing_new(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _locations(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    report = _load(qtbot, screen, "bad.csv")
    assert report is not None
    rows = [screen.problems.item(i).text() for i in range(screen.problems.count())]
    assert screen.problems.isVisible() and len(rows) == 8
    assert rows[3] == "Row 5: Aisle C: y_from 7 must be less than y_to 3. Swap them."
    assert not rows[0].startswith("Row")  # a problem of the whole file
    assert "8 problems; nothing was changed" in screen.message.text()
    assert screen.map.location_item("A-01") is None


def test_typed_locations_are_routed_and_drawn_with_numbered_stops(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _locations(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        _load(qtbot, screen, "single_block.toml")
    qtbot.keyClicks(screen.route_input, "C-01, A-02 B-01")
    with qtbot.waitSignal(screen.routed, timeout=5000) as got:
        qtbot.keyClick(screen.route_input, Qt.Key.Key_Return)
    d = got.args[0]
    assert d is not None and len(d.stops) == 3
    assert screen.map.route_items() == 1 + 3  # the line and three numbered stops
    assert [screen.stops.item(i).text() for i in range(3)] == [
        f"{s.number}. {s.location}" for s in d.stops
    ]
    assert screen.length.text() == f"Route: {d.length_m:.1f} m"
    assert screen.s_shape.text() == f"S-shape: {d.s_shape_m:.1f} m"
    assert screen.map.highlight("B-01") and screen.map.highlighted() is not None
    assert not screen.map.highlight("NOPE")
    screen.clear_route()
    assert screen.map.route_items() == 0 and screen.stops.count() == 0


def test_an_unknown_location_is_refused_in_red_and_a_scanned_one_joins_the_route(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _locations(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        _load(qtbot, screen, "single_block.toml")
    screen.route_input.setText("A-01 ZZ-9")
    with qtbot.waitSignal(screen.routed, timeout=5000) as got:
        screen.try_route()
    assert got.args[0] is None and "Unknown locations: ZZ-9" in screen.message.text()
    screen.route_input.setText("A-01")
    scan = ScanEvent("LOC-C-01", "LOC-C-01", "", "wedge", ScanKind.LOCATION, code="C-01")
    with qtbot.waitSignal(screen.routed, timeout=5000) as got:
        screen.on_scan(scan)
    assert sorted(s.location for s in got.args[0].stops) == ["A-01", "C-01"]
    assert screen.route_input.text() == "A-01 C-01"


def test_the_wheel_zooms_the_map(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _locations(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        _load(qtbot, screen, "single_block.toml")
    before = screen.map.transform().m11()
    at = QPointF(screen.map.viewport().rect().center())
    wheel = QWheelEvent(
        at, screen.map.mapToGlobal(at.toPoint()).toPointF(), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    screen.map.wheelEvent(wheel)
    assert screen.map.transform().m11() == before * 1.2**2
    screen.fit_button.click()
    assert screen.map.transform().m11() == before


def test_supervisors_see_the_layout_screen_and_pickers_do_not(ui_ctx: UiContext) -> None:
    assert LayoutScreen in screen_classes() and LayoutScreen.permission is Permission.PLAN_WAVES
    for role, sees in [(Role.SUPERVISOR, True), (Role.PICKER, False), (Role.PACKER, False)]:
        actor = make_actor(ui_ctx.services, ui_ctx.actor, role)
        ctx = UiContext(ui_ctx.services, actor, Bus())
        assert ctx.can(LayoutScreen.permission) is sees
