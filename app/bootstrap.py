"""Settings -> engine -> migrations -> unit of work -> a Services object for the UI and CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from app.config import Paths, Settings, default_paths
from app.db.engine import describe, is_sqlite, make_engine, make_session_factory
from app.db.migrate import MigrationResult, upgrade
from app.db.uow import UnitOfWork
from app.domain.errors import DatabaseUnavailable
from app.services import auth, privacy

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Services:
    """What the UI and the command line are handed: a way to run use cases, and facts about the
    station. Services are plain functions taking a unit of work first; ``run`` supplies it."""

    settings: Settings
    paths: Paths
    engine: Engine
    session_factory: sessionmaker[Session]
    station_id: int
    migration: MigrationResult | None = None

    @property
    def station_code(self) -> str:
        return self.settings.station

    @property
    def database_label(self) -> str:
        return describe(self.settings.db_url)

    @property
    def shared(self) -> bool:
        return not is_sqlite(self.settings.db_url)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, where=self.database_label)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a service function with a fresh unit of work."""
        return fn(self.uow(), *args, **kwargs)

    def ping(self) -> bool:
        """True when the database answers (status bar)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except sa_exc.DBAPIError:
            return False

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings, paths: Paths | None = None, *, migrate: bool = True) -> Services:
    """Connect, upgrade the schema if needed, register the station."""
    paths = paths or default_paths()
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except sa_exc.DBAPIError as exc:
        engine.dispose()
        reason = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
        raise DatabaseUnavailable(where=describe(settings.db_url), reason=reason) from exc
    migration = upgrade(engine) if migrate else None
    factory = make_session_factory(engine)
    station_id = auth.ensure_station(
        UnitOfWork(factory, describe(settings.db_url)), settings.station
    )
    privacy.ensure_key_secret(UnitOfWork(factory, describe(settings.db_url)))
    return Services(settings, paths, engine, factory, station_id, migration)
