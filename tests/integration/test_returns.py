"""Returns (售后) on SQLite and PostgreSQL, for orders packed at the station and shipped:
receiving by each kind of scan, never more back than shipped, restock / quarantine / write off
in the ledger and in allocation, serials, and the order's status after a full or partial
return."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Location,
    Order,
    OrderStatusChange,
    Product,
    Reservation,
    Return,
    StockLedger,
    StockLevel,
)
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import order_actions, returns, returns_scan, stock
from app.services.pack_scan import _serial_owner
from tests.pack_fixtures import counts
from tests.pick_fixtures import add_order, set_status
from tests.returns_fixtures import CUP, PEN, ShippedSetup, shipped_orders


@pytest.fixture
def shipped(services: Services, admin: Actor) -> ShippedSetup:
    return shipped_orders(services, admin)


def _scan(services: Services, sh: ShippedSetup, text: str, rid: int | None, **kw: object):
    return services.run(returns_scan.scan, sh.clerk, text, return_id=rid, **kw)


def _level(services: Services, code: str, sku: str) -> tuple[int, int]:
    with services.uow() as uow:
        row = uow.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Location.code == code, Product.sku == sku)
        ).one_or_none()
        return (int(row[0]), int(row[1])) if row else (0, 0)


def test_a_return_is_found_by_tracking_number_order_number_channel_id_and_return_label(
    services: Services, shipped: ShippedSetup
) -> None:
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.number == "PD1").values(external_id="TB-778899")
        )
        uow.commit()
    first = services.run(returns.open_return, shipped.clerk, shipped.tracking["PD1"])
    assert (first.order_number, first.number, first.status) == ("PD1", "R-PD1-1", "open")
    assert [(ln.sku, ln.shipped, ln.returned_before, ln.in_this_return) for ln in first.lines] == [
        ("CUP-1", 2, 0, 0),
        ("TEA-1", 1, 0, 0),
    ]
    assert first.expects == "item"
    for text in ("PD1", "TB-778899", "RT-PD1", "rt-PD1"):
        again = services.run(returns.open_return, shipped.clerk, text)
        assert again.return_id == first.return_id  # the open return is resumed, not doubled
    other = services.run(returns.open_return, shipped.clerk, "RT-PD2")
    assert other.order_number == "PD2" and other.return_id != first.return_id
    with services.uow() as uow:
        assert (
            uow.session.scalar(select(Return.scanned).where(Return.id == first.return_id))
            == (shipped.tracking["PD1"])
        )
        opened = uow.session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "return.open")
        ).all()
        assert sorted(opened) == ["R-PD1-1", "R-PD2-1"]


def test_a_return_is_refused_for_an_order_not_shipped_or_a_scan_that_names_nothing(
    services: Services, shipped: ShippedSetup
) -> None:
    add_order(services, "PD9", [("CUP-1", 1)])
    before = counts(services)
    for text, words in (("PD9", "not shipped"), ("NOTHING-42", "not a shipped parcel")):
        with pytest.raises(PackdeskError) as err:
            services.run(returns.open_return, shipped.clerk, text)
        assert words in err.value.message
    refused = _scan(services, shipped, "NOTHING-42", None)
    assert not refused.accepted and refused.view is None
    assert counts(services) == before


def test_no_more_can_come_back_than_was_shipped_minus_returned(
    services: Services, shipped: ShippedSetup
) -> None:
    view = services.run(returns.open_return, shipped.clerk, "PD1")
    cup_line = view.lines[0].order_line_id
    before = counts(services)
    with pytest.raises(PackdeskError) as err:
        services.run(returns.add_units, shipped.clerk, view.return_id, cup_line, 3, "WRONG_SIZE")
    assert err.value.params["left"] == 2 and err.value.params["shipped"] == 2
    assert counts(services) == before
    assert _scan(services, shipped, CUP, view.return_id).accepted
    assert _scan(services, shipped, CUP, view.return_id).accepted
    third = _scan(services, shipped, CUP, view.return_id)
    assert not third.accepted and third.params["left"] == 0
    assert third.view is not None and third.view.lines[0].in_this_return == 2
    pen = _scan(services, shipped, PEN, view.return_id)
    assert not pen.accepted and pen.key == "not_on_order"


def test_restocked_units_enter_the_scanned_location_as_a_return_and_allocation_uses_them(
    services: Services, shipped: ShippedSetup, admin: Actor
) -> None:
    rid = _scan(services, shipped, shipped.tracking["PD2"], None).view.return_id  # type: ignore[union-attr]
    added = _scan(services, shipped, PEN, rid, reason_code="DEFECTIVE")
    assert added.accepted and added.view is not None and added.view.expects == "disposition"
    assert [(u.sku, u.qty, u.reason_code, u.disposition) for u in added.view.units] == [
        ("PEN-1", 1, "DEFECTIVE", "")
    ]
    staging = _scan(services, shipped, "TOTE-0001", rid)  # a tote is not a shelf
    assert not staging.accepted
    put = _scan(services, shipped, "LOC-B-02", rid)
    assert put.accepted and put.key == "restocked" and put.params["location"] == "B-02"
    assert put.view is not None and put.view.units[0].disposition == "restock"
    assert _level(services, "B-02", "PEN-1") == (1, 0)
    with services.uow() as uow:
        line = uow.session.execute(
            select(
                StockLedger.reason, StockLedger.ref_type, StockLedger.ref_id, StockLedger.qty_delta
            )
            .join(Location, Location.id == StockLedger.location_id)
            .where(Location.code == "B-02")
        ).one()
        assert tuple(line) == ("return", "return", rid, 1)
    # 7 pens are left in B-01: an order for 8 needs the one that came back
    oid = add_order(services, "PD8", [("PEN-1", 8)])
    set_status(services, [oid], "released")
    report = services.run(order_actions.allocate, admin, [oid])
    assert report.reserved_units == 8
    assert _level(services, "B-02", "PEN-1") == (1, 1)
    assert services.run(stock.check_stock_invariants) == []


def test_quarantined_and_written_off_units_are_never_allocated_and_the_ledger_shows_both(
    services: Services, shipped: ShippedSetup, admin: Actor
) -> None:
    rid = _scan(services, shipped, "RT-PD1", None).view.return_id  # type: ignore[union-attr]
    _scan(services, shipped, CUP, rid, reason_code="DAMAGED")
    q = _scan(services, shipped, "PD-RET-QUARANTINE", rid)
    assert q.accepted and q.key == "quarantined"
    _scan(services, shipped, CUP, rid, reason_code="DAMAGED")
    w = _scan(services, shipped, "PD-RET-WRITE-OFF", rid)
    assert w.accepted and w.key == "written_off"
    with services.uow() as uow:
        quarantine = uow.session.scalars(
            select(Location).where(Location.kind == "quarantine")
        ).one()
        assert (quarantine.code, quarantine.barcode) == ("QUARANTINE", "QUARANTINE-W1")
        moves = uow.session.execute(
            select(StockLedger.reason, StockLedger.qty_delta)
            .where(StockLedger.ref_type == "return", StockLedger.ref_id == rid)
            .order_by(StockLedger.id)
        ).all()
        assert [tuple(m) for m in moves] == [("return", 1), ("return", 1), ("scrap", -1)]
    assert _level(services, "QUARANTINE", "CUP-1") == (1, 0)
    # 23 cups are free on the shelves; one more would need the quarantined cup
    oid = add_order(services, "PD7", [("CUP-1", 24)])
    set_status(services, [oid], "released")
    services.run(order_actions.allocate, admin, [oid])
    with services.uow() as uow:
        taken = uow.session.scalars(
            select(Location.kind)
            .join(StockLevel, StockLevel.location_id == Location.id)
            .join(Reservation, Reservation.stock_level_id == StockLevel.id)
        ).all()
        assert "quarantine" not in taken
    assert _level(services, "QUARANTINE", "CUP-1") == (1, 0)


def test_a_serial_must_be_one_shipped_on_the_order_and_is_free_to_ship_after_restock(
    services: Services, admin: Actor
) -> None:
    sh = shipped_orders(services, admin, serials=True)
    rid = _scan(services, sh, "PD2", None).view.return_id  # type: ignore[union-attr]
    bare = _scan(services, sh, PEN, rid)
    assert not bare.accepted and bare.key == "serial_wanted"
    stranger = _scan(services, sh, "SN-9", rid)
    assert not stranger.accepted
    with services.uow() as uow:
        pen = uow.session.scalars(select(Product.id).where(Product.sku == "PEN-1")).one()
        assert _serial_owner(uow.session, pen, "SN-2") == "PD2"
    got = _scan(services, sh, "SN-2", rid)
    assert got.accepted and got.view is not None and got.view.units[0].serial == "SN-2"
    again = _scan(services, sh, "SN-2", rid)
    assert not again.accepted  # the same unit does not come back twice
    assert _scan(services, sh, "LOC-B-02", rid).accepted
    with services.uow() as uow:
        assert _serial_owner(uow.session, pen, "SN-2") == ""  # may be packed again
        assert _serial_owner(uow.session, pen, "SN-1") == "PD2"
    view = services.run(returns.return_view, sh.clerk, rid)
    assert [ln.shipped for ln in view.lines] == [3]  # still counted as shipped


def test_a_partial_return_keeps_the_status_with_a_note_and_the_rest_makes_it_returned(
    services: Services, shipped: ShippedSetup
) -> None:
    rid = _scan(services, shipped, "PD2", None).view.return_id  # type: ignore[union-attr]
    _scan(services, shipped, PEN, rid, reason_code="WRONG_SIZE")
    _scan(services, shipped, "LOC-B-02", rid)
    done = _scan(services, shipped, "PD-CMD-CONFIRM", rid)
    assert done.accepted and done.finished is not None
    assert (done.finished.order_status, done.finished.partly_returned) == ("shipped", True)
    assert done.finished.note == "returned 1 of 3 units: wrong size"
    later = services.run(returns.open_return, shipped.clerk, "PD2")
    assert later.number == "R-PD2-2" and later.partly_returned
    assert [(ln.shipped, ln.returned_before) for ln in later.lines] == [(3, 1)]
    q = _scan(services, shipped, "PD-CMD-QTY-2", later.return_id)
    assert q.qty == 2  # the screen hands it back with the next scan
    two = _scan(services, shipped, PEN, later.return_id, reason_code="DEFECTIVE", qty=q.qty)
    assert two.qty == 1 and two.view is not None
    assert sum(u.qty for u in two.view.units) == 2
    _scan(services, shipped, "PD-RET-QUARANTINE", later.return_id)
    last = services.run(returns.finish_return, shipped.clerk, later.return_id)
    assert (last.order_status, last.partly_returned) == ("returned", False)
    with services.uow() as uow:
        history = uow.session.execute(
            select(
                OrderStatusChange.from_status, OrderStatusChange.to_status, OrderStatusChange.note
            )
            .where(OrderStatusChange.order_id == shipped.order_ids["PD2"])
            .order_by(OrderStatusChange.id)
        ).all()
        assert [tuple(h) for h in history[-2:]] == [
            ("shipped", "shipped", "returned 1 of 3 units: wrong size"),
            ("shipped", "returned", "returned 2 of 3 units: defective"),
        ]
        finished = uow.session.scalars(
            select(AuditEntry.entity_id)
            .where(AuditEntry.action == "return.finish")
            .order_by(AuditEntry.id)
        ).all()
        assert finished == ["R-PD2-1", "R-PD2-2"]
    with pytest.raises(PackdeskError) as err:
        services.run(returns.open_return, shipped.clerk, "PD2")
    assert "nothing more to return" in err.value.message


def test_a_return_finishes_only_with_every_unit_inspected_and_a_mistake_can_be_taken_back(
    services: Services, shipped: ShippedSetup
) -> None:
    rid = _scan(services, shipped, "PD1", None).view.return_id  # type: ignore[union-attr]
    early = _scan(services, shipped, "PD-CMD-CONFIRM", rid)
    assert not early.accepted and "no units yet" in early.message
    _scan(services, shipped, CUP, rid)
    _scan(services, shipped, CUP, rid)
    waiting = _scan(services, shipped, "PD-CMD-CONFIRM", rid)
    assert not waiting.accepted and "not inspected" in waiting.message
    undone = _scan(services, shipped, "PD-CMD-CANCEL", rid)
    assert undone.accepted and undone.view is not None and len(undone.view.units) == 1
    assert _scan(services, shipped, "PD-RET-REASON-DEFECTIVE", rid).reason_code == "DEFECTIVE"
    put = _scan(services, shipped, "LOC-A-01", rid)
    assert put.view is not None and put.view.units[0].reason_code == "DEFECTIVE"
    assert _scan(services, shipped, "PD-CMD-CONFIRM", rid).accepted
    with services.uow() as uow:
        order = uow.session.scalars(select(Order).where(Order.number == "PD1")).one()
        assert order.status == "shipped"


def test_an_open_return_with_nothing_put_away_can_be_cancelled(
    services: Services, shipped: ShippedSetup
) -> None:
    before = counts(services)
    view = services.run(returns.open_return, shipped.clerk, "PD1")
    _scan(services, shipped, CUP, view.return_id)
    assert services.run(returns.cancel_return, shipped.clerk, view.return_id) == "R-PD1-1"
    after = counts(services)
    assert after["returns"] == before["returns"] and after["return_lines"] == 0
    assert after["audit_log"] == before["audit_log"] + 2  # opened and cancelled


def test_another_parcel_replaces_an_empty_return_but_not_one_with_units_taken_back(
    services: Services, shipped: ShippedSetup
) -> None:
    first = _scan(services, shipped, "PD1", None)
    assert first.view is not None
    second = _scan(services, shipped, "PD2", first.view.return_id)
    assert second.accepted and second.view is not None and second.view.order_number == "PD2"
    with services.uow() as uow:
        left = uow.session.scalars(select(Return.number).order_by(Return.id)).all()
        assert left == ["R-PD2-1"]  # the empty one for PD1 is gone
    _scan(services, shipped, PEN, second.view.return_id)
    refused = _scan(services, shipped, "PD1", second.view.return_id)
    assert not refused.accepted and refused.key == "finish_first"
    assert refused.view is not None and refused.view.number == "R-PD2-1"
