"""The print job queue: every label is a row in ``print_jobs`` before it goes to a printer.

A job is ``queued`` when asked for, ``sending`` while a worker writes it, then ``sent``; it is
``waiting`` (with the printer's reason) while the printer says it is not ready, and ``failed``
(with the reason) when the printer cannot be reached or stops taking data. A failed job is
retried by itself a few times, then waits for the operator to resend it. A job left
``sending`` by a crash is marked failed on restart, so the operator decides whether it printed:
a label is never silently lost, nor silently printed twice. Reprints are new jobs, need the
REPRINT permission and are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, or_, select, update

from app.db.models import PrintJob, User, utcnow
from app.db.uow import UnitOfWork
from app.devices.base import DeviceStatus, LabelPrinter
from app.devices.document_printers import NamedSink, file_name
from app.devices.printers import PrinterConfig
from app.domain.errors import DeviceError, NotFound, ValidationError
from app.domain.users import Actor, Permission, Role
from app.labels import render, shipping
from app.labels.model import Label
from app.services import print_drawing
from app.services.access import reads, require_now, writes

log = logging.getLogger(__name__)

QUEUED, SENDING, WAITING, SENT, FAILED, CANCELLED = (
    "queued",
    "sending",
    "waiting",
    "sent",
    "failed",
    "cancelled",
)
#: automatic retries of a failed job, and the pause before each
RETRY_DELAYS = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2))
MAX_AUTO_ATTEMPTS = len(RETRY_DELAYS)
INTERRUPTED = (
    "Packdesk stopped while sending this label, so it may or may not have printed. "
    "Check the printer: resend the label if it did not print."
)


@dataclass(frozen=True)
class PrintJobRow:
    """One job as the job list shows it (no payload)."""

    id: int
    station_id: int | None
    printer: str
    format: str
    kind: str
    reference: str
    status: str
    error: str
    attempts: int
    reprint_of_id: int | None
    created_by: str
    created_at: datetime
    sent_at: datetime | None
    updated_at: datetime | None
    next_attempt_at: datetime | None
    size: int
    #: not drawn yet (``print_drawing``): a failed one could not be drawn, the printer is fine
    undrawn: bool = False

    @property
    def can_resend(self) -> bool:
        return self.status in (FAILED, WAITING)

    @property
    def can_reprint(self) -> bool:
        return self.status == SENT

    @property
    def can_cancel(self) -> bool:
        return self.status in (QUEUED, WAITING, FAILED)


@dataclass(frozen=True)
class ProcessResult:
    """What one step of the print worker did."""

    sent: tuple[int, ...] = ()
    waiting: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()
    #: what the printer said (None: no job was due, the printer was not asked)
    printer_status: DeviceStatus | None = None
    pending: int = 0

    @property
    def changed(self) -> list[int]:
        return [*self.sent, *self.waiting, *self.failed]


@dataclass(frozen=True)
class JobPayload:
    id: int
    format: str
    kind: str
    reference: str
    payload: bytes = field(repr=False)


def worker_actor(station_id: int | None) -> Actor:
    """Who the print worker acts as in the audit log."""
    return Actor(None, "print-worker", Role.ADMIN, station_id)


# --- asking for prints ----------------------------------------------------------------------


@writes(Permission.PRINT_LABELS)
def enqueue(
    uow: UnitOfWork,
    actor: Actor,
    *,
    fmt: str,
    kind: str,
    reference: str,
    payload: bytes,
    printer: str = "label",
) -> int:
    """Put rendered bytes in the queue for this station's ``printer``; returns the job id."""
    if fmt not in render.LANGUAGES:
        raise ValidationError("Unknown print format {fmt!r}.", fmt=fmt)
    if not payload:
        raise ValidationError("Nothing to print: the label is empty.")
    with uow:
        uow.require(actor, Permission.PRINT_LABELS)
        job = PrintJob(
            station_id=actor.station_id,
            printer=printer,
            format=fmt,
            kind=kind,
            reference=reference[:64],
            payload=payload,
            status=QUEUED,
            error="",
            attempts=0,
            created_by=actor.user_id,
            updated_at=utcnow(),
        )
        uow.session.add(job)
        uow.session.flush()
        uow.audit(
            actor,
            "print_job.enqueue",
            "print_job",
            job.id,
            after={"kind": kind, "reference": reference, "format": fmt, "printer": printer},
        )
        uow.commit()
        return job.id


