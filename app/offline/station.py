"""The offline station: runs a station's calls on the shared database while it answers, and on
its station store, writing each pack action to the journal first, while it does not.

``Services.run`` hands every call to ``OfflineStation.run`` (on a shared database). Online, a
pack action runs on the shared database with an idempotency key written in its transaction
(``applied_actions``), and the store's copy of its order is brought up to date afterwards. When
the database cannot be reached, the station goes offline: pack actions on the orders it kept
run on the store and are journaled (``app.offline.journal``), the pack screen's reads answer
from the store, and everything else is refused with its reason (``app.offline.actions``). When
the database answers again (``on_ping``, ``replay_now``), the journal is replayed
(``app.offline.replay``) and the store is copied again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_session_factory
from app.db.models import AppliedAction, PackSession
from app.db.uow import UnitOfWork
from app.domain.errors import DatabaseUnavailable, NotFound, PackdeskError
from app.domain.users import Actor
from app.offline import store as st
from app.offline.actions import (
    BY_FN,
    LOCAL,
    READS,
    Action,
    NotKeptHere,
    NotUpToDate,
    refusal_for,
    session_arg,
    summary,
)
from app.offline.journal import (
    CONFLICT,
    PENDING,
    KeyedUnitOfWork,
    actor_json,
    ids,
    journal,
    jsonable,
    new_key,
    now,
)
from app.offline.state import OfflineState
from app.services import offline_numbers, pick_claim
from app.services.pack_open import NothingToPack
from app.services.tracking_pool import TAKEN_NUMBERS

if TYPE_CHECKING:
    from app.bootstrap import Services

log = logging.getLogger(__name__)

#: the store's copy is made again at most this often while online (``on_ping``)
REFRESH_S = 120.0
#: the copier waits until the station has been quiet this long (a burst of scans is copied
#: once, after its last scan: a packer scans every second or two) ...
COPY_QUIET_S = 0.4
#: ... but never longer than this behind the shared database
COPY_MOST_BEHIND_S = 2.0
WHERE = "the station's own copy"


@dataclass
class _Status:
    offline: bool = False
    since: datetime | None = None
    last_error: str = ""
    conflicts: int = 0
    last_refresh: datetime | None = None


def store_path(data_dir: Path, station_code: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in station_code) or "station"
    return data_dir / f"station-{safe}.sqlite"


class OfflineStation:
    """One per running station on a shared database; thread-safe (one lock around the store)."""

    def __init__(
        self,
        services: Services,
        path: Path,
        *,
        clock: Callable[[], datetime] = now,
        refresh_s: float = REFRESH_S,
    ) -> None:
        self.services = services
        self.path = path
        self.clock = clock
        self.refresh_s = refresh_s
        self.engine: Engine = st.open_store(path)
        self.factory: sessionmaker[Session] = make_session_factory(self.engine)
        event.listen(self.factory, "before_flush", _local_ids)
        self.lock = threading.RLock()
        self._replaying = threading.Lock()
        #: orders whose copy waits for the copier thread (behind the shared database)
        self.stale: set[int] = set()
        #: the order of each pack session an online action answered for (a session opened
        #: just before a cut is not in the copy yet)
        self._session_orders: dict[int, int] = {}
        self._pending: set[int] = set()
        self._copying = threading.Condition()
        #: actions that asked for a copy so far (the copier waits until it stops moving)
        self._asked = 0
        self._copier: threading.Thread | None = None
        self._closed = False
        self.users: set[int] = set()
        self.status = _Status()
        with self.engine.begin() as conn:
            since = st.get_meta(conn, "since")
            if since:  # a station stopped (or killed) while offline starts offline
                self.status = _Status(True, datetime.fromisoformat(since), "")
                self.status.last_error = st.get_meta(conn, "last_error")

    # --- the state ------------------------------------------------------------------------

    def state(self) -> OfflineState:
        with self.engine.connect() as conn:
            waiting = conn.scalar(
                select(func.count()).select_from(journal).where(journal.c.status == PENDING)
            )
        s = self.status
        return OfflineState(s.offline, s.since, int(waiting or 0), s.conflicts, s.last_error)

    @property
    def offline(self) -> bool:
        return self.status.offline

    def go_offline(self, reason: str) -> None:
        with self.lock:
            if not self.status.offline:
                self.status.offline, self.status.since = True, self.clock()
                log.warning("shared database unreachable, working offline: %s", reason)
            self.status.last_error = reason
            with self.engine.begin() as conn:
                assert self.status.since is not None
                st.put_meta(conn, since=self.status.since.isoformat(), last_error=reason)

    def _back_online(self) -> None:
        with self.lock, self.engine.begin() as conn:
            self.status.offline, self.status.since, self.status.last_error = False, None, ""
            st.put_meta(conn, since="", last_error="")

    # --- running calls --------------------------------------------------------------------

    def run(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if args and isinstance(args[0], Actor) and args[0].user_id is not None:
            self.users.add(args[0].user_id)
        action = BY_FN.get(fn)
        if self.status.offline:
            return self._offline(fn, action, args, kwargs, None)
        if action is None:
            try:
                result = self.services.run_with(self.services.uow, fn, *args, **kwargs)
            except DatabaseUnavailable as exc:
                self.go_offline(exc.params.get("reason") or exc.message)
                raise
            if fn is pick_claim.get_work and result is not None:
                self._copy_quietly(None)
            return result
        return self._online_action(action, args, kwargs)

    def _online_action(self, action: Action, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        key = new_key()
        sent = self._to_server(action, args)

        def keyed() -> UnitOfWork:
            return KeyedUnitOfWork(
                self.services.session_factory,
                self.services.database_label,
                on_commit=lambda s: s.add(_applied(s, key, action, self.services.station_id)),
            )

        try:
            result = self.services.run_with(keyed, action.fn, *sent, **kwargs)
        except DatabaseUnavailable as exc:
            # the commit may or may not have reached the server: the same action goes to the
            # journal with the same key, and the replay finds the key if it did
            self.go_offline(exc.params.get("reason") or exc.message)
            return self._offline(action.fn, action, args, kwargs, key)
        view = getattr(result, "view", result)
        order_id, session_id = getattr(view, "order_id", None), getattr(view, "session_id", None)
        if isinstance(order_id, int):
            if isinstance(session_id, int):
                self._session_orders[session_id] = order_id
            self._copy_later(order_id)
        return result

    def _offline(
        self,
        fn: Callable[..., Any],
        action: Action | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        key: str | None,
    ) -> Any:
        if action is None:
            if fn not in READS and fn not in LOCAL:
                raise refusal_for(fn)
            with self.lock:
                try:
                    return fn(UnitOfWork(self.factory, WHERE), *self._to_local(fn, args), **kwargs)
                except NotFound as exc:
                    raise NotKeptHere(text=str(exc.params.get("key", ""))) from exc
        return self._journaled(action, args, kwargs, key or new_key())

    def _journaled(
        self, action: Action, args: tuple[Any, ...], kwargs: dict[str, Any], key: str
    ) -> Any:
        actor: Actor = args[0]
        local_args = self._to_local(action.fn, args)
        self._refuse_stale(action, local_args)
        row = {
            "key": key,
            "action": action.name,
            "args": {"args": jsonable(local_args[1:]), "kwargs": jsonable(kwargs)},
            "actor": actor_json(actor),
            "happened_at": self.clock(),
            "status": PENDING,
        }
        uow = KeyedUnitOfWork(
            self.factory, WHERE, on_commit=lambda s: s.execute(insert(journal), [row])
        )
        with self.lock:
            try:
                result = action.fn(uow, *local_args, **kwargs)
            except (NothingToPack, NotFound) as exc:
                text = exc.params.get("text") or exc.params.get("key") or ""
                raise NotKeptHere(text=str(text)) from exc
            if uow.commits:
                self._note_result(key, result, uow)
        return result

    def _note_result(self, key: str, result: Any, uow: KeyedUnitOfWork) -> None:
        taken: list[tuple[int, str]] = []
        for s in uow.sessions:
            taken.extend(s.info.get(TAKEN_NUMBERS, []))
        done = summary(result) | {"numbers": [[c, n] for c, n in taken]}
        with self.engine.begin() as conn:
            conn.execute(
                update(journal)
                .where(journal.c.key == key)
                .values(result=done, order_number=done.get("order"))
            )

    # --- ids: pack sessions opened offline --------------------------------------------------

    def _id_map(self) -> dict[int, int]:
        with self.engine.connect() as conn:
            return {
                int(r.local_session_id): int(r.server_session_id)
                for r in conn.execute(select(ids)).all()
                if r.server_session_id is not None
            }

    def _to_server(self, action: Action, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """A session opened offline, named by the screen after the replay: its server id."""
        pos = action.session_arg
        if pos is None or len(args) <= pos + 1 or args[pos + 1] < st.LOCAL_ID_BASE:
            return args
        mapped = self._id_map().get(int(args[pos + 1]))
        return args if mapped is None else (*args[: pos + 1], mapped, *args[pos + 2 :])

    def _to_local(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Server ids and offline ids are both the store's ids: nothing to do but for a session
        opened offline and already replayed (its server id, back to the offline one)."""
        pos = session_arg(fn)
        if pos is None or len(args) <= pos + 1:
            return args
        back = {v: k for k, v in self._id_map().items()}
        sid = args[pos + 1]
        return args if sid not in back else (*args[: pos + 1], back[sid], *args[pos + 2 :])

    # --- the copy ---------------------------------------------------------------------------

    def refresh(self, order_ids: set[int] | None = None) -> int:
        """Copy from the shared database into the store: every kept order (None) or some, and
        top up this station's block of tracking numbers. Returns the rows copied. The shared
        database is read first; the store is written under the lock afterwards, so packing
        offline never waits for a read from a database that went away."""
        uow = UnitOfWork(self.services.session_factory, self.services.database_label)
        with uow:
            s = uow.session
            if order_ids is None:  # numbers are used offline only: topped up now and then
                offline_numbers.keep_numbers(uow, self.services.station_id)
                uow.commit()
                kept = st.kept_orders(s, self.services.station_id, self.users)
                rows = st.read_all(s, self.services.station_id, kept)
            else:
                rows = st.read_orders(s, self.services.station_id, order_ids)
        with self.lock, self.engine.begin() as conn:
            if self.status.offline or _waiting(conn):
                # the store is ahead of what was read: its journal is not replayed yet
                raise DatabaseUnavailable(where=WHERE, reason="the journal waits for a replay")
            if order_ids is not None:
                return st.write_orders(conn, order_ids, rows)
            n = st.write_all(conn, rows)
            self.status.last_refresh = self.clock()
            with self._copying:
                self.stale -= self.stale - self._pending
            return n

    def _copy_quietly(self, order_ids: set[int] | None) -> None:
        try:
            self.refresh(order_ids)
        except PackdeskError as exc:  # the action itself is done; the next refresh catches up
            log.info("station store not refreshed: %s", exc.message)

    def _copy_later(self, order_id: int) -> None:
        """The order's copy is brought up to date by the copier thread, off the scan's path."""
        with self._copying:
            self.stale.add(order_id)
            self._pending.add(order_id)
            self._asked += 1
            if self._copier is None:
                self._copier = threading.Thread(
                    target=self._copy_loop, name="station-store-copy", daemon=True
                )
                self._copier.start()
            self._copying.notify_all()

    def _copy_loop(self) -> None:
        while True:
            with self._copying:
                while not self._pending and not self._closed:
                    self._copying.wait()
                self._wait_for_quiet()
                if self._closed:
                    return
                wanted, self._pending = self._pending, set()
            try:
                self.refresh(wanted)
            except (PackdeskError, sa_exc.DBAPIError) as exc:  # stays stale: refused offline
                log.info("station store copy of %d orders not made: %s", len(wanted), exc)
                continue
            with self._copying:
                self.stale -= wanted - self._pending
                self._copying.notify_all()

    def _wait_for_quiet(self) -> None:
        """(Holding ``_copying``.) Copy after a burst of actions, not during it: reading the
        order back and writing the store (fsync) competes with the next scan for the CPU and the
        interpreter, so the copy waits until no action asked for one for ``COPY_QUIET_S``, at
        most ``COPY_MOST_BEHIND_S``."""
        until = time.monotonic() + COPY_MOST_BEHIND_S
        while not self._closed:
            seen = self._asked
            left = until - time.monotonic()
            if left <= 0:
                return
            self._copying.wait(min(COPY_QUIET_S, left))
            if self._asked == seen:
                return

    def wait_copied(self, timeout: float = 10.0) -> bool:
        """Wait until the copier has nothing left to copy (tests, closing). True when done."""
        with self._copying:
            return self._copying.wait_for(lambda: not self._pending and not self.stale, timeout)

    def _refuse_stale(self, action: Action, args: tuple[Any, ...]) -> None:
        """An order acted on online just before the connection went, whose copy was not made
        yet: packing it from an older copy would do its last scans twice."""
        pos = action.session_arg
        if pos is None or len(args) <= pos + 1:
            return
        session_id = args[pos + 1]
        with self.factory() as s:
            ps = s.get(PackSession, session_id)
        # a session opened online just before the cut is not in the copy yet: its order is
        # known from the answer that opened it
        order_id = ps.order_id if ps is not None else self._session_orders.get(session_id)
        if order_id is not None and order_id in self.stale:
            raise NotUpToDate()

    def on_ping(self, answered: bool) -> None:
        """The status bar's ping: offline when the database does not answer; replay and copy
        again when it answers while offline; a fresh copy every ``refresh_s`` while online."""
        if not answered:
            self.go_offline("the shared database does not answer")
            return
        if self.status.offline or self.state().waiting:
            if self._replaying.acquire(blocking=False):  # one replay at a time; pings go on
                try:
                    self.replay_now()
                finally:
                    self._replaying.release()
            return
        last = self.status.last_refresh
        if last is None or (self.clock() - last).total_seconds() >= self.refresh_s:
            self._copy_quietly(None)

    def replay_now(self) -> OfflineState:
        """Replay the journal on the shared database now; online again when all of it went
        through (applied or a conflict), then a fresh copy."""
        from app.offline.replay import replay

        with self.lock:
            try:
                report = replay(self)
            except DatabaseUnavailable as exc:
                self.go_offline(exc.params.get("reason") or exc.message)
                return self.state()
            except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:  # a read of its own
                self.go_offline((str(exc.orig).strip().splitlines() or ["no answer"])[0])
                return self.state()
            self.status.conflicts += report.conflicts
            if report.waiting == 0:
                self._back_online()
                self._copy_quietly(None)
        return self.state()

    def store_uow(self) -> UnitOfWork:
        return UnitOfWork(self.factory, WHERE)

    def close(self) -> None:
        with self._copying:
            self._closed = True
            self._copying.notify_all()
        if self._copier is not None:
            self._copier.join(5)
        self.engine.dispose()


def _waiting(conn: Any) -> bool:
    return (
        conn.scalar(select(journal.c.seq).where(journal.c.status == PENDING).limit(1)) is not None
    )


def _applied(s: Session, key: str, action: Action, station_id: int) -> AppliedAction:
    sessions = sorted(o.id for o in s.identity_map.values() if isinstance(o, PackSession))
    return AppliedAction(
        key=key, station_id=station_id, action=action.name, result={"sessions": sessions}
    )


def _local_ids(session: Session, _ctx: Any, _instances: Any) -> None:
    """A pack session opened in the store gets an id no shared-database session has."""
    fresh = [o for o in session.new if isinstance(o, PackSession) and o.id is None]
    if fresh:
        with session.no_autoflush:
            first = st.next_local_session_id(session)
        for i, obj in enumerate(fresh):
            obj.id = first + i


__all__ = ["CONFLICT", "OfflineStation", "store_path"]
