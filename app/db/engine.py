"""Engines for a local SQLite file or a shared PostgreSQL database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 15_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory databases)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling is turned off (isolation_level=None) so that
    # SQLAlchemy's "begin" event below emits BEGIN IMMEDIATE itself: SQLite then locks for the
    # whole unit of work, and SAVEPOINTs work.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine set up for Packdesk: WAL and foreign keys on SQLite, a pool on PostgreSQL."""
    try:
        u = make_url(url)
    except Exception as exc:
        raise ConfigError(
            "The database address {url!r} is not valid: {exc}", url=url, exc=exc
        ) from exc
    backend = u.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock at the start: a second process (the CLI importing
            # while the app runs) then waits up to the busy timeout instead of failing when a
            # read transaction tries to become a write one.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if backend == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        return create_engine(
            u,
            echo=echo,
            pool_size=5,
            max_overflow=5,
            pool_pre_ping=True,
            pool_recycle=1800,
            connect_args={"connect_timeout": 5},
        )
    raise ConfigError(
        "Packdesk works with SQLite (sqlite:///path/to/file.sqlite) or "
        "PostgreSQL (postgresql+psycopg://user:password@host/db), not "
        "{backend!r}.",
        backend=backend,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def describe(url: str) -> str:
    """Where the data is, without the password: for the status bar and messages."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return f"SQLite {u.database}"
    return f"PostgreSQL {u.host or 'localhost'}:{u.port or 5432}/{u.database}"
