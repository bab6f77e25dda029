"""``packdesk carriers list|pool load|voided|cutoff``: carriers, their number pools, voided
numbers, their cut-off times.

The JSON output is a contract (keys are added, never renamed)::

    carriers list --json       {"carriers": [{"code", "name", "active", "plugin",
                                "tracking_format", "services": [{"code", "name", "label_size"}],
                                "free", "used", "void", "low", "cutoff",
                                "pools": [{"carrier", "service", "free", "used", "void",
                                           "usable", "low_warning", "low"}]}]}
    carriers pool load --json  {"loaded", "rejected", "errors": [{"row", "reason"}],
                                "carrier", "service", "file", "format", "seconds"}
    carriers voided --json     {"voided": [{"id", "carrier", "service", "number", "voided_at",
                                            "reason", "reported_at", "parcel_id"}],
                                "marked": n}

    carriers cutoff --json     {"carrier", "cutoff"}

``pool load`` exits 0 when any number was loaded, 1 when none was or the file could not be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.common import CliContext, print_json
from app.services import carrier_list, handover_cutoffs, tracking_pool, tracking_void


def register(sub: Any) -> None:
    p = sub.add_parser("carriers", help="carriers, their tracking-number pools and voided numbers")
    csub = p.add_subparsers(dest="carriers_command", metavar="action", required=True)
    lp = csub.add_parser("list", help="print the carriers, their services and pools")
    lp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    lp.set_defaults(handler=list_carriers)
    pp = csub.add_parser("pool", help="tracking-number pools")
    psub = pp.add_subparsers(dest="pool_command", metavar="action", required=True)
    load = psub.add_parser(
        "load",
        help="load tracking numbers from a file into a carrier's pool",
        description="Load a CSV, TXT or XLSX file: one number per row, or a range per row "
        "(start,end or start-end; check digits are computed again). Numbers of the wrong "
        "format, with a wrong check digit, already in the pool or twice in the file are "
        "refused with their row.",
    )
    load.add_argument("carrier", metavar="CARRIER", help="the carrier's code, e.g. SF")
    load.add_argument("file", metavar="FILE", type=Path, help="the file of numbers")
    load.add_argument(
        "--service", default=None, metavar="S", help="only for this service (default: any)"
    )
    load.add_argument("--json", action="store_true", help="a JSON object instead of text")
    load.set_defaults(handler=pool_load)
    vp = csub.add_parser("voided", help="list voided numbers not yet reported to the carrier")
    vp.add_argument("carrier", nargs="?", default=None, metavar="CARRIER", help="one carrier")
    vp.add_argument("--all", action="store_true", help="also those reported already")
    vp.add_argument(
        "--mark-reported", action="store_true", help="record that the listed ones were reported"
    )
    vp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    vp.set_defaults(handler=voided)
    cp = csub.add_parser("cutoff", help="set a carrier's daily cut-off time (last pick-up)")
    cp.add_argument("carrier", metavar="CARRIER", help="the carrier's code, e.g. SF")
    cp.add_argument("cutoff", metavar="HH:MM", help='local time, e.g. 17:30; "" for none')
    cp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    cp.set_defaults(handler=cutoff)


def cutoff(ctx: CliContext) -> int:
    a = ctx.args
    value = ctx.services.run(handover_cutoffs.set_cutoff, ctx.actor, a.carrier, a.cutoff)
    if a.json:
        print_json({"carrier": a.carrier.strip().upper(), "cutoff": value or None})
    else:
        print(f"{a.carrier.strip().upper()}: cut-off {value or 'none'}")
    return 0


def list_carriers(ctx: CliContext) -> int:
    ctx.actor  # noqa: B018 -- the command acts as someone (refused on a server without --user)
    rows = ctx.services.run(carrier_list.list_carriers)
    if ctx.args.json:
        print_json({"carriers": [_carrier_dict(c) for c in rows]})
        return 0
    for c in rows:
        low = "  LOW" if c.low else ""
        print(
            f"{c.code:<10} {c.name:<30} {c.plugin:<6} {c.tracking_format or '-':<12} "
            f"free {c.free:>7}  used {c.used:>7}  void {c.void:>5}{low}"
        )
        for s in c.services:
            print(f"    {s.code:<14} {s.name:<30} {s.label_size}")
    if not rows:
        print("No carriers yet.")
    return 0


def _carrier_dict(c: carrier_list.CarrierRow) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "active": c.active,
        "plugin": c.plugin,
        "tracking_format": c.tracking_format,
        "services": [
            {"code": s.code, "name": s.name, "label_size": s.label_size} for s in c.services
        ],
        "free": c.free,
        "used": c.used,
        "void": c.void,
        "low": c.low,
        "pools": [p.as_dict() for p in c.pools],
        "cutoff": c.cutoff or None,
    }


def pool_load(ctx: CliContext) -> int:
    a = ctx.args
    report = ctx.services.run(
        tracking_pool.load_pool, ctx.actor, a.carrier, a.file, service_code=a.service
    )
    if a.json:
        print_json(
            {
                "loaded": report.loaded,
                "rejected": report.rejected,
                "errors": [{"row": p.row, "reason": p.reason} for p in report.problems],
                "carrier": report.carrier,
                "service": report.service,
                "file": report.file,
                "format": report.format,
                "seconds": round(report.seconds, 3),
            }
        )
    else:
        for p in report.problems:
            print(f"row {p.row}: {p.reason}")
        print(
            f"{report.loaded} numbers loaded into the pool of {report.carrier}"
            f"{' ' + report.service if report.service else ''}, {report.rejected} refused."
        )
    return 0 if report.loaded else 1


def voided(ctx: CliContext) -> int:
    a = ctx.args
    actor = ctx.actor
    rows = ctx.services.run(tracking_void.voided_report, a.carrier, unreported_only=not a.all)
    marked = 0
    if a.mark_reported and rows:
        marked = ctx.services.run(tracking_void.mark_reported, actor, [v.id for v in rows])
    if a.json:
        print_json({"voided": [v.as_dict() for v in rows], "marked": marked})
        return 0
    for v in rows:
        print(f"{v.carrier:<10} {v.number:<34} {v.voided_at or ''}  {v.reason}")
    if not rows:
        print("No voided numbers to report.")
    elif a.mark_reported:
        print(f"{marked} numbers marked as reported.")
    return 0
