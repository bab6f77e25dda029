"""Labels and slips drawn by the print worker, after the packing commit.

The scan or weight that finishes an order commits its rows (the parcel's number, the order
packed, the stock moved) and queues its label and slip as print jobs that say *what* to draw
(``print_jobs.draw``: the parcel or the pack session, and the printer's size and resolution),
with no bytes yet. Drawing them (the label's glyphs and barcodes, the slip's PDF) is most of the
finishing scan's own time, and it needs nothing but committed rows, so it is not done while the
order's, the parcel's and the number pool's rows are locked: the print worker draws a job when
it takes it (``printing._claim``), from the committed rows, keeps the bytes in the job (a
resend, a reprint and the job list use them) and drops the spec. The packer's screen answers
"packed" at the commit; the label follows a few milliseconds later, as it always did, from the
worker.

A job that cannot be drawn (its parcel voided before the worker took it, a layout error) fails
like a printer error, with the reason; nothing else of the order is undone, and the operator
reprints from the parcel once the cause is fixed.

Specs hold ids and printer settings only, never an address: the rows stay the one copy of a
customer's data (``docs/privacy.md``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Parcel
from app.devices.station_config import PrinterSettings
from app.domain.errors import PackdeskError
from app.labels import render
from app.labels.packing_slip import packing_slip_pdf, pickup_slip_pdf
from app.labels.shipping import shipping_label

LABEL = "shipping_label"
PACKING_SLIP = "packing_slip"
PICKUP_SLIP = "pickup_slip"


class NotDrawable(PackdeskError):
    template = (
        "The {kind} for {reference} could not be drawn: {reason}. Nothing was printed; reprint "
        "it from the parcel once this is fixed."
    )


class VoidedBeforePrinting(NotDrawable):
    template = (
        "The parcel was voided before its label printed: its number is void and must not go "
        "on a parcel."
    )


def label_spec(
    parcel_id: int, total: int, hub: str, ship_date: date, printer: PrinterSettings
) -> dict[str, Any]:
    """What the worker needs to draw a parcel's label as the packing scan saw it: the parcel,
    the "n of m" total and hub known then, the day, and the label printer's size, resolution
    and transport (the job's ``format`` is its language)."""
    return {
        "doc": LABEL,
        "parcel": parcel_id,
        "total": total,
        "hub": hub,
        "date": ship_date.isoformat(),
        "size": printer.label_size,
        "dpi": printer.dpi,
        "compact": printer.transport == "serial",
    }


def slip_spec(kind: str, session_id: int, paper: str) -> dict[str, Any]:
    """A packing or pickup slip of a finished pack session, on ``paper``."""
    return {"doc": kind, "session": session_id, "paper": paper}


def draw(s: Session, spec: dict[str, Any], fmt: str, reference: str) -> bytes:
    """The job's bytes, drawn from the committed rows (``NotDrawable`` when it cannot be)."""
    doc = str(spec.get("doc", ""))
    try:
        if doc == LABEL:
            return _label(s, spec, fmt, reference)
        if doc in (PACKING_SLIP, PICKUP_SLIP):
            return _slip(s, spec, doc)
    except NotDrawable:
        raise
    except PackdeskError as exc:
        raise NotDrawable(kind=document_word(doc), reference=reference, reason=exc.message) from exc
    raise NotDrawable(
        kind=document_word(doc), reference=reference, reason=f"unknown document {doc!r}"
    )


def document_word(doc: str) -> str:
    """What a message calls the document: label, packing slip, pickup slip."""
    return {LABEL: "label", PACKING_SLIP: "packing slip", PICKUP_SLIP: "pickup slip"}.get(
        doc, "document"
    )


def _label(s: Session, spec: dict[str, Any], fmt: str, reference: str) -> bytes:
    from app.services import pack_finish, pack_state  # they queue these jobs

    parcel = s.get(Parcel, int(spec["parcel"]))
    if parcel is None or parcel.session_id is None:
        raise NotDrawable(kind="label", reference=reference, reason="the parcel is gone")
    if parcel.status == "voided":
        raise VoidedBeforePrinting()
    st = pack_state.load(s, parcel.session_id)
    data = pack_finish.label_data(
        s, st, parcel, int(spec["total"]), str(spec["hub"]), date.fromisoformat(spec["date"])
    )
    label = shipping_label(data, str(spec["size"]), int(spec["dpi"]))
    return render.render(label, fmt, compact=bool(spec["compact"]))


def _slip(s: Session, spec: dict[str, Any], kind: str) -> bytes:
    from app.services import pack_finish, pack_state  # they queue these jobs

    st = pack_state.load(s, int(spec["session"]))
    data = pack_finish.slip_data(s, st)
    paper = str(spec["paper"])
    return pickup_slip_pdf(data, paper) if kind == PICKUP_SLIP else packing_slip_pdf(data, paper)
