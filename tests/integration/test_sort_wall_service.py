"""Sorting a picked pick-then-sort batch at the wall, scan by scan, on SQLite and PostgreSQL:
slots by order age, the unit's slot, the stock and reservations moving with each unit, the
refusals, completed slots and orders, the wave picked at the end, and a resume after a crash."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.bootstrap import Services
from app.db.models import (
    Location,
    Order,
    PickTaskPart,
    Reservation,
    SettingRow,
    StockLedger,
    StockLevel,
    Wave,
    WaveOrder,
)
from app.domain.errors import PermissionDenied
from app.domain.scans import GS, ScanEvent
from app.domain.sort_wall import NoUnitInHand, UnitNotNeeded, WallTooSmall, WrongSlot
from app.domain.users import Actor, Role
from app.services import scanning, sort_wall, sort_wall_settings, stock
from tests.conftest import make_actor
from tests.sort_wall_fixtures import CASE_EAN, CUP_EAN, TEA_EAN, TOTE, PickedWave, picked_sort_wave


@pytest.fixture
def wave(services: Services, admin: Actor) -> PickedWave:
    return picked_sort_wave(services, admin)


@pytest.fixture
def picker(services: Services, admin: Actor) -> Actor:
    return make_actor(services, admin, Role.PICKER)


def scan(services: Services, text: str) -> ScanEvent:
    return services.run(scanning.classify, text)


def sort(services: Services, actor: Actor, batch_id: int, text: str) -> sort_wall.Outcome:
    return services.run(sort_wall.sort_scan, actor, batch_id, scan(services, text))


def reserved_at(services: Services, location: str) -> dict[int, int]:
    """order line -> units reserved for it at a location."""
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Reservation.order_line_id, func.sum(Reservation.qty))
            .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == location)
            .group_by(Reservation.order_line_id)
        )
        return {int(k): int(v) for k, v in rows}


def statuses(services: Services) -> dict[str, str]:
    with services.uow() as uow:
        return dict(uow.session.execute(select(Order.number, Order.status)).tuples().all())


def test_opening_the_wall_gives_the_oldest_order_the_first_slot(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    batch_id = services.run(sort_wall.find_batch, picker, TOTE)
    assert batch_id == wave.batch_id
    view = services.run(sort_wall.open_wall, picker, batch_id)
    assert [(s.slot, s.code, s.order_number, s.needed) for s in view.slots] == [
        (1, "WALL-01", "PD00000001", 2),
        (2, "WALL-02", "PD00000002", 2),
        (3, "WALL-03", "PD00000003", 2),
    ]
    assert view.label == "W000001-1" and view.sorted == 0 and not view.done
    with services.uow() as uow:
        kinds = dict(
            uow.session.execute(
                select(Location.barcode, Location.kind).where(Location.zone == "SORT")
            )
            .tuples()
            .all()
        )
    assert kinds == {"WALL-01": "tote", "WALL-02": "tote", "WALL-03": "tote"}
    # opening again resumes: the same slots
    again = services.run(sort_wall.open_wall, picker, batch_id)
    assert again.slots == view.slots
    listed = services.run(sort_wall.sortable_batches, picker)
    assert [(b.label, b.bulk_tote, b.orders, b.started) for b in listed] == [
        ("W000001-1", TOTE, 3, True)
    ]


def test_a_unit_goes_to_the_oldest_order_still_needing_it_and_moves_with_its_reservation(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    services.run(sort_wall.open_wall, picker, wave.batch_id)
    shown = sort(services, picker, wave.batch_id, CUP_EAN)
    assert (shown.kind, shown.slot, shown.order_number) == ("unit", 1, "PD00000001")
    assert shown.wall.hand is not None and shown.wall.hand.sku == "CUP-500"
    put = sort(services, picker, wave.batch_id, "WALL-01")
    assert (put.kind, put.slot) == ("sorted", 1)
    assert put.wall.hand is None and put.wall.slot(1) is not None
    assert put.wall.slot(1).sorted == 1  # type: ignore[union-attr]
    # the next cup goes to the next oldest order: order 1 has its cup
    assert sort(services, picker, wave.batch_id, CUP_EAN).slot == 2
    with services.uow() as uow:
        s = uow.session
        ledger = s.execute(
            select(Location.code, StockLedger.qty_delta, StockLedger.reason, StockLedger.ref_type)
            .join(Location, Location.id == StockLedger.location_id)
            .where(StockLedger.ref_type == "sort")
            .order_by(StockLedger.id)
        ).all()
        line = s.scalar(
            select(PickTaskPart.order_line_id).where(
                PickTaskPart.order_id == wave.orders["PD00000001"],
                PickTaskPart.qty_sorted == 1,
            )
        )
    assert [tuple(r) for r in ledger] == [
        (TOTE, -1, "move_out", "sort"),
        ("WALL-01", 1, "move_in", "sort"),
    ]
    assert line is not None
    assert reserved_at(services, "WALL-01") == {line: 1}
    assert line not in reserved_at(services, TOTE)
    assert services.run(stock.on_hand, "CUP-500", TOTE) == 3
    assert services.run(stock.check_stock_invariants) == []


def test_a_wrong_slot_and_an_unneeded_unit_are_refused_and_nothing_moves(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    services.run(sort_wall.open_wall, picker, wave.batch_id)
    with pytest.raises(NoUnitInHand):
        sort(services, picker, wave.batch_id, "WALL-01")
    sort(services, picker, wave.batch_id, CASE_EAN)  # only order 3 wants the case
    with pytest.raises(WrongSlot) as wrong:
        sort(services, picker, wave.batch_id, "WALL-02")
    assert wrong.value.params == {"detail": "", "sku": "CASE-01", "expected": 3, "scanned": 2}
    assert "goes into slot 3, not slot 2" in wrong.value.message
    view = services.run(sort_wall.wall_view, picker, wave.batch_id)
    assert view.hand is not None and view.hand.slot == 3  # still in hand
    assert sort(services, picker, wave.batch_id, "WALL-03").kind == "sorted"
    with pytest.raises(UnitNotNeeded, match="put the unit aside and tell a supervisor"):
        sort(services, picker, wave.batch_id, CASE_EAN)  # the only case is sorted
    with services.uow() as uow:
        moves = uow.session.scalar(
            select(func.count(StockLedger.id)).where(StockLedger.ref_type == "sort")
        )
    assert moves == 2


def test_a_gs1_scan_with_the_lot_finds_its_slot_and_cancel_empties_the_hand(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    services.run(sort_wall.open_wall, picker, wave.batch_id)
    gs1 = f"]C101{TEA_EAN.zfill(14)}10L1{GS}"
    assert sort(services, picker, wave.batch_id, gs1).slot == 1
    cancelled = sort(services, picker, wave.batch_id, "PD-CMD-CANCEL")
    assert cancelled.kind == "cancelled" and cancelled.wall.hand is None
    with pytest.raises(UnitNotNeeded):
        sort(services, picker, wave.batch_id, f"]C101{TEA_EAN.zfill(14)}10L9{GS}")


def test_sorting_every_unit_completes_every_slot_picks_every_order_and_the_wave(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    services.run(sort_wall.open_wall, picker, wave.batch_id)
    kinds = []
    for code in (CUP_EAN, CUP_EAN, CUP_EAN, CUP_EAN, TEA_EAN, CASE_EAN):
        shown = sort(services, picker, wave.batch_id, code)
        assert shown.slot is not None
        outcome = sort(services, picker, wave.batch_id, f"WALL-{shown.slot:02d}")
        kinds.append((outcome.kind, outcome.slot))
    # cups: 1 -> order 1, 2 and 3 -> order 2 (complete), 4 -> order 3; tea completes order 1
    assert kinds == [
        ("sorted", 1),
        ("sorted", 2),
        ("slot_complete", 2),
        ("sorted", 3),
        ("slot_complete", 1),
        ("wall_done", 3),
    ]
    assert set(statuses(services).values()) == {"picked"}
    view = services.run(sort_wall.wall_view, picker, wave.batch_id)
    assert view.done and all(s.complete and s.sorted == s.needed for s in view.slots)
    with services.uow() as uow:
        w = uow.session.get_one(Wave, wave.wave_id)
        assert w.status == "picked" and w.finished_at is not None
        assert uow.session.scalar(select(func.count()).where(WaveOrder.sorted_at.is_(None))) == 0
    assert services.run(stock.on_hand, "CUP-500", TOTE) == 0
    assert services.run(stock.on_hand, "CUP-500", "WALL-02") == 2
    assert services.run(stock.check_stock_invariants) == []
    assert services.run(sort_wall.sortable_batches, picker) == []


def test_the_unit_in_hand_survives_a_crash_and_another_station_finishes_it(
    services: Services, wave: PickedWave, picker: Actor, admin: Actor
) -> None:
    services.run(sort_wall.open_wall, picker, wave.batch_id)
    sort(services, picker, wave.batch_id, CASE_EAN)
    # the station dies here; another sorter opens the wall on another station
    other = make_actor(services, admin, Role.PICKER, "picker-2")
    resumed = services.run(sort_wall.open_wall, other, wave.batch_id)
    assert resumed.hand is not None and (resumed.hand.slot, resumed.hand.sku) == (3, "CASE-01")
    assert sort(services, other, wave.batch_id, "WALL-03").kind == "sorted"


def test_a_packer_may_not_sort_and_a_wall_too_small_is_refused(
    services: Services, wave: PickedWave, picker: Actor, admin: Actor
) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(sort_wall.open_wall, packer, wave.batch_id)
    services.run(sort_wall_settings.set_wall_settings, admin, rows=1, columns=2, prefix="wall-")
    with pytest.raises(WallTooSmall, match="has 3 orders but the wall has only 2 slots"):
        services.run(sort_wall.open_wall, picker, wave.batch_id)


def test_slots_given_at_release_are_given_again_oldest_first_until_sorting_begins(
    services: Services, wave: PickedWave, picker: Actor
) -> None:
    with services.uow() as uow:  # release numbered them newest first
        for number, slot in (("PD00000001", 3), ("PD00000002", 2), ("PD00000003", 1)):
            uow.session.execute(
                update(WaveOrder)
                .where(WaveOrder.order_id == wave.orders[number])
                .values(wall_slot=slot)
            )
        uow.commit()
    view = services.run(sort_wall.open_wall, picker, wave.batch_id)
    assert [s.order_number for s in view.slots] == ["PD00000001", "PD00000002", "PD00000003"]
    sort(services, picker, wave.batch_id, CASE_EAN)
    with services.uow() as uow:  # once a unit is in hand the slots stay as they are
        uow.session.execute(
            update(WaveOrder)
            .where(WaveOrder.order_id == wave.orders["PD00000001"])
            .values(wall_slot=9)
        )
        uow.commit()
    again = services.run(sort_wall.open_wall, picker, wave.batch_id)
    assert [s.slot for s in again.slots][-1] == 9


def test_the_wall_settings_are_stored_with_the_slot_count_wave_planning_reads(
    services: Services, admin: Actor
) -> None:
    assert services.run(sort_wall_settings.wall_settings).slots == 24  # the default 4 x 6
    saved = services.run(
        sort_wall_settings.set_wall_settings, admin, rows=3, columns=10, prefix=" sw- "
    )
    assert (saved.slots, saved.prefix, saved.slot_code(7)) == (30, "SW-", "SW-07")
    assert services.run(sort_wall_settings.wall_settings) == saved
    with services.uow() as uow:
        stored = dict(
            uow.session.execute(
                select(SettingRow.key, SettingRow.value).where(SettingRow.key.like("sort_wall.%"))
            )
            .tuples()
            .all()
        )
    assert stored == {
        "sort_wall.rows": 3,
        "sort_wall.columns": 10,
        "sort_wall.prefix": "SW-",
        "sort_wall.slots": 30,
    }
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(sort_wall_settings.set_wall_settings, picker, rows=1, columns=1, prefix="W")
