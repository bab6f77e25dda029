"""Upgrades that cannot hurt data: one transaction, foreign keys kept whole on SQLite, the error
shown as it was, the PostgreSQL lock released only by the rollback or commit."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, event, inspect, text

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.db.engine import make_engine
from app.db.migrate import (
    PG_LOCK_KEY,
    MigrationResult,
    UpgradePolicy,
    alembic_config,
    current_heads,
    script_heads,
    upgrade,
)
from app.domain.errors import MigrationFailed, MigrationFailedLocal, UpgradeInProgress
from tests.factories import add_orders
from tests.migration_fixtures import FAILING, REBUILD, fresh_pg_database

CHILDREN = ("order_lines", "order_holds", "order_status_history")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def own_db(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """A migrated database of its own on each backend (failures here must not spoil others)."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    request.getfixturevalue("pg_migrated")  # skips or fails clearly without a server
    with fresh_pg_database() as url:
        upgrade_engine = make_engine(url)
        upgrade(upgrade_engine)
        upgrade_engine.dispose()
        yield url


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("orders", *CHILDREN)
        }


def _orders_with_children(url: str, paths: Paths) -> dict[str, int]:
    svc = bootstrap(Settings(db_url=url, station="pack-01"), paths)
    add_orders(svc, 3, status="on_hold")
    counts = _counts(svc.engine)
    svc.close()
    assert counts == {"orders": 3, "order_lines": 6, "order_holds": 3, "order_status_history": 3}
    return counts


def test_rebuilding_orders_on_sqlite_keeps_every_order_line_hold_and_status_change(
    sqlite_url: str, paths: Paths
) -> None:
    before = _orders_with_children(sqlite_url, paths)
    engine = make_engine(sqlite_url)
    result = upgrade(engine, UpgradePolicy(extra_versions=(REBUILD,)))
    assert result.after == ("t901_rebuild_orders",)
    assert _counts(engine) == before
    with engine.connect() as conn:
        assert "rebuild_probe" in {c["name"] for c in inspect(conn).get_columns("orders")}
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        # the connection goes back to the pool with foreign keys on again
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()


def test_the_same_rebuild_with_foreign_keys_on_would_delete_the_children(
    sqlite_url: str, paths: Paths
) -> None:
    # what the test above guards against: Alembic run as before, on a connection with FKs on
    _orders_with_children(sqlite_url, paths)
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        cfg = alembic_config((REBUILD,))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        conn.commit()
    assert _counts(engine) == {
        "orders": 3,
        "order_lines": 0,
        "order_holds": 0,
        "order_status_history": 0,
    }
    engine.dispose()


def test_a_failing_step_is_reported_with_its_error_and_nothing_is_half_applied(
    own_db: str,
) -> None:
    engine = make_engine(own_db)
    with engine.connect() as conn:
        stations_before = conn.execute(text("SELECT id, name FROM stations")).all()
    with pytest.raises(MigrationFailed) as caught:
        upgrade(engine, UpgradePolicy(station="pack-01", extra_versions=(FAILING,)))
    message = caught.value.message
    assert "t902_fails_on_purpose" in message  # the step
    assert "migration_probe" in message or "duplicate key" in message  # the original error
    assert "undone" in message and "exactly as it was before" in message
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
        tables = inspect(conn).get_table_names()
        assert "migration_probe" not in tables
        assert "failed_probe" not in {c["name"] for c in inspect(conn).get_columns("orders")}
        assert conn.execute(text("SELECT id, name FROM stations")).all() == stations_before
        if engine.dialect.name == "postgresql":
            held = conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).scalar_one()
            assert held == 0
    if engine.dialect.name == "sqlite":
        assert isinstance(caught.value, MigrationFailedLocal)
        backup = Path(caught.value.params["backup"])
        assert backup.exists() and str(backup) in message
    engine.dispose()


def test_a_failed_upgrade_step_on_sqlite_after_a_rebuild_is_undone_too(
    sqlite_url: str, paths: Paths
) -> None:
    # both test steps at once: the rebuild succeeds, the next step fails, all of it is undone
    before = _orders_with_children(sqlite_url, paths)
    engine = make_engine(sqlite_url)
    with pytest.raises(MigrationFailed, match="t902_fails_on_purpose"):
        upgrade(engine, UpgradePolicy(extra_versions=(REBUILD, FAILING)))
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
        assert "rebuild_probe" not in {c["name"] for c in inspect(conn).get_columns("orders")}
    assert _counts(engine) == before
    engine.dispose()


def test_a_sqlite_upgrade_that_leaves_dangling_references_is_undone(
    sqlite_url: str, paths: Paths, tmp_path: Path
) -> None:
    _orders_with_children(sqlite_url, paths)
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "t903_drop_orders.py").write_text(
        '"""test only: delete orders but not their lines"""\n'
        "from alembic import op\n"
        "from app.db.migrate import script_heads\n"
        "revision = 't903_drop_orders'\n"
        "down_revision = script_heads()\n"
        "branch_labels = None\n"
        "depends_on = None\n"
        "def upgrade():\n"
        "    op.execute('DELETE FROM orders')\n",
        encoding="utf-8",
    )
    engine = make_engine(sqlite_url)
    with pytest.raises(MigrationFailed) as caught:
        upgrade(engine, UpgradePolicy(extra_versions=(dangling,)))
    assert "t903_drop_orders" in caught.value.message
    assert "would point at missing rows of orders" in caught.value.message
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
    assert _counts(engine)["orders"] == 3
    engine.dispose()


# -- PostgreSQL: the lock ------------------------------------------------------------------------
LOCK_LO = PG_LOCK_KEY & 0xFFFFFFFF


def _waiting_on(engine: Engine, objid: int) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND NOT granted AND objid::bigint = :lo AND database ="
                    " (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"lo": objid},
            ).scalar_one()
        )


