"""``upload_tracking`` through the Shopify plug-in, against the local Shopify server of
``tests/channels/shopify_server.py`` (no call leaves the machine), on SQLite and PostgreSQL:
each parcel of each channel order becomes one ``fulfillmentCreate`` with its lines, Shopify's
tracking company and our link; what Shopify took is never sent again; a ``userErrors`` answer
and an HTTP 401 are reported with their reasons and sent again next time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import AuditEntry, TrackingExport
from app.domain.errors import ValidationError
from app.domain.users import Actor, Role
from app.services import channel_upload
from tests.channels.shopify_server import QTY_ERROR, ShopifyServer
from tests.conftest import make_actor
from tests.order_action_fixtures import add_products
from tests.pack_fixtures import add_carrier
from tests.shipped_fixtures import Line, channel_id, packed_order, ship

TOKEN = "shpat_0123456789abcdef"
SF_URL = "https://www.sf-express.com/chn/sc/waybill/waybill-detail/"


@pytest.fixture
def shop() -> Iterator[ShopifyServer]:
    with ShopifyServer(TOKEN) as server:
        server.add_order("5600000000001", "#1041", [("901", "CUP", 2), ("902", "LID", 1)])
        server.add_order("1001", "#1001", [("911", "CUP", 1)])
        server.add_order("1002", "#1002", [("921", "PEN", 1)])
        yield server


def _orders(services: Services, admin: Actor) -> None:
    """#1041 (Shopify's numeric id) in two parcels; #1001 merged with #1002 in one parcel."""
    add_products(services, "CUP", "LID", "PEN")
    carrier, _, _ = add_carrier(services, numbers=0)
    ch = channel_id(services, "shopc", "shopify")
    two = packed_order(
        services, ch, carrier, "PD-A", "5600000000001",
        [Line("CUP", 2, "901"), Line("LID", 1, "902")],
        [("SF0000000001", [(0, 2)]), ("SF0000000002", [(1, 1)])],
    )  # fmt: skip
    merged = packed_order(
        services, ch, carrier, "PD-B", "#1001",
        [Line("CUP", 1, "911"), Line("PEN", 1, "", refs=[("#1002", "921", 1)])],
        [("SF0000000003", [(0, 1), (1, 1)])],
    )  # fmt: skip
    ship(services, admin, [two, merged])


def _connect(services: Services, admin: Actor, server: ShopifyServer, token: str = TOKEN) -> None:
    services.run(
        channel_upload.set_credentials,
        admin,
        "shopc",
        plugin="shopify",
        shop=server.url,
        token=token,
        api_version="2025-01",
    )


def _uploads(services: Services) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(TrackingExport)) or 0


