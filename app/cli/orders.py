"""``packdesk orders ...``"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import CliContext, print_json
from app.domain.orders import OrderStatus
from app.domain.users import SYSTEM
from app.services import orders


def register(sub: Any) -> None:
    p = sub.add_parser("orders", help="list, import and allocate orders")
    osub = p.add_subparsers(dest="orders_command", metavar="action", required=True)
    lp = osub.add_parser("list", help="print orders")
    lp.add_argument("--status", choices=[s.value for s in OrderStatus])
    lp.add_argument("--limit", type=_positive, help="at most this many orders")
    lp.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    lp.set_defaults(handler=list_orders)


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def list_orders(ctx: CliContext) -> int:
    data = ctx.services.run(orders.orders_for_export, SYSTEM, ctx.args.status, ctx.args.limit)
    if ctx.args.json:
        print_json(data)
        return 0
    for o in data:
        lines = ", ".join(f"{ln['sku']} x{ln['qty']}" for ln in o["lines"])  # type: ignore[attr-defined]
        holds = "; ".join(o["hold_reasons"])  # type: ignore[arg-type]
        print(
            f"{o['number']:<14} {o['status']:<10} {o['channel']:<12} {lines}"
            + (f"  [{holds}]" if holds else "")
        )
    print(f"{len(data)} orders")
    return 0
