"""The demo warehouse: deterministic, valid barcodes, consistent orders and stock, on both backends;
and ``packdesk demo-data`` / ``orders list --json`` through the real command line."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import Paths, Settings
from app.db.models import (
    Address,
    Base,
    Carrier,
    CarrierService,
    Channel,
    Location,
    Lot,
    Order,
    OrderHold,
    OrderLine,
    OrderStatusChange,
    Product,
    ProductBarcode,
    Reservation,
    StockLedger,
    User,
)
from app.domain.barcodes import is_valid_gtin
from app.domain.orders import OrderStatus, can_transition
from app.domain.users import Role
from app.services import auth, demo_data, orders, privacy, stock
from app.services.demo_data import DEMO_USERS, DatabaseNotEmpty
from app.services.orders import OrderQuery
from tests.conftest import _truncate_pg

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _generate(services: Services, n: int = 300, seed: int = 3) -> demo_data.DemoSummary:
    return services.run(demo_data.generate, orders=n, seed=seed, now=NOW)


def test_the_warehouse_has_racks_barcoded_locations_and_a_walk_order(services: Services) -> None:
    summary = _generate(services, 0)
    assert summary.orders == 0 and summary.locations == 3010
    with services.uow() as uow:
        s = uow.session
        kinds = dict(
            s.execute(select(Location.kind, func.count()).group_by(Location.kind)).tuples().all()
        )
        assert kinds == {"pickable": 12 * 20 * 4 * 3, "storage": 120, "staging": 8, "receiving": 2}
        aisles = s.scalars(
            select(func.count(func.distinct(Location.aisle))).where(Location.kind == "pickable")
        ).one()
        assert aisles == 12
        walk = s.execute(
            select(Location.code, Location.x, Location.y)
            .where(Location.kind == "pickable", Location.level == "1", Location.bin == "A")
            .order_by(Location.sequence)
        ).all()
        # serpentine: aisle 1 walked up, aisle 2 walked down
        assert [w.code for w in walk[:2]] == ["P01-01-1A", "P01-02-1A"]
        assert [w.code for w in walk[19:21]] == ["P01-20-1A", "P02-20-1A"]
        assert walk[20].x > walk[19].x and walk[21].y < walk[20].y
        barcodes = s.scalars(select(Location.barcode)).all()
        assert len(set(barcodes)) == len(barcodes) and all(b.startswith("LOC-") for b in barcodes)


def test_every_product_barcode_is_a_valid_gtin_of_its_kind(services: Services) -> None:
    summary = _generate(services, 0)
    assert summary.products == 2000
    with services.uow() as uow:
        rows = uow.session.execute(
            select(ProductBarcode.barcode, ProductBarcode.kind, ProductBarcode.pack_qty)
        ).all()
        per_product = uow.session.execute(
            select(func.count())
            .select_from(Product)
            .where(
                ~Product.id.in_(
                    select(ProductBarcode.product_id).where(ProductBarcode.kind == "ean13")
                )
            )
        ).scalar_one()
    assert per_product == 0, "every product has an EAN-13"
    lengths = {"ean13": 13, "gtin14": 14, "upc": 12}
    for code, kind, pack in rows:
        assert len(code) == lengths[kind] and is_valid_gtin(code), (code, kind)
        assert (pack > 1) == (kind == "gtin14")
    kinds = {k for _, k, _ in rows}
    assert kinds == {"ean13", "gtin14", "upc"}
    assert len({c for c, _, _ in rows}) == len(rows)
    chinese = sum(1 for c, k, _ in rows if k == "ean13" and c[:3] in {f"69{i}" for i in range(10)})
    assert chinese > 1000  # Chinese brands carry GS1 China prefixes


def test_products_have_sizes_tracking_flags_and_lots_some_near_or_past_expiry(
    services: Services,
) -> None:
    _generate(services, 0)
    with services.uow() as uow:
        s = uow.session
        products = [
            (
                p.id,
                p.name,
                p.weight_g * p.length_mm * p.width_mm * p.height_mm,
                p.lot_tracked,
                p.serial_tracked,
            )
            for p in s.scalars(select(Product))
        ]
        lots = s.execute(
            select(Lot.product_id, Lot.expiry_date, Lot.lot_number, Lot.received_at)
        ).all()
    assert all(size > 0 for _, _, size, _, _ in products)
    assert any(re.search(r"[\u4e00-\u9fff]", name) for _, name, *_ in products)
    assert any(re.fullmatch(r"[A-Za-z0-9&,.\- ]+", name) for _, name, *_ in products)
    tracked = {pid for pid, _, _, lot, _ in products if lot}
    assert 300 < len(tracked) < 1200 and sum(serial for *_, serial in products) > 50
    assert {lot.product_id for lot in lots} == tracked
    today = NOW.date()
    expired = [lot for lot in lots if lot.expiry_date and lot.expiry_date < today]
    near = [lot for lot in lots if lot.expiry_date and 0 <= (lot.expiry_date - today).days <= 30]
    assert expired and near
    for lot in lots:  # the lot number says when it was made: before it reached us
        made = datetime.strptime(lot.lot_number[1:7], "%y%m%d").date()
        assert made < lot.received_at.date() < lot.expiry_date or lot in expired, lot


def test_carriers_channels_and_a_user_for_every_role(services: Services) -> None:
    summary = _generate(services, 0)
    with services.uow() as uow:
        s = uow.session
        carriers = set(s.scalars(select(Carrier.code)))
        services_n = s.scalar(select(func.count()).select_from(CarrierService))
        platforms = set(s.scalars(select(Channel.platform)))
        roles = set(s.scalars(select(User.role)))
    assert carriers == {"SF", "ZTO", "YTO", "JD", "UPS", "DHL"} and services_n == 10
    assert platforms == {"taobao", "jd", "pinduoduo", "douyin", "shopify", "woocommerce"}
    assert roles == {r.value for r in Role}
    assert summary.users == DEMO_USERS
    hint = demo_data.login_hint()
    assert all(u.username in hint and u.password in hint and u.badge in hint for u in DEMO_USERS)


def test_demo_users_log_in_with_their_password_and_with_badge_and_pin(
    services: Services,
) -> None:
    _generate(services, 0)
    for user in DEMO_USERS:
        actor = services.run(auth.login, user.username, user.password, services.station_id)
        assert actor.role is user.role
        by_badge = services.run(auth.login_badge, user.badge, user.pin, services.station_id)
        assert by_badge.username == user.username


def test_demo_data_refuses_a_database_that_already_holds_data(services: Services) -> None:
    services.run(auth.create_first_admin, "boss", "long-enough-1")
    with pytest.raises(DatabaseNotEmpty) as err:
        _generate(services, 5)
    assert "1 users" in err.value.message and "new, empty database" in err.value.message
    with services.uow() as uow:  # nothing was written
        assert uow.session.scalar(select(func.count()).select_from(Product)) == 0


def test_a_second_run_on_a_demo_database_is_refused(services: Services) -> None:
    _generate(services, 20)
    with pytest.raises(DatabaseNotEmpty, match="20 orders"):
        _generate(services, 20)


def _dump(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the demo fills, minus salted hashes, the lookup-key secret
    (random for each database) and the audit log."""
    skip = {"audit_log", "alembic_version", "roles"}
    out = {}
    with services.uow() as uow:
        for name, table in Base.metadata.tables.items():
            if name in skip:
                continue
            cols = [
                c for c in table.c if c.name not in ("password_hash", "pin_hash", "last_seen_at")
            ]
            stmt = select(*cols).order_by(*table.primary_key.columns)
            if name == "settings":
                stmt = stmt.where(table.c.key != privacy.SECRET_KEY)
            out[name] = [tuple(r) for r in uow.session.execute(stmt)]
    return out


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(
    services: Services, db_url: str, sqlite_template: Path, tmp_path: Path, paths: Paths
) -> None:
    _generate(services, 150, seed=11)
    first = _dump(services)
    if db_url.startswith("sqlite"):
        again_url = f"sqlite:///{tmp_path / 'again.sqlite'}"
        shutil.copy(sqlite_template, tmp_path / "again.sqlite")
    else:
        _truncate_pg(db_url)
        again_url = db_url
    again = bootstrap(Settings(db_url=again_url, station="test-station"), paths)
    try:
        again.run(demo_data.generate, orders=150, seed=11, now=NOW)
        assert _dump(again) == first
        assert sum(len(v) for v in first.values()) > 10_000
        if db_url.startswith("sqlite"):
            other = tmp_path / "other.sqlite"
            shutil.copy(sqlite_template, other)
            third = bootstrap(Settings(db_url=f"sqlite:///{other}", station="test-station"), paths)
        else:
            _truncate_pg(db_url)
            third = bootstrap(Settings(db_url=db_url, station="test-station"), paths)
        third.run(demo_data.generate, orders=150, seed=12, now=NOW)
        different = _dump(third)
        third.close()
        assert different["orders"] != first["orders"]
        assert different["products"] != first["products"]
    finally:
        again.close()


