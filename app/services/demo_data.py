"""``packdesk demo-data``: a whole demo warehouse in an empty database, deterministic for a seed.

One warehouse (12 aisles x 20 bays x 4 levels x 3 bins of pick faces, reserve racks, receiving,
packing, shipping and returns areas), about 2,000 SKUs with valid EAN-13 / UPC-A / GTIN-14
barcodes, lots (some close to expiry, some expired), stock written as ledger receipts with matching
levels, carriers and channels, a user for every role (``DEMO_USERS``: published passwords, badges
and PINs, so demo data never goes into a database that already holds anything), and N orders whose
statuses, history, holds, reservations and stock movements agree with each other.

Everything is written through Core ``insert()`` with lists of rows, in batches, in one
transaction: nothing is left half-written. Dates count back from the start of the current UTC day,
so two runs with the same seed on the same day give the same data (password hashes aside: their
salts are random).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from argon2 import PasswordHasher
from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from app.db.bulk import bulk_insert
from app.db.models import Base
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError, ValidationError
from app.domain.orders import OrderStatus
from app.domain.pack_settings import SETTINGS_KEY as PACK_SETTINGS_KEY
from app.domain.users import SYSTEM, Role
from app.services.access import open_to_all
from app.services.demo import packing as pack_bench
from app.services.demo import words
from app.services.demo.catalog import Bucket, NextId, build_catalog, build_stock, preference
from app.services.demo.layout import demo_layout, layout_rows
from app.services.demo.mappings import mapping_rows
from app.services.demo.orders import Batch, OrderMaker, People, Setup, expected_demand
from app.services.demo.picking import cart_rows, wave_rule_rows


class DemoUser(NamedTuple):
    """A demo log-in: user name, role, password, display name, badge barcode and PIN."""

    username: str
    role: Role
    password: str
    display_name: str
    badge: str
    pin: str


#: The demo log-ins. Published on purpose (README, log-in screen): demo data only goes into an
#: empty database, never into one with real users.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.ADMIN, "demo-admin", "王芳", "PD-BADGE-0001", "1001"),
    DemoUser("supervisor", Role.SUPERVISOR, "demo-supervisor", "张伟", "PD-BADGE-0002", "2002"),
    DemoUser("picker1", Role.PICKER, "demo-picker1", "李娜", "PD-BADGE-0003", "3003"),
    DemoUser("picker2", Role.PICKER, "demo-picker2", "刘洋", "PD-BADGE-0004", "3004"),
    DemoUser("packer1", Role.PACKER, "demo-packer1", "陈静", "PD-BADGE-0005", "4005"),
    DemoUser("packer2", Role.PACKER, "demo-packer2", "杨磊", "PD-BADGE-0006", "4006"),
    DemoUser("shipper", Role.SHIPPER, "demo-shipper", "赵敏", "PD-BADGE-0007", "5007"),
    DemoUser("returns", Role.RETURNS_CLERK, "demo-returns", "黄强", "PD-BADGE-0008", "6008"),
)
#: the demo's stations: (code, name)
DEMO_STATIONS = (
    ("pack-01", "打包台 1 Pack bench 1"),
    ("pack-02", "打包台 2 Pack bench 2"),
    ("ship-01", "发货台 Shipping desk"),
    ("returns-01", "退货台 Returns desk"),
)
#: Demo passwords are published, so their hashes need no strength: the cheapest argon2id keeps
#: demo-data fast (log-in verifies any argon2 hash whatever its cost parameters).
_DEMO_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
#: setting written into a demo database, so it can be told apart from a real one
SETTING_KEY = "demo_data"
#: changes when the same seed would give different data (saved with it; benchmarks rebuild)
DATA_VERSION = 6
#: orders generated and written per batch
BATCH = 5000
#: tables demo data fills; all must be empty before it starts
_FILLED = (
    "warehouses", "locations", "products", "product_barcodes", "lots", "stock_levels",
    "stock_ledger", "reservations", "channels", "carriers", "carrier_services", "customers",
    "addresses", "orders", "order_lines", "order_status_history", "order_holds", "users",
    "listing_mappings", "listing_mapping_parts", "carts", "wave_rules", "package_types",
    "tracking_numbers", "shipping_rules",
)  # fmt: skip
_ID_TABLES = (*_FILLED, "stations")


class DatabaseNotEmpty(PackdeskError):
    template = (
        "This database already holds data ({what}). Demo data only goes into a new, empty "
        "database, because it adds demo users whose passwords are published. Use a new "
        "database, for example: packdesk --db sqlite:///demo.sqlite demo-data"
    )


@dataclass(frozen=True)
class DemoSummary:
    """What was generated."""

    seed: int
    orders: int
    order_lines: int
    statuses: tuple[tuple[str, int], ...]
    holds: int
    customers: int
    products: int
    barcodes: int
    lots: int
    locations: int
    stock_levels: int
    ledger_lines: int
    reservations: int
    channels: int
    carriers: int
    users: tuple[DemoUser, ...]

    def text(self) -> str:
        """The summary the command line prints, with the demo log-ins."""
        statuses = ", ".join(f"{n} {s}" for s, n in self.statuses)
        return "\n".join(
            [
                f"{self.orders} orders ({statuses}) with {self.order_lines} lines, "
                f"{self.holds} hold reasons, {self.customers} customers",
                f"{self.products} products with {self.barcodes} barcodes and {self.lots} lots; "
                f"{self.locations} locations; {self.stock_levels} stock levels from "
                f"{self.ledger_lines} ledger lines; {self.reservations} reservations",
                f"{self.channels} channels, {self.carriers} carriers, seed {self.seed}",
                login_hint(),
            ]
        )


#: the heading of the demo log-ins (collected for translation: the log-in screen shows it so)
DEMO_WORDS = {"logins": "Demo log-ins (user / password  ·  badge + PIN):"}


def login_rows() -> list[str]:
    """One line per demo log-in: user / password · badge + PIN."""
    return [f"{u.username} / {u.password}  ·  {u.badge} + {u.pin}" for u in DEMO_USERS]


def login_hint() -> str:
    """The demo log-ins, for the command line and the README."""
    return "\n".join([DEMO_WORDS["logins"], *login_rows()])


@open_to_all
def generate(
    uow: UnitOfWork,
    *,
    orders: int = 500,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo warehouse and ``orders`` orders."""
    if isinstance(orders, bool) or not isinstance(orders, int) or orders < 0:
        raise ValidationError(
            "The number of demo orders must be 0 or more, not {orders!r}.", orders=orders
        )
    now = now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with uow:
        conn = uow.session.connection()
        _refuse_unless_empty(conn)
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # a big page cache while the indexes grow
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            counts, statuses = _fill(uow, conn, random.Random(seed), orders, seed, now, progress)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")
        uow.commit()
    rank = {s.value: i for i, s in enumerate(OrderStatus)}
    return DemoSummary(
        seed=seed,
        orders=counts["orders"],
        order_lines=counts["order_lines"],
        statuses=tuple(sorted(statuses.items(), key=lambda kv: rank[kv[0]])),
        holds=counts["order_holds"],
        customers=counts["customers"],
        products=counts["products"],
        barcodes=counts["product_barcodes"],
        lots=counts["lots"],
        locations=counts["locations"],
        stock_levels=counts["stock_levels"],
        ledger_lines=counts["stock_ledger"],
        reservations=counts["reservations"],
        channels=counts["channels"],
        carriers=counts["carriers"],
        users=DEMO_USERS,
    )


