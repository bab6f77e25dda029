"""``packdesk privacy ...`` (retention and purge of personal data) and
``packdesk channels mask-policy ...`` (how a channel's recipients are masked)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.privacy import MaskPolicy
from app.domain.users import SYSTEM
from app.services import privacy


def register(sub: Any) -> None:
    p = sub.add_parser("privacy", help="personal data: retention period and purge")
    psub = p.add_subparsers(dest="privacy_command", metavar="action", required=True)
    pp = psub.add_parser(
        "purge", help="blank the recipients of orders finished longer ago than the retention"
    )
    pp.add_argument("--dry-run", action="store_true", help="only count what would be purged")
    pp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    pp.set_defaults(handler=purge)
    rp = psub.add_parser("retention", help="show or change the retention period")
    rp.add_argument(
        "--days", type=_days, help="days after delivery, return or cancellation (0: for ever)"
    )
    rp.set_defaults(handler=retention)

    c = sub.add_parser("channels", help="sales channels")
    csub = c.add_subparsers(dest="channels_command", metavar="action", required=True)
    mp = csub.add_parser(
        "mask-policy", help="show the channels' masking policies, or change one channel's"
    )
    mp.add_argument("channel", nargs="?", help="channel code")
    mp.add_argument("policy", nargs="?", choices=[m.value for m in MaskPolicy])
    mp.set_defaults(handler=mask_policy)


def _days(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (keep for ever) or more")
    return n


def purge(ctx: CliContext) -> int:
    result = ctx.services.run(privacy.purge_personal_data, SYSTEM, dry_run=ctx.args.dry_run)
    if ctx.args.json:
        print_json(asdict(result))
        return 0
    if result.cutoff is None:
        print("The retention period is 0 days (keep for ever): nothing was purged.")
        return 0
    verb = "Would purge" if result.dry_run else "Purged"
    print(
        f"{verb} the personal data of {result.orders} orders finished before "
        f"{result.cutoff:%Y-%m-%d %H:%M} UTC ({result.retention_days} days): "
        f"{result.addresses} addresses, {result.customers} customers, "
        f"{result.customer_keys} lookup keys."
    )
    return 0


def retention(ctx: CliContext) -> int:
    if ctx.args.days is not None:
        ctx.services.run(privacy.set_retention_days, SYSTEM, ctx.args.days)
    days = ctx.services.run(privacy.retention_days)
    print(f"{days} days" if days else "0 (personal data is kept for ever)")
    return 0


def mask_policy(ctx: CliContext) -> int:
    if ctx.args.channel and ctx.args.policy:
        ctx.services.run(privacy.set_channel_mask_policy, SYSTEM, ctx.args.channel, ctx.args.policy)
    shown = [
        ch
        for ch in ctx.services.run(privacy.channel_mask_policies)
        if not ctx.args.channel or ch.code == ctx.args.channel
    ]
    if ctx.args.channel and not shown:
        raise CliError(f"there is no channel {ctx.args.channel!r}", code=1)
    for ch in shown:
        print(f"{ch.code:<16} {ch.policy.value}")
    return 0
