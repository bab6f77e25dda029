"""``packdesk sorting load CARRIER FILE``: a carrier's sorting-code table (大头笔 / 集包地). JSON
keys are a contract (add, never rename)."""

from __future__ import annotations

import sys
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import ImportFileError, NotFound
from app.services import sorting_codes


def register(sub: Any) -> None:
    p = sub.add_parser("sorting", help="carriers' sorting codes (大头笔 / 集包地)")
    ssub = p.add_subparsers(dest="sorting_command", metavar="action", required=True)
    lp = ssub.add_parser(
        "load",
        help="replace a carrier's sorting-code table with a CSV or XLSX file",
        description="Load a sorting-code file (.csv or .xlsx; columns country, province, city, "
        "district, postal_prefix, code, hub, or 国家, 省, 市, 区, 邮编前缀, 大头笔, 集包地): the "
        "carrier's table is replaced by the file's good rows. Rejected rows are listed with "
        "their row number and reason, and the exit status is 1.",
    )
    lp.add_argument("carrier", metavar="CARRIER", help="the carrier's code")
    lp.add_argument("file", metavar="FILE", help="the sorting-code file (.csv or .xlsx)")
    lp.add_argument("--json", action="store_true", help="print the result as a JSON object")
    lp.set_defaults(handler=load)


def load(ctx: CliContext) -> int:
    try:
        r = ctx.services.run(
            sorting_codes.load_sorting_codes, ctx.actor, ctx.args.carrier, ctx.args.file
        )
    except (ImportFileError, NotFound) as exc:
        if ctx.args.json:
            print_json({"error": exc.message})
        raise CliError(exc.message) from None
    if ctx.args.json:
        print_json(
            {
                "carrier": r.carrier,
                "file": r.file,
                "loaded": r.loaded,
                "rejected": r.rejected,
                "errors": [{"row": p.row, "reason": p.reason} for p in r.problems],
            }
        )
    else:
        print(f"Sorting codes of {r.carrier} loaded from {r.file}: {r.loaded} rows")
        for p in r.problems:
            print(f"  row {p.row}: {p.reason}", file=sys.stderr)
    return 1 if r.problems else 0
