"""Starting a station with its offline journal: attached to a running ``Services``, or started
from the station store alone while the shared database is away (a station restarted, or
killed, during an outage)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from app.config import Paths, Settings
from app.db.engine import make_session_factory
from app.domain.errors import PackdeskError
from app.domain.users import SYSTEM
from app.offline import store as st
from app.offline.journal import CONFLICT, PENDING, journal
from app.offline.station import OfflineStation, store_path
from app.services import offline_keys

if TYPE_CHECKING:
    from app.bootstrap import Services

log = logging.getLogger(__name__)


def attach(services: Services) -> OfflineStation:
    """The station's journal on a connected ``Services``: what waits from an earlier run is
    replayed now, and the copy is made."""
    station = OfflineStation(services, store_path(services.paths.data_dir, services.station_code))
    with station.engine.begin() as conn:
        st.put_meta(conn, station_id=str(services.station_id), database=services.database_label)
    services.offline = station
    station.on_ping(True)
    _prune_keys(services)
    return station


def _prune_keys(services: Services) -> None:
    """Forget the keys of actions applied long ago (``app.services.offline_keys``); a failure
    only goes to the log: the station works on without it."""
    try:
        pruned = services.run(offline_keys.prune_applied_keys, SYSTEM)
    except PackdeskError as exc:
        log.warning("could not prune the keys of applied actions: %s", exc.message)
        return
    if pruned.deleted:
        log.info("pruned %d keys of actions applied before %s", pruned.deleted, pruned.cutoff)


def start_offline(
    services_type: type[Services], settings: Settings, paths: Paths, engine: Engine, reason: str
) -> Services | None:
    """A ``Services`` working from the station store (None: this station has no store of this
    database yet, so it cannot start without it)."""
    path = store_path(paths.data_dir, settings.station)
    if not path.exists():
        return None
    probe = st.open_store(path)
    try:
        with probe.connect() as conn:
            station_id = st.get_meta(conn, "station_id")
            database = st.get_meta(conn, "database")
    finally:
        probe.dispose()
    services: Any = services_type(
        settings, paths, engine, make_session_factory(engine), int(station_id or 0), None
    )
    if not station_id or database != services.database_label:
        return None
    station = OfflineStation(services, path)
    services.offline = station
    station.go_offline(reason)
    log.warning("started offline from %s: %s", path, reason)
    started: Services = services
    return started


def stored_state(paths: Paths, station_code: str) -> dict[str, Any]:
    """What the station store says, without the shared database (``packdesk offline status``):
    the contract keys ``offline``, ``since``, ``waiting``, ``conflicts``, ``store``, and
    ``last_error``."""
    path = store_path(paths.data_dir, station_code)
    out: dict[str, Any] = {
        "offline": False,
        "since": None,
        "waiting": 0,
        "conflicts": 0,
        "store": str(path),
        "last_error": "",
    }
    if not path.exists():
        return out
    engine = st.open_store(path)
    try:
        with engine.connect() as conn:
            since = st.get_meta(conn, "since")
            counts: dict[str, int] = {
                str(status): int(n)
                for status, n in conn.execute(
                    select(journal.c.status, func.count()).group_by(journal.c.status)
                )
            }
            out.update(
                offline=bool(since),
                since=since or None,
                waiting=int(counts.get(PENDING, 0)),
                conflicts=int(counts.get(CONFLICT, 0)),
                last_error=st.get_meta(conn, "last_error"),
            )
    finally:
        engine.dispose()
    return out
