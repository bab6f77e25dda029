"""The print worker thread, the job list widget and system printers (Qt), on a real SQLite
database and the printer emulator."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig, PrinterUnreachable, open_printer
from app.domain.users import Actor
from app.labels import render, shipping
from app.priority import NICE_STEPS
from app.services import auth, printing
from ui.bus import Bus
from ui.context import UiContext
from ui.printing import install_system_printers
from ui.printing.print_worker import PrintQueue
from ui.printing.system_printer import SystemPrinter
from ui.widgets.print_jobs import PrintJobsWidget


@pytest.fixture
def station(sqlite_url: str, paths: Paths) -> Iterator[tuple[Services, Actor]]:
    services = bootstrap(Settings(db_url=sqlite_url, station="bench-1"), paths)
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    actor = services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )
    yield services, actor
    services.close()


@pytest.fixture
def emulator() -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator("tspl")
    emu.start()
    yield emu
    emu.stop()


def test_the_worker_thread_prints_queued_labels_and_tells_the_bus(
    qtbot: QtBot, station: tuple[Services, Actor], emulator: PrinterEmulator
) -> None:
    services, actor = station
    config = PrinterConfig("tcp", emulator.address, "tspl", 203, "76x130mm")
    changes: list[tuple[str, list[int]]] = []
    statuses: list[tuple[str, str, bool]] = []
    bus = Bus()
    bus.changed.connect(lambda kind, ids: changes.append((kind, ids)))
    bus.device_status.connect(lambda role, text, ok: statuses.append((role, text, ok)))
    job_id = services.run(printing.print_test_label, actor, config)
    queue = PrintQueue(bus, services.uow, config, services.station_id, poll_ms=50)
    queue.start()
    try:
        qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=5000)
        # the worker's thread draws at a lower priority than the screens' thread (Linux)
        worker_id = queue.worker.native_id
        assert worker_id is not None and worker_id != threading.get_native_id()
        if sys.platform.startswith("linux"):
            ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            assert queue.worker.lowered
            assert os.getpriority(os.PRIO_PROCESS, worker_id) == min(19, ours + NICE_STEPS) > ours
        qtbot.waitUntil(lambda: ("print_job", [job_id]) in changes, timeout=5000)
        qtbot.waitUntil(lambda: bool(statuses), timeout=5000)
        assert statuses[0] == ("printer", "Ready.", True)
        # paper out: the next label waits, the status bar says why, then it prints
        emulator.set_state(paper_out=True)
        second = services.run(printing.print_test_label, actor, config)
        bus.notify("print_job", [second])
        qtbot.waitUntil(lambda: bool(statuses) and not statuses[-1][2], timeout=5000)
        assert "out of paper" in statuses[-1][1]
        qtbot.waitUntil(
            lambda: services.run(printing.list_jobs, actor)[0].status == "waiting", timeout=5000
        )
        emulator.set_state(paper_out=False)
        qtbot.waitUntil(lambda: len(emulator.jobs) == 2, timeout=5000)
        qtbot.waitUntil(lambda: statuses[-1][2], timeout=5000)
    finally:
        queue.stop()
    assert [j.status for j in services.run(printing.list_jobs, actor)] == ["sent", "sent"]


def test_job_list_shows_the_reason_and_resends_and_reprints(
    qtbot: QtBot, qtmodeltester: object, station: tuple[Services, Actor], emulator: PrinterEmulator
) -> None:
    services, actor = station
    config = PrinterConfig("tcp", emulator.address, "tspl", 203, "76x130mm")
    bus = Bus()
    ctx = UiContext(services, actor, bus)
    first = services.run(printing.print_test_label, actor, config)
    emulator.set_state(silent=True)
    printing.process_pending(
        services.uow, open_printer(config), station_id=services.station_id, status_timeout=0.3
    )
    widget = PrintJobsWidget(ctx)
    qtbot.addWidget(widget)
    qtmodeltester.check(widget.model)  # type: ignore[attr-defined]
    model = widget.model
    assert model.rowCount() == 1
    assert model.index(0, 4).data() == "Failed"
    assert "did not answer" in model.index(0, 5).data()
    widget.view.selectRow(0)
    assert widget.resend_button.isEnabled() and not widget.reprint_button.isEnabled()
    emulator.set_state(silent=False)
    widget.resend_button.click()
    assert model.index(0, 4).data() == "Queued"
    printing.process_pending(services.uow, open_printer(config), station_id=services.station_id)
    widget.reload()
    assert model.index(0, 4).data() == "Printed"
    widget.view.selectRow(0)
    assert widget.reprint_button.isEnabled()
    widget.reprint_button.click()
    assert model.rowCount() == 2
    assert model.index(0, 2).data() == f"Test label (reprint of {first})"
    assert "reprinted" in widget.message.text()


def test_a_system_printer_prints_the_pdf_pages_it_is_given(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    config = PrinterConfig("system", "", "pdf", 203, "100x150mm")
    printer = SystemPrinter(config, output_file=str(out))
    assert printer.status().ok
    printer.send(render.render(shipping.test_label("100x150mm", 203), "pdf", copies=2))
    doc = pdfium.PdfDocument(str(out))
    assert len(doc) == 2
    width, height = doc[0].get_size()
    assert abs(width / 72 * 25.4 - 100) < 0.5 and abs(height / 72 * 25.4 - 150) < 0.5
    image = doc[1].render(scale=300 / 72).to_pil()
    found = {(r.symbology_identifier, r.text) for r in zxingcpp.read_barcodes(image)}
    assert ("]C0", "PACKDESK-TEST-128") in found and (
        "]d2",
        "(01)09501101530003(17)301231",
    ) in found


def test_system_printers_are_reached_through_open_printer_once_installed(qtbot: QtBot) -> None:
    install_system_printers()
    printer = open_printer(PrinterConfig("system", "No Such Printer", "pdf"))
    assert isinstance(printer, SystemPrinter)
    with pytest.raises(PrinterUnreachable, match="no such printer"):
        printer.status()