def test_stock_invariants_hold_and_stock_matches_each_orders_status(services: Services) -> None:
    summary = _generate(services, 400, seed=5)
    assert services.run(stock.check_stock_invariants) == []
    assert summary.reservations > 0 and summary.ledger_lines > summary.stock_levels
    with services.uow() as uow:
        s = uow.session
        status = dict(s.execute(select(Order.id, Order.status)).tuples().all())
        units: dict[int, int] = defaultdict(int)
        for oid, qty in s.execute(
            select(OrderLine.order_id, OrderLine.qty).where(OrderLine.product_id.is_not(None))
        ):
            units[oid] += qty
        reserved: dict[int, int] = defaultdict(int)
        for oid, qty in s.execute(
            select(OrderLine.order_id, Reservation.qty).join(
                OrderLine, OrderLine.id == Reservation.order_line_id
            )
        ):
            reserved[oid] += qty
        moved: dict[tuple[int, str], int] = defaultdict(int)
        for oid, reason, delta in s.execute(
            select(StockLedger.ref_id, StockLedger.reason, StockLedger.qty_delta).where(
                StockLedger.ref_type == "order"
            )
        ):
            moved[(oid, reason)] += delta
    seen = set()
    for oid, st in status.items():
        seen.add(st)
        if st in ("allocated", "picking"):
            assert reserved[oid] == units[oid] and (oid, "pick") not in moved
        elif st in ("picked", "packing", "packed", "shipped", "delivered", "returned"):
            assert moved[(oid, "pick")] == -units[oid] and oid not in reserved
            assert moved.get((oid, "return"), 0) == (units[oid] if st == "returned" else 0)
        else:
            assert oid not in reserved and (oid, "pick") not in moved
    assert len(seen) >= 11, seen


