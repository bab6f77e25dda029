"""The shift's figures: a plain-text progress bar on stderr, the JSON object (its keys are a
contract: added, never renamed) and the summary a person reads."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.simulate.plan import HUMAN_SCAN_S, SimConfig, Tally
from app.simulate.ship_steps import ShipReport

BAR = 30


class Progress:
    """``packing [##########--------------------] 120/300`` on stderr, rewritten in place."""

    def __init__(self, what: str, total: int, *, enabled: bool = True) -> None:
        self.what, self.total, self.enabled = what, total, enabled
        self.count = 0
        self._shown = -1

    def step(self) -> None:
        self.set(self.count + 1)

    def set(self, count: int) -> None:
        self.count = count
        if not self.enabled or count == self._shown:
            return
        self._shown = count
        filled = BAR * count // self.total if self.total else BAR
        bar = "#" * filled + "-" * (BAR - filled)
        print(f"\r{self.what} [{bar}] {count}/{self.total}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self._shown >= 0:
            print(file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def spread(values: list[float]) -> dict[str, float]:
    """``n``, ``p50``, ``p95``, ``p99`` and ``max`` of timings in ms."""
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values, default=0.0), 2),
    }


def summary(
    *,
    cfg: SimConfig,
    tally: Tally,
    intake: dict[str, Any],
    shipped: ShipReport,
    statuses: dict[str, str],
    per_station: list[int],
    wall_s: float,
    pack_s: float,
    pack_started_at: float,
    setup_s: float,
    created: bool,
    database: str,
    out_dir: Path,
) -> dict[str, Any]:
    """The JSON object ``--json`` prints."""
    by_status = Counter(statuses.values())
    packed = tally.orders_packed
    app_s = sum(tally.app_s.values())
    per_order = {k: v for k, v in tally.non_scan.items() if not k.startswith("shift:")}
    duplicates = len(tally.packed_orders) - len(set(tally.packed_orders))
    return {
        "orders": cfg.orders,
        "orders_imported": intake["imported"],
        "orders_allocated": intake["allocated"],
        "orders_packed": packed,
        "orders_shipped": by_status.get("shipped", 0),
        "orders_by_status": dict(sorted(by_status.items())),
        "parcels": tally.parcels,
        "labels_printed": tally.labels_printed,
        "slips_printed": tally.slips_printed,
        "scans": tally.scans,
        "scans_refused": tally.scans_refused,
        "scans_refused_planned": tally.scans_refused_planned,
        "scale_readings": tally.scale_readings,
        "pick_scans": tally.pick_scans,
        "batches_picked": tally.batches_picked,
        "exceptions": dict(sorted(tally.exceptions.items())),
        "non_scan_inputs": sum(tally.non_scan.values()),
        "non_scan_inputs_per_order": sum(per_order.values()) / packed if packed else 0.0,
        "non_scan_by_action": dict(sorted(tally.non_scan.items())),
        "app_seconds_per_order": app_s / packed if packed else 0.0,
        "app_seconds_by_step": {k: round(v, 4) for k, v in sorted(tally.app_s.items())},
        "device_seconds": round(tally.device_s, 3),
        "scan_to_commit_ms": spread(tally.scan_ms),
        "scan_to_commit_ms_by_kind": {
            kind: spread(values) for kind, values in sorted(tally.scan_ms_by_kind.items())
        },
        "scan_cpu_ms_by_step": {
            step: spread(values) for step, values in sorted(tally.scan_cpu_ms_by_step.items())
        },
        "scan_to_commit_ms_by_step": {
            step: spread(values) for step, values in sorted(tally.scan_ms_by_step.items())
        },
        "refused_without_reason": tally.refused_without_reason,
        "claims": tally.claims,
        "claim_ms": spread(tally.claim_ms),
        "claims_per_second": round(tally.claims / pack_s, 3) if pack_s else 0.0,
        "duplicate_claims": len(tally.claimed_batches) - len(set(tally.claimed_batches)),
        "pace_ms": cfg.pace_ms,
        "pace_jitter": cfg.pace_jitter,
        "human_scan_s": HUMAN_SCAN_S,
        "minutes": cfg.minutes,
        "wall_s": round(wall_s, 3),
        "pack_wall_s": round(pack_s, 3),
        "setup_s": round(setup_s, 3),
        "pack_started_at": round(pack_started_at, 3),
        "orders_per_minute": round(packed / pack_s * 60, 1) if pack_s else 0.0,
        "stations": cfg.stations,
        "orders_per_station": per_station,
        "claims_lost": tally.claims_lost,
        "duplicates": duplicates,
        "handover": shipped.as_json(),
        "seed": cfg.seed,
        "demo_created": created,
        "database": database,
        "orders_file": intake["file"],
        "out_dir": str(out_dir),
    }


def text(data: dict[str, Any]) -> str:
    """The summary a person reads at the end of the run."""
    ex = ", ".join(f"{n} {k}" for k, n in data["exceptions"].items()) or "none"
    scan = data["scan_to_commit_ms"]
    handover = data["handover"]
    ship = (
        f"{data['orders_shipped']} orders shipped on {handover['handovers']} handovers"
        if handover["available"]
        else "handover not available in this build: " + ", ".join(handover["missing"])
    )
    return "\n".join(
        [
            f"Shift on {data['database']}: {data['orders']} orders, {data['stations']} station(s)",
            f"  imported {data['orders_imported']}, allocated {data['orders_allocated']}, "
            f"packed {data['orders_packed']} in {data['parcels']} parcels; {ship}",
            f"  labels printed {data['labels_printed']}, slips {data['slips_printed']}",
            f"  scans {data['scans']} ({data['pick_scans']} picking, "
            f"{data['batches_picked']} batches), refused {data['scans_refused']} "
            f"(planned {data['scans_refused_planned']}); exceptions: {ex}",
            f"  inputs other than scans: {data['non_scan_inputs']} for the shift, "
            f"{data['non_scan_inputs_per_order']:.2f} per order",
            f"  app time per order {data['app_seconds_per_order'] * 1000:.0f} ms; scan to commit "
            f"p50 {scan['p50']} ms, p99 {scan['p99']} ms; "
            f"{data['orders_per_minute']} orders/min packing; wall {data['wall_s']:.1f} s",
            f"  files: {data['out_dir']}",
        ]
    )
