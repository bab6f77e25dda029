"""A shop's own CSV and Excel export with the traps of real files (tests/data/generic_traps.csv and
.xlsx, written by make_generic_samples.py) read through a saved column profile, on SQLite and
PostgreSQL: every order imported with exactly its holds or skipped with its reason, cash on
delivery and the pickup read, the 6-pack listing released once it is mapped, and nothing added by
a second import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import Address, Channel, Order, OrderHold, OrderLine
from app.domain.users import Actor
from app.services import import_profiles, listing_mappings, order_intake
from tests.data.make_generic_samples import PROFILE
from tests.import_helpers import open_hold_codes, order_payment
from tests.order_action_fixtures import add_products

DATA = Path(__file__).resolve().parents[1] / "data"
CSV = DATA / "generic_traps.csv"
XLSX = DATA / "generic_traps.xlsx"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SHOP = "自营商城"
STOCKED = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-WHITE-L")

#: what becomes of each order of the sample
HELD = {
    "SO-1001": [],  # paid (待发货), Shanghai: released
    "SO-1002": [],  # cash on delivery (货到付款): not held as unpaid
    "SO-1003": ["no_sku"],  # handmade items without SKUs (one hold per line)
    "SO-1005": ["partly_fulfilled"],  # 部分发货: check what is left to ship
    "SO-1006": [],  # a pickup (门店自提)
    "SO-1007": ["unknown_sku"],  # the 6-pack listing TEE-6PK is not a product
    "SO-1008": ["unpaid"],  # 等待买家付款
    "SO-1011": ["refunded"],  # 部分退款: check which items still go
    "SO-1012": ["bad_postal_code"],  # the street typed into the postal code
    "SO-1013": ["missing_address"],  # "N/A" is no ZIP code; the United States need one
    "SO-1014": ["missing_address"],  # "0" is none; South Africa needs a postal code
    "SO-1015": [],  # "-" in China, which needs none; cash on delivery
}
SKIPPED = {
    "SO-1004": "was cancelled in the channel before it was fulfilled",
    "SO-1009": "is already fulfilled in the channel",
    "SO-1010": "was refunded or voided in the channel before it was fulfilled",
}
LONG_ZIP = "1600 K Street NW, Suite 400"


@pytest.fixture(params=[CSV, XLSX], ids=["csv", "xlsx"])
def sample(request: pytest.FixtureRequest, services: Services, admin: Actor) -> Path:
    """The sample file, with the shop's column profile saved."""
    path: Path = request.param
    fmt = "xlsx" if path.suffix == ".xlsx" else "csv"
    mapping = import_profiles.Mapping(columns=dict(PROFILE), default_country="CN")
    services.run(import_profiles.save_profile, admin, SHOP, mapping, fmt)
    return path


def run(services: Services, actor: Actor, path: Path) -> order_intake.ImportResult:
    return services.run(order_intake.import_file, actor, path, profile=SHOP, local=SHANGHAI)


def test_every_order_of_the_generic_traps_file_is_imported_with_its_holds_or_skipped_with_why(
    services: Services, admin: Actor, sample: Path
) -> None:
    add_products(services, *STOCKED)
    r = run(services, admin, sample)
    assert r.format == sample.suffix.lstrip(".")
    assert open_hold_codes(services) == HELD
    skipped = {p.order: p.reason for p in r.problems if p.kind == "skipped"}
    assert {o: next(w for w in SKIPPED.values() if w in t) for o, t in skipped.items()} == SKIPPED
    assert not [p for p in r.problems if p.kind == "rejected"]
    # every order of the file is accounted for, once
    assert (r.imported, r.skipped, r.rejected) == (12, 3, 0)
    assert (r.released, r.held) == (4, 8)
    with services.uow() as uow:
        zip_kept = uow.session.scalar(
            select(Address.postal_code)
            .join(Order, Order.ship_address_id == Address.id)
            .where(Order.external_id == "SO-1012")
        )
        partly = uow.session.execute(
            select(OrderLine.sku, OrderLine.qty, OrderLine.channel_partly_fulfilled)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.external_id == "SO-1005")
            .order_by(OrderLine.line_no)
        ).all()
    assert zip_kept == LONG_ZIP
    assert [tuple(ln) for ln in partly] == [("BOTTLE-500-BL", 2, True), ("LID-BAMBOO", 1, True)]


def test_cash_on_delivery_keeps_the_amount_to_collect_and_the_pickup_is_flagged(
    services: Services, admin: Actor, sample: Path
) -> None:
    add_products(services, *STOCKED)
    run(services, admin, sample)
    assert order_payment(services, "SO-1002")[:3] == ("货到付款", Decimal("39.00"), False)
    assert order_payment(services, "SO-1015")[:3] == ("货到付款", Decimal("12.00"), False)
    assert order_payment(services, "SO-1006")[:3] == ("微信支付", None, True)
    assert order_payment(services, "SO-1001")[1:3] == (None, False)


def test_mapping_the_six_pack_listing_releases_its_order_with_six_units_per_pack(
    services: Services, admin: Actor, sample: Path
) -> None:
    products = add_products(services, *STOCKED)
    r = run(services, admin, sample)
    assert open_hold_codes(services)["SO-1007"] == ["unknown_sku"]
    with services.uow() as uow:
        shop = uow.session.scalar(select(Channel.id).where(Channel.code == r.channel))
    result = services.run(
        listing_mappings.save_mapping,
        admin,
        shop,
        "sku",
        "TEE-6PK",
        [(products["TEE-WHITE-L"], 6)],
    )
    assert (result.released, result.still_held) == (1, 0)
    assert open_hold_codes(services).get("SO-1007", []) == []  # its hold is resolved
    assert order_payment(services, "SO-1007")[3] == "released"
    with services.uow() as uow:
        lines = uow.session.execute(
            select(OrderLine.sku, OrderLine.qty, OrderLine.product_id, OrderLine.listing_sku)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.external_id == "SO-1007")
        ).all()
    assert [tuple(ln) for ln in lines] == [("TEE-WHITE-L", 6, products["TEE-WHITE-L"], "TEE-6PK")]


def test_importing_the_generic_traps_file_again_adds_nothing(
    services: Services, admin: Actor, sample: Path
) -> None:
    add_products(services, *STOCKED)
    first = run(services, admin, sample)
    with services.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(OrderHold))
    again = run(services, admin, sample)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    assert again.skipped == first.skipped
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == first.imported
        assert uow.session.scalar(select(func.count()).select_from(OrderHold)) == before