def _lock_waiters(engine: Engine) -> int:
    """Connections waiting for the upgrade lock."""
    return _waiting_on(engine, LOCK_LO)


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


GATE_KEY = 4242


def _gated_revision(folder: Path) -> Path:
    """A test step that waits inside the upgrade until the test lets go of GATE_KEY."""
    folder.mkdir()
    (folder / "t904_gated.py").write_text(
        '"""test only: wait for the test inside the upgrade"""\n'
        "from alembic import op\n"
        "from app.db.migrate import script_heads\n"
        "revision = 't904_gated'\n"
        "down_revision = script_heads()\n"
        "branch_labels = None\n"
        "depends_on = None\n"
        "def upgrade():\n"
        f"    op.execute('SELECT pg_advisory_xact_lock({GATE_KEY})')\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.postgres
def test_waiting_for_another_stations_upgrade_gives_up_naming_that_station(
    pg_migrated: str, tmp_path: Path
) -> None:
    gated = _gated_revision(tmp_path / "gated")
    with fresh_pg_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        gate = engine.connect()
        gate.execute(text("SELECT pg_advisory_lock(:k)"), {"k": GATE_KEY})
        gate.commit()
        results: dict[str, object] = {}

        def station(code: str, wait_s: float) -> None:
            policy = UpgradePolicy(station=code, extra_versions=(gated,), lock_wait_s=wait_s)
            try:
                results[code] = upgrade(engine, policy)
            except BaseException as exc:
                results[code] = exc

        first = threading.Thread(target=station, args=("pack-07", 30.0))
        second = threading.Thread(target=station, args=("pack-08", 1.0))
        try:
            first.start()
            # pack-07 holds the upgrade lock and is inside its step
            _wait_for(lambda: _waiting_on(engine, GATE_KEY) == 1, "pack-07 to be upgrading")
            started = time.monotonic()
            second.start()
            _wait_for(lambda: _waiting_on(engine, LOCK_LO) == 1, "pack-08 to wait for the lock")
            second.join(30)
            waited = time.monotonic() - started
        finally:
            gate.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": GATE_KEY})
            gate.close()
            first.join(30)
        refused = results["pack-08"]
        assert isinstance(refused, UpgradeInProgress), refused
        message = refused.message
        assert "Another station (pack-07, " in message and "waited 1 s" in message
        assert "Try again in a minute" in message
        assert waited >= 1.0
        done = results["pack-07"]
        assert isinstance(done, MigrationResult) and done.after == ("t904_gated",)
        engine.dispose()


@pytest.mark.postgres
def test_a_failed_postgresql_upgrade_is_rolled_back_before_the_lock_is_released(
    pg_migrated: str,
) -> None:
    with fresh_pg_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        first = engine.connect()  # holds the lock so the failing station and a watcher queue up
        first.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
        first.commit()
        failure: list[BaseException] = []
        seen: dict[str, object] = {}

        def failing_station() -> None:
            try:
                upgrade(engine, UpgradePolicy(extra_versions=(FAILING,), lock_wait_s=30))
            except BaseException as exc:
                failure.append(exc)

        def watcher() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
                # the lock is ours the moment the failing station let go of it
                seen["others_waiting"] = _lock_waiters(engine)
                seen["heads"] = current_heads(conn)
                seen["probe"] = inspect(conn).has_table("migration_probe")
                conn.commit()

        station = threading.Thread(target=failing_station)
        station.start()
        _wait_for(lambda: _lock_waiters(engine) == 1, "the failing station to queue")
        watch = threading.Thread(target=watcher)
        watch.start()
        _wait_for(lambda: _lock_waiters(engine) == 2, "the watcher to queue behind it")
        first.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
        first.close()
        station.join(30)
        watch.join(30)
        assert len(failure) == 1 and isinstance(failure[0], MigrationFailed)
        assert "duplicate key" in failure[0].message
        # the station had the lock and let go before the watcher got it...
        assert seen["others_waiting"] == 0
        # ...and by then its DDL was already rolled back
        assert seen["heads"] == script_heads() and seen["probe"] is False
        engine.dispose()


def test_dangling_references_from_before_the_upgrade_do_not_block_it(
    sqlite_url: str, paths: Paths
) -> None:
    _orders_with_children(sqlite_url, paths)
    raw = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("UPDATE order_holds SET order_id = 999 WHERE id = 1")  # an old, broken row
    raw.commit()
    raw.close()
    engine = make_engine(sqlite_url)
    result = upgrade(engine, UpgradePolicy(extra_versions=(REBUILD,)))
    assert result.after == ("t901_rebuild_orders",)
    with engine.connect() as conn:
        assert len(conn.exec_driver_sql("PRAGMA foreign_key_check").all()) == 1
    engine.dispose()


def test_an_upgrade_does_not_run_when_foreign_keys_cannot_be_switched_off(
    sqlite_url: str, paths: Paths
) -> None:
    before = _orders_with_children(sqlite_url, paths)
    engine = make_engine(sqlite_url)
    checkouts: list[object] = []

    @event.listens_for(engine, "checkout")
    def _already_in_a_transaction(dbapi_conn: sqlite3.Connection, *_: object) -> None:
        # the upgrade's own connection (the 2nd) arrives inside a transaction, where SQLite
        # ignores PRAGMA foreign_keys
        checkouts.append(dbapi_conn)
        if len(checkouts) == 2:
            dbapi_conn.execute("BEGIN")

    with pytest.raises(MigrationFailed, match="foreign keys could not be switched off"):
        upgrade(engine, UpgradePolicy(extra_versions=(REBUILD,)))
    assert len(checkouts) >= 2
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
    assert _counts(engine) == before
    engine.dispose()
