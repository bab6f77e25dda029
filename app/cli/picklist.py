"""``packdesk picklist WAVE --pdf FILE``: a released wave's printable pick list (one section per
batch). JSON keys are a contract (add, never rename)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import NotFound
from app.services import picklist


def register(sub: Any) -> None:
    p = sub.add_parser(
        "picklist",
        help="write a released wave's pick list as a PDF",
        description="Write the pick list of a released wave (W000123) as an A4 PDF: one section "
        "per batch, with the route map, every task in route order with its location and product "
        "barcodes, and the command barcodes. An unknown wave, or one not released yet, exits "
        "with status 2.",
    )
    p.add_argument("wave", metavar="WAVE", help="the wave number, e.g. W000123")
    p.add_argument("--pdf", metavar="FILE", required=True, help="where to write the PDF")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")
    p.set_defaults(handler=write_pick_list)


def write_pick_list(ctx: CliContext) -> int:
    target = Path(ctx.args.pdf)
    try:
        document, data, pages = ctx.services.run(
            picklist.pick_list_document, ctx.actor, ctx.args.wave
        )
    except (NotFound, picklist.WaveNotReleased) as exc:
        raise CliError(exc.message, 2) from exc
    try:
        target.write_bytes(document)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}", 2) from exc
    batches = [
        {
            "batch": b.label,
            "method": b.method,
            "orders": b.orders,
            "lines": len(b.lines),
            "units": b.units,
        }
        for b in data.batches
    ]
    if ctx.args.json:
        print_json({"wave": data.wave, "pdf": str(target), "pages": pages, "batches": batches})
        return 0
    print(f"Pick list of wave {data.wave}: {len(batches)} batches, {pages} pages -> {target}")
    return 0
