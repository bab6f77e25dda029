"""``packdesk handover scan|close|list|missing``: carrier handovers (交接) from the command line.

The JSON output is a contract (keys are added, never renamed)::

    handover scan --json     {"scans": [{"scan", "ok", "handover", "carrier", "order",
                              "tracking", "scanned", "expected", "already", "error"}],
                              "refused": n}
    handover close --json    {"handover", "carrier", "parcels", "orders_shipped", "weight_kg",
                              "manifest", "missing"}
    handover list --json     {"handovers": [{"id", "number", "carrier", "day", "status",
                              "parcels", "weight_kg", "opened_at", "closed_at", "manifest"}]}
    handover missing --json  {"carrier", "day", "packed", "scanned", "open_handover",
                              "missing": [{"order", "tracking", "parcel", "station", "packer",
                                           "labelled_at", "earlier"}]}

``scan`` exits 1 when any number was refused; the others exit 0 (errors exit 2 as usual).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.cli.common import CliContext, print_json
from app.domain import handover as rules
from app.domain.errors import PackdeskError
from app.services import handover, handover_views


def register(sub: Any) -> None:
    p = sub.add_parser("handover", help="carrier handovers: scan parcels, close, list, missing")
    hsub = p.add_subparsers(dest="handover_command", metavar="action", required=True)
    scan = hsub.add_parser("scan", help="put parcels on their carrier's open handover for today")
    scan.add_argument("tracking", nargs="+", metavar="TRACKING", help="the parcels' numbers")
    scan.add_argument("--carrier", default=None, help="refuse parcels of other carriers")
    scan.add_argument("--json", action="store_true", help="a JSON object instead of text")
    scan.set_defaults(handler=scan_parcels)
    close = hsub.add_parser("close", help="close a handover: manifest, orders shipped")
    close.add_argument("handover", metavar="ID|NUMBER", help="the handover, e.g. HO-20261206-SF-1")
    close.add_argument("--json", action="store_true", help="a JSON object instead of text")
    close.set_defaults(handler=close_one)
    lp = hsub.add_parser("list", help="the handovers of a day")
    lp.add_argument("--day", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    lp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    lp.set_defaults(handler=list_all)
    mp = hsub.add_parser("missing", help="a carrier's labelled parcels on no handover yet")
    mp.add_argument("carrier", metavar="CARRIER", help="the carrier's code, e.g. SF")
    mp.add_argument("--day", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    mp.add_argument("--json", action="store_true", help="a JSON object instead of a table")
    mp.set_defaults(handler=missing)


def scan_parcels(ctx: CliContext) -> int:
    a = ctx.args
    actor = ctx.actor
    cid = ctx.services.run(handover_views.find_carrier, actor, a.carrier) if a.carrier else None
    rows: list[dict[str, Any]] = []
    for text in a.tracking:
        row: dict[str, Any] = {"scan": text, "ok": False, "handover": None, "carrier": None,
                               "order": None, "tracking": None, "scanned": None,
                               "expected": None, "already": False, "error": None}  # fmt: skip
        try:
            out = ctx.services.run(handover.scan_parcel, actor, text, carrier_id=cid)
        except PackdeskError as exc:
            row["error"] = exc.message
        else:
            row.update(ok=True, handover=out.handover_number, carrier=out.carrier_code,
                       order=out.order_number, tracking=out.tracking, scanned=out.scanned,
                       expected=out.expected, already=out.already)  # fmt: skip
        rows.append(row)
    refused = sum(1 for r in rows if not r["ok"])
    if a.json:
        print_json({"scans": rows, "refused": refused})
    else:
        for r in rows:
            if r["ok"]:
                note = " (already on it)" if r["already"] else ""
                print(f"{r['scan']}: {r['order']} on {r['handover']}{note}, "
                      f"{r['scanned']} of {r['expected']}")  # fmt: skip
            else:
                print(f"{r['scan']}: REFUSED: {r['error']}")
    return 1 if refused else 0


def close_one(ctx: CliContext) -> int:
    a = ctx.args
    actor = ctx.actor
    hid = ctx.services.run(handover_views.find_handover, actor, a.handover)
    out = ctx.services.run(
        handover.close_handover,
        actor,
        hid,
        manifest_dir=ctx.services.paths.data_dir / "manifests",
    )
    if a.json:
        print_json(
            {
                "handover": out.number,
                "carrier": out.carrier_code,
                "parcels": out.parcels,
                "orders_shipped": out.orders_shipped,
                "weight_kg": out.weight_kg,
                "manifest": out.manifest_path,
                "missing": out.missing,
            }
        )
    else:
        print(
            f"{out.number} closed: {out.parcels} parcels, {out.weight_kg:.3f} kg, "
            f"{out.orders_shipped} orders shipped. Manifest: {out.manifest_path}"
        )
        if out.missing:
            print(f"{out.missing} labelled parcels of {out.carrier_code} are on no handover.")
    return 0


def list_all(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.services.run(handover.list_handovers, ctx.actor, day=a.day)
    if a.json:
        print_json(
            {
                "handovers": [
                    {"id": r.id, "number": r.number, "carrier": r.carrier_code,
                     "day": r.day.isoformat(), "status": r.status, "parcels": r.parcels,
                     "weight_kg": r.weight_kg, "opened_at": r.opened_at,
                     "closed_at": r.closed_at, "manifest": r.manifest_path or None}
                    for r in rows
                ]
            }
        )  # fmt: skip
        return 0
    for r in rows:
        print(f"{r.number:<24} {r.status:<7} {r.parcels:>5} parcels {r.weight_kg:>9.3f} kg")
    if not rows:
        print("No handovers.")
    return 0


def missing(ctx: CliContext) -> int:
    a = ctx.args
    actor = ctx.actor
    cid = ctx.services.run(handover_views.find_carrier, actor, a.carrier)
    day = a.day or rules.local_now().date()
    rec = ctx.services.run(handover.reconcile, actor, cid, day)
    if a.json:
        print_json(
            {
                "carrier": rec.carrier_code,
                "day": day.isoformat(),
                "packed": rec.packed,
                "scanned": rec.scanned,
                "open_handover": rec.open_handover or None,
                "missing": [
                    {"order": m.order_number, "tracking": m.tracking, "parcel": m.seq,
                     "station": m.station, "packer": m.packer, "labelled_at": m.labelled_at,
                     "earlier": m.earlier}
                    for m in rec.missing
                ],
            }
        )  # fmt: skip
        return 0
    print(f"{rec.carrier_code} {day}: {rec.scanned} scanned of {rec.packed} packed today.")
    for m in rec.missing:
        early = "  (earlier day)" if m.earlier else ""
        print(f"  {m.tracking:<24} {m.order_number:<16} {m.station:<12} {m.packer}{early}")
    if not rec.missing:
        print("Nothing missing.")
    return 0
