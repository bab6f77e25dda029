"""Live updates at the database: PostgreSQL announces order status, batch claims, print jobs and
settings on commit, with the ids and the writing station, and the kind alone past the cap; the
listener comes back after its connection is killed and says "refresh everything"; on SQLite a
second program on the same file sees the first one's commits through ``PRAGMA data_version``."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text, update

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Order
from app.live import Change, change_source
from app.live.pg_listen import PgListener
from app.live.sqlite_watch import SqliteWatcher
from tests.factories import add_orders


@dataclass
class Heard:
    """A running change source and what it has handed on."""

    changes: queue.Queue[Change]
    stop: threading.Event
    thread: threading.Thread

    def next(self, timeout: float = 3.0) -> Change:
        return self.changes.get(timeout=timeout)

    def until(self, kind: str, timeout: float = 3.0) -> tuple[list[Change], Change]:
        """The changes heard before the first of ``kind``, and that one."""
        before: list[Change] = []
        while True:
            change = self.next(timeout)
            if change.kind == kind:
                return before, change
            before.append(change)


def _listen(source: PgListener | SqliteWatcher) -> Iterator[Heard]:
    heard = Heard(queue.Queue(), threading.Event(), threading.Thread(target=lambda: None))
    heard.thread = threading.Thread(
        target=source.run, args=(heard.changes.put, heard.stop), daemon=True
    )
    heard.thread.start()
    yield heard
    heard.stop.set()
    heard.thread.join(5)
    assert not heard.thread.is_alive()


@pytest.fixture
def listener(pg_only_services: Services) -> PgListener:
    source = change_source(pg_only_services.settings.db_url, "office-01")
    assert isinstance(source, PgListener)
    return source


@pytest.fixture
def heard(listener: PgListener) -> Iterator[Heard]:
    yield from _listen(listener)


def _set_setting(services: Services, key: str, value: str) -> None:
    with services.uow() as uow:
        uow.session.execute(
            text(
                "INSERT INTO settings (key, value, updated_at) VALUES (:k, :v, now()) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"k": key, "v": f'"{value}"'},
        )
        uow.commit()


def _wait_listening(listener: PgListener) -> None:
    assert listener.connected.wait(5), "the listener never connected"


def test_an_order_status_change_is_announced_on_commit_with_its_id_and_the_writing_station(
    pg_only_services: Services, listener: PgListener, heard: Heard
) -> None:
    _wait_listening(listener)
    (oid,) = add_orders(pg_only_services, 1)
    _, inserted = heard.until("order")
    assert inserted.ids == (oid,)
    with pg_only_services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == oid).values(status="on_hold"))
        _set_setting(pg_only_services, "live.test", "meanwhile")  # another connection commits
        before, _ = heard.until("setting")
        assert before == []  # nothing is heard of the order before its commit
        uow.commit()
    change = heard.next()
    assert (change.kind, change.ids) == ("order", (oid,))
    assert change.station == "test-station"
    assert change.sender.startswith("packdesk:test-station:")


def test_an_order_update_that_keeps_the_status_is_not_announced(
    pg_only_services: Services, listener: PgListener, heard: Heard
) -> None:
    _wait_listening(listener)
    (oid,) = add_orders(pg_only_services, 1)
    heard.until("order")
    with pg_only_services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == oid).values(note="call first"))
        uow.commit()
    _set_setting(pg_only_services, "live.test", "later")  # a later change proves we listened
    before, later = heard.until("setting")
    assert before == [] and later.ids == ()


def test_a_statement_past_the_cap_announces_the_kind_alone(
    pg_only_services: Services, listener: PgListener, heard: Heard
) -> None:
    _wait_listening(listener)
    with pg_only_services.uow() as uow:
        uow.session.execute(
            text(
                "INSERT INTO print_jobs (printer, format, kind, reference, payload, status, "
                "error, attempts, created_at) SELECT 'label', 'zpl', 'label', 'R' || n, "
                "'\\x00'::bytea, 'queued', '', 0, now() FROM generate_series(1, :n) AS n"
            ),
            {"n": 501},
        )
        uow.commit()
    _, many = heard.until("print_job")
    assert many.ids == ()  # "every print job": 501 ids would not fit
    with pg_only_services.uow() as uow:
        first = uow.session.scalar(text("SELECT min(id) FROM print_jobs"))
        uow.session.execute(
            text("UPDATE print_jobs SET status = 'sent' WHERE id = :i"), {"i": first}
        )
        uow.commit()
    _, one = heard.until("print_job")
    assert one.ids == (first,)


def test_a_claimed_batch_is_announced_and_a_counter_update_is_not(
    pg_only_services: Services, listener: PgListener, heard: Heard
) -> None:
    from app.domain.users import Role
    from app.services import auth, pick_claim
    from tests.conftest import make_actor
    from tests.wave_fixtures import build_wave

    svc = pg_only_services
    svc.run(auth.create_first_admin, "admin", "correct-horse-9", svc.station_id)
    admin = svc.run(auth.login, "admin", "correct-horse-9", svc.station_id)
    build_wave(svc, admin)
    picker = make_actor(svc, admin, Role.PICKER)
    _wait_listening(listener)
    _set_setting(svc, "live.test", "mark")
    heard.until("setting")  # what building the wave announced is behind us
    claimed = svc.run(pick_claim.get_work, picker)
    assert claimed is not None
    _, change = heard.until("batch")
    assert change.ids == (claimed.batch_id,)
    with svc.uow() as uow:
        uow.session.execute(text("UPDATE pick_batches SET walked_m = walked_m + 1"))
        uow.commit()
    _set_setting(svc, "live.test", "after")
    before, _ = heard.until("setting")
    assert [c.kind for c in before if c.kind == "batch"] == []


def test_a_listener_whose_connection_is_killed_listens_again_and_says_refresh_everything(
    pg_only_services: Services, listener: PgListener, heard: Heard
) -> None:
    _wait_listening(listener)
    pid = listener.backend_pid
    with pg_only_services.uow() as uow:
        killed = uow.session.scalar(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = :p "
                "AND usename = current_user AND backend_type = 'client backend'"
            ),
            {"p": pid},
        )
        uow.commit()
    assert killed
    _, everything = heard.until("*")
    assert everything.everything and listener.reconnects == 1
    assert listener.backend_pid not in (None, pid)
    _set_setting(pg_only_services, "live.test", "again")
    _, change = heard.until("setting")  # and it hears announcements again
    assert change.kind == "setting"


def test_a_second_program_on_the_same_sqlite_file_sees_the_first_ones_commits(
    sqlite_url: str, paths: Paths
) -> None:
    writer = bootstrap(Settings(db_url=sqlite_url, station="pack-01"), paths)
    reader = bootstrap(Settings(db_url=sqlite_url, station="office-01"), paths)
    try:
        source = change_source(reader.settings.db_url)
        assert isinstance(source, SqliteWatcher)
        source.interval_s = 0.05
        listening = _listen(source)
        heard = next(listening)
        polls = source.polls
        while source.polls < polls + 3:  # it has looked at the file, and nothing changed
            threading.Event().wait(0.02)
        assert heard.changes.empty()
        add_orders(writer, 1)
        assert heard.next().kind == "*"
        with writer.uow() as uow:
            assert uow.session.scalar(select(Order.number)) == "PD00000001"
        next(listening, None)
    finally:
        writer.close()
        reader.close()
