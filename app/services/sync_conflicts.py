"""Conflicts of offline stations: journal entries the server refused when it replayed them.

A station packs on through a database outage and journals each action; when the database is
back the replayer (``app/offline/``) applies the entries in order. An entry the server can no
longer apply (an order cancelled at the office while it was packed offline...) is recorded here
with ``record_conflict``, inside the replayer's unit of work, and never overwritten silently. A
supervisor lists the conflicts (``list_conflicts``) and resolves each with a note
(``resolve_conflict``, audited).

Listing and resolving need ``Permission.RESOLVE_SYNC`` (supervisors and administrators).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db.models import Station, User, utcnow
from app.db.models.sync import SYNC_KEY_MAX, SyncConflict
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, PackdeskError, ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, step, writes

#: the most conflicts one list returns (newest kept when there are more)
LIST_LIMIT = 2000


class ConflictAlreadyResolved(PackdeskError):
    template = (
        "This conflict of station {station} was resolved already by {user} at {time}. "
        "Refresh the list."
    )


@dataclass(frozen=True)
class ConflictView:
    id: int
    station_id: int
    #: the station's code ("PACK-03"), "" when the station is not known here
    station_code: str
    key: str
    action: str
    order_number: str | None
    #: the English template, to translate before filling with ``values``
    message: str
    values: Mapping[str, object]
    payload: Mapping[str, object]
    happened_at: datetime
    created_at: datetime
    resolved_at: datetime | None = None
    #: the supervisor's user name ("" while open)
    resolved_by: str = ""
    resolution_note: str = ""

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    @property
    def text(self) -> str:
        """The message in English, filled (logs, the command line)."""
        return fill(self.message, self.values)


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with its {placeholders} filled from ``values`` (a value that is itself a
    ``{"template", "values"}`` message filled likewise); the template itself when a value is
    missing (as ``PackdeskError.message``)."""
    filled = {k: _nested(v) for k, v in values.items()}
    try:
        return template.format(**filled)
    except (KeyError, IndexError, ValueError):
        return template


def _nested(value: object) -> object:
    if isinstance(value, Mapping) and isinstance(value.get("template"), str):
        inner = value.get("values")
        return fill(value["template"], inner if isinstance(inner, Mapping) else {})
    return value


def error_values(exc: PackdeskError) -> dict[str, object]:
    """A refusal as a conflict's value: ``{"template", "values"}``, so the screen translates
    the server's reason too (``values={"reason": error_values(exc)}``) instead of showing its
    English text."""
    params = {k: v for k, v in exc.params.items() if k != "detail" or exc.template == "{detail}"}
    return {"template": exc.template, "values": _jsonable(params)}


def _jsonable(value: object) -> Any:
    """A value as JSON keeps it: times as ISO text, decimals and enums as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


@step
def record_conflict(
    uow: UnitOfWork,
    *,
    station_id: int,
    key: str,
    action: str,
    order_number: str | None,
    message: str,
    values: dict[str, object],
    happened_at: datetime,
    payload: dict[str, object],
) -> int:
    """Record that the journal entry ``key`` of ``station_id`` was refused; its id. Runs in the
    replayer's unit of work (which commits). The same key recorded again (a replay retried)
    returns the first conflict's id and changes nothing. A naive ``happened_at`` is taken as
    UTC."""
    if not key or len(key) > SYNC_KEY_MAX:
        raise ValidationError(
            "A journal entry's key has 1 to {n} characters; got {length}.",
            n=SYNC_KEY_MAX,
            length=len(key),
        )
    if happened_at.tzinfo is None:  # a journal kept in SQLite gives its UTC times back naive
        happened_at = happened_at.replace(tzinfo=UTC)
    s = uow.session
    known = s.scalar(select(SyncConflict.id).where(SyncConflict.key == key))
    if known is not None:
        return known
    row = SyncConflict(
        station_id=station_id,
        key=key,
        action=action[:64],
        order_number=order_number[:64] if order_number else None,
        message=message,
        values=_jsonable(values),
        payload=_jsonable(payload),
        happened_at=happened_at,
        resolution_note="",
    )
    try:
        with s.begin_nested():  # another replayer recorded the same key meanwhile
            s.add(row)
            s.flush()
    except IntegrityError:
        return s.scalars(select(SyncConflict.id).where(SyncConflict.key == key)).one()
    return row.id


@reads
def list_conflicts(
    uow: UnitOfWork, actor: Actor, *, open_only: bool = True
) -> tuple[ConflictView, ...]:
    """The conflicts, oldest action first (open ones only, or all with ``open_only=False``)."""
    with uow:
        uow.require(actor, Permission.RESOLVE_SYNC)
        q = (
            select(SyncConflict, Station.code, User.username)
            .outerjoin(Station, Station.id == SyncConflict.station_id)
            .outerjoin(User, User.id == SyncConflict.resolved_by)
            .order_by(SyncConflict.happened_at.desc(), SyncConflict.id.desc())
            .limit(LIST_LIMIT)
        )
        if open_only:
            q = q.where(SyncConflict.resolved_at.is_(None))
        rows = uow.session.execute(q).all()
        return tuple(_view(c, code, who) for c, code, who in reversed(rows))


@reads
def count_open_conflicts(uow: UnitOfWork, actor: Actor) -> int:
    """How many conflicts wait for a supervisor (the status bar, on each ping)."""
    with uow:
        uow.require(actor, Permission.RESOLVE_SYNC)
        q = select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        return uow.session.scalar(q) or 0


def _view(c: SyncConflict, station_code: str | None, resolved_by: str | None) -> ConflictView:
    return ConflictView(
        id=c.id,
        station_id=c.station_id,
        station_code=station_code or "",
        key=c.key,
        action=c.action,
        order_number=c.order_number,
        message=c.message,
        values=dict(c.values or {}),
        payload=dict(c.payload or {}),
        happened_at=c.happened_at,
        created_at=c.created_at,
        resolved_at=c.resolved_at,
        resolved_by=resolved_by or "",
        resolution_note=c.resolution_note,
    )


@writes(Permission.RESOLVE_SYNC)
def resolve_conflict(uow: UnitOfWork, actor: Actor, conflict_id: int, note: str) -> ConflictView:
    """Close a conflict with the supervisor's note (what was done about it: the parcel
    unpacked and the stock put back, the customer told...); audited."""
    with uow:
        uow.require(actor, Permission.RESOLVE_SYNC)
        s = uow.session
        note = note.strip()
        if not note:
            raise ValidationError("Write what was done about it before resolving it.")
        c = s.get(SyncConflict, conflict_id, with_for_update=True)
        if c is None:
            raise NotFound(what="Conflict", key=str(conflict_id))
        station = s.scalar(select(Station.code).where(Station.id == c.station_id))
        if c.resolved_at is not None:
            who = s.scalar(select(User.username).where(User.id == c.resolved_by))
            when = c.resolved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            raise ConflictAlreadyResolved(
                station=station or str(c.station_id), user=who or "system", time=when
            )
        c.resolved_at, c.resolved_by, c.resolution_note = utcnow(), actor.user_id, note[:2000]
        uow.audit(
            actor,
            "sync.resolve",
            "sync_conflict",
            c.id,
            before={"resolved": False, "action": c.action, "order": c.order_number},
            after={"resolved": True},
            note=note,
        )
        s.flush()
        view = _view(c, station, actor.username)
        uow.commit()
        return view