@writes(Permission.PRINT_LABELS)
def print_label(
    uow: UnitOfWork,
    actor: Actor,
    config: PrinterConfig,
    label: Label,
    *,
    kind: str,
    reference: str,
    copies: int = 1,
    printer: str = "label",
) -> int:
    """Render ``label`` in the printer's language and queue it (over a serial line, in the
    language's smallest form: a label takes seconds there at 9600 baud)."""
    payload = render.render(label, config.language, copies, compact=config.transport == "serial")
    return enqueue(
        uow,
        actor,
        fmt=config.language,
        kind=kind,
        reference=reference,
        payload=payload,
        printer=printer,
    )


@writes(Permission.MANAGE_DEVICES)
def print_test_label(uow: UnitOfWork, actor: Actor, config: PrinterConfig) -> int:
    """Queue a test label for the station's label printer (device screen button)."""
    actor = require_now(uow, actor, Permission.MANAGE_DEVICES)
    label = shipping.test_label(
        config.label_size, config.dpi, printer=config.description, language=config.language
    )
    return print_label(uow, actor, config, label, kind="test", reference="test label")


# --- the operator's view and actions --------------------------------------------------------


@reads
def list_jobs(
    uow: UnitOfWork,
    actor: Actor,
    *,
    station_id: int | None = None,
    statuses: Iterable[str] | None = None,
    limit: int = 100,
) -> list[PrintJobRow]:
    """The newest jobs first, of ``station_id`` (default: the actor's station)."""
    station = actor.station_id if station_id is None else station_id
    stmt = (
        select(PrintJob, User.username)
        .outerjoin(User, User.id == PrintJob.created_by)
        .where(_station(station))
        .order_by(PrintJob.id.desc())
        .limit(limit)
    )
    if statuses is not None:
        stmt = stmt.where(PrintJob.status.in_(list(statuses)))
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        return [_row(job, username) for job, username in uow.session.execute(stmt)]


