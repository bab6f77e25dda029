"""Failed log-ins per user name or badge (``login_throttle``): building blocks of the log-in
services in ``app.services.auth``, on their unit of work's session.

A subject is ``user:<name>`` or ``badge:<code>``, case-folded, whether or not such a user
exists (so the waiting does not tell which names are real). After
``FREE_LOGIN_FAILURES`` failures in a row each further try waits longer (``lockout_wait``);
every lockout is audited; a successful log-in clears the subject.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, LoginThrottle
from app.domain.errors import LoginLocked
from app.domain.users import FREE_LOGIN_FAILURES, lockout_wait, wait_text


def subject_of(kind: str, key: str) -> str:
    return f"{kind}:{key.strip().casefold()}"[:200]


def refuse_if_locked(session: Session, subject: str, now: datetime) -> None:
    """Raise ``LoginLocked`` while the subject must wait (before any password is checked)."""
    until = session.scalar(
        select(LoginThrottle.locked_until).where(LoginThrottle.subject == subject)
    )
    if until is not None and now < until:
        raise locked(until - now)


def locked(wait: timedelta) -> LoginLocked:
    return LoginLocked(wait=wait_text(wait), seconds=math.ceil(wait.total_seconds()))


def record_failure(
    session: Session,
    subject: str,
    now: datetime,
    *,
    user_id: int | None,
    username: str,
    station_id: int | None,
) -> timedelta | None:
    """Count a failed try; from the fifth in a row on, close log-in for a while (returned) and
    audit it."""
    dialect_insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    session.execute(
        dialect_insert(LoginThrottle)
        .values(subject=subject, failures=0)
        .on_conflict_do_nothing(index_elements=["subject"])
    )
    row = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.subject == subject)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    row.failures += 1
    row.last_failure_at = now
    if row.failures < FREE_LOGIN_FAILURES:
        return None
    wait = lockout_wait(row.failures)
    row.locked_until = now + wait
    session.add(
        AuditEntry(
            user_id=user_id,
            username=username[:64],
            station_id=station_id,
            action="user.lockout",
            entity_type="login",
            entity_id=subject[:64],
            after={
                "failures": row.failures,
                "locked_until": row.locked_until.isoformat(),
                "wait_seconds": int(wait.total_seconds()),
            },
        )
    )
    return wait


def clear(session: Session, subject: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.subject == subject))
