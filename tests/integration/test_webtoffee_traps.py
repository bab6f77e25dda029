"""WebToffee's WooCommerce CSV with the traps of real files (tests/data/
woocommerce_webtoffee_traps.csv, written by make_webtoffee_samples.py) imported on SQLite and
PostgreSQL: every order imported with exactly its holds or skipped with its reason, cash on
delivery and pickups read, the 6-pack listing released once it is mapped, and nothing added by a
second import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import Address, Channel, Order, OrderHold, OrderLine
from app.domain.users import Actor
from app.services import listing_mappings, order_intake
from tests.import_helpers import open_hold_codes, order_payment
from tests.order_action_fixtures import add_products

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "woocommerce_webtoffee_traps.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")
STOCKED = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-BLK-M", "CAP-RED", "TEE-WHITE-L")

#: what becomes of each order of the sample (its number is 9100 + the key)
HELD = {
    1: [],  # paid by Alipay, Shanghai: released
    2: [],  # cash on delivery ("Kapıda Ödeme"): not held as unpaid
    3: ["no_sku"],  # handmade items without SKUs (one hold per line)
    5: ["refunded"],  # partly refunded (refund_items): check which items still go
    6: [],  # cash on delivery, collected in the shop (local_pickup); postal code "0" in Egypt
    7: ["unknown_sku"],  # the 6-pack listing TEE-6PK is not a product; postal code "N/A"
    8: ["unpaid"],  # on hold: waiting for a bank transfer; postal code "无"
    9: [],  # pickup_location titled "门店取货"
    12: ["bad_postal_code"],  # the street typed into the postal code
    13: ["missing_address"],  # South Africa needs a postal code; "0" is none
    15: [],  # cash on delivery under the shop's own title, gateway cod
}
SKIPPED = {
    4: "was cancelled in the channel before it was fulfilled",
    10: "is already fulfilled in the channel",
    11: "was refunded or voided in the channel before it was fulfilled",
    14: "was cancelled in the channel before it was fulfilled",  # failed
}
LONG_ZIP = "Calle de Alcalá 45, 3º izq"


def ext(n: int) -> str:
    return str(9100 + n)


def run(services: Services, actor: Actor) -> order_intake.ImportResult:
    return services.run(order_intake.import_file, actor, SAMPLE, local=SHANGHAI)


def test_every_order_of_the_webtoffee_traps_file_is_imported_with_its_holds_or_skipped_with_why(
    services: Services, admin: Actor
) -> None:
    add_products(services, *STOCKED)
    r = run(services, admin)
    assert r.format == "woocommerce"
    assert open_hold_codes(services) == {ext(n): codes for n, codes in HELD.items()}
    skipped = {p.order: p.reason for p in r.problems if p.kind == "skipped"}
    assert {o: next(w for w in set(SKIPPED.values()) if w in t) for o, t in skipped.items()} == {
        ext(n): why for n, why in SKIPPED.items()
    }
    assert not [p for p in r.problems if p.kind == "rejected"]
    # every order of the file is accounted for, once
    assert (r.imported, r.skipped, r.rejected) == (11, 4, 0)
    assert r.imported + r.skipped == 15
    assert (r.released, r.held) == (5, 6)
    with services.uow() as uow:
        zip_kept = uow.session.scalar(
            select(Address.postal_code)
            .join(Order, Order.ship_address_id == Address.id)
            .where(Order.external_id == ext(12))
        )
    assert zip_kept == LONG_ZIP


def test_cash_on_delivery_keeps_the_amount_to_collect_and_pickups_are_flagged(
    services: Services, admin: Actor
) -> None:
    add_products(services, *STOCKED)
    run(services, admin)
    assert order_payment(services, ext(2))[:3] == ("Kapıda Ödeme", Decimal("23.00"), False)
    assert order_payment(services, ext(6))[:3] == ("Cash on delivery", Decimal("18.00"), True)
    assert order_payment(services, ext(15))[:3] == (
        "Pay the courier (cod)",
        Decimal("23.00"),
        False,
    )
    assert order_payment(services, ext(9))[1:3] == (None, True)  # "门店取货", pickup_location
    assert order_payment(services, ext(1))[1:3] == (None, False)  # paid by Alipay


def test_mapping_the_six_pack_listing_releases_its_order_with_six_units_per_pack(
    services: Services, admin: Actor
) -> None:
    products = add_products(services, *STOCKED)
    run(services, admin)
    assert open_hold_codes(services)[ext(7)] == ["unknown_sku"]
    with services.uow() as uow:
        woo = uow.session.scalar(select(Channel.id).where(Channel.code == "woocommerce"))
    result = services.run(
        listing_mappings.save_mapping,
        admin,
        woo,
        "sku",
        "TEE-6PK",
        [(products["TEE-WHITE-L"], 6)],
    )
    assert (result.released, result.still_held) == (1, 0)
    assert open_hold_codes(services).get(ext(7), []) == []  # its hold is resolved
    assert order_payment(services, ext(7))[3] == "released"
    with services.uow() as uow:
        lines = uow.session.execute(
            select(OrderLine.sku, OrderLine.qty, OrderLine.product_id, OrderLine.listing_sku)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.external_id == ext(7))
        ).all()
    assert [tuple(ln) for ln in lines] == [("TEE-WHITE-L", 6, products["TEE-WHITE-L"], "TEE-6PK")]


def test_importing_the_webtoffee_traps_file_again_adds_nothing(
    services: Services, admin: Actor
) -> None:
    add_products(services, *STOCKED)
    first = run(services, admin)
    with services.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(OrderHold))
    again = run(services, admin)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    assert again.skipped == first.skipped
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == first.imported
        assert uow.session.scalar(select(func.count()).select_from(OrderHold)) == before
