"""``packdesk orders ...``"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import CliContext, print_json
from app.domain.orders import OrderStatus
from app.importers.sources import FORMATS
from app.services import order_actions, orders


def register(sub: Any) -> None:
    p = sub.add_parser("orders", help="list, import and allocate orders")
    osub = p.add_subparsers(dest="orders_command", metavar="action", required=True)
    lp = osub.add_parser("list", help="print orders")
    lp.add_argument("--status", choices=[s.value for s in OrderStatus])
    lp.add_argument("--limit", type=_positive, help="at most this many orders")
    lp.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    lp.set_defaults(handler=list_orders)
    _register_actions(osub)
    _register_import(osub)


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def list_orders(ctx: CliContext) -> int:
    data = ctx.services.run(orders.orders_for_export, ctx.actor, ctx.args.status, ctx.args.limit)
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
    print(_orders(len(data)))
    return 0


# --- allocate, release, hold, cancel (app.services.order_actions) -------------------------------


def _register_actions(osub: Any) -> None:
    ap = osub.add_parser("allocate", help="reserve stock for all released orders")
    ap.add_argument("--json", action="store_true", help="a JSON object instead of text")
    ap.set_defaults(handler=allocate_orders)
    sp = osub.add_parser(
        "allocation-settings", help="show or change the shortage policy and minimum shelf life"
    )
    sp.add_argument(
        "--policy",
        choices=["hold", "backorder"],
        help="when stock is short: hold the whole order, or ship what is there and backorder",
    )
    sp.add_argument(
        "--min-shelf-life",
        type=int,
        metavar="DAYS",
        help="lots expiring within this many days are not allocated",
    )
    sp.set_defaults(handler=allocation_settings)
    for name, helptext in (
        ("release", "release new or held orders for allocation"),
        ("hold", "put orders on hold (allocated stock is given back)"),
        ("cancel", "cancel orders (reserved stock is given back)"),
    ):
        cp = osub.add_parser(name, help=helptext)
        cp.add_argument("numbers", nargs="+", metavar="NUMBER", help="order numbers")
        if name == "hold":
            cp.add_argument("--reason", required=True, help="why: the reviewer reads it")
        else:
            cp.add_argument("--note", default="", help="a note for the order's history")
        cp.add_argument("--json", action="store_true", help="a JSON array of results")
        cp.set_defaults(handler=order_action, action=name)


def allocate_orders(ctx: CliContext) -> int:
    report = ctx.services.run(order_actions.allocate, ctx.actor)
    if ctx.args.json:
        print_json(report.as_dict())
        return 0
    for title, results in (
        ("allocated", report.allocated),
        ("backordered", report.backordered),
        ("held", report.held),
        ("not allocated", report.skipped),
    ):
        print(f"{title}: {_orders(len(results))}")
        for r in results:
            print(f"  {r.number:<14} {r.message}")
    print(f"{report.reserved_units} units reserved")
    return 0


def allocation_settings(ctx: CliContext) -> int:
    from app.services import allocation

    if ctx.args.policy is None and ctx.args.min_shelf_life is None:
        rules = ctx.services.run(allocation.allocation_settings, ctx.actor)
    else:
        rules = ctx.services.run(
            allocation.set_allocation_settings,
            ctx.actor,
            shortage_policy=ctx.args.policy,
            min_shelf_life_days=ctx.args.min_shelf_life,
        )
    print(f"shortage policy: {rules.shortage_policy.value}")
    print(f"minimum remaining shelf life: {rules.min_shelf_life_days} days")
    return 0


def order_action(ctx: CliContext) -> int:
    """release/hold/cancel NUMBER...: a line per order; exit 1 when any was refused."""
    numbers: list[str] = ctx.args.numbers
    ids = ctx.services.run(order_actions.find_orders, ctx.actor, numbers)
    action = ctx.args.action
    found = [ids[n] for n in dict.fromkeys(numbers) if n in ids]
    results: list[dict[str, object]] = [
        {"number": n, "ok": False, "message": f"Order {n} was not found."}
        for n in dict.fromkeys(numbers)
        if n not in ids
    ]
    if found:
        uow = ctx.services.uow()
        if action == "hold":
            report = order_actions.hold(uow, ctx.actor, found, ctx.args.reason)
        elif action == "release":
            report = order_actions.release(uow, ctx.actor, found, ctx.args.note)
        else:
            report = order_actions.cancel(uow, ctx.actor, found, ctx.args.note)
        results += [{"number": r.number, "ok": r.ok, "message": r.message} for r in report.results]
    if ctx.args.json:
        print_json(results)
    else:
        for r in results:
            print(f"{'ok' if r['ok'] else 'refused':<8} {r['number']:<14} {r['message']}")
    return 0 if all(r["ok"] for r in results) else 1


# --- packdesk orders import ----------------------------------------------------------------


def _register_import(osub: Any) -> None:
    ip = osub.add_parser(
        "import",
        help="import orders from a file",
        description="Import orders from a Shopify export, a WooCommerce one (WebToffee's or "
        "Advanced Order Export's CSV, or the REST API's JSON order list), a Taobao/Tmall, JD, "
        "Pinduoduo or Douyin export, or from any CSV/Excel file through a saved column profile. "
        "Exit status 1 only when the file cannot be read.",
    )
    ip.add_argument("file", metavar="FILE", help="the export file (.csv, .xlsx or .json)")
    ip.add_argument(
        "--format",
        choices=list(FORMATS),
        help="the kind of file (default: found from the header row, or the JSON content)",
    )
    ip.add_argument("--profile", metavar="NAME", help="saved column profile for a generic file")
    ip.add_argument(
        "--channel", metavar="NAME", help="sales channel (created if missing; default: the format)"
    )
    ip.add_argument(
        "--encoding", metavar="ENC", help="text encoding of a CSV (default: detected; e.g. gb18030)"
    )
    ip.add_argument("--json", action="store_true", help="print the result as a JSON object")
    ip.set_defaults(handler=import_orders)


def import_orders(ctx: CliContext) -> int:
    import sys

    from app.domain.errors import ImportFileError
    from app.services import order_intake

    args = ctx.args
    show_progress = not args.json and sys.stderr.isatty()

    def progress(p: order_intake.ImportProgress) -> None:
        if show_progress:
            print(
                f"\r{p.fraction:4.0%}  {p.imported} imported, {p.updated} updated, "
                f"{p.rejected} rejected",
                end="",
                file=sys.stderr,
                flush=True,
            )

    try:
        r = ctx.services.run(
            order_intake.import_file,
            ctx.actor,
            args.file,
            fmt=args.format,
            channel=args.channel,
            profile=args.profile,
            encoding=args.encoding or "",
            progress=progress,
        )
    except ImportFileError as exc:
        if args.json:
            print_json({"error": exc.message})
        print(f"packdesk: {exc.message}", file=sys.stderr)
        return 1
    if show_progress:
        print(file=sys.stderr)
    if args.json:
        print_json(r.as_json())
        return 0
    _print_import(r)
    return 0


def _print_import(r: Any) -> None:
    enc = f", {r.encoding}" if r.encoding else ""
    print(f"{r.file} ({r.format}{enc}) into channel {r.channel}.")
    if r.channel_created:
        print(f"The channel {r.channel} did not exist and was created.")
    if r.guessed_columns:
        cols = ", ".join(f"{k}={v}" for k, v in r.guessed_columns.items())
        print(f"Columns taken from the header row: {cols}")
    print(
        f"{r.imported} imported ({r.released} released, {r.held} held), {r.updated} updated, "
        f"{r.unchanged} unchanged, {r.rejected} rejected, {r.skipped} skipped"
        + (f", {r.not_updated} not updated" if r.not_updated else "")
    )
    for p in r.problems:
        print(f"  row {p.row}: {p.kind}: {p.reason}")
    if r.problems_total > len(r.problems):
        print(f"  ... and {r.problems_total - len(r.problems)} more problems")


def _orders(n: int) -> str:
    return "1 order" if n == 1 else f"{n} orders"
