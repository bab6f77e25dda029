"""The tracking files' rows, without a database: Shopify's company spelling, WooCommerce's
provider or custom provider, the Chinese sheets' one row per order, generic mappings, tracking
links, and how the Shopify plug-in matches a parcel's lines to fulfilment order line items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.channels.base import ChannelConfig, FulfilmentLine
from app.channels.shopify import endpoint, order_gid, plan_lines
from app.domain.errors import ValidationError
from app.domain.tracking_export import (
    ExportMapping,
    ExportParcel,
    build_sheet,
    parse_columns,
)
from app.domain.tracking_export_names import tracking_url

AT = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)


def parcel(
    order: str, tracking: str, carrier: str = "SF", name: str = "顺丰速运 SF Express", pid: int = 1
) -> ExportParcel:
    return ExportParcel(
        parcel_id=pid, order_id=1, order_number="PD1", channel_order_id=order, tracking=tracking,
        carrier_code=carrier, carrier_name=name, service="STD", shipped_at=AT, weight_g=1234,
        tracking_url=tracking_url("", carrier, tracking),
    )  # fmt: skip


def test_shopify_rows_use_shopifys_case_sensitive_company_names_and_our_own_for_the_rest() -> None:
    sheet = build_sheet(
        "shopify",
        [
            parcel("#1", "1Z999AA10123456784", "UPS", "UPS"),
            parcel("#2", "RR473124829CN", "EMS", "中国邮政 EMS"),
            parcel("#3", "1234567890", "DHL", "dhl"),
            parcel("#4", "ZT1", "ZTO", "中通快递 ZTO Express"),
        ],
        notify=False,
    )
    assert [r[2] for r in sheet.rows] == [
        "UPS",
        "China EMS (ePacket)",
        "DHL Express",
        "中通快递 ZTO Express",
    ]
    assert sheet.rows[0][3] == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert {r[4] for r in sheet.rows} == {"FALSE"}
    assert sheet.file_type == "csv"


def test_woocommerce_rows_name_a_known_provider_or_give_a_custom_one_with_its_link() -> None:
    sheet = build_sheet("woocommerce", [parcel("645", "9400111899560000000000", "USPS", "USPS"),
                                        parcel("646", "SF1", "SF")])  # fmt: skip
    assert sheet.headers == (
        "order_id", "tracking_provider", "custom_tracking_provider", "tracking_number",
        "custom_tracking_link", "date_shipped",
    )  # fmt: skip
    assert sheet.rows[0] == ("645", "USPS", "", "9400111899560000000000", "", "2026-12-03")
    assert sheet.rows[1] == (
        "646", "", "顺丰速运 SF Express", "SF1",
        "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1", "2026-12-03",
    )  # fmt: skip


def test_a_chinese_sheet_has_one_row_per_order_and_carrier_with_the_numbers_joined() -> None:
    sheet = build_sheet(
        "douyin",
        [
            parcel("A", "SF1"),
            parcel("A", "SF2", pid=2),
            parcel("A", "SF2", pid=2),  # one parcel listed twice: its number once
            parcel("A", "ZT1", "ZTO", "中通", pid=3),
            parcel("B", "JD1", "JD", "京东物流 JD Logistics", pid=4),
        ],
    )
    assert sheet.file_type == "xlsx"
    assert sheet.rows == (
        ("A", "顺丰速运", "SF1,SF2"),
        ("A", "中通快递", "ZT1"),
        ("B", "京东快递", "JD1"),
    )


def test_a_generic_mapping_takes_fields_under_headers_and_refuses_an_unknown_field() -> None:
    cols = parse_columns(
        ["订单=channel_order_id", "tracking", "weight_kg", "shipped_at", "快递=carrier_name_cn"]
    )
    sheet = build_sheet("generic", [parcel("#9", "SF9")], mapping=ExportMapping("m", cols))
    assert sheet.headers == ("订单", "tracking", "weight_kg", "shipped_at", "快递")
    assert sheet.rows == (("#9", "SF9", "1.234", "2026-12-03 08:30:00", "顺丰速运"),)
    with pytest.raises(ValidationError, match="colour is not a field of a tracking file"):
        parse_columns(["colour"])
    with pytest.raises(ValidationError, match="not a tracking file format"):
        build_sheet("generic", [])  # no mapping


def test_a_tracking_link_is_the_carriers_own_template_else_the_built_in_one() -> None:
    assert (
        tracking_url("https://t.example/{tracking}?x=1", "SF", "A B")
        == "https://t.example/A%20B?x=1"
    )
    assert tracking_url("", "sf", "SF1").endswith("/waybill-detail/SF1")
    assert tracking_url("", "NOPE", "X1") == ""


def test_the_shopify_endpoint_and_order_ids() -> None:
    cfg = ChannelConfig("shop", "shopify", shop="demo.myshopify.com", token="t")
    assert endpoint(cfg) == "https://demo.myshopify.com/admin/api/2025-10/graphql.json"
    assert order_gid("5600000000001") == "gid://shopify/Order/5600000000001"
    assert order_gid("#1001") is None


def _order(*items: tuple[str, str, str, int], status: str = "OPEN") -> dict[str, object]:
    return {
        "fulfillmentOrders": {
            "nodes": [
                {
                    "id": "FO1",
                    "status": status,
                    "lineItems": {
                        "nodes": [
                            {"id": fid, "remainingQuantity": q, "lineItem": {"id": li, "sku": sku}}
                            for fid, li, sku, q in items
                        ]
                    },
                }
            ]
        }
    }


def test_a_parcels_lines_are_matched_by_line_id_else_by_sku_and_capped_at_what_is_left() -> None:
    order = _order(
        ("F1", "gid://shopify/LineItem/7", "CUP", 2), ("F2", "gid://shopify/LineItem/8", "LID", 1)
    )
    plan = plan_lines(order, (FulfilmentLine("7", "CUP", 5), FulfilmentLine("", "LID", 1)))
    assert plan == [
        {
            "fulfillmentOrderId": "FO1",
            "fulfillmentOrderLineItems": [{"id": "F1", "quantity": 2}, {"id": "F2", "quantity": 1}],
        }
    ]
    assert plan_lines(_order(("F1", "x", "CUP", 2), status="CLOSED"), ()) == []
    assert plan_lines(_order(("F1", "x", "CUP", 2)), ()) == [{"fulfillmentOrderId": "FO1"}]
