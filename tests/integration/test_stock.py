"""The stock service: ledger and levels in step, rules enforced, rows locked, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Channel,
    Location,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    Reservation,
    StockLedger,
    StockLevel,
    Warehouse,
)
from app.db.uow import UnitOfWork
from app.domain.errors import (
    InsufficientStock,
    NegativeStock,
    NotFound,
    OverReservation,
    PermissionDenied,
    StockReserved,
    ValidationError,
)
from app.domain.stock import MovementReason
from app.domain.users import Actor, Role
from app.services import stock
from tests.conftest import make_actor
from tests.race import Race, hold_the_lock

SOON = date.today() + timedelta(days=200)


@pytest.fixture
def shop(services: Services) -> dict[str, int]:
    """A warehouse with three locations, a plain product (with an EAN) and a lot-tracked tea."""
    with services.uow() as uow:
        s = uow.session
        wh = s.execute(insert(Warehouse).returning(Warehouse.id), [{"code": "W1", "name": "Main"}])
        wid = wh.scalar_one()
        s.execute(
            insert(Location),
            [
                {
                    "warehouse_id": wid,
                    "code": code,
                    "barcode": f"LOC-{code}",
                    "zone": "P",
                    "kind": kind,
                    "sequence": seq,
                }
                for code, kind, seq in [
                    ("A-01", "pickable", 1),
                    ("A-02", "pickable", 2),
                    ("R-01", "storage", 9),
                ]
            ],
        )
        s.execute(
            insert(Product),
            [
                {"sku": "CUP-1", "name": "保温杯 500ml"},
                {
                    "sku": "TEA-1",
                    "name": "西湖龙井 100g",
                    "lot_tracked": True,
                    "expiry_tracked": True,
                },
            ],
        )
        ids = dict(s.execute(select(Product.sku, Product.id)).tuples().all())
        s.execute(
            insert(ProductBarcode),
            [{"product_id": ids["CUP-1"], "barcode": "6901234567892", "kind": "ean13"}],
        )
        uow.commit()
    return ids


def _ledger(services: Services) -> list[tuple[str, int, str]]:
    with services.uow() as uow:
        return [
            tuple(r)  # type: ignore[misc]
            for r in uow.session.execute(
                select(Location.code, StockLedger.qty_delta, StockLedger.reason)
                .join(Location, Location.id == StockLedger.location_id)
                .order_by(StockLedger.id)
            )
        ]


def _order_line(services: Services, product_id: int, qty: int, n: int = 1) -> int:
    with services.uow() as uow:
        s = uow.session
        ch = (
            s.scalar(select(Channel.id))
            or s.execute(
                insert(Channel).returning(Channel.id), [{"code": "tb", "name": "Taobao"}]
            ).scalar_one()
        )
        oid = s.execute(
            insert(Order).returning(Order.id),
            [{"number": f"PD{n:08d}", "channel_id": ch, "external_id": f"X{n}"}],
        ).scalar_one()
        line = s.execute(
            insert(OrderLine).returning(OrderLine.id),
            [{"order_id": oid, "line_no": 1, "sku": "CUP-1", "product_id": product_id, "qty": qty}],
        ).scalar_one()
        uow.commit()
        return int(line)


def test_receipts_write_the_ledger_and_the_levels_and_queries_see_them(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    first = services.run(stock.receive, admin, "LOC-A-01", "CUP-1", 10)
    services.run(stock.receive, admin, "A-01", "6901234567892", 5)  # by code and by EAN
    services.run(stock.receive, admin, "R-01", shop["CUP-1"], 40)
    assert (first.on_hand, first.delta, first.location) == (10, 10, "A-01")
    assert services.run(stock.on_hand, "CUP-1") == 55
    assert services.run(stock.on_hand, "CUP-1", "R-01") == 40
    summary = services.run(stock.product_stock, "CUP-1")
    assert [(ln.location, ln.on_hand) for ln in summary.lines] == [("A-01", 15), ("R-01", 40)]
    assert (summary.on_hand, summary.free) == (55, 55)
    at = services.run(stock.location_stock, "LOC-A-01")
    assert [(ln.sku, ln.name, ln.on_hand) for ln in at.lines] == [("CUP-1", "保温杯 500ml", 15)]
    assert _ledger(services) == [
        ("A-01", 10, "receipt"),
        ("A-01", 5, "receipt"),
        ("R-01", 40, "receipt"),
    ]
    assert services.run(stock.check_stock_invariants) == []


def test_every_stock_change_is_audited_with_user_station_before_and_after(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 10)
    services.run(stock.adjust, admin, "A-01", "CUP-1", -2, note="dropped, broken")
    with services.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "stock").order_by(AuditEntry.id)
        ).all()
        got = [
            (r.action, r.entity_id, r.before, r.after, r.username, r.station_id, r.note)
            for r in rows
        ]
    assert got == [
        (
            "stock.receive",
            "A-01/CUP-1",
            {"on_hand": 0, "reserved": 0},
            {"on_hand": 10, "reserved": 0},
            "admin",
            services.station_id,
            "",
        ),
        (
            "stock.adjustment",
            "A-01/CUP-1",
            {"on_hand": 10, "reserved": 0},
            {"on_hand": 8, "reserved": 0},
            "admin",
            services.station_id,
            "dropped, broken",
        ),
    ]


def test_lot_tracked_goods_need_a_lot_and_expiry_and_a_lot_keeps_its_expiry(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="lot-tracked"):
        services.run(stock.receive, admin, "A-01", "TEA-1", 5)
    with pytest.raises(ValidationError, match="expiry date"):
        services.run(stock.receive, admin, "A-01", "TEA-1", 5, lot="L1")
    with pytest.raises(ValidationError, match="not lot-tracked"):
        services.run(stock.receive, admin, "A-01", "CUP-1", 5, lot="L1")
    with pytest.raises(ValidationError, match="expired"):
        services.run(stock.receive, admin, "A-01", "TEA-1", 5, "L0", date.today() - timedelta(1))
    services.run(stock.receive, admin, "A-01", "TEA-1", 5, "L1", SOON)
    services.run(stock.receive, admin, "A-01", "TEA-1", 3, "L1")  # known lot: expiry optional
    services.run(stock.receive, admin, "A-01", "TEA-1", 7, "L2", SOON + timedelta(30))
    with pytest.raises(ValidationError, match="Check the label"):
        services.run(stock.receive, admin, "A-01", "TEA-1", 1, "L1", SOON + timedelta(1))
    lines = services.run(stock.product_stock, "TEA-1").lines
    assert [(ln.lot, ln.expiry, ln.on_hand) for ln in lines] == [
        ("L1", SOON, 8),
        ("L2", SOON + timedelta(30), 7),
    ]
    assert services.run(stock.check_stock_invariants) == []


def test_unknown_locations_and_products_are_named_in_the_error(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    with pytest.raises(NotFound, match="Location Z-99 was not found"):
        services.run(stock.receive, admin, "Z-99", "CUP-1", 1)
    with pytest.raises(NotFound, match="Product 4006381333931 was not found"):
        services.run(stock.receive, admin, "A-01", "4006381333931", 1)
    with pytest.raises(ValidationError, match="whole number of 1 or more"):
        services.run(stock.receive, admin, "A-01", "CUP-1", 0)


def test_only_roles_with_the_adjust_stock_permission_change_stock(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    clerk = make_actor(services, admin, Role.RETURNS_CLERK)
    with pytest.raises(PermissionDenied, match="may not adjust stock"):
        services.run(stock.receive, picker, "A-01", "CUP-1", 5)
    with pytest.raises(PermissionDenied):
        services.run(stock.count, picker, "A-01", "CUP-1", 5)
    services.run(stock.receive, clerk, "A-01", "CUP-1", 5)
    with pytest.raises(PermissionDenied):
        services.run(stock.adjust, picker, "A-01", "CUP-1", -1)
    assert services.run(stock.on_hand, "CUP-1") == 5


def test_stock_never_goes_below_zero_nor_below_what_is_reserved(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 5)
    with pytest.raises(NegativeStock):
        services.run(stock.adjust, admin, "A-01", "CUP-1", -6)
    with pytest.raises(InsufficientStock):
        services.run(stock.adjust, admin, "A-02", "CUP-1", -1)  # nothing ever there
    line = _order_line(services, shop["CUP-1"], 3)
    services.run(stock.reserve_for_line, admin, line, "A-01", 3)
    with pytest.raises(StockReserved) as err:
        services.run(stock.adjust, admin, "A-01", "CUP-1", -3)
    assert "3 of the 5 on hand are reserved" in err.value.message
    with pytest.raises(StockReserved):
        services.run(stock.count, admin, "A-01", "CUP-1", 2)
    services.run(stock.adjust, admin, "A-01", "CUP-1", -2)
    assert services.run(stock.on_hand, "CUP-1") == 3
    assert len(_ledger(services)) == 2  # the refused movements left no trace
    assert services.run(stock.check_stock_invariants) == []


def test_a_count_books_the_difference_and_an_exact_count_books_nothing(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 12)
    change = services.run(stock.count, admin, "A-01", "CUP-1", 9)
    assert (change.delta, change.on_hand) == (-3, 9)
    services.run(stock.count, admin, "A-01", "CUP-1", 9)
    found = services.run(stock.count, admin, "A-02", "CUP-1", 4)  # found where none was booked
    assert (found.delta, found.on_hand) == (4, 4)
    services.run(stock.count, admin, "R-01", "CUP-1", 0)  # empty and nothing booked: fine
    assert _ledger(services) == [
        ("A-01", 12, "receipt"),
        ("A-01", -3, "count"),
        ("A-02", 4, "count"),
    ]
    with services.uow() as uow:
        counts = uow.session.scalar(select(func.count()).where(AuditEntry.action == "stock.count"))
    assert counts == 4
    assert services.run(stock.check_stock_invariants) == []


def test_a_move_takes_only_free_units_and_keeps_the_fifo_date(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "R-01", "CUP-1", 20)
    line = _order_line(services, shop["CUP-1"], 15)
    services.run(stock.reserve_for_line, admin, line, "R-01", 15)
    with pytest.raises(InsufficientStock, match="6 wanted, 5 available"):
        services.run(stock.move, admin, "CUP-1", "R-01", "A-01", 6)
    out, into = services.run(stock.move, admin, "CUP-1", "R-01", "A-01", 5)
    assert (out.on_hand, out.reserved, into.on_hand) == (15, 15, 5)
    with pytest.raises(ValidationError, match="both the source and the target"):
        services.run(stock.move, admin, "CUP-1", "A-01", "A-01", 1)
    assert _ledger(services)[-2:] == [("R-01", -5, "move_out"), ("A-01", 5, "move_in")]
    with services.uow() as uow:
        dates = (
            uow.session.execute(
                select(StockLevel.first_received_at).order_by(StockLevel.location_id)
            )
            .scalars()
            .all()
        )
    assert dates[0] == dates[1]
    assert services.run(stock.check_stock_invariants) == []


def test_reservations_move_reserved_and_are_given_back_on_release(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 4)
    line = _order_line(services, shop["CUP-1"], 4)
    res = services.run(stock.reserve_for_line, admin, line, "A-01", 3)
    with pytest.raises(OverReservation, match="only 1 is free"):
        services.run(stock.reserve_for_line, admin, line, "A-01", 2)
    assert services.run(stock.product_stock, "CUP-1").free == 1
    services.run(stock.release_reservation, admin, res.id)
    summary = services.run(stock.product_stock, "CUP-1")
    assert (summary.on_hand, summary.reserved) == (4, 0)
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied, match="allocate stock"):
        services.run(stock.reserve_for_line, packer, line, "A-01", 1)
    assert services.run(stock.check_stock_invariants) == []


def test_the_invariant_check_names_every_broken_bucket(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 10)
    services.run(stock.receive, admin, "A-02", "CUP-1", 6)
    services.run(stock.receive, admin, "R-01", "TEA-1", 3, "L7", SOON)
    line = _order_line(services, shop["CUP-1"], 2)
    services.run(stock.reserve_for_line, admin, line, "A-02", 2)
    assert services.run(stock.check_stock_invariants) == []
    with services.uow() as uow:  # break things behind the service's back
        s = uow.session
        loc = dict(s.execute(select(Location.code, Location.id)).tuples().all())
        s.execute(
            update(StockLevel).where(StockLevel.location_id == loc["A-01"]).values(on_hand=11)
        )
        s.execute(
            update(StockLevel).where(StockLevel.location_id == loc["A-02"]).values(reserved=1)
        )
        s.execute(
            insert(StockLedger),
            [
                {
                    "location_id": loc["R-01"],
                    "product_id": shop["CUP-1"],
                    "qty_delta": 4,
                    "reason": "receipt",
                }
            ],
        )
        s.execute(update(Reservation).values(qty=2))
        uow.commit()
    problems = services.run(stock.check_stock_invariants)
    assert problems == [
        "CUP-1 at A-01: on hand is 11 but the ledger adds up to 10.",
        "CUP-1 at A-02: 1 reserved but its reservations add up to 2.",
        "CUP-1 at R-01: the ledger adds up to 4 but there is no stock level row.",
    ]


# --- two stations at once -------------------------------------------------------------------------


def _race(services: Services, *calls: Callable[[UnitOfWork], Any]) -> list[Any]:
    """Run each call as a station (own thread and session) while a third transaction holds the
    stock table (PostgreSQL) or the write lock (SQLite); once every station is seen waiting for it
    (tests/race.py) it lets go and they race. Their results or errors, in order."""
    race = Race(services, hold_the_lock(services, "LOCK TABLE stock_levels IN EXCLUSIVE MODE"))
    race.start(*calls)
    race.assert_all_waiting(len(calls))
    race.release()
    return race.results()


def test_two_stations_reserving_the_last_units_at_once_only_one_wins(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 5)
    lines = [_order_line(services, shop["CUP-1"], 5, n) for n in (1, 2)]
    for _ in range(3):
        results = _race(
            services,
            *[lambda uow, ln=ln: stock.reserve_for_line(uow, admin, ln, "A-01", 5) for ln in lines],
        )
        won = [r for r in results if isinstance(r, stock.ReservationInfo)]
        lost = [r for r in results if isinstance(r, OverReservation)]
        assert len(won) == 1 and len(lost) == 1, results
        assert services.run(stock.product_stock, "CUP-1").reserved == 5
        assert services.run(stock.check_stock_invariants) == []
        services.run(stock.release_reservation, admin, won[0].id)


def test_two_stations_taking_the_last_units_at_once_never_oversell(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(stock.receive, admin, "A-01", "CUP-1", 3)
    results = _race(
        services,
        lambda uow: stock.adjust(uow, admin, "A-01", "CUP-1", -3),
        lambda uow: stock.move(uow, admin, "CUP-1", "A-01", "A-02", 3),
    )
    assert sum(isinstance(r, stock.StockChange | tuple) for r in results) == 1, results
    assert sum(isinstance(r, NegativeStock | InsufficientStock) for r in results) == 1, results
    assert services.run(stock.on_hand, "CUP-1") in (0, 3)
    assert services.run(stock.check_stock_invariants) == []


def test_two_stations_moving_units_into_a_level_neither_has_yet_make_it_once_and_both_land(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    """The put and the labelling make the target level in the statement that returns it; the
    station that finds it made meanwhile by the other locks it as it is."""
    services.run(stock.receive, admin, "A-01", "CUP-1", 4)
    with services.uow() as uow:
        a01, a02 = (stock.find_location(uow.session, c).id for c in ("A-01", "A-02"))
    src, dst = (a01, shop["CUP-1"], None), (a02, shop["CUP-1"], None)

    def station(uow: UnitOfWork) -> int:
        with uow:
            levels = stock.lock_buckets(uow.session, [src, dst], create=[dst])
            source, target = levels[src], levels[dst]
            assert source is not None and target is not None
            for level, delta, code in ((source, -1, "A-01"), (target, 1, "A-02")):
                stock.move_locked(
                    uow, admin, level, delta, MovementReason.MOVE_IN, sku="CUP-1", location=code
                )
            uow.commit()
            return target.id

    first, second = _race(services, station, station)
    assert isinstance(first, int) and first == second  # one level, made once
    with services.uow() as uow:
        rows = uow.session.scalars(
            select(StockLevel).where(
                StockLevel.location_id == a02, StockLevel.product_id == shop["CUP-1"]
            )
        ).all()
        assert [(r.id, r.on_hand) for r in rows] == [(first, 2)]
    assert services.run(stock.check_stock_invariants) == []


def test_a_second_station_waits_for_the_first_and_then_sees_its_reservation(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    """Deterministic: the first station holds the bucket locked until it commits."""
    services.run(stock.receive, admin, "A-01", "CUP-1", 5)
    line1, line2 = (_order_line(services, shop["CUP-1"], 5, n) for n in (1, 2))
    first = services.uow()
    with first:
        loc = stock.find_location(first.session, "A-01")
        level = stock.lock_bucket(first.session, loc.id, shop["CUP-1"], None)
        assert level is not None
        stock.reserve_locked(first.session, level, line1, 4, sku="CUP-1", location="A-01")
        first.session.flush()
        race = Race(services, first.session.connection(), let_go=first.commit)
        race.start(lambda uow: stock.reserve_for_line(uow, admin, line2, "A-01", 2))
        race.assert_all_waiting(1)
        race.release()
    result = race.results()
    assert isinstance(result[0], OverReservation), result
    assert "only 1 is free" in result[0].message
    assert services.run(stock.check_stock_invariants) == []


def test_two_stations_receiving_a_new_lot_into_a_new_bucket_at_once_both_count(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    results = _race(
        services,
        lambda uow: stock.receive(uow, admin, "A-01", "TEA-1", 4, "NEW", SOON),
        lambda uow: stock.receive(uow, admin, "A-01", "TEA-1", 6, "NEW", SOON),
    )
    assert all(isinstance(r, stock.StockChange) for r in results), results
    assert services.run(stock.on_hand, "TEA-1") == 10
    assert services.run(stock.check_stock_invariants) == []