def test_each_parcel_of_each_channel_order_is_one_fulfilment_as_shopify_documents_it(
    services: Services, admin: Actor, shop: ShopifyServer
) -> None:
    _orders(services, admin)
    _connect(services, admin, shop)
    shipper = make_actor(services, admin, Role.SHIPPER)

    report = services.run(channel_upload.upload_tracking, shipper, "shopc")

    assert shop.problems == []
    assert (report.channel, report.plugin, report.uploaded, report.failed) == (
        "shopc", "shopify", 4, (),
    )  # fmt: skip
    assert {r.path for r in shop.requests} == {"/admin/api/2025-01/graphql.json"}
    assert {r.headers["X-Shopify-Access-Token"] for r in shop.requests} == {TOKEN}
    fo = "gid://shopify/FulfillmentOrder/"
    item = "gid://shopify/FulfillmentOrderLineItem/"
    assert shop.fulfillments == [
        {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fo + "56000000000011",
                 "fulfillmentOrderLineItems": [{"id": item + "9010", "quantity": 2}]}
            ],
            "trackingInfo": {"company": "SF Express", "number": "SF0000000001",
                             "url": SF_URL + "SF0000000001"},
            "notifyCustomer": True,
        },
        {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fo + "56000000000011",
                 "fulfillmentOrderLineItems": [{"id": item + "9020", "quantity": 1}]}
            ],
            "trackingInfo": {"company": "SF Express", "number": "SF0000000002",
                             "url": SF_URL + "SF0000000002"},
            "notifyCustomer": True,
        },
        {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fo + "10011",
                 "fulfillmentOrderLineItems": [{"id": item + "9110", "quantity": 1}]}
            ],
            "trackingInfo": {"company": "SF Express", "number": "SF0000000003",
                             "url": SF_URL + "SF0000000003"},
            "notifyCustomer": True,
        },
        {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fo + "10021",
                 "fulfillmentOrderLineItems": [{"id": item + "9210", "quantity": 1}]}
            ],
            "trackingInfo": {"company": "SF Express", "number": "SF0000000003",
                             "url": SF_URL + "SF0000000003"},
            "notifyCustomer": True,
        },
    ]  # fmt: skip
    # the merged order's second channel order was found by its name
    by_name = [r.body["variables"] for r in shop.requests if "orders(first" in r.body["query"]]
    assert {"query": "name:#1002"} in by_name
    with services.uow() as uow:
        rows = uow.session.execute(
            select(TrackingExport.kind, TrackingExport.format, TrackingExport.remote_id).order_by(
                TrackingExport.id
            )
        ).all()
        audit = uow.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "channel.credentials")
        ).one()
    assert [tuple(r) for r in rows] == [
        ("upload", "upload:shopify", f"gid://shopify/Fulfillment/{n}") for n in (1, 2, 3, 4)
    ]
    assert audit is not None and audit["token"] == "(set)"  # never the token

    seen = len(shop.requests)
    again = services.run(channel_upload.upload_tracking, shipper, "shopc")
    assert (again.uploaded, again.skipped, again.failed) == (0, 3, ())
    assert len(shop.requests) == seen  # nothing sent twice


def test_a_user_errors_answer_is_reported_with_shopifys_words_and_sent_again_next_time(
    services: Services, admin: Actor, shop: ShopifyServer
) -> None:
    _orders(services, admin)
    _connect(services, admin, shop)
    shop.fulfilled_elsewhere.add("gid://shopify/Order/5600000000001")

    report = services.run(channel_upload.upload_tracking, admin, "shopc")

    assert shop.problems == []
    assert report.uploaded == 2  # the merged order's two channel orders
    assert [(f.channel_order_id, f.tracking) for f in report.failed] == [
        ("5600000000001", "SF0000000001"),
        ("5600000000001", "SF0000000002"),
    ]
    assert QTY_ERROR in report.failed[0].error
    assert "nothing left to fulfil" in report.failed[1].error
    assert _uploads(services) == 2
    shop.fulfilled_elsewhere.clear()
    for items in shop.orders["gid://shopify/Order/5600000000001"].fulfillment_orders.values():
        for i in items:
            i.remaining = 2 if i.sku == "CUP" else 1
    later = services.run(channel_upload.upload_tracking, admin, "shopc")
    assert (later.uploaded, later.skipped, later.failed) == (2, 1, ())


def test_a_refused_token_is_reported_as_such_and_nothing_is_recorded(
    services: Services, admin: Actor, shop: ShopifyServer
) -> None:
    _orders(services, admin)
    _connect(services, admin, shop, token="shpat_wrong")

    report = services.run(channel_upload.upload_tracking, admin, "shopc")

    assert report.uploaded == 0 and len(report.failed) == 4
    assert all("refused the access token (HTTP 401)" in f.error for f in report.failed)
    assert _uploads(services) == 0
    assert shop.fulfillments == []


def test_a_channel_without_credentials_or_with_an_unknown_plugin_is_refused(
    services: Services, admin: Actor
) -> None:
    _orders(services, admin)
    with pytest.raises(ValidationError, match="has no upload plug-in set"):
        services.run(channel_upload.upload_tracking, admin, "shopc")
    with pytest.raises(ValidationError, match="amazon is not a channel plug-in"):
        services.run(
            channel_upload.set_credentials, admin, "shopc", plugin="amazon", shop="x", token="y"
        )
