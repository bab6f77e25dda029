"""``packdesk simulate`` run as a user runs it (the console script in a process of its own), its
JSON checked against the database it ran on: every released order shipped, every refused scan
and weight exception one the seed planned, the labels at the printer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from app.config import ENV_DB, ENV_HOME
from app.db.models import (
    Order,
    OrderLine,
    PackException,
    PackSession,
    Parcel,
    PrintJob,
    StockLedger,
    StockLevel,
    TrackingNumber,
    WaveOrder,
)
from app.devices.emulators.printer import PrinterEmulator
from app.simulate.plan import plan_order
from tests.conftest import _truncate_pg

ROOT = Path(__file__).resolve().parents[2]
#: a seed whose 30 orders plan wrong items, unknown codes and wrong weights
SEED = "2"
KEYS = (
    "orders_shipped", "parcels", "labels_printed", "scans", "scans_refused", "exceptions",
    "non_scan_inputs", "app_seconds_per_order", "wall_s", "scan_to_commit_ms", "stations",
    "duplicates", "scan_to_commit_ms_by_kind", "pace_jitter",
    "scan_to_commit_ms_by_step", "scan_cpu_ms_by_step",
)  # fmt: skip


def simulate(db_url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **{ENV_HOME: str(home)})
    env.pop(ENV_DB, None)
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--db", db_url, "simulate", "--quiet", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


def run_json(db_url: str, home: Path, *args: str) -> dict[str, Any]:
    out = simulate(db_url, home, "--json", *args)
    assert out.returncode == 0, out.stderr[-3000:]
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def planned(db_url: str, seed: int) -> Counter[str]:
    """What the seed planned for the simulated orders, worked out again from the database."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        units = conn.execute(
            select(Order.external_id, func.sum(OrderLine.qty))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.external_id.like("#SIM%"), Order.status != "on_hold")
            .group_by(Order.external_id)
        ).all()
    engine.dispose()
    out: Counter[str] = Counter()
    for name, n in units:
        plan = plan_order(seed, name, int(n))
        out.update(kind for _, kind in plan.mistakes)
        out["weight"] += plan.wrong_weight
    return out


def test_a_shift_of_30_orders_ships_every_released_order_and_refuses_only_the_planned_scans(
    db_url: str, tmp_path: Path
) -> None:
    data = run_json(db_url, tmp_path, "--orders", "30", "--seed", SEED)
    assert all(k in data for k in KEYS), sorted(set(KEYS) - set(data))
    plan = planned(db_url, int(SEED))
    assert plan["wrong_item"] and plan["unknown"] and plan["weight"]  # the seed tries them all
    engine = create_engine(db_url)
    with engine.connect() as conn:
        statuses = Counter(
            dict(
                conn.execute(
                    select(Order.status, func.count())
                    .where(Order.external_id.like("#SIM%"))
                    .group_by(Order.status)
                ).all()
            )
        )
        refused = Counter(
            dict(
                conn.execute(
                    select(PackException.kind, func.count()).group_by(PackException.kind)
                ).all()
            )
        )
        tracking = conn.scalars(
            select(Parcel.tracking_number).where(Parcel.status == "shipped")
        ).all()
        labels_sent = conn.scalar(
            select(func.count()).where(PrintJob.printer == "label", PrintJob.status == "sent")
        )
    engine.dispose()
    held = statuses["on_hold"]
    assert sum(statuses.values()) == 30
    assert data["orders_shipped"] == statuses["shipped"] == 30 - held
    assert data["parcels"] == data["labels_printed"] == labels_sent == 30 - held
    mis_scans = plan["wrong_item"] + plan["unknown"]
    assert data["scans_refused"] == data["scans_refused_planned"] == mis_scans
    assert refused["wrong_item"] + refused["other_order"] == mis_scans
    assert refused["weight"] == data["exceptions"]["weight"] == plan["weight"]
    assert data["exceptions"]["held_at_intake"] == held
    assert data["non_scan_inputs_per_order"] == 0
    handover = data["handover"]
    assert handover["parcels_handed_over"] == handover["tracking_export_parcels"] == 30 - held
    exported = Path(handover["tracking_export"]).read_text(encoding="utf-8-sig")
    assert all(t in exported for t in tracking), "a shipped parcel's number is not in the file"


