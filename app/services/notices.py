"""Customer notices: queued in the order's own transaction when it ships or is delivered, sent
later over SMTP by the app's background sender or ``packdesk notices send``.

- ``queue_notices`` (a step of the handover close or the tracking import) adds one ``waiting``
  notice per order whose customer has an e-mail address; an opted-out customer or channel gets
  a ``cancelled`` notice saying so (the outbox shows why nothing was sent); never two of one
  kind for one order (a unique key; a second queue does nothing).
- ``send_due`` claims the due notices (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two stations
  never send the same one; SQLite has one writer), marks them ``sending`` and commits, sends
  them over one SMTP connection with no transaction open, then writes each outcome: ``sent``
  with its Message-ID, or a retry after 1, 5, 15 and 60 minutes, ``failed`` for good after the
  fifth try or at once when the server refused the address for good.
- A notice left ``sending`` for 10 minutes (the sender crashed mid-way) is sent again, with
  the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import Notice, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import MailError, ValidationError
from app.domain.notices import (
    NoticeKind,
    NoticeStatus,
    SmtpSettings,
    Template,
    next_attempt,
    render,
)
from app.domain.users import Actor, Permission, Role
from app.services.access import step, writes
from app.services.notice_store import OrderFacts, order_facts, smtp_settings_in, templates_in
from app.services.smtp_send import Outgoing, SmtpConnection, new_message_id

S = NoticeStatus
#: a notice claimed longer ago than this and still ``sending`` was interrupted: send it again
STALE_SENDING = timedelta(minutes=10)


@dataclass(frozen=True)
class SendReport:
    """One pass of the sender: ``waiting`` counts the notices still to send afterwards
    (retries included)."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    waiting: int = 0
    #: the last failure, in plain words ("" : none)
    error: str = ""


def sender_actor(station_id: int | None) -> Actor:
    """Who the app's background sender acts as in the audit log."""
    return Actor(None, "notice-sender", Role.SHIPPER, station_id)


@step
def queue_notices(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int], kind: str) -> int:
    """Queue the ``kind`` notice of each order; returns how many will be sent. Nothing is
    queued while notices are switched off (no mail server set up)."""
    if kind not in {k.value for k in NoticeKind}:
        raise ValidationError("{kind} is not a notice kind: use shipped or delivered.", kind=kind)
    s = uow.session
    if not order_ids or not smtp_settings_in(s).enabled:
        return 0
    facts = order_facts(s, order_ids)
    done = set(
        s.scalars(
            select(Notice.order_id).where(
                Notice.order_id.in_([f.order_id for f in facts]), Notice.kind == kind
            )
        )
    )
    templates = templates_in(s)
    now = utcnow()
    rows = [_row(f, kind, templates, now) for f in facts if f.order_id not in done]
    if not rows:
        return 0
    dialect = s.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(Notice)
    # a second queue of the same order and kind at the same moment does nothing either
    s.execute(stmt.on_conflict_do_nothing(index_elements=["order_id", "kind"]), rows)
    return sum(1 for r in rows if r["status"] == S.WAITING)


def _row(
    facts: OrderFacts, kind: str, templates: dict[tuple[str, str], Template], now: datetime
) -> dict[str, Any]:
    subject, body = render(templates[(kind, facts.language)], facts.values)
    return {
        "order_id": facts.order_id,
        "kind": kind,
        "language": facts.language,
        "to_address": facts.to[:200],
        "subject": subject[:300],
        "body": body,
        "status": S.CANCELLED if facts.opted_out else S.WAITING,
        "attempts": 0,
        "next_attempt_at": None if facts.opted_out else now,
        "last_error": facts.opted_out,
        "error_template": facts.opted_out,
        "error_params": None,
        "created_at": now,
        "updated_at": now,
        "sent_at": None,
        "message_id": "",
    }


