"""``packdesk mappings ...``: the product mapping table (平台货品对应)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import ImportFileError
from app.importers import mapping_file
from app.services import listing_mappings as lm


def register(sub: Any) -> None:
    p = sub.add_parser("mappings", help="list and import product mappings (channel listings)")
    msub = p.add_subparsers(dest="mappings_command", metavar="action", required=True)
    lp = msub.add_parser("list", help="print the product mappings")
    lp.add_argument("--search", default="", help="only mappings whose listing or product has this")
    lp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    lp.set_defaults(handler=list_mappings)
    ip = msub.add_parser(
        "import",
        help="import product mappings from a CSV or Excel file",
        description="Import product mappings: one row per product, columns channel, match "
        "(sku, listing_id or title), listing, sku and units (or 渠道, 匹配方式, 平台货品, "
        "货品编码, 数量). Rows with the same channel, match and listing one after another make "
        "a kit. Bad rows are reported by row number; the good ones are saved. Exit status 1 "
        "only when the file cannot be read.",
    )
    ip.add_argument("file", metavar="FILE", help="the mapping file (.csv or .xlsx)")
    ip.add_argument("--json", action="store_true", help="print the result as a JSON object")
    ip.set_defaults(handler=import_mappings)
    ep = msub.add_parser(
        "export", help="write the product mappings to a CSV or Excel file (importable again)"
    )
    ep.add_argument("file", metavar="FILE", help="the file to write (.csv or .xlsx)")
    ep.set_defaults(handler=export_mappings)


def mapping_json(m: lm.ListingMapping) -> dict[str, object]:
    """One mapping in ``mappings list --json`` (keys are a contract: add, never rename)."""
    return {
        "id": m.id,
        "channel": m.channel_name,
        "match": m.match_kind,
        "listing": m.match_text,
        "parts": [{"sku": p.sku, "name": p.name, "units": p.units} for p in m.parts],
        "updated_at": m.updated_at.isoformat(),
    }


def list_mappings(ctx: CliContext) -> int:
    found = ctx.services.run(lm.list_mappings, ctx.actor, ctx.args.search)
    if ctx.args.json:
        print_json({"mappings": [mapping_json(m) for m in found]})
        return 0
    for m in found:
        parts = " + ".join(f"{p.sku} x{p.units}" for p in m.parts)
        channel = m.channel_name or "(every channel)"
        print(f"{channel:<16} {m.match_kind:<10} {m.match_text}  ->  {parts}")
    print("1 mapping" if len(found) == 1 else f"{len(found)} mappings")
    return 0


def import_mappings(ctx: CliContext) -> int:
    try:
        r = ctx.services.run(lm.import_mappings, ctx.actor, ctx.args.file)
    except ImportFileError as exc:
        if ctx.args.json:
            print_json({"error": exc.message})
        print(f"packdesk: {exc.message}", file=sys.stderr)
        return 1
    if ctx.args.json:
        print_json(
            {
                "added": r.added,
                "updated": r.updated,
                "problems": [{"row": p.row, "reason": p.reason} for p in r.problems],
                "rechecked": r.rechecked,
                "released": r.released,
            }
        )
        return 0
    print(
        f"{r.added} mappings added, {r.updated} changed; {r.rechecked} held orders checked "
        f"again, {r.released} released"
    )
    for p in r.problems:
        print(f"  row {p.row}: {p.reason}")
    return 0


def export_mappings(ctx: CliContext) -> int:
    path = Path(ctx.args.file)
    if path.exists():
        raise CliError(f"{path} exists already; choose a new file name.")
    rows = ctx.services.run(lm.export_rows, ctx.actor)
    mapping_file.write(path, rows)
    n = len({tuple(r[:3]) for r in rows[1:]})
    print(f"{n} mappings ({len(rows) - 1} rows) written to {path}")
    return 0
