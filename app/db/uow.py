"""Unit of work: one SQLAlchemy Session per user action, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm import exc as orm_exc

from app.db.engine import READ_ONLY, STALE, WROTE
from app.db.models import AuditEntry, User
from app.domain.errors import (
    AccountDisabled,
    DatabaseBusy,
    DatabaseUnavailable,
    PackdeskError,
    ValidationError,
)
from app.domain.users import Actor, Permission, Role


def _refused(exc: BaseException) -> bool:
    """``exc`` is a refusal the service raised on purpose (the app's own error, not one saying
    the database failed, and not raised while handling a database error): the transaction is
    sound and may end with COMMIT."""
    if not isinstance(exc, PackdeskError) or isinstance(exc, DatabaseBusy | DatabaseUnavailable):
        return False
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sa_exc.SQLAlchemyError):
            return False
        seen = seen.__cause__ or seen.__context__
    return True


class UnitOfWork:
    """``with uow: ...; uow.commit()`` -- see docs/architecture.md, "Units of work"."""

    session: Session

    def __init__(
        self,
        session_factory: sessionmaker[Session] | Callable[[], Session],
        where: str = "database",
    ) -> None:
        self._factory = session_factory
        self._where = where
        #: set by ``app.services.access.reads`` before the unit of work begins
        self.read_only = False
        #: transactions committed through this object: ``Services.run`` retries a busy
        #: database only while this is 0 (nothing saved yet, so running again redoes nothing)
        self.commits = 0

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        if self.read_only:
            # the engine's "begin" hook reads the option: DEFERRED on SQLite, READ ONLY on
            # PostgreSQL (app/db/engine.py)
            try:
                self.session.connection(execution_options={READ_ONLY: True})
            except sa_exc.DBAPIError as exc:
                self.session.close()
                raise self._translated(exc) or exc from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if (exc is None or _refused(exc)) and (self.read_only or self._wrote_nothing()):
                # a transaction that wrote nothing ends the same either way, but psycopg
                # forgets every statement it prepared on the server at each ROLLBACK (and
                # sends DEALLOCATE ALL): the print worker's poll between two scans, or a
                # refused scan (an order open at another station), would keep the station's
                # hot statements from staying prepared, so each one would be planned again
                # and again (docs/architecture.md, "Units of work")
                self.session.commit()
            else:
                self.session.rollback()
        except sa_exc.DBAPIError:
            pass  # the connection is gone; the error below says so
        finally:
            self.session.close()
        if exc is not None:
            translated = self._translated(exc)
            if translated is not None:
                raise translated from exc

    def _wrote_nothing(self) -> bool:
        """No change waits in the session and its PostgreSQL transaction sent nothing but
        SELECTs (the engine marks it, ``app.db.engine.WROTE``; SQLite is not marked: False)."""
        s = self.session
        if s.new or s.deleted or s.dirty:
            return False
        if s.get_transaction() is None:
            return True
        return s.connection().info.get(WROTE) is False

    def _translated(self, exc: BaseException) -> BaseException | None:
        """The operator's error for a database exception (None: let it through)."""
        if self.read_only and is_read_only_violation(exc):
            return ReadOnlyViolation(f"A service marked @reads tried to write: {_first_line(exc)}")
        if is_busy(exc) or isinstance(exc, sa_exc.TimeoutError):  # the pool's wait ran out
            return DatabaseBusy(where=self._where, reason=_first_line(exc))
        if isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.PendingRollbackError
        ) or (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated):
            gone = DatabaseUnavailable(where=self._where, reason=_first_line(exc))
            gone.stale_connection = bool(getattr(exc, STALE, False))
            return gone
        if isinstance(exc, orm_exc.StaleDataError):
            return PackdeskError(
                "Someone else changed this record at the same time. "
                "Reload it and try again; nothing was saved."
            )
        if isinstance(exc, sa_exc.IntegrityError):
            return ValidationError(
                "The database refused the change ({exc}); nothing was saved.", exc=_first_line(exc)
            )
        return None

    def commit(self) -> None:
        self.session.commit()
        self.commits += 1

    def rollback(self) -> None:
        self.session.rollback()

    def audit(
        self,
        actor: Actor,
        action: str,
        entity_type: str,
        entity_id: object = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        note: str = "",
    ) -> None:
        """Record who did what, where, with the state before and after. A NUL character (a
        garbled scan kept as what was scanned) is written as the four characters ``\\x00``:
        PostgreSQL keeps no NUL in text or JSON, and the record must not cost the action."""
        self.session.add(
            AuditEntry(
                user_id=actor.user_id,
                username=actor.username,
                station_id=actor.station_id,
                action=action,
                entity_type=entity_type,
                entity_id=_no_nul(str(entity_id)),
                before=_no_nul(before),
                after=_no_nul(after),
                note=_no_nul(note),
            )
        )

    def require(self, actor: Actor, permission: Permission | None = None) -> Actor:
        """The actor as the database knows them NOW, refused if disabled or lacking ``permission``.

        Called first inside ``with uow:`` by every service that acts for someone, so a disabled
        user or a changed role counts from the next action on, not from the next log-in: one
        small query by primary key. The role checked is the current one, and the actor returned
        carries it. System actors (no user row: start-up tasks, the print worker, the command
        line's station operator) are made by the program itself and keep their given role.
        """
        known: tuple[Session, Actor, Actor] | None = getattr(self, "_checked", None)
        if actor.user_id is None:
            current = actor
        elif known is not None and known[0] is self.session and known[1] == actor:
            current = known[2]  # already read in this unit of work (steps of a larger action)
        else:
            row = self.session.execute(
                select(User.active, User.role).where(User.id == actor.user_id)
            ).one_or_none()
            active, role = (row.active, row.role) if row is not None else (None, None)
            return self.require_read(actor, permission, active, role)
        if permission is not None:
            current.require(permission)
        return current

    def require_read(
        self, actor: Actor, permission: Permission | None, active: bool | None, role: str | None
    ) -> Actor:
        """``require`` for a service that read the actor's user row itself, in this unit of work
        and in the same statement as its work (one round trip fewer: the PostgreSQL claim,
        app/services/pick_claim_sql.py): ``active`` and ``role`` as read, None when there is no
        such row. The same refusals; the service's statement must itself do nothing for a user
        it refuses (the unit of work rolls back anyway)."""
        if not active or role is None:
            raise AccountDisabled(user=actor.username)
        current = actor if role == actor.role.value else replace(actor, role=Role(role))
        self._checked = (self.session, actor, current)
        if permission is not None:
            current.require(permission)
        return current


