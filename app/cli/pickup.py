"""``packdesk pickup list|collect``: the pickup counter (自提) from the command line.

The JSON output is a contract (keys are added, never renamed)::

    pickup list --json     {"waiting": [{"order", "external_id", "channel", "slot", "name",
                            "phone", "parcels", "packed_at"}]}
    pickup collect --json  {"collected": [{"scan", "ok", "order", "slot", "parcels", "units",
                            "collected_at", "error"}], "refused": n}

``collect`` exits 1 when any scan was refused; ``list`` exits 0 (errors exit 2 as usual).
"""

from __future__ import annotations

from typing import Any

from app.cli.common import CliContext, print_json
from app.domain.errors import PackdeskError
from app.services import pickup_counter


def register(sub: Any) -> None:
    p = sub.add_parser("pickup", help="the pickup counter: waiting pickup orders, collect one")
    psub = p.add_subparsers(dest="pickup_command", metavar="action", required=True)
    lp = psub.add_parser("list", help="packed pickup orders waiting on the shelf, oldest first")
    lp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    lp.set_defaults(handler=list_waiting)
    cp = psub.add_parser("collect", help="hand pickup orders to their customers")
    cp.add_argument("order", nargs="+", metavar="ORDER", help="order number or channel order id")
    cp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    cp.set_defaults(handler=collect)


def list_waiting(ctx: CliContext) -> int:
    rows = ctx.services.run(pickup_counter.waiting_pickups, ctx.actor)
    if ctx.args.json:
        print_json({"waiting": [r.as_dict() for r in rows]})
        return 0
    if not rows:
        print("No pickup order is waiting on the shelf.")
    for r in rows:
        packed = r.packed_at.astimezone().strftime("%Y-%m-%d %H:%M") if r.packed_at else ""
        print(f"{r.slot or '-':8s} {r.order_number:14s} {r.name:12s} {r.phone:14s} "
              f"{r.parcels} parcel(s)  packed {packed}")  # fmt: skip
    return 0


def collect(ctx: CliContext) -> int:
    rows: list[dict[str, Any]] = []
    for text in ctx.args.order:
        row: dict[str, Any] = {"scan": text, "ok": False, "order": None, "slot": None,
                               "parcels": None, "units": None, "collected_at": None,
                               "error": None}  # fmt: skip
        try:
            out = ctx.services.run(pickup_counter.collect_pickup, ctx.actor, text)
        except PackdeskError as exc:
            row["error"] = exc.message
        else:
            row.update(ok=True, **out.as_dict())
        rows.append(row)
    refused = sum(1 for r in rows if not r["ok"])
    if ctx.args.json:
        print_json({"collected": rows, "refused": refused})
    else:
        for r in rows:
            if r["ok"]:
                print(f"{r['order']}: collected from slot {r['slot'] or '-'}, "
                      f"{r['parcels']} parcel(s), {r['units']} unit(s)")  # fmt: skip
            else:
                print(f"{r['scan']}: {r['error']}")
    return 1 if refused else 0