@reads
def job_payload(uow: UnitOfWork, actor: Actor, job_id: int) -> JobPayload:
    """The bytes of a job, to show it as a picture (emulator panel, job list)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        job = _get(uow, job_id)
        payload = job.payload
        if job.draw is not None and not payload:  # not drawn by the worker yet
            payload = print_drawing.draw(uow.session, job.draw, job.format, job.reference)
        return JobPayload(job.id, job.format, job.kind, job.reference, payload)


@writes(Permission.PRINT_LABELS)
def resend(uow: UnitOfWork, actor: Actor, job_id: int) -> None:
    """Send a failed or waiting job again now (the operator fixed the printer)."""
    with uow:
        uow.require(actor, Permission.PRINT_LABELS)
        job = _get(uow, job_id)
        if job.status not in (FAILED, WAITING):
            raise ValidationError(
                "Print job {job_id} is {job_status}; only a failed or waiting job can be "
                "resent. To print a sent label again, use Reprint.",
                job_id=job_id,
                job_status=job.status,
            )
        before = {"status": job.status, "error": job.error}
        job.status, job.error, job.next_attempt_at, job.updated_at = QUEUED, "", None, utcnow()
        uow.audit(
            actor, "print_job.resend", "print_job", job.id, before=before, after={"status": QUEUED}
        )
        uow.commit()


@writes(Permission.REPRINT)
def reprint(uow: UnitOfWork, actor: Actor, job_id: int, reason: str = "") -> int:
    """Print a sent label again as a new job; needs the REPRINT permission and is audited."""
    with uow:
        uow.require(actor, Permission.REPRINT)
        original = _get(uow, job_id)
        if original.status != SENT:
            raise ValidationError(
                "Print job {job_id} is {job_status}, not printed yet: resend it instead of "
                "reprinting.",
                job_id=job_id,
                job_status=original.status,
            )
        job = PrintJob(
            station_id=actor.station_id if actor.station_id is not None else original.station_id,
            printer=original.printer,
            format=original.format,
            kind=original.kind,
            reference=original.reference,
            payload=original.payload,
            draw=original.draw,
            status=QUEUED,
            error="",
            attempts=0,
            reprint_of_id=original.id,
            created_by=actor.user_id,
            updated_at=utcnow(),
        )
        uow.session.add(job)
        uow.session.flush()
        uow.audit(
            actor,
            "print_job.reprint",
            "print_job",
            job.id,
            after={"reprint_of": original.id, "reference": original.reference},
            note=reason,
        )
        uow.commit()
        return job.id


@writes(Permission.PRINT_LABELS)
def cancel(uow: UnitOfWork, actor: Actor, job_id: int, reason: str = "") -> None:
    """Drop a job that has not printed (it is kept in the list, cancelled, and audited)."""
    with uow:
        uow.require(actor, Permission.PRINT_LABELS)
        job = _get(uow, job_id)
        if job.status not in (QUEUED, WAITING, FAILED):
            raise ValidationError(
                "Print job {job_id} is {job_status} and cannot be cancelled.",
                job_id=job_id,
                job_status=job.status,
            )
        before = {"status": job.status}
        job.status, job.next_attempt_at, job.updated_at = CANCELLED, None, utcnow()
        uow.audit(
            actor,
            "print_job.cancel",
            "print_job",
            job.id,
            before=before,
            after={"status": CANCELLED},
            note=reason,
        )
        uow.commit()


# --- the worker's side ----------------------------------------------------------------------


def recover_interrupted(
    uow_factory: Callable[[], UnitOfWork], station_id: int | None, printer: str = "label"
) -> list[int]:
    """On start: jobs a crash left ``sending`` become failed with a reason to check."""
    uow = uow_factory()
    with uow:
        jobs = uow.session.scalars(
            select(PrintJob).where(
                _station(station_id), PrintJob.printer == printer, PrintJob.status == SENDING
            )
        ).all()
        for job in jobs:
            job.status, job.error, job.next_attempt_at = FAILED, INTERRUPTED, None
            job.updated_at = utcnow()
            uow.audit(
                worker_actor(station_id),
                "print_job.interrupted",
                "print_job",
                job.id,
                before={"status": SENDING},
                after={"status": FAILED},
            )
        uow.commit()
        return [job.id for job in jobs]


def process_pending(
    uow_factory: Callable[[], UnitOfWork],
    printer: LabelPrinter,
    *,
    station_id: int | None,
    printer_role: str = "label",
    now: datetime | None = None,
    status_timeout: float = 2.0,
    send_timeout: float = 10.0,
    max_jobs: int = 20,
) -> ProcessResult:
    """One step of the print worker: ask the printer, then send the due jobs in order."""
    now = now or utcnow()
    uow = uow_factory()
    with uow:
        due = list(uow.session.scalars(_due(station_id, printer_role, now).limit(max_jobs)))
    if not due:
        return ProcessResult()
    try:
        status = printer.status(status_timeout)
    except DeviceError as exc:
        _fail(uow_factory, due[0], exc.message, station_id, now)
        return ProcessResult(
            failed=(due[0],), printer_status=DeviceStatus(False, exc.message), pending=len(due)
        )
    if not status.ok:
        waiting = _wait(uow_factory, due, status.text, now)
        return ProcessResult(waiting=tuple(waiting), printer_status=status, pending=len(due))
    sent: list[int] = []
    failed: list[int] = []
    for job_id in due:
        try:
            job = _claim(uow_factory, job_id, now)
        except print_drawing.NotDrawable as exc:
            # this job only: the printer is fine; drawing it again by itself would fail the
            # same way, so it waits for the operator
            _fail(uow_factory, job_id, exc.message, station_id, utcnow(), retry=False)
            failed.append(job_id)
            continue
        if job is None:
            continue  # another worker took it, or the operator cancelled it
        try:
            if isinstance(printer, NamedSink):  # the document folder files each job by name
                name = file_name(job.kind, job.reference, job.id)
                printer.send_named(name, job.payload, send_timeout)
            else:
                printer.send(job.payload, send_timeout)
        except DeviceError as exc:
            _fail(uow_factory, job_id, exc.message, station_id, utcnow())
            return ProcessResult(
                sent=tuple(sent),
                failed=(*failed, job_id),
                printer_status=DeviceStatus(False, exc.message),
                pending=len(due) - len(sent) - len(failed),
            )
        _mark_sent(uow_factory, job_id)
        sent.append(job_id)
    return ProcessResult(sent=tuple(sent), failed=tuple(failed), printer_status=status)


def _due(station_id: int | None, printer_role: str, now: datetime) -> Select[tuple[int]]:
    return (
        select(PrintJob.id)
        .where(
            _station(station_id),
            PrintJob.printer == printer_role,
            or_(
                PrintJob.status.in_((QUEUED, WAITING)),
                and_(PrintJob.status == FAILED, PrintJob.next_attempt_at <= now),
            ),
        )
        .order_by(PrintJob.id)
    )


def _claim(uow_factory: Callable[[], UnitOfWork], job_id: int, now: datetime) -> JobPayload | None:
    uow = uow_factory()
    with uow:
        claimed = uow.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.status.in_((QUEUED, WAITING, FAILED)))
            .values(status=SENDING, updated_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        job = _get(uow, job_id)
        if job.draw is not None and not job.payload:
            try:
                job.payload = print_drawing.draw(uow.session, job.draw, job.format, job.reference)
            except print_drawing.NotDrawable:
                uow.commit()  # claimed: ``process_pending`` fails it with the reason
                raise
            except Exception as exc:  # a layout error: the job fails with it, nothing is lost
                log.exception("print job %s could not be drawn", job_id)
                uow.commit()
                raise print_drawing.NotDrawable(
                    kind=print_drawing.document_word(job.kind),
                    reference=job.reference,
                    reason=f"{type(exc).__name__}: {exc}",
                ) from exc
            job.draw = None
        claimed_job = JobPayload(job.id, job.format, job.kind, job.reference, job.payload)
        uow.commit()
        return claimed_job


def _mark_sent(uow_factory: Callable[[], UnitOfWork], job_id: int) -> None:
    uow = uow_factory()
    with uow:
        job = _get(uow, job_id)
        at = utcnow()
        job.status, job.error, job.sent_at, job.updated_at = SENT, "", at, at
        job.attempts += 1
        job.next_attempt_at = None
        uow.commit()


def _fail(
    uow_factory: Callable[[], UnitOfWork],
    job_id: int,
    reason: str,
    station_id: int | None,
    now: datetime,
    *,
    retry: bool = True,
) -> None:
    uow = uow_factory()
    with uow:
        job = _get(uow, job_id)
        before = {"status": job.status}
        job.attempts += 1
        job.status, job.error, job.updated_at = FAILED, reason, now
        auto = retry and job.attempts <= MAX_AUTO_ATTEMPTS
        job.next_attempt_at = now + RETRY_DELAYS[job.attempts - 1] if auto else None
        uow.audit(
            worker_actor(station_id),
            "print_job.failed",
            "print_job",
            job.id,
            before=before,
            after={"status": FAILED, "attempts": job.attempts},
            note=reason,
        )
        uow.commit()


def _wait(
    uow_factory: Callable[[], UnitOfWork], job_ids: list[int], reason: str, now: datetime
) -> list[int]:
    uow = uow_factory()
    with uow:
        jobs = uow.session.scalars(select(PrintJob).where(PrintJob.id.in_(job_ids))).all()
        changed = []
        for job in jobs:
            if job.status != WAITING or job.error != reason:
                changed.append(job.id)
                job.status, job.error, job.updated_at = WAITING, reason, now
        uow.commit()
        return sorted(changed)


def _get(uow: UnitOfWork, job_id: int) -> PrintJob:
    job = uow.session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(what="Print job", key=job_id)
    return job


def _station(station_id: int | None) -> ColumnElement[bool]:
    if station_id is None:
        return PrintJob.station_id.is_(None)
    return PrintJob.station_id == station_id


def _row(job: PrintJob, username: str | None) -> PrintJobRow:
    return PrintJobRow(
        id=job.id,
        station_id=job.station_id,
        printer=job.printer,
        format=job.format,
        kind=job.kind,
        reference=job.reference,
        status=job.status,
        error=job.error,
        attempts=job.attempts,
        reprint_of_id=job.reprint_of_id,
        created_by=username or "",
        created_at=job.created_at,
        sent_at=job.sent_at,
        updated_at=job.updated_at,
        next_attempt_at=job.next_attempt_at,
        size=len(job.payload),
        undrawn=job.draw is not None and not job.payload,
    )
