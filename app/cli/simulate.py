"""``packdesk simulate``: a whole shift against the emulated devices, without a window."""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from app.cli.common import CliContext, CliError, print_json


def register(sub: Any) -> None:
    p = sub.add_parser(
        "simulate",
        help="run a whole shift against the emulated devices, without a window",
        description="Run a shift as the people of a warehouse would: import N new orders "
        "through intake, allocate, pack them at K stations with item scans (a few wrong ones "
        "on purpose, which must be refused) and the emulated scale (a few wrong weights, which "
        "must stop until a supervisor's badge), print labels and slips through the print "
        "queue, hand the parcels over, close the manifests and export tracking. An empty "
        "database first gets the demo warehouse; a database with real data is refused. Exit "
        "1 when anything happens that the plan did not expect.",
    )
    p.add_argument("--orders", type=int, default=30, help="new orders to import (default 30)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same shift")
    p.add_argument("--stations", type=int, default=1, help="pack stations, one process each")
    p.add_argument("--pick", action="store_true", help="wave and pick the orders before packing")
    p.add_argument(
        "--printer",
        metavar="URL",
        default="",
        help="tcp://HOST:PORT: print the labels on a real ZPL printer, not the emulated one",
    )
    p.add_argument(
        "--pace-ms",
        type=int,
        default=0,
        metavar="MS",
        help="pause before each scan and button press, as a person's time divided by the "
        "speed-up (200: a scan every 2 s at 10 times human speed; default 0, no pause)",
    )
    p.add_argument(
        "--pace-jitter",
        type=float,
        default=0.0,
        metavar="J",
        help="vary each pause by up to this share of --pace-ms either way (0.5: 100 to 300 ms "
        "for 200), as people do; default 0, every pause the same",
    )
    p.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        metavar="M",
        help="stop the stations after M minutes (each finishes the order or batch in hand); "
        "the orders not reached stay allocated (default 0: pack every order)",
    )
    p.add_argument(
        "--wave-orders",
        type=int,
        default=0,
        metavar="N",
        help="with --pick: at most N orders in a wave, so smaller batches (default 0: as many "
        "as the cart takes)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--out", metavar="DIR", help="where the order file, manifests and exports go")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--worker", metavar="PLAN", help=argparse.SUPPRESS)
    p.add_argument(
        "--inject-fault",
        type=int,
        default=0,
        metavar="N",
        help="at the N-th order scan one unit too many without planning it (proves that an "
        "unplanned refusal fails the run)",
    )
    p.set_defaults(handler=run, needs_identity=False)


def _config(ctx: CliContext) -> Any:
    from app.simulate.plan import SimConfig

    a = ctx.args
    if a.orders < 1:
        raise CliError("--orders must be 1 or more")
    if a.stations < 1:
        raise CliError("--stations must be 1 or more")
    if a.pace_ms < 0 or a.minutes < 0 or a.wave_orders < 0:
        raise CliError("--pace-ms, --minutes and --wave-orders must be 0 or more")
    if not 0 <= a.pace_jitter <= 1:
        raise CliError("--pace-jitter must be from 0 to 1")
    if a.printer and not a.printer.startswith("tcp://"):
        raise CliError("--printer must be tcp://HOST:PORT (a network ZPL printer)")
    return SimConfig(
        orders=a.orders,
        seed=a.seed,
        stations=a.stations,
        pick=a.pick,
        printer=a.printer,
        db_url=ctx.settings.db_url,
        progress=not a.quiet,
        fail_at=a.inject_fault,
        pace_ms=a.pace_ms,
        pace_jitter=a.pace_jitter,
        minutes=a.minutes,
        wave_orders=a.wave_orders,
    )


def run(ctx: CliContext) -> int:
    from app.domain.errors import PackdeskError
    from app.simulate import report
    from app.simulate.plan import SimulationFailed
    from app.simulate.shift import run_shift
    from app.simulate.work import WorkerPlan, work

    try:
        if ctx.args.worker:
            tally = work(ctx.services, WorkerPlan.load(Path(ctx.args.worker)))
            print_json(tally.as_json())
            return 0
        cfg = _config(ctx)
        out = Path(ctx.args.out) if ctx.args.out else Path(tempfile.mkdtemp(prefix="packdesk-sim-"))
        out.mkdir(parents=True, exist_ok=True)
        data = run_shift(ctx.services, cfg, out)
    except SimulationFailed as exc:
        print(f"packdesk simulate: FAILED: {exc.message}", file=sys.stderr)
        return 1
    except PackdeskError as exc:
        print(f"packdesk simulate: FAILED: {exc.message}", file=sys.stderr)
        return 1
    except CliError:
        raise
    except Exception as exc:  # an unexpected error fails the run, saying what it was
        traceback.print_exc(file=sys.stderr)
        print(f"packdesk simulate: FAILED: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if ctx.args.json:
        print_json(data)
    else:
        print(report.text(data))
    return 0
