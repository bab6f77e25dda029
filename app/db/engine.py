"""Engines for a local SQLite file or a shared PostgreSQL database."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE
from app.domain.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 15_000
#: how long an action waits for one of the station's pooled connections when all are in use,
#: before it ends as "database busy" (the pool is sized so that this is rare)
POOL_TIMEOUT_S = 10.0
#: the start of each station's ``application_name`` on PostgreSQL (``packdesk:<station>:<pid>``,
#: ``app.live.sender``), so ``pg_stat_activity`` shows which station holds which connection
APP_NAME_PREFIX = "packdesk:"
#: a pooled PostgreSQL connection given back less than this long ago is not pinged before its
#: next use (``_ping_when_idle``): a packer scanning every second or two sends no ``SELECT 1``
#: ahead of each scan, and a connection idle longer (a break, a server restart overnight) is
#: still tested first
PING_IDLE_S = 5.0
#: key in a PostgreSQL connection's ``info``: True once its transaction sent anything but a
#: SELECT (``_note_writes``); a unit of work that wrote nothing then ends with COMMIT, not ROLLBACK
WROTE = "packdesk_wrote"
#: key in a PostgreSQL connection's ``info``: the statements sent in its current transaction
SENT = "packdesk_sent"
#: attribute set on a disconnect error raised by the first statement of a transaction: the
#: connection was already dead when it was taken from the pool, nothing reached the server, so
#: ``Services.run_with`` runs the action once more on a fresh connection (what the pool's
#: pre-ping would have done, without its round trip before every action)
STALE = "packdesk_stale_connection"
#: execution option a read-only unit of work puts on its connection (``UnitOfWork.__enter__``)
READ_ONLY = "packdesk_read_only"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory databases)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The driver's own transaction handling is turned off (isolation_level=None) so that
        # SQLAlchemy's "begin" event below emits BEGIN itself, and SAVEPOINTs work.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return on_connect


def _sqlite_begin(conn: Connection) -> None:
    """A unit of work that writes begins IMMEDIATE: it takes the write lock at the start, so a
    second process (the command line importing while the app runs) waits up to the busy timeout
    instead of failing when a read transaction tries to become a write one. A read-only unit of
    work begins DEFERRED: in WAL mode it reads its snapshot without waiting for a writer, and
    ``query_only`` makes a write in it fail (a service marked as a read that writes is a bug)."""
    read_only = bool(conn.get_execution_options().get(READ_ONLY))
    info = conn.connection.info  # lives as long as the driver's connection
    if info.get("query_only") is not read_only:  # one statement fewer per unit of work
        conn.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
        info["query_only"] = read_only
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _postgres_begin(conn: Connection) -> None:
    """A read-only unit of work is a READ ONLY transaction: a write in it fails loudly. psycopg
    then begins with ``BEGIN READ ONLY``, so this costs no extra round trip to the server."""
    conn.info[WROTE], conn.info[SENT] = False, 0
    dbapi_conn: Any = conn.connection.dbapi_connection
    read_only = bool(conn.get_execution_options().get(READ_ONLY))
    if dbapi_conn is not None and dbapi_conn.read_only != read_only:
        dbapi_conn.read_only = read_only


def _note_writes(
    conn: Connection, _cursor: Any, statement: str, _params: Any, _ctx: Any, _many: bool
) -> None:
    """Mark the transaction as one that wrote: any statement but a plain SELECT counts
    (INSERT, UPDATE, DELETE, a CTE, a SAVEPOINT...). ``UnitOfWork.__exit__`` reads the mark."""
    info = conn.info
    info[SENT] = info.get(SENT, 0) + 1
    if not statement.startswith("SELECT"):
        info[WROTE] = True


def _mark_stale(ctx: ExceptionContext) -> None:
    """A disconnect on the first statement of a transaction (not on a COMMIT: whether that one
    reached the server is unknown) marks the error ``STALE``."""
    conn, error = ctx.connection, ctx.sqlalchemy_exception
    if not ctx.is_disconnect or conn is None or error is None or ctx.statement is None:
        return
    try:
        first = conn.info.get(SENT, 0) <= 1
    except sa_exc.InvalidRequestError:  # a connection already closed: do not guess
        return
    if first and ctx.statement.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
        setattr(error, STALE, True)


def _ping_when_idle(engine: Engine) -> None:
    """The pool's pre-ping (a ``SELECT 1`` round trip before a connection is handed out) only
    for a connection that has been idle for ``PING_IDLE_S`` or more. One
    used moments ago is almost certainly still there; if the server dropped it all the same,
    its first statement fails, the error is marked ``STALE`` and ``Services.run_with`` runs the
    action again on a fresh connection (the failure invalidated the pool)."""
    returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
    dialect: Any = engine.dialect
    ping = dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        back = returned.get(dbapi_connection)
        if back is not None and time.monotonic() - back < PING_IDLE_S:
            return True
        return bool(ping(dbapi_connection))

    def on_checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            returned[dbapi_connection] = time.monotonic()

    dialect.do_ping = do_ping
    event.listen(engine, "checkin", on_checkin)


def _sender(station: str) -> str:
    from app.live.sender import sender_name  # app.live imports this module

    return sender_name(station or "station")


def make_engine(
    url: str,
    *,
    echo: bool = False,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_overflow: int = DEFAULT_MAX_OVERFLOW,
    station: str = "",
    application_name: str = "",
) -> Engine:
    """An engine set up for Packdesk: WAL and foreign keys on SQLite, a pool on PostgreSQL.
    ``busy_timeout_ms``: how long SQLite waits for another connection's write lock.
    ``pool_size``: the PostgreSQL connections the station keeps open; ``max_overflow``: how
    many more it may open at once for a burst (closed again when returned); together the most
    this station ever holds, besides a live-updates listener (docs/postgresql-server.md).
    ``application_name``: what PostgreSQL calls this program's sessions (``pg_stat_activity``,
    and the sender of live-update announcements, see ``app.live``), by default
    ``packdesk:<station>:<pid>``; at most 63 bytes."""
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
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        engine = create_engine(
            u,
            echo=echo,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=POOL_TIMEOUT_S,
            pool_pre_ping=True,  # only for a connection idle PING_IDLE_S or more
            # the connection given back last is lent first: one connection stays in use, its
            # prepared statements warm, and the other idles (and is pinged when needed)
            pool_use_lifo=True,
            pool_recycle=1800,
            connect_args={
                "connect_timeout": 5,
                "application_name": (application_name or _sender(station))[:63],
            },
        )
        event.listen(engine, "begin", _postgres_begin)
        event.listen(engine, "before_cursor_execute", _note_writes)
        event.listen(engine, "handle_error", _mark_stale)
        _ping_when_idle(engine)
        return engine
    raise ConfigError(
        "Packdesk works with SQLite (sqlite:///path/to/file.sqlite) or "
        "PostgreSQL (postgresql+psycopg://user:password@host/db), not "
        "{backend!r}.",
        backend=backend,
    )


#: rows read again and again in one action (a scan reads its product, location and lot in
#: several steps): the session keeps these alive for the whole unit of work. SQLAlchemy's
#: identity map holds loaded objects weakly, so a product no longer referenced was forgotten
#: and read again by the next ``session.get``: one statement and its round trip each time.
KEPT_FOR_THE_UNIT_OF_WORK = frozenset(
    {
        "Product",
        "Lot",
        "Location",
        "Warehouse",
        "Wave",
        "PickBatch",
        "Cart",
        "Channel",
        "Carrier",
        "CarrierService",
        "PackageType",
        "Station",
    }
)


def _keep(session: Session, instance: object) -> None:
    if type(instance).__name__ in KEPT_FOR_THE_UNIT_OF_WORK:
        session.info.setdefault("kept", []).append(instance)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "loaded_as_persistent", _keep)
    return factory


def describe(url: str) -> str:
    """Where the data is, without the password: for the status bar and messages."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return f"SQLite {u.database}"
    return f"PostgreSQL {u.host or 'localhost'}:{u.port or 5432}/{u.database}"
