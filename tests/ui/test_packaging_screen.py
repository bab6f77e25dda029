"""The Packaging screen: a supervisor adds a package type through the dialog and the table shows
it; a refused one keeps the dialog open with the reason; the packing settings are saved and read
back; the carton card is written; a packer sees everything and can change nothing."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.domain.pack_settings import PackSettings
from app.domain.scans import ScanKind
from app.domain.users import Role
from app.services import auth, pack_settings, package_types, scanning, settings_logo
from app.services.package_types import PackageTypeDraft
from tests.factories import add_orders
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.packaging import PackagingScreen


def _screen(qtbot: QtBot, ctx: UiContext) -> PackagingScreen:
    screen = PackagingScreen(ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def test_a_package_type_added_in_the_dialog_is_shown_in_the_table(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    assert screen.model.rowCount() == 0
    dialog = screen.open_dialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, "box-s")
    dialog.name.setText("小号纸箱")
    dialog.length_box.setValue(200)
    dialog.width_box.setValue(150)
    qtbot.keyClicks(dialog.barcode, "PKG-S")
    dialog.tare.setValue(120)
    dialog.max_weight.setValue(5000)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()  # no height: refused, the dialog stays open and says what to do
    assert "A box needs its inner length, width and height" in dialog.error.text()
    assert dialog.saved is None and screen.model.rowCount() == 0
    dialog.height_box.setValue(100)
    save.click()
    assert dialog.saved is not None
    screen.saved_package_type(dialog.saved)
    assert screen.model.rowCount() == 1
    cells = [
        screen.model.index(0, c).data(Qt.ItemDataRole.DisplayRole)
        for c in range(screen.model.columnCount())
    ]
    assert cells == [
        "BOX-S",
        "小号纸箱",
        "Box",
        "200 × 150 × 100 mm",
        "120 g",
        "5 kg",
        "PKG-S",
        "yes",
    ]
    assert screen.selected() == dialog.saved
    assert "BOX-S saved" in screen.message.text()


def test_choosing_polybag_empties_and_locks_the_size_and_an_edit_keeps_the_id(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    bag = ui_ctx.services.run(
        package_types.save_package_type,
        ui_ctx.actor,
        PackageTypeDraft("BAG", "Mailer", "polybag", max_weight_g=2000),
    )
    screen = _screen(qtbot, ui_ctx)
    screen.table.selectRow(0)
    dialog = screen.open_dialog(screen.selected())
    qtbot.addWidget(dialog)
    assert not dialog.length_box.isEnabled() and dialog.max_weight.value() == 2000
    dialog.kind.setCurrentIndex(dialog.kind.findData("envelope"))
    assert dialog.length_box.isEnabled()
    dialog.length_box.setValue(320)
    dialog.width_box.setValue(230)
    dialog.height_box.setValue(20)
    dialog.save()
    assert dialog.saved is not None and dialog.saved.id == bag.id
    assert dialog.saved.kind == "envelope" and dialog.saved.length_mm == 320
    screen.toggle_selected()
    assert screen.model.index(0, screen.model.STATE).data() == "no"


def test_packing_settings_are_saved_and_read_back(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(300, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#d32f2f"))
    assert image.save(str(logo))
    screen = _screen(qtbot, ui_ctx)
    form = screen.form
    assert "a 300 g parcel may weigh 280 to 320 g" in form.example.text()
    form.tolerance_pct.setValue(3.5)
    form.tolerance_floor.setValue(15)
    assert "a 2000 g parcel may weigh 1930 to 2070 g" in form.example.text()
    form.allow_typed.setChecked(True)
    form.full_scan.setChecked(True)
    form.slip_paper.setCurrentIndex(form.slip_paper.findData("Letter"))
    assert form.logo_preview.text() == "no logo" and form.logo_preview.pixmap().isNull()
    form.returns.setPlainText("退货请在7天内寄回")
    form.sender_edits["sender_name"].setText("小店")
    form.sender_edits["sender_city"].setText("深圳市")
    with qtbot.waitSignal(screen.settings_saved) as saved:
        screen.save_button.click()
    assert isinstance(saved.args[0], PackSettings)
    stored = ui_ctx.services.run(pack_settings.get_pack_settings)
    assert (stored.tolerance_pct, stored.tolerance_floor_g) == (3.5, 15)
    assert stored.allow_typed_weight and stored.labels_need_full_scan and stored.require_weight
    assert (stored.slip_paper, stored.logo_path) == ("Letter", "")
    assert stored.return_instructions == "退货请在7天内寄回"
    assert (stored.sender_name, stored.sender_city) == ("小店", "深圳市")
    again = _screen(qtbot, ui_ctx)
    assert again.form.value() == stored
    # the logo is chosen on the Settings screen; this screen previews what the slip prints
    ui_ctx.services.run(settings_logo.set_shop_logo, ui_ctx.actor, logo.read_bytes(), "logo.png")
    shown = _screen(qtbot, ui_ctx)
    assert not shown.form.logo_preview.pixmap().isNull()
    assert shown.form.value() == stored


def test_the_carton_card_is_written_where_asked(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    screen = _screen(qtbot, ui_ctx)
    assert not screen.save_carton_card(tmp_path / "none.pdf")
    assert "no package type to print" in screen.message.text()
    ui_ctx.services.run(
        package_types.save_package_type,
        ui_ctx.actor,
        PackageTypeDraft("BOX-S", "Small", "box", "PKG-S", 200, 150, 100),
    )
    target = tmp_path / "card.pdf"
    assert screen.save_carton_card(target)
    page = pdfium.PdfDocument(target.read_bytes())[0]
    image = page.render(scale=150 / 72).to_pil().convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["PKG-S"]


def test_a_packer_sees_packaging_beside_the_other_shipping_screens_and_can_change_nothing(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    ui_ctx.services.run(auth.create_user, ui_ctx.actor, "packer", Role.PACKER, "packer-pass-1")
    packer = ui_ctx.services.run(auth.login, "packer", "packer-pass-1")
    packer_ctx = UiContext(ui_ctx.services, packer, ui_ctx.bus)
    screen = _screen(qtbot, packer_ctx)
    assert not screen.add_button.isEnabled() and not screen.save_button.isEnabled()
    assert not screen.form.tolerance_pct.isEnabled() and screen.form.returns.isReadOnly()
    assert screen.card_button.isEnabled()
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    # the shipping set-up screens stand together: rules, carriers, packaging
    assert titles.index("Packaging") == titles.index("Carriers") + 1
    packer_window = MainWindow(packer_ctx)
    qtbot.addWidget(packer_window)
    assert "Packaging" in [
        packer_window.nav.item(i).text() for i in range(packer_window.nav.count())
    ]


def test_a_scanned_order_is_tried_and_the_suggestion_says_how_many_sizes_are_unknown(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_orders(ui_ctx.services, 1, status="allocated")  # SKU-A x 1, SKU-B x 2: no products
    ui_ctx.services.run(
        package_types.save_package_type,
        ui_ctx.actor,
        PackageTypeDraft("BOX-S", "小号纸箱", "box", "", 200, 150, 100, 120, 5000),
    )
    screen = _screen(qtbot, ui_ctx)
    event = ui_ctx.services.run(scanning.classify, "PD00000001")
    assert event.kind is ScanKind.ORDER
    with qtbot.waitSignal(screen.tried, timeout=10_000) as tried:
        screen.on_scan(event)
    assert tried.args[0] is not None and screen.trial_input.text() == "PD00000001"
    text = screen.trial_result.text()
    assert "PD00000001: 3 units" in text
    assert "Suggested: BOX-S 小号纸箱 · sizes unknown for 3 items" in text
    assert "Expected weight 120 g (100 to 140 g)" in text
    screen.trial_input.setText("PD404")
    with qtbot.waitSignal(screen.tried, timeout=10_000) as refused:
        screen.try_order()
    assert refused.args[0] is None and "PD404 was not found" in screen.trial_result.text()
