"""The offline journal: the station's own record of every pack action it ran while the shared
database was away, in the station store (its SQLite file), written in the same local
transaction as the action itself.

These tables live only in the station store (their own ``MetaData``, never on the shared
database): ``offline_journal`` (one row per action, in order), ``offline_ids`` (pack sessions
opened offline -> their id on the shared database once replayed) and ``offline_meta`` (the
station's offline state: since when, the last error, the store's schema)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import Session, sessionmaker

from app.db.models.base import UTCDateTime
from app.db.uow import UnitOfWork
from app.domain.users import Actor, Role

PENDING, APPLIED, CONFLICT = "pending", "applied", "conflict"

journal_metadata = MetaData()

journal = Table(
    "offline_journal",
    journal_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("key", String(36), nullable=False, unique=True),
    Column("action", String(40), nullable=False),
    Column("args", JSON, nullable=False),
    #: {"user_id", "username", "role", "station_id"}
    Column("actor", JSON, nullable=False),
    #: the order the action concerns (its number), for conflicts and for stopping its later ones
    Column("order_number", String(64), nullable=True),
    Column("happened_at", UTCDateTime(), nullable=False),
    #: pending | applied | conflict
    Column("status", String(10), nullable=False, default=PENDING, index=True),
    #: what the action answered on the station store: ok, kind, session id, numbers it took
    Column("result", JSON, nullable=True),
    #: what the shared database answered when replayed, or why it became a conflict
    Column("server_result", JSON, nullable=True),
    Column("error", Text, nullable=False, default=""),
    Column("applied_at", UTCDateTime(), nullable=True),
)

ids = Table(
    "offline_ids",
    journal_metadata,
    Column("local_session_id", Integer, primary_key=True),
    Column("server_session_id", Integer, nullable=True),
)

meta = Table(
    "offline_meta",
    journal_metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False, default=""),
)


def new_key() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Entry:
    """One journal row, as the replayer reads it."""

    seq: int
    key: str
    action: str
    args: list[Any]
    actor: dict[str, Any]
    order_number: str | None
    happened_at: datetime
    status: str
    result: dict[str, Any]


class KeyedUnitOfWork(UnitOfWork):
    """A unit of work whose commit also writes a row of its own, in the same transaction: the
    journal entry on the station store, the applied key on the shared database. ``on_commit``
    gets the session just before it commits; ``prepare`` the session just after it opens (a
    replay puts the numbers its labels were printed with in ``Session.info``)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        where: str,
        *,
        on_commit: Callable[[Session], object],
        prepare: Callable[[Session], None] | None = None,
    ) -> None:
        super().__init__(session_factory, where)
        self._on_commit = on_commit
        self._prepare = prepare
        #: every session this unit of work opened (a service may enter it once only; kept
        #: so the caller can read ``Session.info`` after the service returned)
        self.sessions: list[Session] = []

    def __enter__(self) -> UnitOfWork:
        entered = super().__enter__()
        self.sessions.append(self.session)
        if self._prepare is not None:
            self._prepare(self.session)
        return entered

    def commit(self) -> None:
        if self.commits == 0:  # the key goes with the first commit (a service commits once)
            self._on_commit(self.session)
        super().commit()


def actor_json(actor: Actor) -> dict[str, Any]:
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "role": actor.role.value,
        "station_id": actor.station_id,
        "station_code": actor.station_code,
    }


def actor_of(data: dict[str, Any]) -> Actor:
    return Actor(
        data["user_id"],
        data["username"],
        Role(data["role"]),
        data.get("station_id"),
        data.get("station_code", ""),
    )


def jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return jsonable(asdict(value))
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
