"""Test set-up for waves, picking and the sort wall: a small single-block layout, pickable
locations on it with stock, allocated orders, a cart, and a wave made and released through the
real services.

The layout (metres): aisles A (x=2), B (x=6) and C (x=10), each from y=0 to y=20; a front cross
aisle at y=0 and a back one at y=20; the depot PACK at (0, 0) on the front cross aisle.
Default stock: CUP-1 at A-01 (aisle A, y=5), PEN-1 at B-02 (aisle B, y=12), BAG-1 at C-03
(aisle C, y=3), 50 of each; location barcodes are ``LOC-<code>``.

Use::

    w = build_wave(services, admin)                       # cluster, three orders, released
    w = build_wave(services, admin, method="pick_sort")   # bulk, wall slots 1..3
    w.tasks[0].location, w.tote_codes[w.order_ids[0]], w.batch_id ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import (
    Cart,
    LayoutAisle,
    LayoutCrossAisle,
    LayoutDepot,
    Location,
    Lot,
    Order,
    PickBatch,
    PickTask,
    Product,
    Warehouse,
    Wave,
    WaveOrder,
)
from app.domain.users import Actor
from app.services import carts, order_actions, wave_plan, wave_release
from tests.order_action_fixtures import add_order, add_products, receive

#: code -> (aisle, y)
PLACES = {"A-01": ("A", 5.0), "B-02": ("B", 12.0), "C-03": ("C", 3.0)}
AISLES = {"A": 2.0, "B": 6.0, "C": 10.0}
#: sku -> location code
STOCKED = {"CUP-1": "A-01", "PEN-1": "B-02", "BAG-1": "C-03"}
CLUSTER_ORDERS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("CUP-1", 2), ("PEN-1", 1)),
    (("PEN-1", 1), ("BAG-1", 1)),
    (("CUP-1", 1),),
)
SINGLE_ORDERS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("CUP-1", 1),),
    (("CUP-1", 1),),
    (("PEN-1", 1),),
)


def warehouse_id(services: Services, code: str = "WH1") -> int:
    with services.uow() as uow:
        s = uow.session
        wh = s.scalar(select(Warehouse.id).where(Warehouse.code == code))
        if wh is None:
            wh = s.execute(
                insert(Warehouse).returning(Warehouse.id), [{"code": code, "name": "Main"}]
            ).scalar_one()
            uow.commit()
        return wh


def add_layout(services: Services, code: str = "WH1") -> int:
    """The single-block layout of this module; returns the warehouse id."""
    wh = warehouse_id(services, code)
    with services.uow() as uow:
        s = uow.session
        s.execute(
            insert(LayoutAisle),
            [
                {"warehouse_id": wh, "code": a, "x": x, "y_from": 0.0, "y_to": 20.0}
                for a, x in AISLES.items()
            ],
        )
        s.execute(
            insert(LayoutCrossAisle),
            [
                {"warehouse_id": wh, "y": 0.0, "name": "front"},
                {"warehouse_id": wh, "y": 20.0, "name": "back"},
            ],
        )
        s.execute(
            insert(LayoutDepot),
            [
                {
                    "warehouse_id": wh,
                    "code": "PACK",
                    "name": "Pack benches",
                    "x": 0.0,
                    "y": 0.0,
                    "is_default": True,
                }
            ],
        )
        uow.commit()
    return wh


def add_pick_location(services: Services, code: str, aisle: str, y: float) -> int:
    """A pickable location on the layout's aisle ``aisle`` (its x is the aisle's, plus 1)."""
    wh = warehouse_id(services)
    with services.uow() as uow:
        lid = uow.session.execute(
            insert(Location).returning(Location.id),
            [
                {
                    "warehouse_id": wh,
                    "code": code,
                    "barcode": f"LOC-{code}",
                    "zone": aisle,
                    "aisle": aisle,
                    "x": AISLES.get(aisle, 0.0) + 1.0,
                    "y": y,
                    "kind": "pickable",
                }
            ],
        ).scalar_one()
        uow.commit()
    return lid


@dataclass(frozen=True)
class TaskRef:
    id: int
    seq: int
    location: str
    location_barcode: str
    sku: str
    lot: str
    qty: int
    tote_slot: int | None


@dataclass(frozen=True)
class WaveSetup:
    """What ``build_wave`` made; ids and codes for the tests that work the wave."""

    wave_id: int
    wave_number: str
    pick_method: str
    cart_code: str
    batch_ids: tuple[int, ...]
    order_ids: tuple[int, ...]
    order_numbers: tuple[str, ...]
    #: order id -> the tote barcode its units go into (CART-nn, or CART-BULK when bulk)
    tote_codes: dict[int, str]
    #: order id -> tote slot (cluster) / wall slot (pick then sort); None when neither
    slots: dict[int, int | None]
    #: every task of every batch, by batch then seq
    tasks: tuple[TaskRef, ...]
    #: sku -> product id
    products: dict[str, int]
    #: location code -> id
    locations: dict[str, int]
    bulk_tote: str
    released: bool

    @property
    def batch_id(self) -> int:
        return self.batch_ids[0]


def build_wave(
    services: Services,
    actor: Actor,
    *,
    method: str = "cluster",
    orders: Sequence[Sequence[tuple[str, int]]] | None = None,
    cart_code: str = "C12",
    tote_slots: int = 12,
    lot_tracked: Sequence[str] = (),
    stock: int = 50,
    release: bool = True,
    layout: bool = True,
) -> WaveSetup:
    """Layout, locations with stock, allocated orders, a cart, one wave of them (by hand, with
    ``method``) and, unless ``release=False``, released. ``actor`` must be allowed to adjust
    stock, allocate and plan waves (the admin). Products in ``lot_tracked`` are received with
    the lot ``LOT-<sku>``. Call it once per database."""
    if orders is None:
        orders = SINGLE_ORDERS if method == "single_unit" else CLUSTER_ORDERS
    if layout:
        add_layout(services)
    skus = sorted({sku for o in orders for sku, _ in o})
    products = add_products(services, *skus, expiry=tuple(lot_tracked))
    locations: dict[str, int] = {}
    for i, sku in enumerate(skus):
        code = STOCKED.get(sku) or f"{'ABC'[i % 3]}-{10 + i:02d}"
        aisle, y = PLACES.get(code, (code[0], 2.0 + 2 * i))
        locations[code] = add_pick_location(services, code, aisle, y)
        lot = f"LOT-{sku}" if sku in lot_tracked else None
        expiry = date.today() + timedelta(days=365) if lot else None
        receive(services, actor, code, sku, stock, lot=lot, expiry=expiry)
    oids = [add_order(services, list(o)) for o in orders]
    report = services.run(order_actions.allocate, actor, oids)
    assert len(report.allocated) == len(oids), report.results
    services.run(carts.save_cart, actor, cart_code, tote_slots, name=f"{tote_slots}-tote cart")
    [made] = services.run(wave_plan.create_waves, actor, oids, method=method, cart=cart_code)
    if release:
        services.run(wave_release.release_wave, actor, made.number)
    return _read(services, made.id, products, locations, release)


def _read(
    services: Services,
    wave_id: int,
    products: dict[str, int],
    locations: dict[str, int],
    released: bool,
) -> WaveSetup:
    with services.uow() as uow:
        s = uow.session
        wave = s.get(Wave, wave_id)
        assert wave is not None
        batches = s.execute(
            select(PickBatch.id, PickBatch.bulk_tote)
            .where(PickBatch.wave_id == wave_id)
            .order_by(PickBatch.number)
        ).all()
        places = s.execute(
            select(
                WaveOrder.order_id,
                Order.number,
                WaveOrder.tote_code,
                WaveOrder.tote_slot,
                WaveOrder.wall_slot,
            )
            .join(Order, Order.id == WaveOrder.order_id)
            .where(WaveOrder.wave_id == wave_id)
            .order_by(WaveOrder.order_id)
        ).all()
        tasks = s.execute(
            select(
                PickTask.id,
                PickTask.seq,
                Location.code,
                Location.barcode,
                Product.sku,
                Lot.lot_number,
                PickTask.qty,
                PickTask.tote_slot,
            )
            .join(PickBatch, PickBatch.id == PickTask.batch_id)
            .join(Location, Location.id == PickTask.location_id)
            .join(Product, Product.id == PickTask.product_id)
            .outerjoin(Lot, Lot.id == PickTask.lot_id)
            .where(PickBatch.wave_id == wave_id)
            .order_by(PickBatch.number, PickTask.seq)
        ).all()
        cart = s.scalar(select(Cart.code).where(Cart.id == wave.cart_id))
        return WaveSetup(
            wave_id=wave.id,
            wave_number=wave.number,
            pick_method=wave.pick_method,
            cart_code=cart or "",
            batch_ids=tuple(b.id for b in batches),
            order_ids=tuple(p.order_id for p in places),
            order_numbers=tuple(p.number for p in places),
            tote_codes={p.order_id: p.tote_code for p in places},
            slots={p.order_id: p.tote_slot or p.wall_slot for p in places},
            tasks=tuple(
                TaskRef(t[0], t[1], t[2], t[3], t[4], t[5] or "", t[6], t[7]) for t in tasks
            ),
            products=products,
            locations=locations,
            bulk_tote=batches[0].bulk_tote if batches else "",
            released=released,
        )
