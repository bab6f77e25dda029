"""A picked pick-then-sort wave, written the way picking leaves it: three orders (the oldest
first) allocated at pick locations, picked in bulk into the batch's tote (ledger moves from the
locations to the tote, the reservations moved onto the tote's stock level), the batch
``picked`` and its orders still ``picking``.

    order      placed   lines
    PD00000001 08:01    CUP-500 x1, TEA-01 (lot L1) x1
    PD00000002 08:02    CUP-500 x2
    PD00000003 08:03    CASE-01 x1, CUP-500 x1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import (
    Channel,
    Location,
    Order,
    OrderLine,
    PickBatch,
    PickTask,
    PickTaskPart,
    Product,
    ProductBarcode,
    Reservation,
    StockLevel,
    Warehouse,
    Wave,
    WaveOrder,
)
from app.domain.stock import MovementReason
from app.domain.users import Actor
from app.services import stock

CUP_EAN = "5901234123457"
CASE_EAN = "4006381333931"
TEA_EAN = "9501101530003"
TOTE = "TOTE-0101"
EXPIRY = date.today() + timedelta(days=400)
#: (sku, name, barcode, lot-tracked, location)
PRODUCTS = [
    ("CUP-500", "保温杯 500ml", CUP_EAN, False, "A-01"),
    ("CASE-01", "Phone case", CASE_EAN, False, "B-02"),
    ("TEA-01", "龙井茶 250g", TEA_EAN, True, "A-03"),
]
#: order number -> [(sku, qty)]
ORDERS = {
    "PD00000001": [("CUP-500", 1), ("TEA-01", 1)],
    "PD00000002": [("CUP-500", 2)],
    "PD00000003": [("CASE-01", 1), ("CUP-500", 1)],
}


@dataclass
class PickedWave:
    wave_id: int
    batch_id: int
    warehouse_id: int
    orders: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)
    #: sku -> units picked into the tote
    units: dict[str, int] = field(default_factory=dict)


def _setup(services: Services, admin: Actor) -> tuple[int, dict[str, int]]:
    with services.uow() as uow:
        s = uow.session
        wid = s.execute(
            insert(Warehouse).returning(Warehouse.id), [{"code": "W1", "name": "Main"}]
        ).scalar_one()
        rows = [
            {"warehouse_id": wid, "code": loc, "barcode": f"LOC-{loc}", "zone": "P",
             "aisle": loc[0], "kind": "pickable", "y": 5.0 * i}
            for i, (_, _, _, _, loc) in enumerate(PRODUCTS, start=1)
        ]  # fmt: skip
        rows.append(
            {"warehouse_id": wid, "code": TOTE, "barcode": TOTE, "zone": "P", "kind": "tote"}
        )
        s.execute(insert(Location), rows)
        products = {}
        for sku, name, ean, lots, _ in PRODUCTS:
            pid = s.execute(
                insert(Product).returning(Product.id),
                [{"sku": sku, "name": name, "lot_tracked": lots, "expiry_tracked": lots}],
            ).scalar_one()
            s.execute(insert(ProductBarcode), [{"product_id": pid, "barcode": ean}])
            products[sku] = pid
        uow.commit()
    for sku, _, _, lots, loc in PRODUCTS:
        lot = "L1" if lots else None
        services.run(stock.receive, admin, loc, sku, 10, lot, EXPIRY if lots else None)
    return wid, products


def _orders(services: Services, products: dict[str, int]) -> dict[str, int]:
    t0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    out = {}
    with services.uow() as uow:
        s = uow.session
        ch = s.execute(
            insert(Channel).returning(Channel.id),
            [{"code": "taobao", "name": "Taobao", "platform": "taobao"}],
        ).scalar_one()
        for i, (number, lines) in enumerate(ORDERS.items(), start=1):
            oid = s.execute(
                insert(Order).returning(Order.id),
                [{"number": number, "channel_id": ch, "external_id": f"TB{i}",
                  "status": "picking", "total": Decimal("10"),
                  "placed_at": t0 + timedelta(minutes=i)}],
            ).scalar_one()  # fmt: skip
            s.execute(
                insert(OrderLine),
                [{"order_id": oid, "line_no": n, "sku": sku, "name": sku, "qty": qty,
                  "product_id": products[sku], "unit_price": Decimal("5")}
                 for n, (sku, qty) in enumerate(lines, start=1)],
            )  # fmt: skip
            out[number] = oid
        uow.commit()
    return out


def picked_sort_wave(services: Services, admin: Actor) -> PickedWave:
    """The wave W000001 with one picked batch whose units are all in tote TOTE-0101."""
    wid, products = _setup(services, admin)
    orders = _orders(services, products)
    lines = []
    with services.uow() as uow:
        for line in uow.session.scalars(select(OrderLine).order_by(OrderLine.id)):
            loc = next(p[4] for p in PRODUCTS if p[0] == line.sku)
            lines.append((line.id, line.order_id, line.sku, line.qty, loc))
    for line_id, _, sku, qty, loc in lines:
        lot = "L1" if sku == "TEA-01" else None
        services.run(stock.reserve_for_line, admin, line_id, loc, qty, lot)
    picked = PickedWave(0, 0, wid, orders, products)
    with services.uow() as uow:
        s = uow.session
        tote = s.scalars(select(Location).where(Location.barcode == TOTE)).one()
        wave = Wave(number="W000001", warehouse_id=wid, status="picking", pick_method="pick_sort")
        s.add(wave)
        s.flush()
        batch = PickBatch(wave_id=wave.id, number=1, status="picked", bulk_tote=TOTE)
        s.add(batch)
        s.flush()
        for oid in orders.values():
            s.add(WaveOrder(wave_id=wave.id, order_id=oid, batch_id=batch.id))
        for seq, (sku, _, _, _, loc_code) in enumerate(PRODUCTS, start=1):
            _pick(uow, admin, batch, tote, seq, sku, loc_code, picked)
        picked.wave_id, picked.batch_id = wave.id, batch.id
        uow.commit()
    return picked


def _pick(uow, admin, batch, tote, seq, sku, loc_code, picked):  # type: ignore[no-untyped-def]
    """One pick task: every reservation of ``sku`` at its location moves onto the tote."""
    s = uow.session
    loc = s.scalars(select(Location).where(Location.code == loc_code)).one()
    rows = s.execute(
        select(Reservation, OrderLine.order_id)
        .join(OrderLine, OrderLine.id == Reservation.order_line_id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .where(StockLevel.location_id == loc.id)
        .order_by(Reservation.id)
    ).all()
    total = sum(r.qty for r, _ in rows)
    source = stock.lock_levels(s, [rows[0][0].stock_level_id])[rows[0][0].stock_level_id]
    task = PickTask(
        batch_id=batch.id, seq=seq, location_id=loc.id, product_id=source.product_id,
        lot_id=source.lot_id, qty=total, qty_picked=total, status="done", step="location",
    )  # fmt: skip
    s.add(task)
    s.flush()
    into = stock.lock_bucket(s, tote.id, source.product_id, source.lot_id, create=True)
    assert into is not None
    stock.release_locked(source, total)
    stock.move_locked(uow, admin, source, -total, MovementReason.PICK, sku=sku, location=loc.code)
    stock.move_locked(uow, admin, into, total, MovementReason.MOVE_IN, sku=sku, location=tote.code)
    into.reserved += total
    for res, order_id in rows:
        res.stock_level_id = into.id
        s.add(
            PickTaskPart(
                task_id=task.id, order_id=order_id, order_line_id=res.order_line_id,
                reservation_id=res.id, qty=res.qty, qty_picked=res.qty,
            )
        )  # fmt: skip
    picked.units[sku] = total
