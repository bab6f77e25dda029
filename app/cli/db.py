"""``packdesk db ...``: look after the database itself (backups before an upgrade)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.common import CliContext, print_json
from app.db.backup import backup_database
from app.db.engine import describe


def register(sub: Any) -> None:
    p = sub.add_parser("db", help="back up the database")
    dsub = p.add_subparsers(dest="db_command", metavar="action", required=True)
    bp = dsub.add_parser(
        "backup",
        help="copy the database to FILE (SQLite: online copy; PostgreSQL: pg_dump -Fc)",
        description="Copy the database to a new FILE without upgrading or changing it. "
        "A local SQLite file is copied while stations may keep working; a shared PostgreSQL "
        "database is dumped with pg_dump in its custom format (restore with pg_restore).",
    )
    bp.add_argument("file", type=Path, metavar="FILE", help="the new backup file")
    bp.add_argument("--json", action="store_true", help="print the result as JSON")
    bp.set_defaults(handler=backup)


def backup(ctx: CliContext) -> int:
    # deliberately without ctx.services: that would upgrade the schema before the copy is made
    url = ctx.settings.db_url
    target = backup_database(url, ctx.args.file.expanduser().resolve())
    size = target.stat().st_size
    if ctx.args.json:
        print_json({"database": describe(url), "file": str(target), "bytes": size})
    else:
        print(f"Backed up {describe(url)} to {target} ({size:,} bytes).")
    return 0
