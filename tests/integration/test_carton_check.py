"""Try on an order, on both backends: an order's shipping lines become boxes of the catalogue's
sizes, the smallest box that holds them is suggested with what the parcel should weigh, and the
lines whose product has no size are counted."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, update

from app.bootstrap import Services
from app.db.models import OrderLine, Parcel, Product
from app.domain.errors import NotFound
from app.domain.users import Actor, Role
from app.domain.weight_check import contents_key
from app.services import carton_check, package_types
from app.services.package_types import PackageTypeDraft
from tests.conftest import make_actor
from tests.factories import add_orders


def _shop(services: Services, admin: Actor, cup_size: tuple[int, int, int]) -> dict[str, int]:
    """Order PD00000001: one cup (SKU-A) and two phone cases (SKU-B); two boxes and a bag."""
    add_orders(services, 1, status="allocated")
    with services.uow() as uow:
        s = uow.session
        ids = {}
        for sku, size, grams in (("SKU-A", cup_size, 380), ("SKU-B", (160, 80, 15), 40)):
            ids[sku] = s.execute(
                insert(Product).returning(Product.id),
                [
                    {
                        "sku": sku,
                        "name": sku,
                        "weight_g": grams,
                        "length_mm": size[0],
                        "width_mm": size[1],
                        "height_mm": size[2],
                    }
                ],
            ).scalar_one()
            s.execute(update(OrderLine).where(OrderLine.sku == sku).values(product_id=ids[sku]))
        uow.commit()
    for draft in (
        PackageTypeDraft("BOX-S", "Small", "box", "", 200, 150, 100, 120, 5000),
        PackageTypeDraft("BOX-M", "Medium", "box", "", 300, 250, 200, 220, 10000),
        PackageTypeDraft("BAG", "Bag", "polybag", "", tare_g=10, max_weight_g=2000),
    ):
        ids[draft.code] = services.run(package_types.save_package_type, admin, draft).id
    return ids


def test_an_order_is_tried_on_the_smallest_box_with_its_expected_weight(
    services: Services, admin: Actor
) -> None:
    _shop(services, admin, (90, 90, 95))
    packer = make_actor(services, admin, Role.PACKER)
    trial = services.run(carton_check.try_on_order, packer, "pd00000001")
    assert trial.order_number == "PD00000001"
    assert [(i.sku, i.qty, i.box.length_mm) for i in trial.items] == [
        ("SKU-A", 1, 90),
        ("SKU-B", 2, 160),
    ]
    assert (trial.package_code, trial.package_name, trial.package_size) == (
        "BOX-S",
        "Small",
        (200, 150, 100),
    )
    # 380 + 2 x 40 g of items and the box's 120 g: 580 g within 5 % (29 g)
    assert (trial.items_g, trial.expected_g, trial.low_g, trial.high_g) == (460, 580, 551, 609)
    assert trial.unknown_size_units == 0 and trial.history_n == 0
    # found by the channel's order id as well
    assert services.run(carton_check.try_on_order, packer, "TB9000001").order_number == "PD00000001"


def test_a_tall_item_takes_the_next_box_and_a_sizeless_one_is_counted(
    services: Services, admin: Actor
) -> None:
    ids = _shop(services, admin, (90, 90, 180))  # a bottle too tall to lie in 150 x 100 ...
    trial = services.run(carton_check.try_on_order, admin, "PD00000001")
    assert trial.package_code == "BOX-S"  # ... but it fits lying along the 200 mm length
    with services.uow() as uow:
        uow.session.execute(update(Product).where(Product.id == ids["SKU-A"]).values(length_mm=210))
        uow.session.execute(update(Product).where(Product.id == ids["SKU-B"]).values(height_mm=0))
        uow.commit()
    trial = services.run(carton_check.try_on_order, admin, "PD00000001")
    assert trial.package_code == "BOX-M" and trial.unknown_size_units == 2


def test_the_trial_learns_from_earlier_parcels_of_the_same_order_contents(
    services: Services, admin: Actor
) -> None:
    ids = _shop(services, admin, (90, 90, 95))
    key = contents_key([(ids["SKU-A"], 1), (ids["SKU-B"], 2)])
    order_id = add_orders(services, 1, status="packed", start=2)[0]
    with services.uow() as uow:
        uow.session.execute(
            insert(Parcel),
            [
                {
                    "order_id": order_id,
                    "seq": n,
                    "contents_key": key,
                    "package_type_id": ids["BOX-S"],
                    "status": "shipped",
                    "weight_source": "scale",
                    "weight_g": grams,
                }
                for n, grams in enumerate((700, 704, 702), 1)
            ],
        )
        uow.commit()
    trial = services.run(carton_check.try_on_order, admin, "PD00000001")
    assert trial.history_n == 3
    assert (trial.low_g, trial.high_g) == (551, 717)  # up to 702 + 2 x 7.02 g


def test_an_unknown_order_is_named(services: Services, admin: Actor) -> None:
    with pytest.raises(NotFound, match="PD404"):
        services.run(carton_check.try_on_order, admin, "PD404")
