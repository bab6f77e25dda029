"""The warehouse the shift runs in: the demo warehouse made (or found), the one-off set-up a
supervisor does before a shift (shipping rules for the shop's shipping methods, enough
tracking numbers, a log-in per pack station), and what the simulated people can see (which
products are on the shelves, which parcels lie on the shipping table).

Everything a person *does* goes through the services. The reads here are the people's eyes:
they stand for looking at a shelf or a parcel, not for anything the app does, and they never
write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import (
    Carrier,
    CarrierService,
    ImportBatch,
    Location,
    Lot,
    Order,
    Parcel,
    Product,
    ProductBarcode,
    SettingRow,
    StockLevel,
    TrackingNumber,
    User,
)
from app.domain.allocation import ALLOCATABLE_KINDS
from app.domain.errors import PackdeskError
from app.domain.users import Actor, Role
from app.services import auth, demo_data, shipping_rules, tracking_pool
from app.services.allocation import read_rules
from app.services.demo import packing as demo_packing

#: the shop's file is a Shopify export into the demo's Shopify channel
CHANNEL = "shopify"
#: Shopify shipping method -> the carrier service a supervisor's rule sends it with
METHODS = {"UPS Standard": "UPS-STD", "DHL Express Worldwide": "DHL-EXP"}
#: carriers the rules may choose (the demo's heavy-parcel rule sends parcels over 5 kg by ZTO)
CARRIERS = ("UPS", "DHL", "ZTO")
FILE_PREFIX = "simulate-"
SIM_PASSWORD = "sim-packer-pass"


class NotADemoDatabase(PackdeskError):
    template = (
        "This database holds a real warehouse ({what}). The simulation adds made-up orders, "
        "so it only runs on a new, empty database or on a demo one. Use a new database, for "
        "example: packdesk --db sqlite:///shift.sqlite simulate"
    )


@dataclass(frozen=True)
class Item:
    """A product a simulated customer can order: on the shelf, with a barcode to scan."""

    sku: str
    name: str
    barcode: str
    free: int


@dataclass(frozen=True)
class ShelfParcel:
    """A labelled parcel on the shipping table."""

    tracking: str
    carrier: str
    order: str


def prepare(services: Services, seed: int) -> bool:
    """Make the demo warehouse in an empty database; True when it was made. A database with
    data that is not a demo is refused."""
    try:
        services.run(demo_data.generate, orders=0, seed=seed)
        return True
    except demo_data.DatabaseNotEmpty as exc:
        with services.uow() as uow:
            marker = uow.session.get(SettingRow, demo_data.SETTING_KEY)
        if marker is None:
            raise NotADemoDatabase(what=exc.params.get("what", "")) from None
        return False


def login(services: Services, username: str) -> Actor:
    password = next((u.password for u in demo_data.DEMO_USERS if u.username == username), None)
    return services.run(
        auth.login,
        username,
        password or SIM_PASSWORD,
        services.station_id,
        services.station_code,
    )


def badge_of(username: str) -> str:
    return next(u.badge for u in demo_data.DEMO_USERS if u.username == username)


def users(services: Services, admin: Actor, role: Role, n: int) -> list[str]:
    """A log-in of ``role`` per station: the demo's, then new ones the admin adds."""
    names = [u.username for u in demo_data.DEMO_USERS if u.role is role]
    with services.uow() as uow:
        known = set(uow.session.scalars(select(User.username)))
    for i in range(len(names), n):
        name = f"sim-{role.value}{i + 1}"
        if name not in known:
            services.run(auth.create_user, admin, name, role, SIM_PASSWORD)
        names.append(name)
    return names[:n]


def location_barcodes(services: Services) -> dict[str, str]:
    """Location code -> the barcode on its label (what the picker scans)."""
    with services.uow() as uow:
        rows = uow.session.execute(select(Location.code, Location.barcode)).tuples().all()
    return {code: barcode or code for code, barcode in rows}


def ensure_rules(services: Services, admin: Actor) -> None:
    """The supervisor's rules: each Shopify shipping method ships with its carrier service."""
    have = {r.name for r in services.run(shipping_rules.list_rules, admin)}
    ids = service_ids(services)
    for method, code in METHODS.items():
        name = f"Shopify: {method}"
        if name in have:
            continue
        draft = shipping_rules.RuleDraft(
            name=name,
            conditions={"shipping_methods": [method]},
            carrier_service_id=ids[code],
        )
        services.run(shipping_rules.save_rule, admin, draft)


def service_ids(services: Services) -> dict[str, int]:
    with services.uow() as uow:
        return dict(
            uow.session.execute(select(CarrierService.code, CarrierService.id)).tuples().all()
        )


