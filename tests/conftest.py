"""Shared fixtures: real SQLite and real PostgreSQL databases, migrated once per run.

Service tests take the ``services`` fixture and run once per backend. On CI (``CI`` set) or with
``PACKDESK_REQUIRE_PG=1`` a missing PostgreSQL server fails the PostgreSQL tests; elsewhere they
are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, inspect, make_url, text

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.domain.users import Actor, Role
from app.logs import close_logging
from app.services import auth

BASE_PG_URL = os.environ.get(
    "PACKDESK_TEST_PG", "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/packdesk_test"
)


def _worker_url(url: str) -> str:
    """With pytest-xdist each worker gets its own PostgreSQL database next to the named one
    (``packdesk_test`` -> ``packdesk_gw1_test``), so workers never empty each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or worker == "gw0":
        return url
    parsed = make_url(url)
    name = parsed.database or ""
    stem = name[: -len("_test")] if name.endswith("_test") else name
    return parsed.set(database=f"{stem}_{worker}_test").render_as_string(hide_password=False)


PG_URL = _worker_url(BASE_PG_URL)
REQUIRE_PG = bool(os.environ.get("CI") or os.environ.get("PACKDESK_REQUIRE_PG"))
#: tables seeded by the migrations themselves; kept between tests
SEEDED = {"alembic_version", "roles"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same argon2id, with small cost parameters so hundreds of log-ins stay fast
    if request.node.get_closest_marker("real_password_hashing"):
        return
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def _close_log_files() -> Iterator[None]:
    yield
    close_logging()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def refuse_unless_test_database(url: str) -> None:
    """Fail unless ``url`` names a database ending in ``_test``: the fixture drops its schema."""
    name = make_url(url).database or ""
    if not name.endswith("_test"):
        pytest.fail(
            f"PACKDESK_TEST_PG names the database {name!r}; the tests drop and recreate its "
            "schema, so they only run on a database whose name ends in '_test'. "
            "Point PACKDESK_TEST_PG at a throw-away database such as packdesk_test.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    """The PostgreSQL test database, emptied and migrated once per run."""
    refuse_unless_test_database(PG_URL)
    if PG_URL != BASE_PG_URL:
        _create_worker_database(BASE_PG_URL, PG_URL)
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        msg = f"PostgreSQL test server not reachable at {PG_URL}: {exc}".splitlines()[0]
        if REQUIRE_PG:
            pytest.fail(msg + " (required here: start it, see .ci/run)")
        pytest.skip(msg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    engine = make_engine(PG_URL)
    upgrade(engine)
    engine.dispose()
    return PG_URL


def _create_worker_database(base_url: str, url: str) -> None:
    """Create this worker's database when it does not exist yet (the role needs CREATEDB)."""
    name = make_url(url).database
    engine = create_engine(
        base_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                return
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        msg = f"Could not create the worker database {name}: {exc}".splitlines()[0]
        if REQUIRE_PG:
            pytest.fail(msg + " (the test role needs CREATEDB, see .ci/run)")
        pytest.skip(msg)
    finally:
        engine.dispose()


def _delete_order(tables: set[str]) -> list[str]:
    """The tables, children before parents (the models' foreign keys), then any others."""
    import warnings

    from app.db.models import Base

    with warnings.catch_warnings():  # a cycle of nullable keys is fine for DELETE
        warnings.simplefilter("ignore")
        ordered = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in tables]
    return ordered + sorted(tables - set(ordered))


def _truncate_pg(url: str) -> None:
    """Empty every table but the seeded ones and restart the ids. DELETE in foreign-key order
    and one ``setval`` per sequence: on the few rows a test leaves this is some 30 times faster
    than TRUNCATE, which makes new files for every table and index."""
    engine = create_engine(url)
    with engine.begin() as conn:
        # Each worker has its own database, so any other connection still inside a transaction
        # is one an earlier test left behind (a thread still running, a session never closed).
        # Its locks would make the DELETE wait for ever: end it. The lock timeout turns any
        # other wait into an error that says so instead of a run that never finishes.
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state <> 'idle'"
            )
        )
        conn.execute(text("SET LOCAL lock_timeout = '60s'"))
        tables = {t for t in inspect(conn).get_table_names() if t not in SEEDED}
        if tables:
            conn.execute(text("; ".join(f'DELETE FROM "{t}"' for t in _delete_order(tables))))
            conn.execute(
                text(
                    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
                )
            )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "packdesk.sqlite"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("pg_migrated")
    _truncate_pg(url)
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh migrated SQLite database only (UI tests, CLI tests)."""
    target = tmp_path / "packdesk.sqlite"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    base = tmp_path / "home"
    return Paths(base / "config", base / "data", base / "logs")


@pytest.fixture
def services(db_url: str, paths: Paths) -> Iterator[Services]:
    svc = bootstrap(Settings(db_url=db_url, station="test-station"), paths)
    yield svc
    svc.close()


@pytest.fixture
def pg_only_services(pg_migrated: str, paths: Paths) -> Iterator[Services]:
    """Services on the PostgreSQL test database only: for races SQLite cannot have (it lets one
    writer in at a time)."""
    _truncate_pg(pg_migrated)
    svc = bootstrap(Settings(db_url=pg_migrated, station="test-station"), paths)
    yield svc
    svc.close()


@pytest.fixture
def admin(services: Services) -> Actor:
    """The first admin, logged in at the test station."""
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    return services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )


def make_actor(services: Services, admin: Actor, role: Role, name: str | None = None) -> Actor:
    """Create a user with ``role`` and log them in."""
    username = name or f"{role.value}-user"
    services.run(auth.create_user, admin, username, role, "secret-pass-1")
    return services.run(auth.login, username, "secret-pass-1", services.station_id)
