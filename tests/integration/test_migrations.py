"""Start-up migrations: SQLite backup before an upgrade, PostgreSQL stations migrating at once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text

from app.db.engine import make_engine
from app.db.migrate import PG_LOCK_KEY, alembic_config, current_heads, script_heads, upgrade
from tests.migration_fixtures import fresh_pg_database

FIRST = "0001"


def test_an_upgrade_backs_up_the_sqlite_file_first_and_keeps_the_data(tmp_path: Path) -> None:
    assert script_heads() != (FIRST,), "needs a migration after the first one"
    path = tmp_path / "station.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # a database as an older Packdesk left it
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, FIRST)
        conn.execute(text("INSERT INTO warehouses (code, name) VALUES ('WH1', '深圳仓')"))
        conn.commit()
    result = upgrade(engine)
    engine.dispose()
    assert result.upgraded and result.before == (FIRST,) and result.after == script_heads()
    assert result.backup is not None and result.backup.exists()
    con = sqlite3.connect(result.backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(FIRST,)]
    assert con.execute("SELECT name FROM warehouses").fetchall() == [("深圳仓",)]
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT name FROM warehouses").fetchall() == [("深圳仓",)]
    con.close()


def test_a_fresh_sqlite_file_needs_no_backup(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    result = upgrade(engine)
    engine.dispose()
    assert result.backup is None and result.after == script_heads()
    # only the database and its WAL/SHM companions: no "*.before-*" copy
    assert not [p.name for p in tmp_path.iterdir() if ".before-" in p.name]


@pytest.mark.postgres
def test_two_postgresql_stations_starting_at_once_migrate_once(pg_migrated: str) -> None:
    with fresh_pg_database() as url:
        holder = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            errors: list[BaseException] = []
            results = []
            # a third connection holds the migration lock until both stations wait for it
            hold = holder.connect()
            hold.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})

            def station() -> None:
                engine = make_engine(url)
                try:
                    results.append(upgrade(engine))
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    engine.dispose()

            threads = [threading.Thread(target=station) for _ in range(2)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 15
            while _waiting_for_an_advisory_lock(hold) < 2:
                assert time.monotonic() < deadline and errors == [], (
                    f"the two stations were not both seen waiting for the migration lock: {errors}"
                )
                time.sleep(0.02)  # polling pg_locks
            hold.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
            hold.close()
            for t in threads:
                t.join(60)
            assert errors == []
            assert sorted(r.upgraded for r in results) == [False, True]  # one did it, once
            engine = make_engine(url)
            with engine.connect() as conn:
                assert current_heads(conn) == script_heads()
            engine.dispose()
        finally:
            holder.dispose()


def _waiting_for_an_advisory_lock(conn: Connection) -> int:
    """Backends of ``conn``'s database waiting for an advisory lock (pg_locks, not granted)."""
    return int(
        conn.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar_one()
    )
