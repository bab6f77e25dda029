"""``packdesk demo-data``: fill the database with a demo warehouse."""

from __future__ import annotations

import time
from typing import Any

from app.cli.common import CliContext, CliError


def register(sub: Any) -> None:
    p = sub.add_parser("demo-data", help="fill the database with a demo warehouse")
    p.add_argument("--orders", type=int, default=500, help="how many orders (default 500)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
    p.set_defaults(handler=run)


def run(ctx: CliContext) -> int:
    from app.services import demo_data

    if ctx.args.orders < 0:
        raise CliError("--orders must be 0 or more")
    started = time.perf_counter()
    summary = ctx.services.run(demo_data.generate, orders=ctx.args.orders, seed=ctx.args.seed)
    took = time.perf_counter() - started
    print(f"demo warehouse ready in {took:.1f} s: {summary}")
    return 0