def test_with_pick_the_orders_are_waved_claimed_picked_into_totes_and_packed_from_the_pick_list(
    sqlite_url: str, tmp_path: Path
) -> None:
    before = time.time()
    data = run_json(sqlite_url, tmp_path, "--orders", "10", "--pick", "--seed", SEED)
    after = time.time()
    assert data["batches_picked"] >= 1 and data["pick_scans"] >= 3 * 10
    # the packing phase's start, on the clock other tools read: inside the run, after its
    # set-up, with the packing phase ending before the run did
    began = data["pack_started_at"]
    assert before + data["setup_s"] < began < began + data["pack_wall_s"] < after
    by_kind = data["scan_to_commit_ms_by_kind"]
    assert set(by_kind) == {"pick", "pack", "ship"}, by_kind
    assert by_kind["pick"]["n"] == data["pick_scans"]
    assert sum(k["n"] for k in by_kind.values()) == data["scan_to_commit_ms"]["n"]
    assert max(k["max"] for k in by_kind.values()) == data["scan_to_commit_ms"]["max"]
    by_step = data["scan_to_commit_ms_by_step"]
    assert {"pick:location", "pick:item", "pick:put", "pack:item", "ship:parcel"} <= set(by_step)
    for kind, figures in by_kind.items():  # each bench's scans, split by what was scanned
        steps = [v for k, v in by_step.items() if k.startswith(f"{kind}:")]
        assert sum(v["n"] for v in steps) == figures["n"]
        assert max(v["max"] for v in steps) == figures["max"]
    # each scan's own CPU (the station's thread) is part of its time: never more
    cpu = data["scan_cpu_ms_by_step"]
    assert set(cpu) == set(by_step)
    for step, wall in by_step.items():
        assert cpu[step]["n"] == wall["n"], step
        assert 0 < cpu[step]["p50"] <= wall["p50"] and cpu[step]["max"] <= wall["max"], step
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        waved = conn.scalar(
            select(func.count())
            .select_from(WaveOrder)
            .join(Order, Order.id == WaveOrder.order_id)
            .where(Order.external_id.like("#SIM%"))
        )
        picked_units = conn.scalar(
            select(func.sum(StockLedger.qty_delta)).where(
                StockLedger.reason == "pick", StockLedger.qty_delta > 0
            )
        )
        units = conn.scalar(
            select(func.sum(OrderLine.qty))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.external_id.like("#SIM%"), Order.status == "shipped")
        )
    engine.dispose()
    assert (
        waved
        == data["orders_packed"]
        == data["orders_shipped"]
        == 10 - data["exceptions"]["held_at_intake"]
    )
    assert picked_units == units  # every unit shipped went through a tote


def test_printer_sends_the_labels_to_a_zpl_printer_at_that_address(
    sqlite_url: str, tmp_path: Path
) -> None:
    with PrinterEmulator("zpl") as printer:  # a printer of the shop's, on the network
        data = run_json(
            sqlite_url, tmp_path, "--orders", "3", "--printer", f"tcp://{printer.address}"
        )
        assert printer.wait_for_jobs(data["labels_printed"], timeout=5)
        jobs = printer.jobs
    assert data["labels_printed"] == data["parcels"] == len(jobs) >= 1
    assert all(job.startswith(b"^XA") for job in jobs)


