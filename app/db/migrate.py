"""Schema upgrades at start-up, in-process, that cannot hurt the data.

- A database newer than this program is refused with a clear message.
- Every upgrade runs in ONE transaction: a failing step undoes all of it, and the caller gets
  ``MigrationFailed`` naming the step and the original error.
- SQLite: the file is copied aside (online backup, newest 5 copies kept) first. Foreign keys are
  switched off for the upgrade (outside its transaction, where SQLite honours the switch), so a
  table rebuild never cascade-deletes child rows; ``PRAGMA foreign_key_check`` runs before the
  commit: a reference the upgrade left dangling undoes it.
- PostgreSQL: a transaction-level advisory lock stops two stations from migrating at once; it is
  released by the commit or the rollback itself, so nobody sees a half-applied schema. Waiting for
  another station's upgrade gives up after ``LOCK_WAIT_S``. An upgrade is refused while a station
  running an older Packdesk was seen in the last ``RECENT_MINUTES`` minutes, unless forced.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from packaging.version import InvalidVersion, Version
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy import exc as sa_exc

from app import __version__
from app.db.backup import backup_before_upgrade
from app.db.engine import sqlite_path
from app.domain.errors import (
    DatabaseTooNew,
    MigrationFailed,
    MigrationFailedLocal,
    OlderStationsOnline,
    PackdeskError,
    UpgradeInProgress,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: advisory lock key: "PACKDESK" as digits, any constant shared by all stations will do
PG_LOCK_KEY = 0x5041434B4445534B
#: how long a station waits for another station's upgrade before giving up
LOCK_WAIT_S = 120.0
#: a station seen this recently is taken to be still running
RECENT_MINUTES = 10
#: PostgreSQL's "lock_timeout" fired
_LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class MigrationResult:
    before: tuple[str, ...]
    after: tuple[str, ...]
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class UpgradePolicy:
    """Who is upgrading and how patiently; the defaults are a station's start-up."""

    station: str = ""
    version: str = __version__
    force: bool = False
    lock_wait_s: float = LOCK_WAIT_S
    recent_minutes: int = RECENT_MINUTES
    #: more Alembic version directories (the tests add revisions on top of the head)
    extra_versions: tuple[Path, ...] = field(default=())


def alembic_config(extra_versions: Sequence[Path] = ()) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if extra_versions:
        dirs = [MIGRATIONS_DIR / "versions", *extra_versions]
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option("version_locations", os.pathsep.join(str(d) for d in dirs))
    return cfg


def script_heads(extra_versions: Sequence[Path] = ()) -> tuple[str, ...]:
    return _known_revisions(tuple(extra_versions), _fingerprint(extra_versions))[0]


def _fingerprint(extra_versions: Sequence[Path]) -> tuple[tuple[str, int], ...]:
    """The revision files' names and modification times: a changed file loads them again."""
    found: list[tuple[str, int]] = []
    for folder in (MIGRATIONS_DIR / "versions", *extra_versions):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        found.extend((e.path, e.stat().st_mtime_ns) for e in entries if e.name.endswith(".py"))
    return tuple(sorted(found))


@lru_cache(maxsize=8)
def _known_revisions(
    extra_versions: tuple[Path, ...], _files: tuple[tuple[str, int], ...]
) -> tuple[tuple[str, ...], frozenset[str]]:
    """The heads and every revision id. Alembic compiles each revision file from source when
    it reads them (some 50 ms for this project's): read once per process and set of files, not
    at every start-up check."""
    script = ScriptDirectory.from_config(alembic_config(extra_versions))
    return tuple(sorted(script.get_heads())), frozenset(r.revision for r in script.walk_revisions())