def ensure_numbers(services: Services, admin: Actor, wanted: int, seed: int) -> int:
    """Load numbers into each carrier's pool until it has ``wanted`` free (as the supervisor
    loads the range the carrier's account hands out). Returns the numbers loaded."""
    loaded = 0
    rng = random.Random(f"pool-{seed}")
    for code in CARRIERS:
        for _attempt in range(5):
            short = wanted - _free_numbers(services, code)
            if short <= 0:
                break
            numbers = _fresh(code, rng, short + 10)
            report = services.run(tracking_pool.load_pool, admin, code, "\n".join(numbers))
            loaded += report.loaded
    return loaded


def _free_numbers(services: Services, carrier: str) -> int:
    with services.uow() as uow:
        n = uow.session.scalar(
            select(func.count())
            .select_from(TrackingNumber)
            .join(Carrier, Carrier.id == TrackingNumber.carrier_id)
            .where(Carrier.code == carrier, TrackingNumber.status == "free")
        )
    return int(n or 0)


def _fresh(carrier: str, rng: random.Random, n: int) -> list[str]:
    """A consecutive range as the carrier's account hands it out, with its check digits."""
    if carrier == "UPS":
        start = rng.randrange(1_000_000, 8_000_000)
        return [demo_packing._ups(f"{demo_packing.UPS_SHIPPER}03{start + k:07d}") for k in range(n)]
    if carrier == "DHL":
        start = rng.randrange(100_000_000, 800_000_000)
        return [f"{start + k}{(start + k) % 7}" for k in range(n)]
    prefix, digits = demo_packing.POOL_FORMATS[carrier]
    start = rng.randrange(10 ** (digits - 1), 9 * 10 ** (digits - 1))
    return [f"{prefix}{start + k:0{digits}d}" for k in range(n)]


def run_number(services: Services) -> int:
    """This shift's number on this database: one more than the simulations before it."""
    with services.uow() as uow:
        n = uow.session.scalar(
            select(func.count())
            .select_from(ImportBatch)
            .where(ImportBatch.file_name.like(f"{FILE_PREFIX}%"))
        )
    return int(n or 0) + 1


def shelf(services: Services, today: date) -> list[Item]:
    """Products with stock that allocation can take (free units at active allocatable
    locations, lots expiring within the minimum shelf life left out), a unit barcode and a
    weight. Products tracked by serial or lot are left out: the shift has no serial or GS1 lot
    labels to scan."""
    free = func.sum(StockLevel.on_hand - StockLevel.reserved)
    # a subquery, not a join: a product with two unit barcodes must not count its stock twice
    barcode = (
        select(func.min(ProductBarcode.barcode))
        .where(ProductBarcode.product_id == Product.id, ProductBarcode.pack_qty == 1)
        .scalar_subquery()
    )
    with services.uow() as uow:
        min_days = read_rules(uow.session).min_shelf_life_days
        usable = (Lot.expiry_date.is_(None)) | (Lot.expiry_date > today + timedelta(days=min_days))
        q = (
            select(Product.sku, Product.name, barcode, free)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Location, Location.id == StockLevel.location_id)
            .outerjoin(Lot, Lot.id == StockLevel.lot_id)
            .where(
                Product.serial_tracked.is_(False),
                Product.lot_tracked.is_(False),
                Product.weight_g > 0,
                barcode.is_not(None),
                Location.kind.in_(ALLOCATABLE_KINDS),
                Location.active.is_(True),
                StockLevel.on_hand > StockLevel.reserved,
                usable,
            )
            .group_by(Product.id, Product.sku, Product.name)
            .having(free > 0)
            .order_by(Product.sku)
        )
        rows = uow.session.execute(q).all()
    return [Item(sku, name, code, int(n)) for sku, name, code, n in rows]


def order_statuses(services: Services, numbers: list[str]) -> dict[str, str]:
    """Our orders' statuses, by the channel's order name."""
    with services.uow() as uow:
        rows = (
            uow.session.execute(
                select(Order.external_id, Order.status).where(Order.external_id.in_(numbers))
            )
            .tuples()
            .all()
        )
        return dict(rows)


def order_numbers(services: Services, external_ids: list[str]) -> dict[str, str]:
    """Channel order name -> our order number (what the pick list and packing slip show)."""
    with services.uow() as uow:
        rows = (
            uow.session.execute(
                select(Order.external_id, Order.number).where(Order.external_id.in_(external_ids))
            )
            .tuples()
            .all()
        )
        return dict(rows)


def shipping_table(services: Services, external_ids: list[str]) -> list[ShelfParcel]:
    """The labelled parcels of these orders, as they lie on the shipping table."""
    with services.uow() as uow:
        rows = (
            uow.session.execute(
                select(Parcel.tracking_number, Carrier.code, Order.number)
                .join(Order, Order.id == Parcel.order_id)
                .join(Carrier, Carrier.id == Parcel.carrier_id)
                .where(
                    Order.external_id.in_(external_ids),
                    Parcel.status == "labelled",
                    Parcel.tracking_number.is_not(None),
                )
                .order_by(Parcel.id)
            )
            .tuples()
            .all()
        )
        return [ShelfParcel(str(t), c, o) for t, c, o in rows]