def test_an_unplanned_refusal_fails_the_run_with_exit_1_and_says_what_happened(
    sqlite_url: str, tmp_path: Path
) -> None:
    out = simulate(sqlite_url, tmp_path, "--orders", "3", "--inject-fault", "2")
    assert out.returncode == 1, out.stderr
    assert "FAILED" in out.stderr and "unplanned scan was refused (over_scan)" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_pace_jitter_outside_0_to_1_is_refused_with_the_range(
    sqlite_url: str, tmp_path: Path
) -> None:
    out = simulate(sqlite_url, tmp_path, "--orders", "3", "--pace-ms", "20", "--pace-jitter", "2")
    assert out.returncode != 0 and "--pace-jitter must be from 0 to 1" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_database_with_a_real_warehouse_is_refused_and_nothing_is_added(
    sqlite_url: str, tmp_path: Path
) -> None:
    from app.bootstrap import bootstrap
    from app.config import Paths, Settings
    from app.services import auth

    services = bootstrap(
        Settings(db_url=sqlite_url, station="pc-1"), Paths(tmp_path, tmp_path, tmp_path)
    )
    services.run(auth.create_first_admin, "boss", "correct-horse-9", services.station_id)
    services.close()
    out = simulate(sqlite_url, tmp_path, "--orders", "3")
    assert out.returncode == 1
    assert "holds a real warehouse (1 users)" in out.stderr
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Order)) == 0
        assert conn.scalar(select(func.count()).select_from(Parcel)) == 0
    engine.dispose()


@pytest.mark.postgres
def test_two_stations_on_postgresql_pack_no_order_twice_use_no_number_twice_and_the_ledger_balances(
    pg_migrated: str, tmp_path: Path
) -> None:
    _truncate_pg(pg_migrated)
    data = run_json(pg_migrated, tmp_path, "--orders", "24", "--stations", "2", "--seed", SEED)
    assert data["stations"] == 2 and all(n > 0 for n in data["orders_per_station"])
    assert data["duplicates"] == 0
    engine = create_engine(pg_migrated)
    with engine.connect() as conn:
        ours = select(Order.id).where(Order.external_id.like("#SIM%"))
        parcels = conn.execute(
            select(Parcel.order_id, Parcel.tracking_number, Parcel.station_id).where(
                Parcel.order_id.in_(ours), Parcel.voided_at.is_(None)
            )
        ).all()
        sessions = conn.execute(
            select(PackSession.order_id, func.count())
            .where(PackSession.order_id.in_(ours))
            .group_by(PackSession.order_id)
        ).all()
        used = conn.execute(
            select(TrackingNumber.number, func.count())
            .where(TrackingNumber.status != "free")
            .group_by(TrackingNumber.carrier_id, TrackingNumber.number)
        ).all()
        shipped_units = conn.scalar(
            select(func.sum(OrderLine.qty))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.external_id.like("#SIM%"), Order.status == "shipped")
        )
        out_units = conn.scalar(
            select(-func.sum(StockLedger.qty_delta)).where(StockLedger.reason == "ship")
        )
        levels = conn.execute(
            select(
                StockLevel.location_id, StockLevel.product_id, StockLevel.lot_id,
                StockLevel.on_hand,
            )
        ).all()  # fmt: skip
        ledger = {
            (loc, prod, lot): int(total)
            for loc, prod, lot, total in conn.execute(
                select(
                    StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id,
                    func.sum(StockLedger.qty_delta),
                ).group_by(StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id)
            )
        }  # fmt: skip
    engine.dispose()
    by_order = Counter(order for order, _, _ in parcels)
    assert len(by_order) == data["orders_packed"] and max(by_order.values()) == 1
    assert all(n == 1 for _, n in sessions)  # each order was opened at one station only
    assert len({station for _, _, station in parcels}) == 2
    numbers = [t for _, t, _ in parcels]
    assert len(numbers) == len(set(numbers)) and all(numbers)
    assert all(n == 1 for _, n in used)
    assert all(ledger.get((loc, p, lot), 0) == on_hand for loc, p, lot, on_hand in levels)
    assert out_units == shipped_units
    assert data["orders_shipped"] == data["orders_packed"] == len(by_order)