def current_heads(conn: Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def _check_not_newer(found: tuple[str, ...], heads: tuple[str, ...], known: frozenset[str]) -> None:
    """Refuse a database at a revision this program does not know (a newer program's)."""
    unknown = sorted(set(found) - known)
    if unknown:
        raise DatabaseTooNew(found=unknown[0], known=", ".join(heads))


def upgrade(engine: Engine, policy: UpgradePolicy | None = None) -> MigrationResult:
    """Bring the database to this program's schema; see the module docstring."""
    policy = policy or UpgradePolicy()
    extra = tuple(policy.extra_versions)
    heads, known = _known_revisions(extra, _fingerprint(extra))
    with engine.connect() as conn:
        before = current_heads(conn)
    _check_not_newer(before, heads, known)
    if before == heads:
        return MigrationResult(before, before, None)
    cfg = alembic_config(extra)
    if engine.dialect.name == "sqlite":
        backup = _upgrade_sqlite(engine, cfg, before)
    else:
        backup = None
        before = _upgrade_pg(engine, cfg, policy)  # as found under the lock
    with engine.connect() as conn:
        after = current_heads(conn)
    if after != before:
        log.info("database schema upgraded from %s to %s", before or "(empty)", after)
    return MigrationResult(before, after, backup)


# -- running the steps ---------------------------------------------------------------------------
class _Steps:
    """The revisions applied so far, to name the one that failed."""

    def __init__(self, script: ScriptDirectory, before: tuple[str, ...]) -> None:
        pending = script.iterate_revisions("heads", before or "base")
        self.plan = [s.revision for s in reversed(list(pending))]
        self.applied: list[str] = []

    def on_apply(self, *, step: Any, **_kw: Any) -> None:
        self.applied.extend(step.up_revision_ids)

    @property
    def failed(self) -> str:
        rest = [r for r in self.plan if r not in self.applied]
        if rest:
            return rest[0]
        return self.plan[-1] if self.plan else "?"  # all ran; the check after them failed


def _apply(conn: Connection, cfg: Config, steps: _Steps) -> None:
    """Run the pending steps inside the transaction ``conn`` is in (Alembic does not commit)."""
    cfg.attributes["connection"] = conn
    cfg.attributes["on_version_apply"] = steps.on_apply
    command.upgrade(cfg, "heads")


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


# -- SQLite --------------------------------------------------------------------------------------
def _upgrade_sqlite(engine: Engine, cfg: Config, before: tuple[str, ...]) -> Path | None:
    path = sqlite_path(str(engine.url))
    backup = None
    if before and path is not None and path.exists():
        backup = backup_before_upgrade(path, before[0])
    steps = _Steps(ScriptDirectory.from_config(cfg), before)
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        # outside any transaction: inside one SQLite ignores the switch
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            if driver.execute("PRAGMA foreign_keys").fetchone()[0]:
                raise RuntimeError("foreign keys could not be switched off for the upgrade")
            with conn.begin():
                dangling_before = _dangling_references(conn)
                _apply(conn, cfg, steps)
                _check_no_new_dangling(conn, dangling_before)
        except PackdeskError:
            raise
        except Exception as exc:
            log.error("the upgrade failed at %s; rolled back", steps.failed, exc_info=exc)
            if backup is None:
                raise MigrationFailed(revision=steps.failed, reason=_reason(exc)) from exc
            raise MigrationFailedLocal(
                revision=steps.failed, reason=_reason(exc), backup=str(backup)
            ) from exc
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
    return backup


class _DanglingReferences(Exception):
    pass


def _dangling_references(conn: Connection) -> Counter[tuple[str, str]]:
    """(child table, parent table) -> rows whose foreign key points at no row."""
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    return Counter((table, parent) for table, _rowid, parent, _fk in rows)


def _check_no_new_dangling(conn: Connection, before: Counter[tuple[str, str]]) -> None:
    """Fail if the upgrade left rows pointing at nothing (rows that did so already do not count:
    they must not block every upgrade to come)."""
    new = _dangling_references(conn) - before
    if new:
        raise _DanglingReferences(
            "; ".join(
                f"{n} row(s) of {table} would point at missing rows of {parent}"
                for (table, parent), n in sorted(new.items())
            )
        )


# -- PostgreSQL ----------------------------------------------------------------------------------
def _upgrade_pg(engine: Engine, cfg: Config, policy: UpgradePolicy) -> tuple[str, ...]:
    """Upgrade under the lock; returns the heads found once the lock was ours."""
    script = ScriptDirectory.from_config(cfg)
    with engine.connect() as conn:
        steps: _Steps | None = None
        try:
            with conn.begin():  # the rollback of a failure also releases the lock
                _lock(conn, policy)
                # another station may have upgraded while we waited for the lock
                now = current_heads(conn)
                extra = tuple(policy.extra_versions)
                heads, known = _known_revisions(extra, _fingerprint(extra))
                _check_not_newer(now, heads, known)
                if now == heads:
                    return now
                if not policy.force:
                    _refuse_under_older_stations(conn, policy)
                steps = _Steps(script, now)
                _apply(conn, cfg, steps)
            return now
        except PackdeskError:
            raise
        except Exception as exc:
            if steps is None:
                raise
            log.error("the upgrade failed at %s; rolled back", steps.failed, exc_info=exc)
            raise MigrationFailed(revision=steps.failed, reason=_reason(exc)) from exc


def _lock(conn: Connection, policy: UpgradePolicy) -> None:
    key = {"k": PG_LOCK_KEY}
    if conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), key).scalar_one():
        _name_the_upgrade(conn, policy)
        return
    holder = _lock_holder(conn)
    log.info(
        "waiting up to %.0f s for %s to finish upgrading the database", policy.lock_wait_s, holder
    )
    conn.execute(
        text("SELECT set_config('lock_timeout', :ms, true)"),
        {"ms": f"{max(1, round(policy.lock_wait_s * 1000))}ms"},
    )
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), key)
    except sa_exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
            raise
        raise UpgradeInProgress(holder=holder, seconds=round(policy.lock_wait_s)) from exc
    conn.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
    _name_the_upgrade(conn, policy)


