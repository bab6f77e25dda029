"""The Carriers screen: how many tracking numbers each pool has left (a low pool stands out),
loading a pool file with its refused rows shown, voided numbers to report, label folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.db.models import Carrier, CarrierService, TrackingNumber
from app.services import tracking_void
from tests.factories import add_orders
from ui.context import UiContext
from ui.screens.carriers import CarriersScreen, VoidedDialog

#: valid UPU S10 numbers (check digits computed by the published rule) and one with a wrong one
GOOD = ["EA000000014CN", "EA000000028CN", "EA000000031CN"]
BAD = "EA000000016CN"  # should end 4


def _carrier(ctx: UiContext, warn: int) -> None:
    with ctx.services.uow() as uow:
        cid = uow.session.execute(
            insert(Carrier).returning(Carrier.id),
            [{"code": "EMS", "name": "China Post EMS", "plugin": "pool", "pool_low_warning": warn}],
        ).scalar_one()
        uow.session.execute(
            insert(CarrierService), [{"carrier_id": cid, "code": "STD", "name": "Standard"}]
        )
        uow.commit()


def _texts(screen: CarriersScreen) -> list[list[str]]:
    m = screen.model
    return [
        [m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole) for c in range(m.columnCount())]
        for r in range(m.rowCount())
    ]


def test_loading_a_pool_file_shows_what_was_loaded_and_each_refused_row(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    _carrier(ui_ctx, warn=10)
    screen = CarriersScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.activated()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert "LOW" in _texts(screen)[0][6]  # an empty pool is low
    assert "running out" in screen.status.text()

    pool = tmp_path / "ems.csv"
    pool.write_text("\n".join([*GOOD, BAD, GOOD[0]]) + "\n")
    dialog = screen.open_load()
    qtbot.addWidget(dialog)
    dialog.set_path(pool)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load_button.click()

    assert dialog.summary.text() == "3 numbers loaded, 2 refused."
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert [p.split(":")[0] for p in problems] == ["Row 4", "Row 5"]
    qtbot.waitUntil(lambda: _texts(screen)[0][3] == "3")
    assert "LOW: 3 left" in _texts(screen)[0][6]


def test_voided_numbers_are_listed_and_marked_reported(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _carrier(ui_ctx, warn=1)
    with ui_ctx.services.uow() as uow:
        uow.session.execute(
            insert(TrackingNumber),
            [{"carrier_id": 1, "number": n, "status": "free"} for n in GOOD],
        )
        uow.commit()
    ui_ctx.services.run(tracking_void.void_number, ui_ctx.actor, "EMS", GOOD[1], "label torn")
    numbers = ui_ctx.services.run(tracking_void.voided_report)
    dialog = VoidedDialog(ui_ctx, numbers, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == GOOD[1]
    dialog.mark_button.click()
    assert "1 numbers marked reported" in dialog.message.text()
    assert ui_ctx.services.run(tracking_void.voided_report) == []


def test_a_folder_of_label_files_is_attached_and_problems_listed(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    add_orders(ui_ctx.services, 1, status="allocated")
    (tmp_path / "PD00000001.zpl").write_bytes(b"^XA^FO50,50^BCN,100^FDYT1^FS^XZ\n")
    (tmp_path / "PD00000404.zpl").write_bytes(b"^XA^XZ\n")
    screen = CarriersScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.attach_labels(tmp_path)
    qtbot.waitUntil(lambda: "attached" in screen.status.text(), timeout=10_000)
    assert screen.status.text().splitlines()[0] == (
        "1 labels attached, 0 attached before, 1 not attached."
    )
    assert "PD00000404.zpl: There is no order PD00000404" in screen.status.text()