def _no_nul(value: Any) -> Any:
    """``value`` with every NUL in its strings (and its dicts' and lists' strings) spelt out."""
    if isinstance(value, str):
        return value.replace("\x00", "\\x00") if "\x00" in value else value
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nul(v) for v in value]
    return value


#: PostgreSQL: deadlock_detected, serialization_failure, lock_not_available
BUSY_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
#: SQLite: the busy timeout ran out waiting for another connection's lock
BUSY_SQLITE_ERRORS = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})


class ReadOnlyViolation(RuntimeError):
    """A service marked as a read wrote (a bug, not the operator's problem)."""


def is_busy(exc: BaseException) -> bool:
    """Another connection held what this one needed: worth running the whole action again."""
    if not isinstance(exc, sa_exc.DBAPIError) or exc.connection_invalidated:
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    if getattr(orig, "sqlite_errorname", None) in BUSY_SQLITE_ERRORS:
        return True
    return "database is locked" in str(orig)


def is_read_only_violation(exc: BaseException) -> bool:
    """A write in a read-only transaction (SQLITE_READONLY, PostgreSQL 25006)."""
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    orig = exc.orig
    return (
        getattr(orig, "sqlstate", None) == "25006"
        or getattr(orig, "sqlite_errorname", None) == "SQLITE_READONLY"
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or ["unknown error"])[0][:300]
