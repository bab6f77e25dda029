"""Copies of the database: the SQLite file (online backup API) or PostgreSQL (``pg_dump``).

- Before an upgrade touches the local SQLite file, a copy is made next to it; only the newest
  ``KEEP_BACKUPS`` of those copies are kept.
- ``packdesk db backup FILE`` copies either kind of database to a file of the user's choosing.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app.db.engine import sqlite_path
from app.domain.errors import BackupFailed, ConfigError, PgDumpMissing

log = logging.getLogger(__name__)

#: copies made before upgrades that are kept next to the local database file
KEEP_BACKUPS = 5
#: pg_dump may take a while on a big database, but not forever
PG_DUMP_TIMEOUT_S = 3600


def copy_sqlite(source: Path, target: Path) -> None:
    """Online backup: consistent even while other connections write."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """Copy the SQLite file next to itself before its schema changes; prune old copies."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.stem}.before-{revision or 'empty'}-{stamp}{path.suffix}")
    copy_sqlite(path, target)
    log.info("backed up %s to %s before upgrading its schema", path, target)
    prune_upgrade_backups(path)
    return target


def upgrade_backups(path: Path) -> list[Path]:
    """The copies made before upgrades of ``path``, oldest first."""
    found = path.parent.glob(f"{path.stem}.before-*{path.suffix}")
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def prune_upgrade_backups(path: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Delete all but the newest ``keep`` copies (with their -wal/-shm files); returns those."""
    backups = upgrade_backups(path)
    doomed = backups[: max(0, len(backups) - keep)]
    for old in doomed:
        for companion in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
            companion.unlink(missing_ok=True)
        log.info("deleted the old backup %s (keeping the newest %d)", old, keep)
    return doomed


def backup_database(url: str, target: Path) -> Path:
    """Copy the database at ``url`` into the new file ``target``."""
    if target.exists():
        raise ConfigError(
            "The file {target} already exists. Choose a new file name for the backup.",
            target=str(target),
        )
    if not target.parent.is_dir():
        raise ConfigError(
            "The folder {folder} does not exist. Create it or choose another place.",
            folder=str(target.parent),
        )
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        source = sqlite_path(url)
        if source is None or not source.exists():
            raise ConfigError(
                "There is no database file at {where} to back up.", where=str(source or url)
            )
        try:
            copy_sqlite(source, target)
        except sqlite3.Error as exc:
            target.unlink(missing_ok=True)
            raise BackupFailed(target=str(target), reason=str(exc)) from exc
        return target
    return _pg_dump(url, target)


def _pg_dump(url: str, target: Path) -> Path:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise PgDumpMissing()
    u = make_url(url)
    # a libpq address keeps options such as ?sslmode=require; the password stays out of it
    address = URL.create(
        "postgresql", u.username, None, u.host, u.port, u.database, u.query
    ).render_as_string()
    args = [exe, "--format=custom", f"--file={target}", "--no-password", f"--dbname={address}"]
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password  # never on the command line, where `ps` shows it
    try:
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        target.unlink(missing_ok=True)
        raise BackupFailed(target=str(target), reason=str(exc)) from exc
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or [f"pg_dump exit {done.returncode}"])[0]
        raise BackupFailed(target=str(target), reason=reason)
    log.info("pg_dump of %s written to %s", u.database, target)
    return target
