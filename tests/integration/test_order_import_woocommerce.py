"""WooCommerce's REST API order list and Advanced Order Export's CSV imported into the database,
on SQLite and PostgreSQL: every order of the file is imported (maybe held, with the reason) or
skipped with the reason, the counts add up, and importing again adds nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import Address, Channel, ImportBatch, Order
from app.domain.errors import ImportFileError
from app.domain.users import Actor
from app.services import order_intake
from tests.import_helpers import open_hold_codes, order_payment
from tests.order_action_fixtures import add_products

DATA = Path(__file__).resolve().parents[1] / "data"
REST = DATA / "woocommerce_rest_orders.json"
AOE = DATA / "woocommerce_aoe_orders.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")
STOCKED = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-BLK-M", "CAP-RED")

#: what becomes of each order of the samples (numbers 71xx in the JSON, 81xx in the CSV)
HELD = {
    1: [],  # paid, Shanghai: released
    2: [],  # cash on delivery: not held as unpaid
    3: ["no_sku"],  # handmade items without SKUs
    5: ["refunded"],  # partly refunded: check which items still go
    6: [],  # cash on delivery, collected in the shop
    7: ["unknown_sku"],  # the 6-pack listing is not a product of ours
    8: ["unpaid"],  # on hold: waiting for a bank transfer
    9: [],  # pickup
    13: ["missing_address"],  # South Africa needs a postal code; "0" is none
}
SKIPPED = {4: "cancelled", 10: "fulfilled", 11: "refunded", 14: "cancelled"}
FORMAT = {REST: "woocommerce_rest", AOE: "woocommerce_aoe"}
#: a street typed into the postal code (26 characters)
LONG_ZIP = 12


def run(services: Services, actor: Actor, path: Path, **kw: object) -> order_intake.ImportResult:
    return services.run(order_intake.import_file, actor, path, local=SHANGHAI, **kw)


@pytest.mark.parametrize(("path", "base"), [(REST, 7100), (AOE, 8100)], ids=["rest", "aoe"])
def test_every_order_of_the_sample_is_imported_or_skipped_with_its_reason_and_counts_add_up(
    services: Services, admin: Actor, path: Path, base: int
) -> None:
    add_products(services, *STOCKED)
    r = run(services, admin, path)
    got = open_hold_codes(services)
    long_zip = str(base + LONG_ZIP)
    assert {k: v for k, v in got.items() if k != long_zip} == {
        str(base + n): codes for n, codes in HELD.items()
    }
    skipped = {p.order: p.reason for p in r.problems if p.kind == "skipped"}
    reasons = {
        "cancelled": "was cancelled",
        "fulfilled": "is already fulfilled",
        "refunded": "was refunded or voided",
    }
    assert {k: next(w for w, t in reasons.items() if t in v) for k, v in skipped.items()} == {
        str(base + n): why for n, why in SKIPPED.items()
    }
    rejected = [p for p in r.problems if p.kind == "rejected"]
    # intake keeps an over-long postal code in full and holds the order, rejecting nothing
    assert "bad_postal_code" in got[long_zip] and not rejected
    with services.uow() as uow:
        zip_kept = uow.session.scalar(
            select(Address.postal_code)
            .join(Order, Order.ship_address_id == Address.id)
            .where(Order.external_id == long_zip)
        )
    assert zip_kept == "Calle de Alcalá 45, 3º izq"
    # every order of the file is accounted for, once
    assert r.imported + r.skipped + r.rejected == 14
    assert r.released + r.held == r.imported
    assert r.held == sum(1 for codes in got.values() if codes)
    assert len({*got, *skipped, *(p.order for p in rejected)}) == 14


@pytest.mark.parametrize("path", [REST, AOE], ids=["rest", "aoe"])
def test_importing_the_same_file_again_adds_nothing(
    services: Services, admin: Actor, path: Path
) -> None:
    add_products(services, *STOCKED)
    first = run(services, admin, path)
    assert (first.format, first.imported) == (FORMAT[path], 10)
    again = run(services, admin, path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == first.imported


def test_both_layouts_go_to_one_woocommerce_channel_and_cash_on_delivery_keeps_its_amount(
    services: Services, admin: Actor
) -> None:
    rest = run(services, admin, REST)
    aoe = run(services, admin, AOE)
    assert (rest.channel, rest.channel_created, aoe.channel, aoe.channel_created) == (
        "woocommerce",
        True,
        "woocommerce",
        False,
    )
    assert (rest.format, aoe.format) == ("woocommerce_rest", "woocommerce_aoe")
    with services.uow() as uow:
        assert uow.session.scalar(select(Channel.platform)) == "woocommerce"
        assert sorted(uow.session.scalars(select(ImportBatch.format))) == [
            "woocommerce_aoe",
            "woocommerce_rest",
        ]
    assert order_payment(services, "7102")[:3] == ("Kapıda Ödeme", Decimal("23.00"), False)
    assert order_payment(services, "8106")[:3] == ("Cash on delivery", Decimal("18.00"), True)
    assert order_payment(services, "7109")[2] is True  # "门店取货", a pickup_location method
    assert order_payment(services, "7101")[1:3] == (None, False)  # paid by Alipay


def test_a_json_file_cut_short_writes_nothing(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    text = REST.read_text(encoding="utf-8")
    cut = tmp_path / "orders.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        run(services, admin, cut)
    assert "orders.json is not valid JSON" in err.value.message
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Order)) == 0
        assert uow.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