def _fill(
    uow: UnitOfWork,
    conn: Connection,
    rng: random.Random,
    orders: int,
    seed: int,
    now: datetime,
    progress: Callable[[int, int], None] | None,
) -> tuple[Counter[str], Counter[str]]:
    """Write the warehouse, then the orders batch by batch; (rows per table, orders per status)."""
    ids = NextId({t: (conn.scalar(select(func.max(_t(t).c.id))) or 0) + 1 for t in _ID_TABLES})
    counts: Counter[str] = Counter()
    catalog = build_catalog(rng, ids, now)
    people = _users_and_stations(conn, ids, catalog.warehouse, now, counts)
    channels, services = _channels_and_carriers(conn, ids, counts)
    setup = Setup(channels, services, people, catalog.location_id["RET-01"])
    plan = build_stock(rng, ids, catalog, expected_demand(catalog, orders), now, None)
    for table, rows in (
        ("locations", catalog.locations),
        ("products", catalog.products),
        ("product_barcodes", catalog.barcodes),
        ("lots", plan.lots),
        ("stock_levels", [b.row() for b in plan.buckets]),
        ("stock_ledger", plan.receipts),
    ):
        _insert(conn, table, rows, counts)
    for table, rows in layout_rows(demo_layout(), catalog.warehouse["id"]).items():
        if rows:
            conn.execute(insert(_t(table)), rows)
            counts[table] += len(rows)
    _carts_and_rules(conn, counts)
    _pack_bench(conn, ids, random.Random(f"pack-{seed}"), services, now, counts)
    by_code = {code: cid for cid, code, _, _ in channels}
    mapping_heads, mapping_parts = mapping_rows(ids, catalog, by_code, now)
    _insert(conn, "listing_mappings", mapping_heads, counts)
    _insert(conn, "listing_mapping_parts", mapping_parts, counts)
    opening = {b.id: (b.on_hand, b.reserved) for b in plan.buckets}
    maker = OrderMaker(rng, ids, catalog, preference(plan.buckets, now.date()), setup, now, orders)
    statuses: Counter[str] = Counter()
    batch = Batch()
    for i in range(orders):
        maker.make(i, batch)
        if (i + 1) % BATCH == 0 or i + 1 == orders:
            statuses.update(o["status"] for o in batch.orders)
            for table, rows in batch.tables():
                _insert(conn, table, rows, counts)
            batch = Batch()
            if progress is not None:
                progress(i + 1, orders)
    _settle_levels(conn, plan.buckets, opening, list(maker.new_buckets.values()), counts)
    _finish(uow, conn, seed, orders, now, counts)
    return counts, statuses


