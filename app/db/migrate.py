"""Schema upgrades at start-up, in-process.

- A database newer than this program is refused with a clear message.
- A SQLite file is copied aside (online backup) before an upgrade touches it.
- On PostgreSQL an advisory lock stops two stations from migrating at once.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from app.db.engine import sqlite_path
from app.domain.errors import DatabaseTooNew

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: pg_advisory_lock key: "PACKDESK" as digits, any constant shared by all stations will do
PG_LOCK_KEY = 0x5041434B4445534B


@dataclass(frozen=True)
class MigrationResult:
    before: tuple[str, ...]
    after: tuple[str, ...]
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_heads() -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def current_heads(conn: Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def _check_not_newer(found: tuple[str, ...]) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for rev in found:
        try:
            known = script.get_revision(rev)
        except CommandError:
            known = None
        if known is None:
            raise DatabaseTooNew(found=rev, known=", ".join(script_heads()))


def backup_sqlite(path: Path, revision: str) -> Path:
    """Online copy of the SQLite file next to it, before its schema changes."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision or 'empty'}-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    log.info("backed up %s to %s before upgrading its schema", path, target)
    return target


def _upgrade_on(conn: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "heads")


def upgrade(engine: Engine) -> MigrationResult:
    """Bring the database to this program's schema; see the module docstring."""
    heads = script_heads()
    with engine.connect() as conn:
        before = current_heads(conn)
    _check_not_newer(before)
    if before == heads:
        return MigrationResult(before, before, None)

    backup = None
    if engine.dialect.name == "sqlite":
        path = sqlite_path(str(engine.url))
        if before and path is not None and path.exists():
            backup = backup_sqlite(path, before[0])
        with engine.connect() as conn:
            _upgrade_on(conn)
            conn.commit()
    else:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
            conn.commit()
            try:
                # another station may have upgraded while we waited for the lock
                now = current_heads(conn)
                _check_not_newer(now)
                if now != heads:
                    _upgrade_on(conn)
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                conn.commit()
    with engine.connect() as conn:
        after = current_heads(conn)
    log.info("database schema upgraded from %s to %s", before or "(empty)", after)
    return MigrationResult(before, after, backup)
