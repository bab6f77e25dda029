"""The document printer's own print worker (Qt thread), the system-printer route and its
settings form, on a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.devices.base import DeviceStatus
from app.devices.document_printers import file_name
from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig
from app.devices.station_config import DocumentSettings, StationDevicesConfig
from app.domain.users import Actor
from app.labels import packing_slip as ps
from app.labels.parties import Party
from app.services import auth, printing, stations
from app.services.document_jobs import enqueue_document
from ui.bus import Bus
from ui.devices.forms import DocumentsForm
from ui.printing.documents import document_config, document_queue, document_status
from ui.printing.print_worker import PrintQueue
from ui.printing.system_printer import SystemPrinter

SLIP = ps.packing_slip_pdf(
    ps.SlipData(
        "PD-9",
        "TB-9",
        "2024-05-01",
        Party("Shop"),
        Party("Ann Lee", "555 0100", country="US"),
        (ps.SlipLine("CASE-7", "Silicone case", 1, Decimal("19.50")),),
    )
)


@pytest.fixture
def station(sqlite_url: str, paths: Paths) -> Iterator[tuple[Services, Actor]]:
    services = bootstrap(Settings(db_url=sqlite_url, station="bench-1"), paths)
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    actor = services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )
    yield services, actor
    services.close()


def enqueue(services: Services, actor: Actor, settings: DocumentSettings) -> int:
    config = StationDevicesConfig(documents=settings)
    services.run(stations.save_station_devices, actor, services.station_id, config)
    uow = services.uow()
    with uow:
        job_id = enqueue_document(uow, actor, "packing_slip", "PD-9", SLIP, services.station_id)
        uow.commit()
    assert job_id is not None
    return job_id


def test_the_document_worker_writes_slips_while_the_label_worker_prints_labels(
    qtbot: QtBot, station: tuple[Services, Actor], tmp_path: Path
) -> None:
    services, actor = station
    folder = tmp_path / "slips"
    settings = DocumentSettings("pdf", str(folder))
    slip = enqueue(services, actor, settings)
    emulator = PrinterEmulator("zpl")
    emulator.start()
    bus = Bus()
    statuses: list[tuple[str, str, bool]] = []
    bus.device_status.connect(lambda role, text, ok: statuses.append((role, text, ok)))
    label_config = PrinterConfig("tcp", emulator.address, "zpl", 203, "100x150mm")
    label = services.run(printing.print_test_label, actor, label_config)
    documents = document_queue(bus, services.uow, settings, services.station_id, poll_ms=50)
    labels = PrintQueue(bus, services.uow, label_config, services.station_id, poll_ms=50)
    assert documents is not None
    documents.start()
    labels.start()
    try:
        target = folder / file_name("packing_slip", "PD-9", slip)
        qtbot.waitUntil(target.exists, timeout=5000)
        qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=5000)
        qtbot.waitUntil(lambda: any(s[0] == "documents" for s in statuses), timeout=5000)
    finally:
        documents.stop()
        labels.stop()
        emulator.stop()
    assert target.read_bytes() == SLIP
    assert b"^XA" in emulator.jobs[0]  # the label went to the label printer, not the folder
    rows = {j.id: j for j in services.run(printing.list_jobs, actor)}
    assert (rows[slip].status, rows[slip].printer) == ("sent", "document")
    assert (rows[label].status, rows[label].printer) == ("sent", "label")
    _, text, ok = next(s for s in statuses if s[0] == "documents")
    assert ok and str(folder) in text


def test_a_slip_for_a_system_printer_that_does_not_exist_fails_with_the_reason_and_can_be_resent(
    qtbot: QtBot, station: tuple[Services, Actor]
) -> None:
    services, actor = station
    settings = DocumentSettings("system", printer="Packdesk No Such Printer 404")
    job_id = enqueue(services, actor, settings)
    printer = SystemPrinter(document_config(settings))
    result = printing.process_pending(
        services.uow, printer, station_id=services.station_id, printer_role="document"
    )
    assert result.failed == (job_id,)
    failed = services.run(printing.list_jobs, actor)[0]
    assert failed.status == "failed" and failed.can_resend
    assert "Packdesk No Such Printer 404" in failed.error
    assert "the system has no such printer" in failed.error
    services.run(printing.resend, actor, job_id)
    assert services.run(printing.list_jobs, actor)[0].status == "queued"
    payload = services.run(printing.job_payload, actor, job_id).payload
    assert payload == SLIP  # kept whole for when the printer is there


def test_the_document_printer_form_keeps_what_was_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    form = DocumentsForm()
    qtbot.addWidget(form)
    assert form.settings() == DocumentSettings()
    # a station that has not chosen writes its slips as PDF files (into the data folder)
    assert form.folder.isEnabled() and not form.printer.isEnabled()
    chosen = DocumentSettings("pdf", str(tmp_path / "out"), "", "Letter")
    form.set_settings(chosen)
    assert form.folder.isEnabled() and not form.printer.isEnabled()
    assert form.settings() == chosen
    system = DocumentSettings("system", "", "Office Laser 3F", "A4")
    form.set_settings(system)
    assert form.printer.isEnabled() and not form.folder.isEnabled()
    assert form.settings() == system


def test_the_status_bar_says_when_slips_are_off_or_not_ready() -> None:
    assert document_status(None)[:2] == (True, "Slips: off")
    ok, short, _ = document_status(DeviceStatus(False, "The slip folder's disk is full."))
    assert (ok, short) == (False, "Slips: not ready")
