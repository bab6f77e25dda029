"""The dashboard's figures as the command line's JSON and as one CSV file.

The JSON (``packdesk dashboard --json``) is a contract: keys are added, never renamed::

    {"day", "utc_offset", "generated_at", "hours": ["09:00", ...],
     "orders_now": {status: n}, "orders_today": {status: n},
     "packed_today", "packed_per_hour": [{"hour", "station", "packer", "orders", "parcels"}],
     "pick_walk": {"batches", "walked_m", "s_shape_m", "saving_pct",
                   "by_hour": [{"hour", "batches", "walked_m", "s_shape_m", "planned_m",
                                "saving_pct"}]},
     "exceptions_per_hour": [{"hour", "mis_scans", "weight", "pick_refused"}],
     "cutoffs": [{"carrier", "name", "cutoff", "packed_not_handed", "seconds_left"}],
     "returns_by_reason": [{"reason", "name", "name_zh", "units", "returns"}]}

The CSV is ONE file, one figure a row, so a spreadsheet's pivot table takes it as it is:
``panel, hour, label, name, measure, value`` (``CSV_COLUMNS``), UTF-8 with a byte-order mark so
Excel opens the Chinese names right. Panels: ``orders_now``, ``orders_today`` (label: the
status), ``packed_by_station``, ``packed_by_packer`` (label: the station or the packer; measures
orders and parcels), ``pick_walk`` (measures batches, walked_m, s_shape_m, planned_m,
saving_pct), ``exceptions`` (label: mis_scans, weight, pick_refused), ``cutoffs`` (label: the
carrier; measures packed_not_handed, seconds_left) and ``returns`` (label: the reason code;
measures units, returns).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.dashboard import hour_label

if TYPE_CHECKING:
    from app.services.dashboard import Dashboard

CSV_COLUMNS = ("panel", "hour", "label", "name", "measure", "value")
Row = tuple[str, str, str, str, str, Any]


def as_json(d: Dashboard) -> dict[str, Any]:
    """The figures under the stable keys of the module's docstring."""
    return {
        "day": d.day,
        "utc_offset": d.utc_offset,
        "generated_at": d.generated_at.isoformat(),
        "hours": [hour_label(h) for h in d.hours],
        "orders_now": dict(d.orders_now),
        "orders_today": dict(d.orders_today),
        "packed_today": d.packed_today,
        "packed_per_hour": [{**asdict(p), "hour": hour_label(p.hour)} for p in d.packed],
        "pick_walk": {
            "batches": sum(w.batches for w in d.walk),
            "walked_m": d.walked_m,
            "s_shape_m": d.s_shape_m,
            "saving_pct": d.saving_pct,
            "by_hour": [
                {**asdict(w), "hour": hour_label(w.hour), "saving_pct": w.saving_pct}
                for w in d.walk
            ],
        },
        "exceptions_per_hour": [{**asdict(e), "hour": hour_label(e.hour)} for e in d.exceptions],
        "cutoffs": [asdict(c) for c in d.cutoffs],
        "returns_by_reason": [asdict(r) for r in d.returns],
    }


def _packed(d: Dashboard, key: str) -> Iterator[Row]:
    acc: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in d.packed:
        a = acc[(p.hour, getattr(p, key))]
        a[0] += p.orders
        a[1] += p.parcels
    for (hour, who), (orders, parcels) in sorted(acc.items()):
        yield (f"packed_by_{key}", hour_label(hour), who, "", "orders", orders)
        yield (f"packed_by_{key}", hour_label(hour), who, "", "parcels", parcels)


def csv_rows(d: Dashboard) -> Iterator[Row]:
    """Every figure of the dashboard as ``CSV_COLUMNS`` rows."""
    for status, n in d.orders_now.items():
        yield ("orders_now", "", status, "", "orders", n)
    for status, n in d.orders_today.items():
        yield ("orders_today", "", status, "", "orders", n)
    yield from _packed(d, "station")
    yield from _packed(d, "packer")
    for w in d.walk:
        h = hour_label(w.hour)
        for measure in ("batches", "walked_m", "s_shape_m", "planned_m"):
            yield ("pick_walk", h, "", "", measure, getattr(w, measure))
        yield ("pick_walk", h, "", "", "saving_pct", "" if w.saving_pct is None else w.saving_pct)
    for e in d.exceptions:
        for kind in ("mis_scans", "weight", "pick_refused"):
            yield ("exceptions", hour_label(e.hour), kind, "", "count", getattr(e, kind))
    for c in d.cutoffs:
        yield ("cutoffs", c.cutoff, c.carrier, c.name, "packed_not_handed", c.packed_not_handed)
        left = "" if c.seconds_left is None else c.seconds_left
        yield ("cutoffs", c.cutoff, c.carrier, c.name, "seconds_left", left)
    for r in d.returns:
        yield ("returns", "", r.reason, r.name, "units", r.units)
        yield ("returns", "", r.reason, r.name, "returns", r.returns)


def write_csv(d: Dashboard, path: Path) -> int:
    """Write the figures to ``path`` (see the module); returns the rows written."""
    rows = list(csv_rows(d))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        out.writerows(rows)
    return len(rows)
