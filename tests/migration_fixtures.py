"""Test-only migrations and throw-away PostgreSQL databases for the upgrade tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.conftest import PG_URL

MIGRATIONS = Path(__file__).with_name("data") / "migrations"
#: rebuilds ``orders`` (SQLite) / adds a column (PostgreSQL) on top of the program's head
REBUILD = MIGRATIONS / "rebuild_orders"
#: creates a table and a column, then breaks a primary key
FAILING = MIGRATIONS / "failing"


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """An empty PostgreSQL database next to the test database, dropped afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    base = make_url(PG_URL).database or "packdesk"
    name = f"{base}_mig_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            _drop(admin, name)
        finally:
            admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        try:
            # without FORCE: the server stops its own autovacuum workers (FORCE would need the
            # right to end their processes, which the test role lacks)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        except DBAPIError:  # connections a failed test left open
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