def _name_the_upgrade(conn: Connection, policy: UpgradePolicy) -> None:
    """Shown to the stations that wait (pg_stat_activity.application_name)."""
    name = f"packdesk upgrade: {policy.station or '?'}"[:63]
    conn.execute(text("SELECT set_config('application_name', :n, true)"), {"n": name})


def _lock_holder(conn: Connection) -> str:
    row = conn.execute(
        text(
            "SELECT a.application_name, host(a.client_addr), a.pid FROM pg_locks l"
            " JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.classid::bigint = :hi AND l.objid::bigint = :lo"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"hi": PG_LOCK_KEY >> 32, "lo": PG_LOCK_KEY & 0xFFFFFFFF},
    ).first()
    if row is None:  # it finished just now
        return "?"
    app_name, addr, pid = row
    prefix = "packdesk upgrade: "
    if app_name and app_name.startswith(prefix):
        return f"{app_name[len(prefix) :]}, {addr}" if addr else app_name[len(prefix) :]
    return f"{addr or 'localhost'} pid {pid}"  # not a Packdesk upgrade: an administrator?


# -- older stations ------------------------------------------------------------------------------
def older_stations(conn: Connection, policy: UpgradePolicy) -> list[str]:
    """Other stations seen recently that run an older (or unknown) Packdesk, as "code (version)"."""
    insp = inspect(conn)
    if not insp.has_table("stations"):
        return []
    columns = {c["name"] for c in insp.get_columns("stations")}
    if "last_seen_at" not in columns:
        return []
    version = "app_version" if "app_version" in columns else "''"
    since = datetime.now(UTC) - timedelta(minutes=policy.recent_minutes)
    rows = conn.execute(
        text(
            f"SELECT code, {version} FROM stations"  # a column name, not input
            " WHERE last_seen_at >= :since AND code <> :me ORDER BY code"
        ),
        {"since": since, "me": policy.station},
    ).all()
    return [
        f"{code} ({ver or '?'})"  # '?': from before stations said their version
        for code, ver in rows
        if _is_older(ver, policy.version)
    ]


def _is_older(theirs: str | None, ours: str) -> bool:
    try:
        return Version(theirs or "") < Version(ours)
    except InvalidVersion:
        return True  # a station that does not say its version predates the version column


def _refuse_under_older_stations(conn: Connection, policy: UpgradePolicy) -> None:
    older = older_stations(conn, policy)
    if older:
        raise OlderStationsOnline(
            version=policy.version, minutes=policy.recent_minutes, stations=", ".join(older)
        )
