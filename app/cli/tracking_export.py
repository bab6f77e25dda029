"""``packdesk tracking export``, ``tracking mapping save`` and ``tracking set-url``: the
tracking of shipped orders written back to the shops as files (``app.services.tracking_export``).

The JSON output is a contract (keys are added, never renamed)::

    tracking export --json         {"path", "format", "rows", "parcels", "skipped", "written",
                                    "channel", "orders"}
    tracking mapping save --json   {"name", "columns": [[header, field]...], "file_type"}

Without ``--out`` the file goes to ``<data>/exports/tracking-<channel>-<format>-<date>.<ext>``
(``-2``, ``-3``... when that name is taken).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.tracking_export import CN_TEMPLATES, FIELDS, FORMATS
from app.services import tracking_export


def register(tsub: Any) -> None:
    ep = tsub.add_parser(
        "export",
        help="write the tracking of shipped orders in the file a shop uploads",
        description="Write the tracking numbers of the channel's shipped orders that were not "
        "written in this format yet (a parcel once per format unless --again), in the file the "
        "shop's bulk upload takes: shopify, woocommerce, taobao, jd, pinduoduo, douyin, or "
        "generic through a saved mapping.",
    )
    ep.add_argument("--channel", required=True, metavar="NAME", help="the channel's code or name")
    ep.add_argument("--format", metavar="F", help=f"one of: {', '.join(FORMATS)}")
    ep.add_argument("--mapping", metavar="NAME", help="the saved mapping (format generic)")
    ep.add_argument("--since", type=date.fromisoformat, metavar="DATE", help="shipped on or after")
    ep.add_argument("--out", type=Path, metavar="FILE", help="the file to write")
    ep.add_argument("--again", action="store_true", help="write parcels written before too")
    ep.add_argument("--json", action="store_true", help="a JSON object instead of text")
    ep.set_defaults(handler=export)

    mp = tsub.add_parser("mapping", help="save a generic tracking file mapping")
    msub = mp.add_subparsers(dest="mapping_command", metavar="action", required=True)
    sp = msub.add_parser(
        "save",
        help="save a mapping: the columns of a generic tracking file",
        description="Each FIELD is a column, written under its own name or as Header=FIELD. "
        f"Fields: {', '.join(FIELDS)}.",
    )
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("fields", nargs="+", metavar="FIELD")
    sp.add_argument("--xlsx", action="store_true", help="write Excel files (default CSV)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=save_mapping)

    up = tsub.add_parser("set-url", help="set a carrier's tracking page ({tracking}: the number)")
    up.add_argument("carrier", metavar="CARRIER")
    up.add_argument("url", metavar="URL", help='"" for the built-in page')
    up.set_defaults(handler=set_url)


def _extension(ctx: CliContext) -> tuple[str, str]:
    """(format name for the file name, extension) before the export knows the channel."""
    a = ctx.args
    choices = ctx.services.run(tracking_export.export_choices, ctx.actor)
    fmt = (a.format or "").lower() or ("generic" if a.mapping else "")
    if not fmt:
        match = [c for c in choices.channels if a.channel in (c.code, c.name)]
        fmt = match[0].default_format if match else ""
    ext = "xlsx" if fmt in CN_TEMPLATES else "csv"
    if fmt == "generic" and a.mapping:
        ext = ctx.services.run(tracking_export.mapping_file_type, a.mapping)
        return f"generic-{a.mapping}", ext
    return fmt or "tracking", ext


def export(ctx: CliContext) -> int:
    a = ctx.args
    out = a.out
    if out is None:
        fmt, ext = _extension(ctx)
        out = tracking_export.default_export_path(
            ctx.paths.data_dir, a.channel, fmt, ext, date.today()
        )
    r = ctx.services.run(
        tracking_export.export_tracking,
        ctx.actor,
        a.channel,
        out=out,
        fmt=a.format,
        since=a.since,
        again=a.again,
        mapping=a.mapping,
    )
    if a.json:
        print_json(
            {
                "path": str(r.path) if r.written else None,
                "format": r.format,
                "rows": r.rows,
                "parcels": r.parcels,
                "skipped": r.skipped,
                "written": r.written,
                "channel": r.channel,
                "orders": r.orders,
            }
        )
    elif r.written:
        print(f"{r.parcels} parcels of {r.orders} orders, {r.rows} rows ({r.format}): {r.path}")
    else:
        print(f"Nothing new to write ({r.skipped} parcels written before; --again writes them).")
    return 0


def save_mapping(ctx: CliContext) -> int:
    a = ctx.args
    made = ctx.services.run(
        tracking_export.save_export_mapping,
        ctx.actor,
        a.name,
        list(a.fields),
        file_type="xlsx" if a.xlsx else "csv",
    )
    if a.json:
        print_json({"name": made.name, **made.to_json()})
    else:
        cols = ", ".join(f"{c.header}={c.field}" for c in made.columns)
        print(f"Saved mapping {made.name} ({made.file_type}): {cols}")
    return 0


def set_url(ctx: CliContext) -> int:
    a = ctx.args
    if not a.carrier:
        raise CliError("name the carrier")
    url = ctx.services.run(tracking_export.set_tracking_url, ctx.actor, a.carrier, a.url)
    print(f"{a.carrier}: {url or 'the built-in tracking page'}")
    return 0
