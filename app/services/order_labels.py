"""Carrier labels made elsewhere, attached to orders and printed as they are.

Some carriers (or a platform's e-waybill service) hand out their labels as files. A file is
attached to its order by hand (``attach_label``) or a whole folder at once
(``attach_folder``): each file is named by the order number, ``SO10023.pdf`` or
``SO10023.zpl``, with ``-2``, ``-3``... for an order's further parcels (``SO10023-2.pdf``).
The pack station prints an order's attached label instead of drawing one (``app.labels.attached``
turns a PDF into the label printer's bitmap). A file attached twice is skipped, not doubled.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderLabel
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError, ValidationError
from app.domain.users import Actor, Permission
from app.labels.attached import detect_format
from app.services.access import writes

#: largest label file accepted (a carrier label is tens of kilobytes)
MAX_BYTES = 10 * 1024 * 1024
_NAME = re.compile(r"^(?P<order>.+?)(?:-(?P<seq>\d{1,2}))?$")
SUFFIXES = (".pdf", ".zpl", ".txt", ".prn")


@dataclass(frozen=True)
class AttachedLabel:
    id: int
    order_number: str
    format: str
    filename: str
    #: this order's attached labels, this one included (its parcel number)
    seq: int
    duplicate: bool = False


@dataclass(frozen=True)
class FolderReport:
    attached: tuple[AttachedLabel, ...]
    skipped: tuple[str, ...]
    #: (file name, reason)
    errors: tuple[tuple[str, str], ...] = field(default=())


def _order(session: Session, ref: str) -> Order:
    order = session.scalar(select(Order).where(Order.number == ref))
    if order is None:
        raise ValidationError(
            "There is no order {ref}. Check the file name: it must be the order number.", ref=ref
        )
    return order


def _attach(
    uow: UnitOfWork, actor: Actor, order: Order, filename: str, data: bytes, tracking: str
) -> AttachedLabel:
    if not data:
        raise ValidationError("The label file {name} is empty.", name=filename)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            "The label file {name} is larger than 10 MB: it is not a label.", name=filename
        )
    fmt = detect_format(data, filename)
    s = uow.session
    digest = hashlib.sha256(data).digest()
    existing = list(s.scalars(select(OrderLabel).where(OrderLabel.order_id == order.id)))
    for n, row in enumerate(existing, start=1):
        if hashlib.sha256(row.data).digest() == digest:
            return AttachedLabel(row.id, order.number, row.format, row.filename, n, True)
    row = OrderLabel(
        order_id=order.id,
        format=fmt,
        filename=filename[:300],
        data=data,
        tracking_number=tracking[:64],
        attached_by=actor.user_id,
    )
    s.add(row)
    s.flush()
    uow.audit(
        actor,
        "order.label_attach",
        "order",
        order.number,
        after={"file": filename, "format": fmt, "bytes": len(data), "tracking": tracking},
    )
    return AttachedLabel(row.id, order.number, fmt, row.filename, len(existing) + 1)


@writes(Permission.PRINT_LABELS)
def attach_label(
    uow: UnitOfWork, actor: Actor, order_ref: str, filename: str, data: bytes, tracking: str = ""
) -> AttachedLabel:
    """Attach one label file to the order ``order_ref`` (its number)."""
    with uow:
        uow.require(actor, Permission.PRINT_LABELS)
        result = _attach(
            uow, actor, _order(uow.session, order_ref.strip()), filename, data, tracking
        )
        uow.commit()
        return result


def order_ref_of(path: Path) -> str:
    """The order number a label file is named by (``SO10023-2.pdf`` -> ``SO10023``)."""
    m = _NAME.match(path.stem)
    return m.group("order") if m else path.stem


@writes(Permission.PRINT_LABELS)
def attach_folder(uow: UnitOfWork, actor: Actor, folder: Path) -> FolderReport:
    """Attach every label file of ``folder`` to the order it is named by. A file that cannot be
    attached (unknown order, not a label) is reported with the reason; the others are kept."""
    if not folder.is_dir():
        raise ValidationError("{folder} is not a folder.", folder=str(folder))
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    attached: list[AttachedLabel] = []
    skipped: list[str] = []
    errors: list[tuple[str, str]] = []
    with uow:
        uow.require(actor, Permission.PRINT_LABELS)
        for path in files:
            try:
                order = _order(uow.session, order_ref_of(path))
                done = _attach(uow, actor, order, path.name, path.read_bytes(), "")
            except PackdeskError as exc:
                errors.append((path.name, str(exc)))
                continue
            except OSError as exc:
                errors.append((path.name, exc.strerror or str(exc)))
                continue
            if done.duplicate:
                skipped.append(path.name)
            else:
                attached.append(done)
        uow.commit()
    return FolderReport(tuple(attached), tuple(skipped), tuple(errors))


def next_label(session: Session, order_id: int) -> OrderLabel | None:
    """The order's first attached label not yet printed for a parcel (None: draw our own)."""
    return session.scalar(
        select(OrderLabel)
        .where(OrderLabel.order_id == order_id, OrderLabel.parcel_id.is_(None))
        .order_by(OrderLabel.id)
        .limit(1)
    )
