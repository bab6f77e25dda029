"""Slips through the print queue to the station's document printer (a folder of PDF files
here), on SQLite and PostgreSQL: written whole, waiting while the folder cannot take them, never
in the way of the label printer's jobs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, PrintJob
from app.devices.document_printers import FolderPrinter, file_name
from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig, open_printer
from app.devices.station_config import DocumentSettings, StationDevicesConfig
from app.domain.users import Actor
from app.labels import packing_slip as ps
from app.labels.parties import Party
from app.services import document_jobs, printing, stations
from app.services.document_jobs import enqueue_document

SLIP = ps.packing_slip_pdf(
    ps.SlipData(
        "PD-7",
        "TB-1",
        "2024-05-01",
        Party("杭州好物旗舰店"),
        Party("张三丰", "13812345678", province="广东省"),
        (ps.SlipLine("EAR-W01", "无线蓝牙耳机", 2, Decimal("129.90")),),
    )
)


def use_documents(services: Services, admin: Actor, settings: DocumentSettings) -> None:
    config = replace(StationDevicesConfig(), documents=settings)
    services.run(stations.save_station_devices, admin, services.station_id, config)


def enqueue(services: Services, admin: Actor, reference: str = "PD-7") -> int | None:
    uow = services.uow()
    with uow:
        job_id = enqueue_document(uow, admin, "packing_slip", reference, SLIP, services.station_id)
        uow.commit()
    return job_id


def drain(services: Services, printer: object, role: str = "document") -> printing.ProcessResult:
    return printing.process_pending(
        services.uow,
        printer,  # type: ignore[arg-type]
        station_id=services.station_id,
        printer_role=role,
        status_timeout=0.5,
        send_timeout=2.0,
    )


def row(services: Services, admin: Actor, job_id: int) -> printing.PrintJobRow:
    return next(j for j in services.run(printing.list_jobs, admin) if j.id == job_id)


def test_a_slip_job_on_the_pdf_route_is_written_into_the_folder_whole(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    folder = tmp_path / "slips"
    use_documents(services, admin, DocumentSettings("pdf", str(folder)))
    job_id = enqueue(services, admin)
    assert job_id is not None
    queued = row(services, admin, job_id)
    assert (queued.printer, queued.format, queued.kind, queued.status) == (
        "document",
        "pdf",
        "packing_slip",
        "queued",
    )
    result = drain(services, FolderPrinter(folder))
    assert result.sent == (job_id,)
    written = folder / file_name("packing_slip", "PD-7", job_id)
    assert written.read_bytes() == SLIP
    assert [p.name for p in folder.iterdir()] == [written.name]  # no temporary file left
    assert row(services, admin, job_id).status == "sent"
    uow = services.uow()
    with uow:
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "print_job.enqueue")
        ).all()
        assert [a.entity_id for a in audit] == [str(job_id)]


def test_a_station_with_the_document_printer_off_queues_no_slip(
    services: Services, admin: Actor
) -> None:
    use_documents(services, admin, DocumentSettings("off"))
    assert enqueue(services, admin) is None
    uow = services.uow()
    with uow:
        assert uow.session.scalars(select(PrintJob)).all() == []


def test_a_folder_that_cannot_take_files_makes_the_slip_wait_with_the_reason_then_it_prints(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    use_documents(services, admin, DocumentSettings("pdf", str(blocker / "slips")))
    job_id = enqueue(services, admin)
    assert job_id is not None
    result = drain(services, FolderPrinter(blocker / "slips"))
    assert result.waiting == (job_id,)
    waiting = row(services, admin, job_id)
    assert waiting.status == "waiting" and waiting.can_resend
    assert "Slips cannot be written into the slip folder" in waiting.error
    assert str(blocker / "slips") in waiting.error
    # a full disk waits the same way, saying so
    full = drain(services, FolderPrinter(tmp_path / "ok", min_free=2**62))
    assert row(services, admin, job_id).error.startswith("The slip folder's disk is full.")
    assert full.sent == ()
    # fixed: the same job is written, nothing was lost
    assert drain(services, FolderPrinter(tmp_path / "ok")).sent == (job_id,)
    assert (tmp_path / "ok" / file_name("packing_slip", "PD-7", job_id)).read_bytes() == SLIP


def test_the_label_printer_sends_its_labels_while_slips_wait_for_the_document_printer(
    services: Services, admin: Actor, tmp_path: Path, emulator: PrinterEmulator
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    use_documents(services, admin, DocumentSettings("pdf", str(blocker / "slips")))
    slip = enqueue(services, admin)
    label = services.run(
        printing.enqueue,
        admin,
        fmt="zpl",
        kind="shipping_label",
        reference="PD-7",
        payload=b"^XA^FO20,20^A0N,30,30^FDPD-7^FS^XZ\n",
    )
    assert drain(services, FolderPrinter(blocker / "slips")).waiting == (slip,)
    config = PrinterConfig("tcp", emulator.address, "zpl", 203, "100x150mm")
    assert drain(services, open_printer(config), role="label").sent == (label,)
    assert emulator.wait_for_jobs(1)
    assert row(services, admin, slip).status == "waiting"  # the slip never went to it


def test_the_pack_screen_reads_the_paper_of_the_stations_document_printer(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    use_documents(services, admin, DocumentSettings("system", printer="Laser", paper="Letter"))
    settings = services.run(document_jobs.document_settings, admin, services.station_id)
    assert (settings.mode, settings.printer, settings.paper) == ("system", "Laser", "Letter")
