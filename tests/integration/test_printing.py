"""The print job queue against the printer emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, PrintJob, utcnow
from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig, open_printer
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.labels import shipping, zpl
from app.services import printing
from tests.conftest import make_actor

SAMPLE = shipping.ShippingLabelData(
    "SF Express 顺丰速运",
    "标快",
    "SF1403526873451",
    "PD-1",
    shipping.Party("杭州好物旗舰店", "0571-88886666", province="浙江省", city="杭州市"),
    shipping.Party(
        "张三丰", "13812345678", province="广东省", city="深圳市", street="高新南一道 8 号"
    ),
)


def config_for(emu: PrinterEmulator) -> PrinterConfig:
    return PrinterConfig("tcp", emu.address, emu.language, 203, "100x150mm")


def step(services: Services, emu: PrinterEmulator, **kw: object) -> printing.ProcessResult:
    return printing.process_pending(
        services.uow,
        open_printer(config_for(emu)),
        station_id=services.station_id,
        status_timeout=0.5,
        send_timeout=2.0,
        **kw,  # type: ignore[arg-type]
    )


def job(services: Services, admin: Actor, job_id: int) -> printing.PrintJobRow:
    return next(j for j in services.run(printing.list_jobs, admin) if j.id == job_id)


def test_a_test_label_is_queued_then_sent_to_the_printer(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    queued = job(services, admin, job_id)
    assert (queued.status, queued.kind, queued.format, queued.created_by) == (
        "queued",
        "test",
        "zpl",
        "admin",
    )
    result = step(services, emulator)
    assert result.sent == (job_id,) and result.printer_status is not None
    assert emulator.wait_for_jobs(1)
    payload = services.run(printing.job_payload, admin, job_id).payload
    assert emulator.jobs[0].strip() == payload.strip()
    sent = job(services, admin, job_id)
    assert (sent.status, sent.attempts, sent.error) == ("sent", 1, "")
    assert sent.sent_at is not None and sent.can_reprint
    assert step(services, emulator).changed == []  # nothing left to do


def test_a_serial_printer_gets_the_compact_form_of_a_label(
    services: Services, admin: Actor
) -> None:
    # a label takes seconds over a serial line: Chinese text goes as one bitmap per block
    label = shipping.shipping_label(SAMPLE, "100x150mm", 203)
    ids = [
        services.run(
            printing.print_label,
            admin,
            PrinterConfig(transport, address, "zpl", 203, "100x150mm"),
            label,
            kind="shipping",
            reference="PD-1",
        )
        for transport, address in (("tcp", "127.0.0.1:9"), ("serial", "/dev/ttyUSB0"))
    ]
    network, serial = (services.run(printing.job_payload, admin, i).payload for i in ids)
    assert serial == zpl.render(label, compact=True) and network == zpl.render(label)
    assert len(serial) < len(network)


def test_out_of_paper_makes_jobs_wait_with_the_reason_until_paper_is_loaded(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    first = services.run(printing.print_test_label, admin, config_for(emulator))
    second = services.run(printing.print_test_label, admin, config_for(emulator))
    emulator.set_state(paper_out=True)
    result = step(services, emulator)
    assert result.waiting == (first, second) and not result.sent
    waiting = job(services, admin, first)
    assert waiting.status == "waiting"
    assert waiting.error == "The printer is out of paper. Load labels and press Resume."
    assert step(services, emulator).changed == []  # still waiting, nothing new to say
    assert emulator.jobs == [] and emulator.held == []  # nothing was sent meanwhile
    emulator.set_state(paper_out=False)
    assert step(services, emulator).sent == (first, second)
    assert emulator.wait_for_jobs(2)


def test_head_open_is_shown_on_the_waiting_job(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    emulator.set_state(head_open=True)
    step(services, emulator)
    assert "print head is open" in job(services, admin, job_id).error


def test_a_printer_that_never_answers_fails_the_job_with_the_reason_then_it_is_retried(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    emulator.set_state(silent=True)
    result = step(services, emulator)
    assert result.failed == (job_id,)
    failed = job(services, admin, job_id)
    assert failed.status == "failed" and failed.attempts == 1
    assert "did not answer within 0.5 s" in failed.error
    assert failed.next_attempt_at is not None and failed.can_resend
    # not due yet: nothing happens
    assert step(services, emulator).changed == []
    emulator.set_state(silent=False)
    later = utcnow() + timedelta(seconds=10)
    assert step(services, emulator, now=later).sent == (job_id,)
    assert emulator.wait_for_jobs(1)
    with services.uow() as uow:
        failures = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "print_job.failed")
        ).all()
        assert [a.entity_id for a in failures] == [str(job_id)]


def test_after_the_automatic_retries_a_failed_job_waits_for_the_operator(
    services: Services, admin: Actor
) -> None:
    emu = PrinterEmulator("zpl")
    emu.start()
    config = config_for(emu)
    emu.stop()  # nothing listens there any more: connection refused
    job_id = services.run(printing.print_test_label, admin, config)
    now = utcnow()
    for attempt in range(1, printing.MAX_AUTO_ATTEMPTS + 2):
        result = printing.process_pending(
            services.uow,
            open_printer(config),
            station_id=services.station_id,
            now=now + timedelta(hours=attempt),
            status_timeout=0.5,
        )
        assert result.failed == ((job_id,) if attempt <= printing.MAX_AUTO_ATTEMPTS + 1 else ())
    failed = job(services, admin, job_id)
    assert failed.attempts == printing.MAX_AUTO_ATTEMPTS + 1
    assert failed.next_attempt_at is None and "connection refused" in failed.error
    result = printing.process_pending(
        services.uow,
        open_printer(config),
        station_id=services.station_id,
        now=now + timedelta(days=1),
        status_timeout=0.5,
    )
    assert result.changed == []


def test_the_operator_resends_a_failed_job_and_it_prints(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    emulator.set_state(silent=True)
    step(services, emulator)
    emulator.set_state(silent=False)
    services.run(printing.resend, admin, job_id)
    assert job(services, admin, job_id).status == "queued"
    assert step(services, emulator).sent == (job_id,)
    with pytest.raises(ValidationError, match="use Reprint"):
        services.run(printing.resend, admin, job_id)


def test_a_crash_between_queueing_and_sending_leaves_a_job_that_is_sent_on_restart(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    # the program stops here; on restart the worker recovers, then drains the queue
    assert printing.recover_interrupted(services.uow, services.station_id) == []
    assert step(services, emulator).sent == (job_id,)
    assert emulator.wait_for_jobs(1)


def test_a_crash_while_sending_marks_the_job_failed_to_be_checked_not_lost_nor_doubled(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    job_id = services.run(printing.print_test_label, admin, config_for(emulator))
    with services.uow() as uow:  # the worker claimed it, then the power went
        uow.session.get(PrintJob, job_id).status = "sending"  # type: ignore[union-attr]
        uow.commit()
    assert step(services, emulator).changed == []  # a job being sent is not sent twice
    assert printing.recover_interrupted(services.uow, services.station_id) == [job_id]
    failed = job(services, admin, job_id)
    assert failed.status == "failed" and "may or may not have printed" in failed.error
    assert emulator.jobs == []
    services.run(printing.resend, admin, job_id)
    assert step(services, emulator).sent == (job_id,)


def test_reprints_are_new_jobs_that_need_the_permission_and_are_audited(
    services: Services, admin: Actor, emulator: PrinterEmulator
) -> None:
    original = services.run(printing.print_test_label, admin, config_for(emulator))
    with pytest.raises(ValidationError, match="resend it instead"):
        services.run(printing.reprint, admin, original)
    step(services, emulator)
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied, match="may not reprint labels"):
        services.run(printing.reprint, picker, original)
    packer = make_actor(services, admin, Role.PACKER)
    copy = services.run(printing.reprint, packer, original, "label torn")
    row = job(services, admin, copy)
    assert (row.status, row.reprint_of_id, row.created_by) == ("queued", original, "packer-user")
    assert step(services, emulator).sent == (copy,)
    assert emulator.wait_for_jobs(2) and emulator.jobs[0] == emulator.jobs[1]
    with services.uow() as uow:
        entry = uow.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "print_job.reprint")
        )
        assert entry is not None
        assert (entry.username, entry.entity_id, entry.note) == (
            "packer-user",
            str(copy),
            "label torn",
        )
        assert entry.after == {"reprint_of": original, "reference": "test label"}


def test_a_test_label_needs_the_device_permission(services: Services, admin: Actor) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(printing.print_test_label, picker, PrinterConfig("tcp", "h:9100", "zpl"))


def test_jobs_are_listed_newest_first_per_station_and_can_be_cancelled(
    services: Services, admin: Actor
) -> None:
    config = PrinterConfig("tcp", "127.0.0.1:9", "tspl", 203, "76x130mm")
    ids = [services.run(printing.print_test_label, admin, config) for _ in range(3)]
    rows = services.run(printing.list_jobs, admin)
    assert [r.id for r in rows] == ids[::-1]
    assert all(r.format == "tspl" and r.size > 100 for r in rows)
    services.run(printing.cancel, admin, ids[0], "wrong label")
    assert [r.id for r in services.run(printing.list_jobs, admin, statuses=["queued"])] == [
        ids[2],
        ids[1],
    ]
    other = Actor(admin.user_id, "admin", Role.ADMIN, station_id=None)
    assert services.run(printing.list_jobs, other) == []
