"""``packdesk demo-data``: fill an empty database with a demo warehouse."""

from __future__ import annotations

import sys
import time
from typing import Any

from app.cli.common import CliContext, CliError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo-data",
        help="fill an empty database with a demo warehouse",
        description="Fill a new, empty database with a demo warehouse: locations, about 2,000 "
        "products with stock, carriers, channels, a user for every role (their passwords are "
        "printed, so a database that already holds data is refused) and N orders.",
    )
    p.add_argument("--orders", type=int, default=500, help="how many orders (default 500)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
    # nobody can be logged in yet: it only fills an empty database
    p.set_defaults(handler=run, needs_identity=False)


def run(ctx: CliContext) -> int:
    from app.services import demo_data

    if ctx.args.orders < 0:
        raise CliError("--orders must be 0 or more")
    started = time.perf_counter()
    summary = ctx.services.run(
        demo_data.generate,
        orders=ctx.args.orders,
        seed=ctx.args.seed,
        progress=_progress if sys.stderr.isatty() else None,
    )
    took = time.perf_counter() - started
    print(f"Demo warehouse ready in {took:.1f} s on {ctx.services.database_label}:")
    print(summary.text())
    return 0


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\r{done:,} of {total:,} orders written", end=end, file=sys.stderr, flush=True)
