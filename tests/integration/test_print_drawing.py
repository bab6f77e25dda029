"""Labels and slips drawn by the print worker after the packing commit, on SQLite and
PostgreSQL: the finishing scan queues what to draw (ids, no address), the worker draws it from
the committed rows and sends it to the printer emulator over loopback TCP, and a job that
cannot be drawn fails with its reason while the next one prints."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import update

from app.bootstrap import Services
from app.db.models import Address, Order, PrintJob
from app.devices.document_printers import FolderPrinter
from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig, open_printer
from app.domain.users import Actor
from app.services import pack_after, packing, print_drawing, printing
from tests.integration.test_order_labels import decoded
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _label_step(services: Services, emu: PrinterEmulator) -> printing.ProcessResult:
    return printing.process_pending(
        services.uow,
        open_printer(PrinterConfig("tcp", emu.address, "zpl", 203, "100x150mm")),
        station_id=services.station_id,
        status_timeout=0.5,
        send_timeout=2.0,
    )


def _pack_pd1(services: Services, setup: PackSetup) -> packing.ScanOutcome:
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    for code in (BARCODES["CUP-1"], BARCODES["CUP-1"], tea("L1")):
        services.run(packing.scan, setup.packer, sid, code)
    done = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)
    return done


def _pack_pd2(services: Services, setup: PackSetup) -> packing.ScanOutcome:
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    for _ in range(3):
        out = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done = services.run(packing.weigh, setup.packer, sid, out.view.current_parcel.expected_g)
    assert done.kind == "packed", (done.message, done.params)
    return done


def _job(services: Services, job_id: int | None) -> PrintJob:
    with services.uow() as uow:
        job = uow.session.get_one(PrintJob, job_id)
        uow.session.expunge(job)
        return job


def test_the_finishing_scan_queues_what_to_draw_and_the_worker_draws_and_prints_it(
    services: Services, admin: Actor, emulator: PrinterEmulator, tmp_path: Path
) -> None:
    setup = pack_ready(services, admin)
    words = ("张三丰", "13812345678", "高新南一道 8 号")
    with services.uow() as uow:
        s = uow.session
        address = Address(name=words[0], phone=words[1], province="广东省", street=words[2])
        s.add(address)
        s.flush()
        s.execute(update(Order).where(Order.number == "PD1").values(ship_address_id=address.id))
        uow.commit()
    done = _pack_pd1(services, setup)
    label, slip = _job(services, done.label_job_id), _job(services, done.slip_job_id)
    # committed without its bytes: ids and printer settings, never the customer's address
    assert label.payload == b"" and slip.payload == b""
    assert label.draw is not None and label.draw["doc"] == "shipping_label"
    assert slip.draw is not None and slip.draw["doc"] == "packing_slip"
    assert not any(w in json.dumps(label.draw | slip.draw, ensure_ascii=False) for w in words)

    result = _label_step(services, emulator)
    assert result.sent == (done.label_job_id,) and result.failed == ()
    assert emulator.wait_for_jobs(1)
    sent = _job(services, done.label_job_id)
    assert sent.status == "sent" and sent.draw is None
    assert emulator.jobs[0].strip() == sent.payload.strip()  # the bytes kept are those printed
    assert done.tracking_number in decoded(sent.payload, "zpl")

    folder = tmp_path / "slips"
    printed = printing.process_pending(
        services.uow,
        FolderPrinter(folder),
        station_id=services.station_id,
        printer_role="document",
    )
    assert printed.sent == (done.slip_job_id,)
    [pdf_file] = folder.glob("*.pdf")
    pdf = pdfium.PdfDocument(pdf_file.read_bytes())
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "PD1" in text and "CUP-1" in text and done.tracking_number in text
    assert "广东省" in text  # the address comes from the rows when the slip is drawn
    assert _job(services, done.slip_job_id).draw is None


def test_a_label_that_cannot_be_drawn_fails_with_its_reason_and_the_next_one_prints(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    setup = pack_ready(services, admin)
    first = _pack_pd1(services, setup)
    second = _pack_pd2(services, setup)
    parcel = first.view.parcels[0].id
    services.run(pack_after.void_parcel, admin, parcel, "wrong cups in the box")

    result = _label_step(services, emulator)
    assert result.failed == (first.label_job_id,) and result.sent == (second.label_job_id,)
    assert emulator.wait_for_jobs(1)
    assert second.tracking_number in decoded(emulator.jobs[0], "zpl")
    failed = next(j for j in services.run(printing.list_jobs, admin) if j.id == first.label_job_id)
    assert failed.status == "failed" and "voided before its label printed" in failed.error
    assert failed.can_resend and failed.undrawn
    assert failed.next_attempt_at is None  # drawing it again by itself would fail the same way
    with pytest.raises(print_drawing.NotDrawable, match="voided"):
        services.run(printing.job_payload, admin, first.label_job_id)


def test_a_label_whose_drawing_breaks_fails_with_the_error_and_the_next_one_prints(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    """A layout error (here a spec that lost a field) is not a crash of the worker: the job
    fails with what went wrong, waits for the operator, and the queue goes on."""
    setup = pack_ready(services, admin)
    first = _pack_pd1(services, setup)
    second = _pack_pd2(services, setup)
    with services.uow() as uow:
        job = uow.session.get_one(PrintJob, first.label_job_id)
        assert job.draw is not None
        job.draw = {k: v for k, v in job.draw.items() if k != "total"}
        uow.commit()

    result = _label_step(services, emulator)
    assert result.failed == (first.label_job_id,) and result.sent == (second.label_job_id,)
    assert emulator.wait_for_jobs(1)
    assert second.tracking_number in decoded(emulator.jobs[0], "zpl")
    failed = next(j for j in services.run(printing.list_jobs, admin) if j.id == first.label_job_id)
    assert failed.status == "failed" and failed.undrawn and failed.next_attempt_at is None
    assert failed.error.startswith("The label for PD1/1 could not be drawn: KeyError")
