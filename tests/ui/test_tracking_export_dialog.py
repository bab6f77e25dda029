"""The Export tracking dialog on a real migrated SQLite file: for a channel's shipped order it
writes the file in the channel's own format off the UI thread and says so; a second export says
there is nothing new; a file of the wrong kind is refused with the reason."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.domain.users import Actor
from tests.shipped_fixtures import shipped_pd2
from ui.context import UiContext
from ui.widgets.tracking_export import TrackingExportDialog


def test_the_dialog_writes_the_channels_sheet_for_a_shipped_order_and_not_twice(
    qtbot: QtBot, ui_services: Services, ui_admin: Actor, ui_ctx: UiContext, tmp_path: Path
) -> None:
    setup = shipped_pd2(ui_services, ui_admin, platform="taobao")
    dialog = TrackingExportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    assert dialog.channel.currentData() == "shop"
    assert dialog.format.currentText() == "As the channel uploads (Taobao / Tmall)"
    assert dialog.format.currentData() == "taobao"
    default = Path(dialog.path.text())
    assert default.parent == ui_services.paths.data_dir / "exports"
    assert default.name.startswith("tracking-shop-taobao-") and default.suffix == ".xlsx"
    out = tmp_path / "taobao.xlsx"
    dialog.path.setText(str(out))

    with qtbot.waitSignal(dialog.exported, timeout=10_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    assert done.args is not None and done.args[0].written
    assert "Written: 1 parcel(s) of 1 order(s), 1 row(s), to" in dialog.outcome.text()
    assert str(out) in dialog.outcome.text()
    ws = load_workbook(out).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["订单编号", "物流公司", "运单号"],
        ["PD2", "顺丰速运", setup.numbers[0]],
    ]

    with qtbot.waitSignal(dialog.exported, timeout=10_000) as second:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert second.args is not None and not second.args[0].written
    assert dialog.outcome.text().startswith(
        "Nothing new to export. Parcels exported in this format before: 1."
    )


def test_a_file_of_the_wrong_kind_is_refused_with_the_reason(
    qtbot: QtBot, ui_services: Services, ui_admin: Actor, ui_ctx: UiContext, tmp_path: Path
) -> None:
    shipped_pd2(ui_services, ui_admin, platform="taobao")
    dialog = TrackingExportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("shopify"))
    assert dialog.path.text().endswith(".csv")
    dialog.path.setText(str(tmp_path / "shopify.xlsx"))

    with qtbot.waitSignal(dialog.refused, timeout=10_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    assert "A shopify file is .csv: name the file shopify.csv." in dialog.outcome.text()
    assert dialog.export_button.isEnabled()
    assert not (tmp_path / "shopify.xlsx").exists()
