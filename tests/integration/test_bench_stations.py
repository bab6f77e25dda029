"""The many-stations benchmark, CI-sized: a few station processes pick, pack and ship at 10x
human speed for some 15 s on the test PostgreSQL (``bench/bench_stations.py``; the full run is
50 stations for 5 minutes). No timing is asserted (CI machines are shared): what must never
happen, and the connections the stations held."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import make_url

from app.config import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE

ROOT = Path(__file__).resolve().parents[2]
STATIONS = 3
#: an application name as a station's sessions have (``packdesk:<station>:<pid>``)
APP = "packdesk:pack-01:1"
#: the figures' keys are a contract (added, never renamed)
KEYS = (
    "stations", "seconds", "scans", "scan_to_commit_ms_p50", "scan_to_commit_ms_p95",
    "scan_to_commit_ms_p99", "scan_to_commit_ms_max", "claims", "claims_per_second",
    "duplicate_claims", "tracking_numbers_used_twice", "connections_used", "orders_packed",
    "orders_shipped", "errors", "scan_to_commit_ms_by_kind", "reference_ms_alone",
    "reference_ms_p50", "reference_ms_p99", "wakeup_late_ms_p99", "scan_p99_over_reference_p99",
    "pace_jitter", "scan_to_commit_ms_by_step", "scan_cpu_ms_by_step", "cpu_cores",
    "cpu_busy_cores", "cpu_ms_per_scan", "scans_per_station_second", "server_cpu_ms_per_scan",
)  # fmt: skip


def bench(url: str, out: Path) -> dict[str, Any]:
    cmd = [
        sys.executable, str(ROOT / "bench" / "bench_stations.py"), "--pg", url,
        "--stations", str(STATIONS), "--minutes", "0.25", "--orders", "36",
        "--wave-orders", "3", "--json", str(out),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.mark.postgres
def test_a_few_stations_for_15_s_claim_no_batch_twice_use_no_number_twice_and_stay_in_their_pools(
    pg_migrated: str, tmp_path: Path
) -> None:
    # sessions that were open before the run (a test's own, another program's) are not the
    # stations': here more than a station's pool of them, named as a station's would be
    url = make_url(pg_migrated).set(drivername="postgresql")
    before = [
        psycopg.connect(url.render_as_string(hide_password=False), application_name=APP)
        for _ in range(DEFAULT_POOL_SIZE + DEFAULT_MAX_OVERFLOW + 2)
    ]
    try:
        data = bench(pg_migrated, tmp_path / "figures.json")
    finally:
        for conn in before:
            conn.close()
    assert set(KEYS) <= set(data)
    assert data["stations"] == STATIONS and data["errors"] == 0
    # work was done: batches claimed, picked, packed and shipped
    assert data["claims"] >= STATIONS and data["scans"] > 0
    assert data["orders_packed"] > 0 and data["orders_shipped"] == data["orders_packed"]
    # what must never happen, checked on the server after the run
    assert data["duplicate_claims"] == 0
    assert data["tracking_numbers_used_twice"] == 0
    # every scan committed or refused with a reason, and only the refusals the seed planned
    assert data["refused_without_reason"] == 0
    assert data["scans_refused"] == data["scans_refused_planned"]
    # each station held at most its pool; all stations were seen on the server
    assert data["station_sessions_seen"] >= STATIONS
    bound = DEFAULT_POOL_SIZE + DEFAULT_MAX_OVERFLOW
    assert 1 <= data["connections_per_station_max"] <= bound
    # the stations, the shift's main process and its reset: nothing else held a connection
    assert data["connections_used"] <= STATIONS * bound + bound
    # the reference job ran beside the stations, and the ratio is the scans' p99 over its p99
    assert data["reference_ms_alone"] > 0 and data["reference_samples"] >= 10
    assert 0 < data["reference_ms_p50"] <= data["reference_ms_p99"]
    ratio = data["scan_to_commit_ms_p99"] / data["reference_ms_p99"]
    assert data["scan_p99_over_reference_p99"] == pytest.approx(ratio, abs=0.01)
    # the machine's CPU while the stations packed (Linux): some of it was busy, never more
    # than it has, and the figures per scan and per station follow from it
    assert data["cpu_cores"] == os.cpu_count()
    assert 0 < data["cpu_busy_cores"] <= data["cpu_cores"]
    per_scan = data["cpu_busy_cores"] * data["seconds"] * 1000 / data["scans"]
    assert data["cpu_ms_per_scan"] == pytest.approx(per_scan, rel=0.02, abs=0.02)
    # the test's server runs on this machine: its processes' share of that CPU is seen
    assert 0 < data["server_cpu_ms_per_scan"] <= data["cpu_ms_per_scan"] * 1.1 + 0.5
    pace = data["scans"] / data["seconds"] / data["stations"]
    assert data["scans_per_station_second"] == pytest.approx(pace, abs=0.01)
