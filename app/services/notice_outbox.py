"""The outbox of customer notices: the list with each one's status and reason, a notice's
message as it is sent, retrying a failed one and cancelling a waiting one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.db.models import Notice, Order, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.notices import NoticeStatus
from app.domain.users import Actor, Permission
from app.services.access import reads, writes

S = NoticeStatus


@dataclass(frozen=True)
class NoticeRow:
    id: int
    order_number: str
    kind: str
    language: str
    to: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    reason: str
    reason_template: str
    reason_params: dict[str, Any]
    message_id: str


@dataclass(frozen=True)
class NoticeMessage:
    row: NoticeRow
    body: str


@reads
def list_notices(
    uow: UnitOfWork, actor: Actor, status: str = "", *, limit: int = 500
) -> tuple[NoticeRow, ...]:
    """The newest notices first; ``status`` "" for all (``waiting`` includes ``sending``)."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        q = select(Notice, Order.number).join(Order, Order.id == Notice.order_id)
        if status == S.WAITING:
            q = q.where(Notice.status.in_((S.WAITING, S.SENDING)))
        elif status:
            q = q.where(Notice.status == status)
        rows = uow.session.execute(q.order_by(Notice.id.desc()).limit(limit)).tuples()
        return tuple(_row(n, number) for n, number in rows)


@reads
def notice_counts(uow: UnitOfWork, actor: Actor) -> dict[str, int]:
    """How many notices are in each status."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        got = uow.session.execute(select(Notice.status, func.count()).group_by(Notice.status))
        counts = {s.value: 0 for s in S}
        counts.update({status: int(n) for status, n in got.tuples()})
        return counts


@reads
def notice_message(uow: UnitOfWork, actor: Actor, notice_id: int) -> NoticeMessage:
    """One notice as the customer gets it (preview)."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        n = _get(uow, notice_id)
        number = uow.session.scalar(select(Order.number).where(Order.id == n.order_id)) or ""
        return NoticeMessage(_row(n, number), n.body)


@writes(Permission.MANAGE_NOTICES)
def retry_notice(uow: UnitOfWork, actor: Actor, notice_id: int) -> NoticeRow:
    """Send a failed (or cancelled) notice again at the next pass, with a fresh set of tries."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        n = _get(uow, notice_id)
        if n.status not in (S.FAILED, S.CANCELLED):
            raise ValidationError(
                "Only a failed or cancelled notice can be sent again; this one is {status}.",
                status=n.status,
            )
        before = {"status": n.status, "attempts": n.attempts}
        n.status, n.attempts, n.next_attempt_at, n.updated_at = S.WAITING, 0, utcnow(), utcnow()
        uow.audit(actor, "notice.retry", "notice", n.id, before=before, after={"status": S.WAITING})
        number = uow.session.scalar(select(Order.number).where(Order.id == n.order_id)) or ""
        row = _row(n, number)
        uow.commit()
        return row


@writes(Permission.MANAGE_NOTICES)
def cancel_notice(uow: UnitOfWork, actor: Actor, notice_id: int) -> NoticeRow:
    """Keep a waiting notice from being sent."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        n = _get(uow, notice_id)
        if n.status != S.WAITING:
            raise ValidationError(
                "Only a waiting notice can be cancelled; this one is {status}.", status=n.status
            )
        reason = "cancelled by {user}"
        n.status, n.next_attempt_at, n.updated_at = S.CANCELLED, None, utcnow()
        n.last_error = reason.format(user=actor.username)
        n.error_template, n.error_params = reason, {"user": actor.username}
        uow.audit(
            actor,
            "notice.cancel",
            "notice",
            n.id,
            before={"status": S.WAITING},
            after={"status": S.CANCELLED},
        )
        number = uow.session.scalar(select(Order.number).where(Order.id == n.order_id)) or ""
        row = _row(n, number)
        uow.commit()
        return row


def _get(uow: UnitOfWork, notice_id: int) -> Notice:
    n = uow.session.get(Notice, notice_id)
    if n is None:
        raise NotFound(what="Notice", key=notice_id)
    return n


def _row(n: Notice, number: str) -> NoticeRow:
    return NoticeRow(
        id=n.id,
        order_number=number,
        kind=n.kind,
        language=n.language,
        to=n.to_address,
        subject=n.subject,
        status=n.status,
        attempts=n.attempts,
        next_attempt_at=n.next_attempt_at,
        sent_at=n.sent_at,
        created_at=n.created_at,
        reason=n.last_error,
        reason_template=n.error_template,
        reason_params=dict(n.error_params or {}),
        message_id=n.message_id,
    )
