"""``packdesk returns``: the return reasons, the refund note and the counts of what came back.

    returns reasons list [--all] [--json]
        [{"code", "name_en", "name_zh", "active", "position"}]
    returns reasons add CODE NAME_EN [NAME_ZH]
    returns reasons disable CODE
    returns refund-note [--since DATE] [--out FILE] [--json]
        CSV columns / JSON keys: app.services.returns_report.REFUND_COLUMNS
    returns report [--since DATE] [--json]      [{"sku", "reason", "qty", "returns"}]

The JSON output is a contract (keys are added, never renamed).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import CliContext, print_json
from app.services import return_reasons, returns_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value} is not a date: write it as YYYY-MM-DD") from exc


def register(sub: Any) -> None:
    p = sub.add_parser("returns", help="return reasons, the refund note, counts of returns")
    rsub = p.add_subparsers(dest="returns_command", metavar="action", required=True)
    reasons = rsub.add_parser("reasons", help="the reasons a returns clerk picks from")
    xsub = reasons.add_subparsers(dest="reasons_command", metavar="action", required=True)
    lp = xsub.add_parser("list", help="list the reasons in their order")
    lp.add_argument("--all", action="store_true", help="disabled ones too")
    lp.add_argument("--json", action="store_true", help="a JSON list instead of text")
    lp.set_defaults(handler=list_reasons)
    ap = xsub.add_parser("add", help="add a reason (or enable a disabled one again)")
    ap.add_argument("code", help="its code: letters, digits and _ (e.g. TOO_SMALL)")
    ap.add_argument("name_en", help="its name in English")
    ap.add_argument("name_zh", nargs="?", default="", help="its name in Chinese")
    ap.set_defaults(handler=add_reason)
    dp = xsub.add_parser("disable", help="stop offering a reason (old returns keep it)")
    dp.add_argument("code")
    dp.set_defaults(handler=disable_reason)

    np = rsub.add_parser("refund-note", help="what the shop should refund, as CSV")
    np.add_argument("--since", type=_date, metavar="DATE", help="returns finished since")
    np.add_argument("--out", type=Path, metavar="FILE", help="the CSV file (default: refunds.csv)")
    np.add_argument("--json", action="store_true", help="print the rows as JSON too")
    np.set_defaults(handler=refund_note)
    cp = rsub.add_parser("report", help="units returned per SKU and reason")
    cp.add_argument("--since", type=_date, metavar="DATE", help="returns finished since")
    cp.add_argument("--json", action="store_true", help="a JSON list instead of text")
    cp.set_defaults(handler=report)


def list_reasons(ctx: CliContext) -> int:
    rows = ctx.services.run(return_reasons.list_reasons, include_disabled=ctx.args.all)
    if ctx.args.json:
        print_json([asdict(r) for r in rows])
    else:
        for r in rows:
            state = "" if r.active else "  (disabled)"
            print(f"{r.code:<16} {r.name_en:<24} {r.name_zh}{state}")
    return 0


def add_reason(ctx: CliContext) -> int:
    a = ctx.args
    r = ctx.services.run(return_reasons.add_reason, ctx.actor, a.code, a.name_en, a.name_zh)
    print(f"{r.code}: {r.name_en} {r.name_zh}".rstrip())
    return 0


def disable_reason(ctx: CliContext) -> int:
    r = ctx.services.run(return_reasons.disable_reason, ctx.actor, ctx.args.code)
    print(f"{r.code} disabled")
    return 0


def refund_note(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.services.run(returns_report.refund_note, ctx.actor, since=a.since)
    out = returns_report.write_refund_csv(rows, a.out or Path("refunds.csv"))
    if a.json:
        print_json([asdict(r) for r in rows])
    else:
        total = sum(r.amount for r in rows)
        print(f"{len(rows)} lines, {sum(r.qty for r in rows)} units, {total} to refund: {out}")
    return 0


def report(ctx: CliContext) -> int:
    rows = ctx.services.run(returns_report.return_counts, ctx.actor, since=ctx.args.since)
    if ctx.args.json:
        print_json([asdict(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.sku:<20} {r.reason:<16} {r.qty:>6} units {r.returns:>5} returns")
    return 0
