"""``packdesk channels upload`` and ``channels set-credentials``: shipped parcels' tracking sent
to a shop's API through the channel's upload plug-in (``app.services.channel_upload``).

The JSON output is a contract (keys are added, never renamed)::

    channels upload --json   {"channel", "plugin", "uploaded", "skipped",
                              "failed": [{"channel_order_id", "order_number", "tracking",
                                          "error"}]}

Exit code 0 when nothing failed, 1 otherwise. The access token is read from an environment
variable (``--token-env``, default ``PACKDESK_CHANNEL_TOKEN``) or asked for, never taken on the
command line (where the shell's history would keep it).
"""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.services import channel_upload


def _channel_actions(sub: Any) -> Any:
    """The ``channels`` command's actions: the command exists already (its masking policy,
    ``app.cli.privacy``), else it is made here."""
    existing = sub.choices.get("channels")
    if existing is None:
        p = sub.add_parser("channels", help="sales channels")
        return p.add_subparsers(dest="channels_command", metavar="action", required=True)
    return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))


def register(sub: Any) -> None:
    csub = _channel_actions(sub)
    up = csub.add_parser(
        "upload",
        help="upload the tracking of shipped parcels not uploaded yet",
        description="Send each shipped parcel's tracking (carrier, number, link, its lines) to "
        "the shop through the channel's plug-in; a parcel the shop took is never sent again.",
    )
    up.add_argument("--channel", required=True, metavar="NAME", help="the channel's code or name")
    up.add_argument("--json", action="store_true", help="a JSON object instead of text")
    up.set_defaults(handler=upload)

    sc = csub.add_parser(
        "set-credentials",
        help="set the channel's upload plug-in, shop address and access token",
    )
    sc.add_argument("--channel", required=True, metavar="NAME")
    sc.add_argument("--plugin", default="shopify", help="the upload plug-in (default shopify)")
    sc.add_argument("--shop", required=True, help="the shop's address, e.g. myshop.myshopify.com")
    sc.add_argument("--api-version", default="", help="the API version, e.g. 2025-10")
    sc.add_argument(
        "--token-env",
        default="PACKDESK_CHANNEL_TOKEN",
        metavar="VAR",
        help="the environment variable holding the access token (else it is asked for)",
    )
    sc.add_argument(
        "--no-notify", action="store_true", help="the shop does not e-mail the customer"
    )
    sc.set_defaults(handler=set_credentials)


def upload(ctx: CliContext) -> int:
    r = ctx.services.run(channel_upload.upload_tracking, ctx.actor, ctx.args.channel)
    if ctx.args.json:
        print_json(
            {
                "channel": r.channel,
                "plugin": r.plugin,
                "uploaded": r.uploaded,
                "skipped": r.skipped,
                "failed": [
                    {
                        "channel_order_id": f.channel_order_id,
                        "order_number": f.order_number,
                        "tracking": f.tracking,
                        "error": f.error,
                    }
                    for f in r.failed
                ],
            }
        )
    else:
        print(f"{r.uploaded} parcels uploaded to {r.channel} ({r.plugin}), {r.skipped} before")
        for f in r.failed:
            print(f"  NOT uploaded: {f.channel_order_id} {f.tracking}: {f.error}")
    return 1 if r.failed else 0


def set_credentials(ctx: CliContext) -> int:
    a = ctx.args
    token = os.environ.get(a.token_env, "")
    if not token:
        try:
            token = getpass.getpass(f"Access token for {a.channel}: ")
        except EOFError as exc:
            raise CliError(f"no access token: set {a.token_env} or type it") from exc
    code = ctx.services.run(
        channel_upload.set_credentials,
        ctx.actor,
        a.channel,
        plugin=a.plugin,
        shop=a.shop,
        token=token,
        api_version=a.api_version,
        notify_customer=not a.no_notify,
    )
    print(f"{code}: uploads through {a.plugin} to {a.shop}")
    return 0
