"""Slips to the station's document printer, through the print queue.

A packing or pickup slip is a print job like a label (``print_jobs`` row, ``printer`` =
"document", ``format`` = "pdf"), so a missing printer or a full folder makes it wait or fail
with the reason, and it is never lost: the operator resends it. The document printer has its
own worker (``ui.printing``), so the label printer's queue never waits for it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.db.models import AuditEntry, PrintJob, Station, utcnow
from app.db.uow import UnitOfWork
from app.devices.station_config import DocumentSettings, StationDevicesConfig
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, step
from app.services.printing import QUEUED

DOCUMENT = "document"
#: the kinds of documents the document printer prints
KINDS = ("packing_slip", "pickup_slip", "carrier_label")


@step
def enqueue_document(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    reference: str,
    pdf_bytes: bytes,
    station_id: int | None,
) -> int | None:
    """Queue a slip (PDF) for ``station_id``'s document printer, inside the caller's unit of
    work (the pack core's; it commits). Returns the job id; None when the station has its
    document printer set to off (no slip is wanted there)."""
    return add_document_job(uow.session, actor, kind, reference, pdf_bytes, station_id)


def add_document_job(
    session: Session,
    actor: Actor,
    kind: str,
    reference: str,
    pdf_bytes: bytes,
    station_id: int | None,
    *,
    draw: dict[str, Any] | None = None,
) -> int | None:
    """``enqueue_document`` for a caller that holds a bare session (no commit here either).
    With ``draw`` (``print_drawing.slip_spec``) the PDF is drawn by the document printer's
    worker and ``pdf_bytes`` is empty."""
    if draw is None and not pdf_bytes.startswith(b"%PDF"):
        raise ValidationError("The {kind} to print is not a PDF.", kind=kind)
    if not _settings(session, station_id).enabled:
        return None
    job = PrintJob(
        station_id=station_id,
        printer=DOCUMENT,
        format="pdf",
        kind=kind,
        reference=reference[:64],
        payload=pdf_bytes,
        draw=draw,
        status=QUEUED,
        error="",
        attempts=0,
        created_by=actor.user_id,
        updated_at=utcnow(),
    )
    session.add(job)
    session.flush()
    session.add(
        AuditEntry(
            user_id=actor.user_id,
            username=actor.username,
            station_id=actor.station_id,
            action="print_job.enqueue",
            entity_type="print_job",
            entity_id=str(job.id),
            after={"kind": kind, "reference": reference, "format": "pdf", "printer": DOCUMENT},
            note="",
        )
    )
    return job.id


@reads
def document_settings(uow: UnitOfWork, actor: Actor, station_id: int | None) -> DocumentSettings:
    """The station's document printer (the pack core renders slips on its paper size)."""
    with uow:
        uow.require(actor, Permission.PACK)
        return _settings(uow.session, station_id)


def _settings(session: Session, station_id: int | None) -> DocumentSettings:
    if station_id is None:
        return DocumentSettings()
    station = session.get(Station, station_id)
    if station is None:
        return DocumentSettings()
    return StationDevicesConfig.from_json(station.devices or {}).documents
