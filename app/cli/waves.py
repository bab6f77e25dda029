"""``packdesk waves create|list|release``: make waves of allocated orders and release them.

The JSON output is a contract (keys are added, never renamed)::

    waves create --json   {"waves": [{"number", "orders", "batches", "pick_method", "planned_m"}]}
    waves list --json     {"waves": [{"number", "status", "pick_method", "orders", "batches",
                                      "planned_m", "created_at"}]}
    waves release --json  {"number", "status", "tasks", "batches"}
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import CliContext, print_json
from app.domain.waves import PickMethod
from app.services import wave_plan, wave_release, wave_views


def register(sub: Any) -> None:
    p = sub.add_parser("waves", help="make pick waves of allocated orders and release them")
    wsub = p.add_subparsers(dest="waves_command", metavar="action", required=True)
    cp = wsub.add_parser(
        "create",
        help="make waves of the allocated orders in no wave yet (all, or a rule's)",
        description="Make waves of allocated orders that are in no wave yet: one wave per "
        "priority, split into batches that fit the cart, each batch's walk planned.",
    )
    cp.add_argument("--rule", default="", metavar="NAME", help="the saved wave rule to use")
    cp.add_argument(
        "--max-orders", type=_count, default=0, metavar="N", help="at most N orders per wave"
    )
    cp.add_argument(
        "--method", choices=[m.value for m in PickMethod], default="", help="how it is picked"
    )
    cp.add_argument("--cart", default="", metavar="CODE", help="the kind of cart to fill")
    cp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    cp.set_defaults(handler=create)
    lp = wsub.add_parser("list", help="print the waves, newest first")
    lp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    lp.set_defaults(handler=list_waves)
    rp = wsub.add_parser("release", help="release a planned wave to the pickers")
    rp.add_argument("wave", metavar="WAVE", help="the wave number, e.g. W000012")
    rp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    rp.set_defaults(handler=release)


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return n


def create(ctx: CliContext) -> int:
    a = ctx.args
    made = ctx.services.run(
        wave_plan.create_waves,
        ctx.actor,
        rule=a.rule,
        max_orders=a.max_orders,
        method=a.method,
        cart=a.cart,
    )
    if a.json:
        print_json(
            {
                "waves": [
                    {
                        "number": w.number,
                        "orders": w.orders,
                        "batches": w.batches,
                        "pick_method": w.pick_method,
                        "planned_m": round(w.planned_m, 1),
                    }
                    for w in made
                ]
            }
        )
        return 0
    for w in made:
        print(
            f"{w.number}  {w.pick_method:<11} {w.orders} orders in {w.batches} batches, "
            f"{w.planned_m:.0f} m to walk"
        )
    if not made:
        print("No allocated orders are waiting for a wave.")
    return 0


def list_waves(ctx: CliContext) -> int:
    waves = ctx.services.run(wave_views.list_waves, ctx.actor)
    if ctx.args.json:
        print_json({"waves": [w.as_dict() for w in waves]})
        return 0
    for w in waves:
        print(
            f"{w.number}  {w.status:<9} {w.pick_method:<11} {w.orders:>4} orders "
            f"{w.batches:>3} batches {w.planned_m:>7.0f} m  {w.tasks_done}/{w.tasks} tasks"
        )
    if not waves:
        print("No waves yet.")
    return 0


def release(ctx: CliContext) -> int:
    done = ctx.services.run(wave_release.release_wave, ctx.actor, ctx.args.wave)
    if ctx.args.json:
        print_json(done.as_dict())
        return 0
    print(f"{done.number} released: {done.tasks} pick tasks in {done.batches} batches.")
    return 0