def test_every_status_history_is_a_legal_walk_that_ends_in_the_orders_status(
    services: Services,
) -> None:
    _generate(services, 400, seed=5)
    with services.uow() as uow:
        s = uow.session
        status = dict(s.execute(select(Order.id, Order.status)).tuples().all())
        history: dict[int, list[Any]] = defaultdict(list)
        for h in s.execute(
            select(
                OrderStatusChange.order_id,
                OrderStatusChange.from_status,
                OrderStatusChange.to_status,
                OrderStatusChange.at,
            ).order_by(OrderStatusChange.id)
        ):
            history[h.order_id].append(h)
        open_holds: dict[int, list[str]] = defaultdict(list)
        for oid, reason in s.execute(
            select(OrderHold.order_id, OrderHold.reason).where(OrderHold.resolved_at.is_(None))
        ):
            open_holds[oid].append(reason)
        numbers = s.execute(select(Order.id, Order.number).order_by(Order.id)).all()
    assert [n for _, n in numbers] == sorted(n for _, n in numbers)
    assert numbers[0].number == "PD00000001"
    for oid, st in status.items():
        steps = history[oid]
        assert steps[0].from_status is None and steps[0].to_status == "new"
        for a, b in pairwise(steps):
            assert b.from_status == a.to_status and b.at >= a.at
            assert can_transition(OrderStatus(a.to_status), OrderStatus(b.to_status))
        assert steps[-1].to_status == st
        assert bool(open_holds.get(oid)) == (st == "on_hold"), (oid, st)
    assert all(len(r) > 30 for rs in open_holds.values() for r in rs)


