"""``packdesk dashboard [--json] [--csv FILE] [--tz ZONE]``: today's KPI figures, the same the
Dashboard screen shows (``app.services.dashboard``).

The JSON is a contract (keys are added, never renamed); its keys are listed in
``app/services/dashboard_export.py``. ``--csv FILE`` writes the figures as one CSV file (one
figure a row, with a ``panel`` column) as the screen's "Export CSV" button does.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.cli.common import CliContext, CliError, print_json
from app.domain.dashboard import hour_label
from app.domain.handover import time_left_text
from app.services import dashboard
from app.services.dashboard import Dashboard
from app.services.dashboard_export import write_csv


def register(sub: Any) -> None:
    p = sub.add_parser(
        "dashboard",
        help="print today's KPI figures (orders, packing per hour, pick walk, exceptions...)",
        description="Today's figures of the whole warehouse, by local hour: orders by status, "
        "orders packed per hour by station and packer, metres walked against the S-shape walk, "
        "refused scans and weight exceptions, carriers' cut-offs, returns by reason.",
    )
    p.add_argument("--json", action="store_true", help="a JSON object instead of text")
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the figures to FILE")
    p.add_argument(
        "--tz", metavar="ZONE", default="", help="the time zone of the hours (e.g. Asia/Shanghai)"
    )
    p.set_defaults(handler=show)


def _zone(name: str) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"{name!r} is not a time zone (write it as Asia/Shanghai)") from None


def show(ctx: CliContext) -> int:
    d = ctx.services.run(dashboard.dashboard, ctx.actor, tz=_zone(ctx.args.tz))
    if ctx.args.csv:
        write_csv(d, ctx.args.csv)
    if ctx.args.json:
        print_json(d.as_dict())
        return 0
    for line in text(d):
        print(line)
    if ctx.args.csv:
        print(f"Figures written to {ctx.args.csv}")
    return 0


def text(d: Dashboard) -> list[str]:
    """The figures as lines for a terminal."""
    out = [f"Dashboard {d.day} (UTC{d.utc_offset}), at {d.generated_at:%H:%M} UTC"]
    now = ", ".join(f"{k} {v}" for k, v in d.orders_now.items()) or "none"
    today = ", ".join(f"{k} {v}" for k, v in d.orders_today.items()) or "none"
    out += [f"Open orders now: {now}", f"Orders moved today: {today}"]
    out.append(f"Orders packed today: {d.packed_today}")
    for station, hours in d.by("station").items():
        row = " ".join(f"{hour_label(h)}={n}" for h, n in sorted(hours.items()))
        out.append(f"  {station or '-'}: {row}")
    saving = "-" if d.saving_pct is None else f"{d.saving_pct:+.1f} %"
    out.append(
        f"Pick walk: {d.walked_m:.0f} m walked, S-shape {d.s_shape_m:.0f} m, saving {saving}"
    )
    for e in d.exceptions:
        out.append(
            f"  {hour_label(e.hour)} mis-scans {e.mis_scans}, weight {e.weight}, "
            f"pick refused {e.pick_refused}"
        )
    for c in d.cutoffs:
        out.append(
            f"Cut-off {c.carrier} {c.cutoff or '-'}: {c.packed_not_handed} packed not handed over"
            f", {time_left_text(c.seconds_left) or 'no cut-off'} left"
        )
    for r in d.returns:
        out.append(f"Returns {r.reason} ({r.name}): {r.units} units")
    return out
