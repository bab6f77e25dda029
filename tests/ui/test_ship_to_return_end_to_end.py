"""After the label, end to end on SQLite and PostgreSQL: two orders packed at the real station are
scanned onto the SF handover on the Ship screen (the emulated serial scanner over a real pty) and
the handover is closed from the screen: the orders are shipped, their units leave the dock, the
shipped notice is queued and sent through a real SMTP server on loopback; the Ship screen's
Export tracking dialog writes the shop's file; a carrier status file makes one order delivered;
the Returns screen takes it back by scans and restocks it. The stock ledger balances at every
step. Each step waits for the screen's own signal, never for a fixed time."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from app.db.models import Customer, Location, Order, Parcel, StockLedger
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.users import Role
from app.services import auth, delivery, notices, stock
from tests.conftest import make_actor
from tests.notice_fixtures import use_server
from tests.returns_fixtures import CUP
from tests.smtp_server import smtp_server
from tests.ui.test_returns_screen import Bench
from tests.ui.test_ship_screen import Dock, open_dock, scan
from ui.bus import Bus
from ui.context import UiContext
from ui.devices.station import StationDevices
from ui.screens.returns import ReturnsScreen
from ui.widgets.tracking_export import TrackingExportDialog

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@contextmanager
def dock_at(qtbot: QtBot, qapp: QApplication, db_url: str, paths: object) -> Iterator[Dock]:
    steps = open_dock(qtbot, qapp, db_url, paths)  # type: ignore[arg-type]
    dock = next(steps)
    try:
        yield dock
    finally:
        next(steps, None)


def answer_yes(asked: list[str]) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: answer_yes(asked))
        return
    asked.append(box.text())
    box.button(QMessageBox.StandardButton.Yes).click()


def statuses(dock: Dock) -> dict[str, str]:
    with dock.services.uow() as uow:
        return dict(uow.session.execute(select(Order.number, Order.status)).tuples().all())


def units_at_dock(dock: Dock) -> int:
    with dock.services.uow() as uow:
        return int(
            uow.session.scalar(
                select(func.coalesce(func.sum(StockLedger.qty_delta), 0))
                .join(Location, Location.id == StockLedger.location_id)
                .where(Location.kind == "dock")
            )
            or 0
        )


def test_packed_orders_are_handed_over_shipped_exported_told_delivered_and_returned(
    qtbot: QtBot, qapp: QApplication, db_url: str, paths: object, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as mail, dock_at(qtbot, qapp, db_url, paths) as dock:
        services, screen, setup = dock.services, dock.screen, dock.setup
        boss = setup.supervisor
        use_server(services, boss, mail, login=False)
        with services.uow() as uow:  # PD1's customer left an e-mail address at the shop
            s = uow.session
            cid = s.scalar(select(Customer.id).limit(1))
            if cid is None:
                cid = s.execute(
                    Customer.__table__.insert().returning(Customer.id),
                    [{"name": "Emma Wilson", "email": "emma@example.co.uk"}],
                ).scalar_one()
            s.execute(update(Customer).where(Customer.id == cid).values(email="emma@example.co.uk"))
            s.execute(update(Order).where(Order.number == "PD1").values(customer_id=cid))
            uow.commit()
        assert units_at_dock(dock) == 6  # 2 cups and a tea, 3 pens, waiting for the carrier

        # the Ship screen: both parcels scanned, the handover closed from the screen
        for number in ("PD1", "PD2"):
            ok, said = scan(qtbot, dock, setup.tracking[number])
            assert ok, said
        qtbot.waitUntil(lambda: screen.counts.text() == "scanned 2 / packed 2", timeout=10_000)
        qtbot.waitUntil(screen.close_button.isEnabled, timeout=10_000)
        asked: list[str] = []
        QTimer.singleShot(0, lambda: answer_yes(asked))
        with qtbot.waitSignal(screen.answered, timeout=15_000) as closed:
            screen.close_button.click()
        assert closed.args[0], closed.args[1]
        assert statuses(dock) == {"PD1": "shipped", "PD2": "shipped"}
        assert units_at_dock(dock) == 0
        assert services.run(stock.check_stock_invariants) == []

        # the shipped notice, queued by the close, goes out through the mail server
        report = services.run(notices.send_due, boss)
        assert report.sent == 1, report
        (received,) = mail.handler.received
        message = received.message
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        assert message["To"] == "emma@example.co.uk"
        assert setup.tracking["PD1"] in text and "PD1" in text

        # tracking back to the shop, from the Ship screen's button
        screen.export_button.click()
        dialog = screen.export_dialog
        assert isinstance(dialog, TrackingExportDialog)
        out = tmp_path / "tracking.csv"
        dialog.format.setCurrentIndex(dialog.format.findData("shopify"))
        dialog.path.setText(str(out))
        with qtbot.waitSignal(dialog.exported, timeout=10_000) as exported:
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert exported.args[0].written
        dialog.close()
        with out.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        written = {cell for row in rows[1:] for cell in row}
        assert {setup.tracking["PD1"], setup.tracking["PD2"]} <= written

        # the carrier's status file: PD1 signed for
        status_file = tmp_path / "sf-status.csv"
        status_file.write_text(
            f"运单号,物流状态,签收时间\n{setup.tracking['PD1']},已签收,2026-12-06 15:20\n", "utf-8"
        )
        imported = services.run(delivery.import_tracking_file, setup.shipper, status_file)
        assert imported.delivered_orders == ("PD1",), imported
        assert statuses(dock)["PD1"] == "delivered"

        # the returns clerk takes PD1's cups back by scans and restocks them
        admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
        clerk = make_actor(services, admin, Role.RETURNS_CLERK, "returns1")
        ctx = UiContext(services, clerk, Bus())
        returns = ReturnsScreen(ctx)
        qtbot.addWidget(returns)
        returns.show()
        returns.activated()
        bench_scanner = ScannerEmulator()  # the returns bench has its own scanner
        config = StationDevicesConfig(
            scanner=ScannerSettings(mode="serial", port=bench_scanner.port)
        )
        devices = StationDevices(ctx, config)
        ctx.bus.scanned.connect(returns.on_scan)
        devices.start()
        try:
            qtbot.waitUntil(
                lambda: devices.states.get("scanner", (0, ""))[1] == "Scanner: ready",
                timeout=8000,
            )
            bench = Bench(qtbot, returns, bench_scanner)
            assert bench.scan(setup.tracking["PD1"]).accepted
            assert bench.scan("PD-RET-REASON-WRONG_SIZE").accepted
            for _ in range(2):
                assert bench.scan(CUP).accepted
            assert bench.scan("LOC-A-01").key == "restocked"
            done = bench.scan("PD-CMD-CONFIRM")
            assert done.finished is not None
        finally:
            devices.stop()
            bench_scanner.close()
        assert statuses(dock)["PD1"] == "delivered"  # the tea is still with the customer
        with services.uow() as uow:
            back = uow.session.scalar(
                select(func.sum(StockLedger.qty_delta)).where(
                    StockLedger.ref_type == "return", StockLedger.reason == "return"
                )
            )
            shipped_at = uow.session.scalars(select(Parcel.shipped_at)).all()
        assert back == 2 and all(shipped_at)
        assert services.run(stock.check_stock_invariants) == []
