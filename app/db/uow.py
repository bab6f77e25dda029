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

from app.db.models import AuditEntry, User
from app.domain.errors import (
    AccountDisabled,
    DatabaseUnavailable,
    PackdeskError,
    ValidationError,
)
from app.domain.users import Actor, Permission, Role


class UnitOfWork:
    """``with uow: ...; uow.commit()`` -- see STYLE.md section 3."""

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

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        except sa_exc.DBAPIError:
            pass  # the connection is gone; the error below says so
        finally:
            self.session.close()
        if isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.PendingRollbackError
        ) or (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated):
            raise DatabaseUnavailable(where=self._where, reason=_first_line(exc)) from exc
        if isinstance(exc, orm_exc.StaleDataError):
            raise PackdeskError(
                "Someone else changed this record at the same time. "
                "Reload it and try again; nothing was saved."
            ) from exc
        if isinstance(exc, sa_exc.IntegrityError):
            raise ValidationError(
                "The database refused the change ({exc}); nothing was saved.", exc=_first_line(exc)
            ) from exc

    def commit(self) -> None:
        self.session.commit()

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
        """Record who did what, where, with the state before and after."""
        self.session.add(
            AuditEntry(
                user_id=actor.user_id,
                username=actor.username,
                station_id=actor.station_id,
                action=action,
                entity_type=entity_type,
                entity_id=str(entity_id),
                before=before,
                after=after,
                note=note,
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
            if row is None or not row.active:
                raise AccountDisabled(user=actor.username)
            current = actor if row.role == actor.role.value else replace(actor, role=Role(row.role))
            self._checked = (self.session, actor, current)
        if permission is not None:
            current.require(permission)
        return current


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or ["unknown error"])[0][:300]
