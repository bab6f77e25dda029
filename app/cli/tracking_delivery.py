"""Delivery tracking commands under ``packdesk tracking`` (registered by ``app.cli.tracking``):

    tracking import FILE [--mapping NAME] [--json]    record a carrier status file (CSV/XLSX)
    tracking stale [--days N] [--json]                 open "no scan for N days" exceptions
    tracking poll [--carrier CODE] [--json]            ask carrier plug-ins that can track
    tracking save-mapping NAME --tracking COL --time COL (--status COL | --detail COL) ...

The JSON output is a contract (keys are added, never renamed)::

    tracking import --json   {"file", "rows", "events", "duplicates", "delivered",
                              "delivered_orders", "exceptions", "not_handed_over",
                              "unknown": [{"row", "tracking"}], "errors": [{"row", "reason"}]}
    tracking stale --json    {"days", "checked", "opened", "stale", "delivered",
                              "exceptions": [{"order", "tracking", "carrier", "kind", "since",
                                              "last_event_at", "last_status"}]}
    tracking poll --json     [the import object per carrier plug-in asked]

``import`` exits 1 when some rows had problems or numbers were unknown (the rest was recorded).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.common import CliContext, print_json
from app.importers.tracking_status_file import StatusMapping
from app.services import delivery, delivery_exceptions, delivery_settings
from app.services.delivery import TrackingImportResult


def register(tsub: Any) -> None:
    ip = tsub.add_parser(
        "import",
        help="record a carrier status file: delivered orders, exceptions",
        description="Read a carrier's status file (CSV or XLSX: tracking number, status, time, "
        "optional place) and record its events. Orders whose every parcel was signed for "
        "become delivered; lost, damaged and returned parcels go to the exceptions queue. "
        "Without --mapping the columns are found from the header (English or Chinese).",
    )
    ip.add_argument("file", type=Path, metavar="FILE")
    ip.add_argument("--mapping", metavar="NAME", help="a mapping saved with save-mapping")
    ip.add_argument("--json", action="store_true", help="a JSON object instead of text")
    ip.set_defaults(handler=import_file)

    sp = tsub.add_parser(
        "stale",
        help="find shipped parcels with no scan for N days",
        description="Open a 'no scan' exception for every shipped parcel whose last event "
        "(or its shipping) is older than N days (default: the settings, 3).",
    )
    sp.add_argument("--days", type=int, metavar="N", help="days without a scan")
    sp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    sp.set_defaults(handler=stale)

    pp = tsub.add_parser("poll", help="ask carrier plug-ins that can track for new events")
    pp.add_argument("--carrier", metavar="CODE", help="only this carrier")
    pp.add_argument("--json", action="store_true", help="a JSON list instead of text")
    pp.set_defaults(handler=poll)

    mp = tsub.add_parser("save-mapping", help="save the columns of a carrier's status file")
    mp.add_argument("name", metavar="NAME")
    for key in ("tracking", "status", "time", "place", "detail"):
        mp.add_argument(f"--{key}", default="", metavar="COLUMN", help=f"the {key} column")
    mp.add_argument("--sheet", default="", help="the Excel sheet (default: the first)")
    mp.set_defaults(handler=save_mapping)


def result_json(r: TrackingImportResult) -> dict[str, Any]:
    return {
        "file": r.source,
        "rows": r.rows,
        "events": r.events,
        "duplicates": r.duplicates,
        "delivered": r.delivered,
        "delivered_orders": list(r.delivered_orders),
        "exceptions": r.exceptions,
        "not_handed_over": r.not_handed_over,
        "unknown": [{"row": u.row, "tracking": u.tracking_number} for u in r.unknown],
        "errors": [{"row": p.row, "reason": p.reason} for p in r.errors],
    }


def _print_result(r: TrackingImportResult) -> None:
    print(
        f"{r.source}: {r.rows} rows, {r.events} new events ({r.duplicates} already recorded), "
        f"{r.delivered} orders delivered, {r.exceptions} exceptions opened"
    )
    if r.delivered_orders:
        print("delivered: " + ", ".join(r.delivered_orders))
    if r.not_handed_over:
        print(
            f"{r.not_handed_over} parcels were delivered but never handed over here: "
            "see the delivery exceptions"
        )
    for u in r.unknown:
        print(f"row {u.row}: no parcel has the tracking number {u.tracking_number}")
    for p in r.errors:
        print(f"row {p.row}: {p.reason}")


def import_file(ctx: CliContext) -> int:
    a = ctx.args
    r = ctx.services.run(delivery.import_tracking_file, ctx.actor, a.file, mapping=a.mapping)
    if a.json:
        print_json(result_json(r))
    else:
        _print_result(r)
    return 1 if r.errors or r.unknown else 0


def stale(ctx: CliContext) -> int:
    a = ctx.args
    report = ctx.services.run(delivery_exceptions.find_stale, ctx.actor, days=a.days)
    rows = ctx.services.run(delivery_exceptions.list_exceptions, ctx.actor, "no_scan")
    if a.json:
        print_json(
            {
                "days": report.days,
                "checked": report.checked,
                "opened": report.opened,
                "stale": report.stale,
                "delivered": report.delivered,
                "exceptions": [
                    {
                        "order": x.order_number,
                        "tracking": x.tracking_number,
                        "carrier": x.carrier,
                        "kind": x.kind,
                        "since": x.since,
                        "last_event_at": x.last_at,
                        "last_status": x.last_status,
                    }
                    for x in rows
                ],
            }
        )
        return 0
    print(
        f"{report.checked} shipped parcels under way, {report.stale} with no scan for more "
        f"than {report.days} days ({report.opened} new)"
    )
    for x in rows:
        print(
            f"{x.order_number:<14} {x.tracking_number:<22} {x.carrier:<8} since {x.since:%Y-%m-%d}"
        )
    return 0


def poll(ctx: CliContext) -> int:
    a = ctx.args
    results = ctx.services.run(delivery.poll_carrier_tracking, ctx.actor, carrier=a.carrier)
    if a.json:
        print_json([result_json(r) for r in results])
        return 0
    if not results:
        print("no carrier plug-in here can track parcels")
    for r in results:
        _print_result(r)
    return 0


def save_mapping(ctx: CliContext) -> int:
    a = ctx.args
    cols = {k: getattr(a, k) for k in ("tracking", "status", "time", "place", "detail")}
    mapping = StatusMapping(columns={k: v for k, v in cols.items() if v}, sheet=a.sheet)
    ctx.services.run(delivery_settings.save_status_mapping, ctx.actor, a.name, mapping)
    print(f"saved the status file mapping {a.name}")
    return 0
