"""The shipping rules screen: edit a rule in the editor, move rules, and "test on an order"
shows the facts, the rule that matched and every rule's line, green or grey."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.scans import ScanEvent, ScanKind
from app.domain.shipping_rules import HOLD
from app.domain.users import Role
from app.services import shipping_rules
from app.services.shipping_rules import RuleDraft
from tests.conftest import make_actor
from tests.shipping_rule_fixtures import Shop, build_shop
from ui.bus import Bus
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.shipping_rules import ShippingRulesScreen
from ui.widgets.rule_test_panel import MATCHED, NOT_MATCHED


def _rules(ctx: UiContext, shop: Shop) -> list[int]:
    s, a = ctx.services, ctx.actor
    return [
        s.run(
            shipping_rules.save_rule,
            a,
            RuleDraft(
                name="Heavy by SF Economy",
                conditions={"weight_min_g": 2000},
                carrier_service_id=shop.sf_economy,
            ),
        ),
        s.run(
            shipping_rules.save_rule,
            a,
            RuleDraft(
                name="Guangdong by SF",
                conditions={"provinces": ["广东"]},
                carrier_service_id=shop.sf_standard,
                package_type_id=shop.box_s,
            ),
        ),
    ]


def _screen(qtbot: QtBot, ctx: UiContext) -> ShippingRulesScreen:
    screen = ShippingRulesScreen(ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def _cells(screen: ShippingRulesScreen) -> list[list[str]]:
    m = screen.rules
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_the_rules_screen_leads_the_shipping_set_up_screens_after_the_pack_station(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    rules = titles.index("Shipping rules")
    assert titles[rules - 1] == "Pack exceptions"
    assert titles[rules + 1 : rules + 3] == ["Carriers", "Packaging"]


def test_editing_a_rule_in_the_editor_changes_its_conditions_and_package(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    shop = build_shop(ui_ctx.services)
    _rules(ui_ctx, shop)
    screen = _screen(qtbot, ui_ctx)
    assert _cells(screen)[0] == [
        "1",
        "Heavy by SF Economy",
        "✔",
        "weight ≥ 2,000 g",
        "SF / Economy",
    ]
    screen.table.selectRow(0)
    current = screen.current()
    assert current is not None
    editor = screen.open_editor(shipping_rules.draft_of(current))
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.weight_min.value() == 2000
    editor.weight_min.setValue(500)
    editor.lists["provinces"].setText("广东，广西")
    editor.package.setCurrentIndex(editor.package.findData(shop.bag))
    editor.save()
    assert editor.error.text() == "" and editor.saved_id == current.id
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.refresh()
    assert _cells(screen)[0][3:] == [
        "weight ≥ 500 g; Provinces / states: 广东, 广西",
        "SF / Economy · BAG",
    ]


def test_the_editor_keeps_a_rule_that_sets_nothing_open_with_the_reason(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    build_shop(ui_ctx.services)
    screen = _screen(qtbot, ui_ctx)
    editor = screen.open_editor(RuleDraft(name=""))
    assert editor is not None
    qtbot.addWidget(editor)
    editor.name.setText("Nothing")
    editor.save()
    assert "sets nothing" in editor.error.text() and editor.saved_id is None
    editor.action.setCurrentIndex(editor.action.findData(HOLD))
    assert editor.hold_reason.isEnabled() and not editor.service.isEnabled()


def test_moving_a_rule_down_reorders_the_list(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _rules(ui_ctx, build_shop(ui_ctx.services))
    screen = _screen(qtbot, ui_ctx)
    screen.table.selectRow(0)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.buttons["down"].click()
    assert [row[1] for row in _cells(screen)] == ["Guangdong by SF", "Heavy by SF Economy"]
    assert screen.message.text() == "“Heavy by SF Economy” is now rule 2."
    current = screen.current()
    assert current is not None and current.name == "Heavy by SF Economy"


def test_testing_an_order_shows_the_rule_that_matched_and_why_the_others_did_not(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _rules(ui_ctx, build_shop(ui_ctx.services))
    screen = _screen(qtbot, ui_ctx)
    panel = screen.test_panel
    with qtbot.waitSignal(panel.tested, timeout=10_000):
        panel.test_order("PD00000003")
    assert panel.headline.text() == "PD00000003 ships with SF / Standard · package BOX-S"
    assert panel.decided.text() == "Decided by: “Guangdong by SF”"
    assert "600 g (catalogue weight of the items)" in panel.facts.text()
    assert "CN 广东省 深圳市 518000" in panel.facts.text()
    items = [panel.trace.item(i) for i in range(panel.trace.count())]
    assert [i.text() for i in items] == [
        "✗ 1. Heavy by SF Economy: Weight 600 g is below the rule's 2,000 g.",
        "✔ 2. Guangdong by SF: Matched: ships with SF / Standard in BOX-S.",
    ]
    assert [i.foreground().color().name() for i in items] == [NOT_MATCHED, MATCHED]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in items] == [False, True]
    # a typed weight: the heavy rule wins
    with qtbot.waitSignal(panel.tested, timeout=10_000):
        panel.test_order("PD00000003", 2500)
    assert panel.headline.text() == "PD00000003 ships with SF / Economy"


def test_a_packer_may_test_orders_but_not_edit_and_an_unknown_order_is_said(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    build_shop(ui_ctx.services)
    packer = make_actor(ui_ctx.services, ui_ctx.actor, Role.PACKER)
    screen = _screen(qtbot, UiContext(ui_ctx.services, packer, Bus()))
    assert not any(b.isEnabled() for b in screen.buttons.values())
    panel = screen.test_panel
    with qtbot.waitSignal(panel.tested, timeout=10_000):
        panel.test_order("PD00000001")
    assert panel.headline.text() == "PD00000001 ships with ZTO / Standard"
    assert panel.decided.text().startswith("No rule decided")
    with qtbot.waitSignal(panel.tested, timeout=10_000):
        panel.test_order("PD404")
    assert panel.headline.text() == "Order PD404 was not found." and panel.trace.count() == 0


def test_a_scan_on_the_rules_screen_tests_that_order(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _rules(ui_ctx, build_shop(ui_ctx.services))
    screen = _screen(qtbot, ui_ctx)
    assert screen.takes_scans
    event = ScanEvent("TB9000003\r", "TB9000003", "", "wedge", ScanKind.UNKNOWN)
    with qtbot.waitSignal(screen.test_panel.tested, timeout=10_000):
        screen.on_scan(event)
    assert screen.test_panel.order.text() == "TB9000003"
    assert screen.test_panel.headline.text().startswith("PD00000003 ships with SF / Standard")


def test_product_tags_are_edited_in_the_products_dialog_of_the_rules_screen(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    build_shop(ui_ctx.services)
    screen = _screen(qtbot, ui_ctx)
    assert screen.buttons["tags"].isEnabled()
    screen.buttons["tags"].click()
    dialog = screen.tags_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        screen.on_scan(ScanEvent("SKU-B", "SKU-B", "", "", ScanKind.PRODUCT, code="SKU-B"))
    assert [p.sku for p in dialog.products.rows] == ["SKU-B"]
    assert dialog.tags.text() == "" and dialog.save_button.isEnabled()
    dialog.tags.setText("battery， liquid")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as said:
        dialog.save_button.click()
    assert said.args == ["Tags of SKU-B saved: battery, liquid", True]
    qtbot.waitUntil(lambda: dialog.products.rows[0].tags == "battery, liquid", timeout=10_000)
    dialog.close()