def _t(name: str) -> Any:
    return Base.metadata.tables[name]


def _insert(conn: Connection, table: str, rows: list[dict[str, Any]], counts: Counter[str]) -> None:
    for i in range(0, len(rows), 50_000):
        bulk_insert(conn, _t(table), rows[i : i + 50_000])
    counts[table] += len(rows)


def _refuse_unless_empty(conn: Connection) -> None:
    found = []
    for table, what in (
        ("orders", "orders"),
        ("products", "products"),
        ("locations", "locations"),
        ("users", "users"),
        ("channels", "channels"),
        ("stock_ledger", "stock movements"),
    ):
        n = conn.scalar(select(func.count()).select_from(_t(table)))
        if n:
            found.append(f"{n} {what}")
    if found:
        raise DatabaseNotEmpty(what=", ".join(found))


def _users_and_stations(
    conn: Connection, ids: NextId, warehouse: dict[str, Any], now: datetime, counts: Counter[str]
) -> People:
    _insert(conn, "warehouses", [warehouse], counts)
    user_ids: dict[str, int] = {}
    rows = []
    for u in DEMO_USERS:
        user_ids[u.username] = uid = ids.take("users")
        rows.append(
            {
                "id": uid,
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role.value,
                "password_hash": _DEMO_HASHER.hash(u.password),
                "badge_code": u.badge,
                "pin_hash": _DEMO_HASHER.hash(u.pin),
                "active": True,
                "language": "",
                "created_at": now,
                "last_login_at": None,
            }
        )
    _insert(conn, "users", rows, counts)
    stations = _t("stations")
    existing = dict(conn.execute(select(stations.c.code, stations.c.id)).tuples().all())
    station_ids = []
    for code, name in DEMO_STATIONS:
        if code not in existing:  # this PC may already be registered under a demo name
            existing[code] = ids.take("stations")
            _insert(
                conn,
                "stations",
                [{"id": existing[code], "code": code, "name": name, "devices": {},
                  "warehouse_id": warehouse["id"], "last_seen_at": None, "app_version": ""}],
                counts,
            )  # fmt: skip
        station_ids.append(existing[code])
    people = People(
        supervisor=user_ids["supervisor"],
        pickers=[user_ids["picker1"], user_ids["picker2"]],
        packers=[user_ids["packer1"], user_ids["packer2"]],
        shipper=user_ids["shipper"],
        clerk=user_ids["returns"],
        pack_stations=station_ids[:2],
        ship_station=station_ids[2],
        returns_station=station_ids[3],
    )
    return people