def test_customers_have_realistic_names_phones_and_addresses(services: Services) -> None:
    _generate(services, 400, seed=9)
    with services.uow() as uow:
        s = uow.session
        held = set(s.scalars(select(OrderHold.order_id).where(OrderHold.resolved_at.is_(None))))
        rows = [
            (r.id, r)
            for r in s.execute(
                select(
                    Order.id,
                    Address.name,
                    Address.phone,
                    Address.phone_digits,
                    Address.country,
                    Address.province,
                    Address.city,
                    Address.district,
                    Address.street,
                    Address.postal_code,
                ).join(Address, Address.id == Order.ship_address_id)
            )
        ]
    # held orders show their problem on purpose (next test); the rest must pass every check
    cn = [a for oid, a in rows if a.country == "CN" and oid not in held]
    en = [a for oid, a in rows if a.country != "CN" and oid not in held]
    assert len(cn) > 250 and len(en) > 20
    for a in cn + en:
        assert a.phone_digits == "".join(ch for ch in a.phone if ch.isdigit())
        assert phonenumbers.is_valid_number(phonenumbers.parse(a.phone, a.country)), a.phone
    for a in cn:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", a.name), a.name
        assert re.fullmatch(r"1[3-9]\d{9}", a.phone_digits[-11:])
        assert a.province and a.city and a.district and re.fullmatch(r"\d{6}", a.postal_code)
        assert re.search(r"\d+号.*(\d+栋\d+单元|\d+楼)\d+室$", a.street), a.street
    for a in en:
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][\w']+", a.name), a.name
        pattern = {
            "US": r"\d{5}",
            "DE": r"\d{5}",
            "AU": r"\d{4}",
            "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}",
        }[a.country]
        assert re.fullmatch(pattern, a.postal_code), (a.country, a.postal_code)


def test_held_orders_show_the_problem_their_hold_reason_names(services: Services) -> None:
    _generate(services, 1500, seed=4)
    with services.uow() as uow:
        s = uow.session
        holds = s.execute(
            select(OrderHold.code, Order.payment_status, Address.phone, Address.country,
                   Address.district, Address.street, Address.postal_code, OrderHold.order_id)
            .join(Order, Order.id == OrderHold.order_id)
            .join(Address, Address.id == Order.ship_address_id)
            .where(OrderHold.resolved_at.is_(None))
        ).all()  # fmt: skip
        unknown = set(s.scalars(select(OrderLine.order_id).where(OrderLine.product_id.is_(None))))
    codes = {h.code for h in holds}
    assert {"bad_phone", "unknown_sku", "unpaid", "duplicate"} <= codes, codes
    for h in holds:
        if h.code == "bad_phone":
            number = phonenumbers.parse(h.phone, h.country)
            assert not phonenumbers.is_valid_number(number), h.phone
        elif h.code == "unpaid":
            assert h.payment_status == "pending"
        elif h.code == "unknown_sku":
            assert h.order_id in unknown
        elif h.code == "missing_address":
            assert h.district == ""
        elif h.code == "po_box":
            assert h.street.startswith("PO Box")
        elif h.code == "bad_postcode":
            assert not re.fullmatch(r"\d{6}", h.postal_code)
    assert unknown <= {h.order_id for h in holds if h.code == "unknown_sku"}


def test_the_orders_list_finds_demo_orders_by_number_external_id_and_phone(
    services: Services,
) -> None:
    _generate(services, 120, seed=2)
    admin = services.run(auth.login, "admin", "demo-admin")
    with services.uow() as uow:
        oid, number, ext, phone = uow.session.execute(
            select(Order.id, Order.number, Order.external_id, Address.phone_digits)
            .join(Address, Address.id == Order.ship_address_id)
            .where(Order.id == 77)
        ).one()
    for text in (number, ext, phone):
        found = services.run(orders.list_orders, admin, OrderQuery(search=text))
        assert oid in [r.id for r in found], text
    held = services.run(orders.list_orders, admin, OrderQuery(status="on_hold"))
    assert all(r.hold_reasons for r in held)


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACKDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PACKDESK_DB", raising=False)
    return tmp_path / "home"


def test_demo_data_then_orders_list_json_through_the_command_line(
    sqlite_url: str, cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "demo-data", "--orders", "50"]) == 0
    out = capsys.readouterr().out
    assert "50 orders" in out and "demo-admin" in out and "PD-BADGE-0001" in out
    assert main(["--db", sqlite_url, "orders", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 50
    assert [o["number"] for o in data] == [f"PD{i:08d}" for i in range(1, 51)]
    for o in data:
        assert o["status"] in {s.value for s in OrderStatus}
        assert o["channel"] in {"taobao", "jd", "pdd", "douyin", "shopify", "woo"}
        assert o["lines"] and all(ln["sku"] and ln["qty"] > 0 for ln in o["lines"])
        assert isinstance(o["hold_reasons"], list)
        assert bool(o["hold_reasons"]) == (o["status"] == "on_hold")


def test_the_command_line_refuses_a_second_run_and_bad_arguments_without_a_traceback(
    sqlite_url: str, cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "demo-data", "--orders", "3"]) == 0
    capsys.readouterr()
    assert main(["--db", sqlite_url, "demo-data", "--orders", "3"]) == 1
    err = capsys.readouterr().err
    assert "already holds data (3 orders" in err and "Traceback" not in err
    assert main(["--db", sqlite_url, "demo-data", "--orders", "-4"]) == 2
    assert "--orders must be 0 or more" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--db", sqlite_url, "demo-data", "--orders", "many"])
    assert exit_.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_generated_times_are_utc_and_count_back_from_the_anchor(services: Services) -> None:
    _generate(services, 60)
    with services.uow() as uow:
        first, last = uow.session.execute(
            select(func.min(Order.placed_at), func.max(Order.placed_at))
        ).one()
        latest = uow.session.scalar(select(func.max(OrderStatusChange.at)))
    assert first.tzinfo is not None and last.utcoffset() == timedelta(0)
    assert NOW - timedelta(days=61) < first < last < NOW and latest is not None
    assert latest <= NOW


def test_the_demo_has_a_six_pack_a_kit_and_title_mappings_that_map_imported_lines(
    services: Services,
) -> None:
    from app.importers.records import AddressRecord, LineRecord, OrderRecord
    from app.services import listing_mappings, order_intake

    _generate(services, 0)
    admin = services.run(auth.login, "admin", "demo-admin", services.station_id)
    found = services.run(listing_mappings.list_mappings, admin)
    kinds = sorted((m.match_kind, sum(p.units for p in m.parts), len(m.parts)) for m in found)
    assert kinds == [("listing_id", 4, 3), ("sku", 6, 1), ("title", 2, 1), ("title", 2, 1)]
    six = next(m for m in found if m.match_kind == "sku")
    address = AddressRecord(
        name="张三丰", phone="13812345678", country="CN", province="广东省", city="深圳市",
        district="南山区", street="科技园南路1号3栋502室", postal_code="518000",
    )  # fmt: skip
    rec = OrderRecord("DEMO-6PK", 2, (LineRecord(2, six.match_text, 1, name="6 pack"),), address)
    result = services.run(order_intake.import_records, admin, [rec], channel="taobao")
    with services.uow() as uow:
        line = uow.session.execute(
            select(OrderLine.sku, OrderLine.qty).where(OrderLine.order_id == result.order_ids[0])
        ).one()
    assert tuple(line) == (six.parts[0].sku, 6)
