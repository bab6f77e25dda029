"""Settings -> engine -> migrations -> unit of work -> a Services object for the UI and CLI."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from tenacity import RetryCallState, Retrying, stop_after_attempt, wait_random_exponential

from app import __version__
from app.config import Paths, Settings, default_paths
from app.db.engine import describe, is_sqlite, make_engine, make_session_factory
from app.db.migrate import MigrationResult, UpgradePolicy, upgrade
from app.db.uow import UnitOfWork
from app.domain.errors import DatabaseBusy, DatabaseUnavailable, PackdeskError
from app.live.sender import sender_name
from app.offline.state import ONLINE, OfflineState
from app.services import auth, privacy, stations

if TYPE_CHECKING:
    from app.offline.station import OfflineStation

log = logging.getLogger(__name__)

#: a running station records that it is alive this often (see ``Services.heartbeat``)
HEARTBEAT_S = 60.0

P = ParamSpec("P")
T = TypeVar("T")

#: a busy database: tries after the first, and the scale of the jittered pause between them
BUSY_RETRIES = 3
BUSY_BACKOFF_S = 0.05


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
    #: how often ``run`` tries a call again while the database is busy, and the first pause
    busy_retries: int = BUSY_RETRIES
    busy_backoff_s: float = BUSY_BACKOFF_S
    #: time.monotonic() of the last time this station recorded that it runs
    last_heartbeat: float = field(default_factory=time.monotonic)
    #: the offline journal (a shared database, started with ``offline=True``): docs/offline.md
    offline: OfflineStation | None = None

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
        if self.offline is not None and self.offline.offline:
            return self.offline.store_uow()  # the print worker prints what was packed offline
        return UnitOfWork(self.session_factory, where=self.database_label)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a service function with a fresh unit of work (see ``run_with``); with the
        offline journal on, a pack action goes on from the station's own copy while the shared
        database is away, and other calls are refused with the reason (docs/offline.md)."""
        if self.offline is not None:
            result: T = self.offline.run(fn, args, kwargs)
            return result
        return self.run_with(self.uow, fn, *args, **kwargs)

    def run_with(
        self, make_uow: Callable[[], UnitOfWork], fn: Callable[..., T], *args: Any, **kwargs: Any
    ) -> T:
        """Call a service function with a fresh unit of work.

        When the database is busy (SQLite still locked after its busy timeout, a PostgreSQL
        deadlock, serialization failure or lock timeout) the whole call runs again with a new
        unit of work, up to ``busy_retries`` more times after a jittered, growing pause, and then
        ends as ``DatabaseBusy``. A call whose first statement found its pooled connection
        already dropped by the server (a restart; ``app.db.engine.STALE``) runs once more on a
        new one. A call runs again only if it has committed nothing yet: a service that commits
        in steps (an import in batches) and is stopped after a step reports ``DatabaseBusy`` at
        once, so no step is ever done twice."""
        attempts: list[UnitOfWork] = []

        def one_try() -> T:
            uow = make_uow()
            attempts.append(uow)
            return fn(uow, *args, **kwargs)

        def again(state: RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if attempts[-1].commits:
                return False
            if isinstance(exc, DatabaseUnavailable):  # a pooled connection the server dropped
                return exc.stale_connection and len(attempts) == 1
            return isinstance(exc, DatabaseBusy)

        retrying = Retrying(
            retry=again,
            stop=stop_after_attempt(self.busy_retries + 1),
            wait=wait_random_exponential(multiplier=self.busy_backoff_s, max=2.0),
            reraise=True,
        )
        result = retrying(one_try)
        if len(attempts) > 1:
            log.info(
                "%s succeeded after %d tries (database busy, or a dropped connection replaced)",
                fn.__name__,
                len(attempts),
            )
        return result

    def offline_state(self) -> OfflineState:
        """Whether this station works offline from its journal, and how much waits (status bar,
        ``packdesk offline status``). Always online, nothing waiting, on a SQLite-only install."""
        return self.offline.state() if self.offline is not None else ONLINE

    def ping(self) -> bool:
        """True when the database answers (status bar)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            ok = True
        except sa_exc.DBAPIError:
            ok = False
        if self.offline is not None:
            self.offline.on_ping(ok)  # offline, or the journal replayed when it answers again
        return ok

    def heartbeat(self) -> bool:
        """Record that this station still runs, at most every ``HEARTBEAT_S`` seconds: an upgrade
        of a shared database waits for stations running an older Packdesk. True when recorded."""
        now = time.monotonic()
        if now - self.last_heartbeat < HEARTBEAT_S:
            return False
        self.last_heartbeat = now
        try:
            self.run(stations.station_seen, self.station_id)
        except PackdeskError as exc:  # the status bar's ping reports a database that is away
            log.info("station heartbeat not recorded: %s", exc.message)
            return False
        return True

    def close(self) -> None:
        if self.offline is not None:
            self.offline.close()
        self.engine.dispose()


def bootstrap(
    settings: Settings,
    paths: Paths | None = None,
    *,
    migrate: bool = True,
    force_upgrade: bool = False,
    offline: bool = False,
) -> Services:
    """Connect, upgrade the schema if needed, register the station with its version.

    ``force_upgrade`` upgrades a shared database even while stations running an older Packdesk
    were seen recently (they may fail until they are updated). ``offline``: on a shared
    database, keep the station store and the offline journal (docs/offline.md); a station
    that has its store starts even while the shared database is away."""
    paths = paths or default_paths()
    engine = make_engine(
        settings.db_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        application_name=sender_name(settings.station),
    )
    journal = offline and not is_sqlite(settings.db_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except sa_exc.DBAPIError as exc:
        reason = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
        if journal:
            from app.offline.start import start_offline

            started = start_offline(Services, settings, paths, engine, reason)
            if started is not None:
                return started
        engine.dispose()
        raise DatabaseUnavailable(where=describe(settings.db_url), reason=reason) from exc
    policy = UpgradePolicy(station=settings.station, force=force_upgrade)
    try:
        migration = upgrade(engine, policy) if migrate else None
    except BaseException:
        engine.dispose()
        raise
    factory = make_session_factory(engine)
    # only now, after the upgrade: a refused upgrade leaves no trace of this newer version
    station_id = auth.ensure_station(
        UnitOfWork(factory, describe(settings.db_url)), settings.station, __version__
    )
    privacy.ensure_key_secret(UnitOfWork(factory, describe(settings.db_url)))
    services = Services(settings, paths, engine, factory, station_id, migration)
    if journal:
        from app.offline.start import attach

        attach(services)
    return services
