"""A small warehouse with a layout, stock and orders reserved, and a pick batch claimed by a
picker: tasks in route order with their parts, written as the wave release writes them. The
pick tests start from here without going through waves and claiming."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select, update

from app.bootstrap import Services
from app.db.models import (
    Channel,
    LayoutAisle,
    LayoutCrossAisle,
    LayoutDepot,
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
    utcnow,
)
from app.domain.users import Actor
from app.services import stock

SOON = date.today() + timedelta(days=400)
#: location code -> (aisle, y)
LOCATIONS = {"A-01": ("A", 5.0), "A-02": ("A", 14.0), "B-01": ("B", 8.0), "B-02": ("B", 16.0)}
BARCODES = {"CUP-1": "5901234123457", "PEN-1": "4006381333931", "TEA-1": "9501101530003"}


@dataclass
class PickSetup:
    warehouse_id: int
    wave_id: int
    batch_id: int
    order_ids: list[int]
    locations: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)
    #: task ids in route order
    task_ids: list[int] = field(default_factory=list)


def build_shop(services: Services, admin: Actor) -> tuple[int, dict[str, int], dict[str, int]]:
    """Warehouse W1 with aisles A and B (front y=0, back y=20, depot at the front left), four
    pickable locations and a storage one, and stock of a cup, a pen and a lot-tracked tea."""
    with services.uow() as uow:
        s = uow.session
        wid = s.execute(
            insert(Warehouse).returning(Warehouse.id), [{"code": "W1", "name": "Main"}]
        ).scalar_one()
        s.execute(
            insert(LayoutAisle),
            [
                {"warehouse_id": wid, "code": "A", "x": 2.0, "y_from": 0.0, "y_to": 20.0},
                {"warehouse_id": wid, "code": "B", "x": 6.0, "y_from": 0.0, "y_to": 20.0},
            ],
        )
        s.execute(
            insert(LayoutCrossAisle),
            [{"warehouse_id": wid, "y": 0.0, "name": "front"}, {"warehouse_id": wid, "y": 20.0}],
        )
        s.execute(
            insert(LayoutDepot),
            [{"warehouse_id": wid, "code": "PACK", "x": 0.0, "y": 0.0, "is_default": True}],
        )
        rows = [
            {
                "warehouse_id": wid,
                "code": code,
                "barcode": f"LOC-{code}",
                "zone": "P",
                "aisle": aisle,
                "y": y,
                "kind": "pickable",
                "sequence": i,
            }
            for i, (code, (aisle, y)) in enumerate(LOCATIONS.items())
        ]
        rows.append(
            {
                "warehouse_id": wid,
                "code": "R-01",
                "barcode": "LOC-R-01",
                "zone": "R",
                "aisle": "B",
                "y": 19.0,
                "kind": "storage",
                "sequence": 9,
            }
        )
        s.execute(insert(Location), rows)
        s.execute(
            insert(Product),
            [
                {"sku": "CUP-1", "name": "保温杯 500ml"},
                {"sku": "PEN-1", "name": "Gel pen, black"},
                {
                    "sku": "TEA-1",
                    "name": "西湖龙井 100g",
                    "lot_tracked": True,
                    "expiry_tracked": True,
                },
            ],
        )
        products = dict(s.execute(select(Product.sku, Product.id)).tuples().all())
        s.execute(
            insert(ProductBarcode),
            [{"product_id": products[k], "barcode": v} for k, v in BARCODES.items()],
        )
        locations = dict(
            s.execute(select(Location.code, Location.id).where(Location.warehouse_id == wid))
            .tuples()
            .all()
        )
        uow.commit()
    for loc, sku, qty, lot in [
        ("A-01", "CUP-1", 5, None),
        ("B-01", "PEN-1", 10, None),
        ("A-02", "TEA-1", 4, "L1"),
        ("A-02", "TEA-1", 6, "L2"),
        ("R-01", "CUP-1", 20, None),
    ]:
        services.run(stock.receive, admin, f"LOC-{loc}", sku, qty, lot, SOON if lot else None)
    return wid, locations, products


def add_order(services: Services, number: str, lines: list[tuple[str, int]]) -> int:
    with services.uow() as uow:
        s = uow.session
        ch = s.scalar(select(Channel.id).where(Channel.code == "shop"))
        if ch is None:
            ch = s.execute(
                insert(Channel).returning(Channel.id),
                [{"code": "shop", "name": "Shop", "platform": "manual"}],
            ).scalar_one()
        oid = s.execute(
            insert(Order).returning(Order.id),
            [
                {
                    "number": number,
                    "channel_id": ch,
                    "external_id": number,
                    "status": "picking",
                    "total": Decimal("10.00"),
                }
            ],
        ).scalar_one()
        for i, (sku, qty) in enumerate(lines, start=1):
            pid = s.scalar(select(Product.id).where(Product.sku == sku))
            s.execute(
                insert(OrderLine),
                [
                    {
                        "order_id": oid,
                        "line_no": i,
                        "sku": sku,
                        "name": sku,
                        "qty": qty,
                        "product_id": pid,
                        "unit_price": Decimal("5.00"),
                    }
                ],
            )
        uow.commit()
        return int(oid)


def picking_batch(
    services: Services,
    admin: Actor,
    picker: Actor,
    *,
    method: str = "cluster",
    orders: dict[str, list[tuple[str, int]]] | None = None,
    tasks: list[tuple[str, str, str | None, list[tuple[str, int]]]] | None = None,
) -> PickSetup:
    """A claimed batch: ``orders`` (number -> [(sku, qty)]) with tote slots 1, 2...;
    ``tasks`` in route order: (location, sku, lot, [(order number, qty)])."""
    wid, locations, products = build_shop(services, admin)
    orders = orders or {"PD1": [("CUP-1", 2), ("TEA-1", 1)], "PD2": [("PEN-1", 3)]}
    tasks = tasks or [
        ("A-01", "CUP-1", None, [("PD1", 2)]),
        ("A-02", "TEA-1", "L1", [("PD1", 1)]),
        ("B-01", "PEN-1", None, [("PD2", 3)]),
    ]
    ids = {n: add_order(services, n, lines) for n, lines in orders.items()}
    slots = {n: i for i, n in enumerate(orders, start=1)}
    bulk = method != "cluster"
    line_of = _lines(services, ids)
    with services.uow() as uow:
        s = uow.session
        wave = Wave(number="W000001", warehouse_id=wid, status="picking", pick_method=method)
        s.add(wave)
        s.flush()
        batch = PickBatch(
            wave_id=wave.id,
            number=1,
            status="picking",
            claimed_by=picker.user_id,
            claimed_at=utcnow(),
            bulk_tote="TOTE-0900" if bulk else "",
        )
        s.add(batch)
        s.flush()
        for n, oid in ids.items():
            s.add(
                WaveOrder(
                    wave_id=wave.id,
                    order_id=oid,
                    batch_id=batch.id,
                    tote_slot=None if bulk else slots[n],
                    tote_code="" if bulk else f"TOTE-{slots[n]:04d}",
                )
            )
        task_ids = []
        for seq, (loc, sku, lot, parts) in enumerate(tasks, start=1):
            lot_id = _lot_id(s, products[sku], lot)
            task = PickTask(
                batch_id=batch.id,
                seq=seq,
                location_id=locations[loc],
                product_id=products[sku],
                lot_id=lot_id,
                qty=sum(q for _, q in parts),
                tote_slot=None if bulk else slots[parts[0][0]],
            )
            s.add(task)
            s.flush()
            task_ids.append(task.id)
            level = s.scalars(
                select(StockLevel).where(
                    StockLevel.location_id == locations[loc],
                    StockLevel.product_id == products[sku],
                    StockLevel.lot_id.is_(None) if lot_id is None else StockLevel.lot_id == lot_id,
                )
            ).one()
            for number, qty in parts:
                line_id = line_of[(number, sku)]
                res = Reservation(order_line_id=line_id, stock_level_id=level.id, qty=qty)
                s.add(res)
                level.reserved += qty
                s.flush()
                s.add(
                    PickTaskPart(
                        task_id=task.id,
                        order_id=ids[number],
                        order_line_id=line_id,
                        reservation_id=res.id,
                        qty=qty,
                    )
                )
        uow.commit()
        return PickSetup(wid, wave.id, batch.id, list(ids.values()), locations, products, task_ids)


def _lines(services: Services, ids: dict[str, int]) -> dict[tuple[str, str], int]:
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Order.number, OrderLine.sku, OrderLine.id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.id.in_(ids.values()))
        ).all()
        return {(n, sku): lid for n, sku, lid in rows}


def _lot_id(s: object, product_id: int, lot: str | None) -> int | None:
    from app.db.models import Lot

    if lot is None:
        return None
    return int(
        s.scalar(  # type: ignore[attr-defined]
            select(Lot.id).where(Lot.product_id == product_id, Lot.lot_number == lot)
        )
    )


def set_status(services: Services, order_ids: list[int], status: str) -> None:
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id.in_(order_ids)).values(status=status))
        uow.commit()