@writes(Permission.SHIP)
def send_due(
    uow: UnitOfWork, actor: Actor, *, now: datetime | None = None, limit: int = 50
) -> SendReport:
    """Send the notices that are due (at most ``limit``) and say what happened."""
    now = now or utcnow()
    with uow:
        uow.require(actor, Permission.SHIP)
        settings = smtp_settings_in(uow.session)
        claimed = _claim(uow.session, settings, now, limit) if settings.enabled else []
        if not claimed:  # nothing due: no second transaction
            uow.session.flush()
            waiting = _waiting(uow.session)
            uow.commit()
            return SendReport(waiting=waiting)
        uow.commit()
    outcomes = _send(settings, claimed)
    with uow:
        report = _record(uow, actor, outcomes, now)
        uow.commit()
        return report


def _claim(
    session: Session, settings: SmtpSettings, now: datetime, limit: int
) -> list[tuple[int, Outgoing]]:
    """Lock the due notices no other sender holds, mark them ``sending``; their messages."""
    session.execute(
        update(Notice)
        .where(Notice.status == S.SENDING, Notice.updated_at < now - STALE_SENDING)
        .values(status=S.WAITING, next_attempt_at=now)
    )
    due = session.scalars(
        select(Notice)
        .where(Notice.status == S.WAITING, Notice.next_attempt_at <= now)
        .order_by(Notice.next_attempt_at, Notice.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    out = []
    for n in due:
        n.status, n.updated_at = S.SENDING, now
        n.message_id = n.message_id or new_message_id(settings.from_address)
        out.append((n.id, Outgoing(n.to_address, n.subject, n.body, n.message_id, now)))
    return out


def _send(
    settings: SmtpSettings, claimed: list[tuple[int, Outgoing]]
) -> list[tuple[int, MailError | None]]:
    """(notice id, None when sent or why not) for every claimed notice."""
    outcomes: list[tuple[int, MailError | None]] = []
    if not claimed:
        return outcomes
    ids = [nid for nid, _ in claimed]
    try:
        with SmtpConnection(settings) as conn:
            for nid, out in claimed:
                if not conn.open:  # the server went away: the rest wait for the next pass
                    break
                try:
                    conn.send(out)
                except MailError as exc:
                    outcomes.append((nid, exc))
                    continue
                outcomes.append((nid, None))
    except MailError as exc:  # no connection, no log-in: every claimed notice waits
        outcomes.extend((nid, exc) for nid in ids[len(outcomes) :])
        return outcomes
    last = outcomes[-1][1] if outcomes else None
    outcomes.extend((nid, last) for nid in ids[len(outcomes) :])
    return outcomes


def _record(
    uow: UnitOfWork, actor: Actor, outcomes: list[tuple[int, MailError | None]], now: datetime
) -> SendReport:
    s = uow.session
    sent = failed = retrying = 0
    error = ""
    notices = {
        n.id: n for n in s.scalars(select(Notice).where(Notice.id.in_([i for i, _ in outcomes])))
    }
    for nid, exc in outcomes:
        n = notices.get(nid)
        if n is None or n.status != S.SENDING:
            continue  # cancelled while it was being sent, or gone with its order
        n.attempts += 1
        n.updated_at = utcnow()
        if exc is None:
            n.status, n.sent_at, n.next_attempt_at = S.SENT, n.updated_at, None
            n.last_error, n.error_template, n.error_params = "", "", None
            sent += 1
            continue
        error = exc.message
        n.last_error, n.error_template = exc.message, exc.template
        n.error_params = {k: v for k, v in exc.params.items() if k != "detail"}
        again = None if exc.permanent else next_attempt(n.attempts, now)
        if again is None:
            n.status, n.next_attempt_at = S.FAILED, None
            failed += 1
            uow.audit(
                actor, "notice.failed", "notice", n.id, after={"attempts": n.attempts}, note=error
            )
        else:
            n.status, n.next_attempt_at = S.WAITING, again
            retrying += 1
    s.flush()
    return SendReport(sent, failed, retrying, _waiting(s), error)


def _waiting(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(Notice.status == S.WAITING)) or 0)


__all__ = ["SendReport", "queue_notices", "send_due", "sender_actor"]