def _channels_and_carriers(
    conn: Connection, ids: NextId, counts: Counter[str]
) -> tuple[list[tuple[int, str, str, bool]], dict[str, int]]:
    channels = [
        (ids.take("channels"), code, platform, cross)
        for code, _name, platform, cross, _w in words.CHANNELS
    ]
    _insert(
        conn,
        "channels",
        [
            {
                "id": cid,
                "code": code,
                "name": c[1],
                "platform": platform,
                "active": True,
                "mask_policy": "ewaybill",
                "notices_opt_out": False,
            }
            for (cid, code, platform, _), c in zip(channels, words.CHANNELS, strict=True)
        ],
        counts,
    )
    carriers, services, service_ids = [], [], {}
    for code, name, _cross, offered in words.CARRIERS:
        cid = ids.take("carriers")
        carriers.append(
            {"id": cid, "code": code, "name": name, "active": True, "plugin": "pool",
             "plugin_config": None, "master_child": code in pack_bench.MASTER_CHILD,
             "pool_low_warning": 100, "tracking_format": "", "cutoff_time": "",
             "tracking_url": ""}
        )  # fmt: skip
        for scode, sname, size in offered:
            service_ids[scode] = sid = ids.take("carrier_services")
            services.append(
                {"id": sid, "carrier_id": cid, "code": scode, "name": sname, "label_size": size}
            )
    _insert(conn, "carriers", carriers, counts)
    _insert(conn, "carrier_services", services, counts)
    return channels, service_ids


def _carts_and_rules(conn: Connection, counts: Counter[str]) -> None:
    carts = cart_rows((conn.scalar(select(func.max(_t("carts").c.id))) or 0) + 1)
    _insert(conn, "carts", carts, counts)
    carriers = dict(conn.execute(select(_t("carriers").c.code, _t("carriers").c.id)).tuples().all())
    first_rule = (conn.scalar(select(func.max(_t("wave_rules").c.id))) or 0) + 1
    rules = wave_rule_rows(first_rule, {c["code"]: c["id"] for c in carts}, carriers)
    _insert(conn, "wave_rules", rules, counts)


def _pack_bench(
    conn: Connection,
    ids: NextId,
    rng: random.Random,
    services: dict[str, int],
    now: datetime,
    counts: Counter[str],
) -> None:
    """Cartons, tracking-number pools, a shipping rule and the packing settings."""
    carriers = dict(conn.execute(select(_t("carriers").c.code, _t("carriers").c.id)).tuples().all())
    packages = pack_bench.package_rows(ids.take("package_types", len(pack_bench.PACKAGES)))
    _insert(conn, "package_types", packages, counts)
    pool = pack_bench.pool_rows(ids.take("tracking_numbers", 0), carriers, rng, now)
    ids.take("tracking_numbers", len(pool))
    _insert(conn, "tracking_numbers", pool, counts)
    _insert(conn, "shipping_rules", pack_bench.rule_rows(ids.take("shipping_rules"), services, now),
            counts)  # fmt: skip
    settings = _t("settings")
    conn.execute(delete(settings).where(settings.c.key == PACK_SETTINGS_KEY))
    _insert(conn, "settings", [pack_bench.settings_row(now)], Counter())


def _settle_levels(
    conn: Connection,
    buckets: list[Bucket],
    opening: dict[int, tuple[int, int]],
    new: list[Bucket],
    counts: Counter[str],
) -> None:
    """Levels are written at their opening stock first (reservations point at them); the orders
    moved them, so they get their final on-hand and reserved now."""
    levels = _t("stock_levels")
    changed = [
        {"b_id": b.id, "b_on_hand": b.on_hand, "b_reserved": b.reserved}
        for b in buckets
        if (b.on_hand, b.reserved) != opening[b.id]
    ]
    if changed:
        conn.execute(
            update(levels)
            .where(levels.c.id == bindparam("b_id"))
            .values(on_hand=bindparam("b_on_hand"), reserved=bindparam("b_reserved")),
            changed,
        )
    _insert(conn, "stock_levels", [b.row() for b in new], counts)


def _finish(
    uow: UnitOfWork, conn: Connection, seed: int, orders: int, now: datetime, counts: Counter[str]
) -> None:
    settings = _t("settings")
    conn.execute(delete(settings).where(settings.c.key == SETTING_KEY))
    marker = {"seed": seed, "orders": orders, "as_of": now.isoformat(), "version": DATA_VERSION}
    _insert(conn, "settings", [{"key": SETTING_KEY, "value": marker, "updated_at": now}], Counter())
    if conn.dialect.name == "postgresql":  # ids were given explicitly: move the sequences on
        for table in _ID_TABLES:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
    uow.audit(SYSTEM, "demo.generate", "database", "", after={"seed": seed, **counts})
