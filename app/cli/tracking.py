"""``packdesk tracking check NUMBER...``: the format of each number and whether its check digit
is right. Needs no database. The delivery commands (``tracking import``, ``stale``, ``poll``,
``save-mapping``) are in ``app.cli.tracking_delivery``.

The JSON output is a contract (keys are added, never renamed)::

    tracking check --json   [{"number", "valid", "format", "reason"}]

Exit code 0 when every number is valid, 1 otherwise.
"""

from __future__ import annotations

from typing import Any

from app.cli import channels, tracking_delivery, tracking_export
from app.cli.common import CliContext, CliError, print_json
from app.domain import tracking


def register(sub: Any) -> None:
    p = sub.add_parser(
        "tracking", help="check tracking numbers; import carrier status files (签收)"
    )
    tsub = p.add_subparsers(dest="tracking_command", metavar="action", required=True)
    cp = tsub.add_parser(
        "check",
        help="say each number's format and whether its check digit is right",
        description="Recognise each number (UPU S10, EMS, UPS 1Z, FedEx 12, USPS IMpb, DHL "
        "Express, SF, YTO, JD...) and check its check digit; with --format, check it as a "
        "number of that format only (ZTO, STO and Yunda numbers need it).",
    )
    cp.add_argument("numbers", nargs="+", metavar="NUMBER", help="tracking numbers")
    cp.add_argument(
        "--format",
        default="",
        metavar="FORMAT",
        help=f"the format they must have: {', '.join(tracking.FORMATS)}",
    )
    cp.add_argument("--json", action="store_true", help="a JSON list instead of text")
    cp.set_defaults(handler=check, needs_identity=False)
    tracking_export.register(tsub)
    channels.register(sub)
    # delivery tracking (签收): import, stale, poll, save-mapping
    tracking_delivery.register(tsub)


def check(ctx: CliContext) -> int:
    a = ctx.args
    if a.format and tracking.format_named(a.format) is None:
        raise CliError(f"{a.format} is not a format; use one of: {', '.join(tracking.FORMATS)}")
    results = [tracking.check_tracking_number(n, a.format) for n in a.numbers]
    if a.json:
        print_json(
            [
                {"number": r.number, "valid": r.valid, "format": r.format, "reason": r.reason}
                for r in results
            ]
        )
    else:
        for r in results:
            verdict = "valid" if r.valid else "INVALID"
            print(f"{r.number:<34} {verdict:<8} {r.format}" + (f"  {r.reason}" if r.reason else ""))
    return 0 if all(r.valid for r in results) else 1
