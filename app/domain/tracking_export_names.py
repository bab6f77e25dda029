"""How each shop names our carriers, and where a customer follows a parcel.

- **Shopify** wants the tracking company exactly as its list spells it (the list is
  case-sensitive: "DHL Express", not "DHL express"); a company from the list gets Shopify's own
  tracking link and status updates. Source: Shopify Admin GraphQL API,
  ``FulfillmentTrackingInfo.company`` / ``FulfillmentTrackingInput.company`` ("Supported tracking
  companies"; "Send the tracking company name exactly as written in the list (capitalization
  matters)"), https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentTrackingInfo.
  A carrier not in the table goes out under its own name, with our tracking URL.
- **WooCommerce Shipment Tracking** takes a ``tracking_provider`` from its predefined list, or a
  ``custom_tracking_provider`` with a ``custom_tracking_link`` (REST API, "Create a tracking
  item", https://woocommerce.com/document/shipment-tracking/). Only the providers whose spelling
  the documentation shows are mapped; the others go out as custom providers with our link.
- **Taobao, JD, Pinduoduo, Douyin** match the 物流公司 column against their own carrier list by
  its Chinese name. The names here are the carriers' own (顺丰速运, 中通快递...).
"""

from __future__ import annotations

from urllib.parse import quote

#: our carrier code -> Shopify's tracking company (case-sensitive, as Shopify lists it)
SHOPIFY_COMPANIES: dict[str, str] = {
    "SF": "SF Express",
    "CHINAPOST": "China Post",
    "CNPOST": "China Post",
    "EMS": "China EMS (ePacket)",
    "EPACKET": "China EMS (ePacket)",
    "DHL": "DHL Express",
    "DHLECOM": "DHL eCommerce Asia",
    "UPS": "UPS",
    "FEDEX": "FedEx",
    "USPS": "USPS",
    "YUNEXPRESS": "YunExpress",
    "YUN": "YunExpress",
    "4PX": "4PX",
    "YANWEN": "Yanwen",
}

#: our carrier code -> WooCommerce Shipment Tracking's predefined provider
WOOCOMMERCE_PROVIDERS: dict[str, str] = {
    "UPS": "UPS",
    "USPS": "USPS",
}

#: our carrier code -> the carrier's Chinese name, as the Chinese platforms list it
CN_COMPANIES: dict[str, str] = {
    "SF": "顺丰速运",
    "ZTO": "中通快递",
    "YTO": "圆通速递",
    "STO": "申通快递",
    "YUNDA": "韵达快递",
    "JD": "京东快递",
    "EMS": "EMS",
    "CHINAPOST": "中国邮政",
    "CNPOST": "中国邮政",
    "JT": "极兔速递",
    "JTEXPRESS": "极兔速递",
    "DBL": "德邦快递",
    "DEPPON": "德邦快递",
    "BEST": "百世快递",
    "UPS": "UPS",
    "DHL": "DHL",
    "FEDEX": "FEDEX",
}

_KUAIDI100 = "https://www.kuaidi100.com/chaxun?com={com}&nu={{tracking}}"
_17TRACK = "https://t.17track.net/en#nums={tracking}"

#: our carrier code -> its tracking page, {tracking} standing for the number
TRACKING_URLS: dict[str, str] = {
    "SF": "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{tracking}",
    "ZTO": _KUAIDI100.format(com="zhongtong"),
    "YTO": _KUAIDI100.format(com="yuantong"),
    "STO": _KUAIDI100.format(com="shentong"),
    "YUNDA": _KUAIDI100.format(com="yunda"),
    "JD": _KUAIDI100.format(com="jd"),
    "EMS": _KUAIDI100.format(com="ems"),
    "CHINAPOST": _17TRACK,
    "CNPOST": _17TRACK,
    "UPS": "https://www.ups.com/track?tracknum={tracking}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={tracking}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}",
    "DHL": "https://www.dhl.com/global-en/home/tracking/tracking-express.html"
    "?submit=1&tracking-id={tracking}",
    "YUNEXPRESS": "https://www.yuntrack.com/parcelTracking?id={tracking}",
    "4PX": _17TRACK,
    "YANWEN": _17TRACK,
}


def tracking_url(template: str, carrier_code: str, tracking: str) -> str:
    """The parcel's tracking page: the carrier's own template, else the built-in one for its
    code, else "" (no page known)."""
    chosen = template or TRACKING_URLS.get(carrier_code.upper(), "")
    if not chosen or not tracking:
        return ""
    return chosen.replace("{tracking}", quote(tracking, safe=""))


def shopify_company(carrier_code: str, carrier_name: str) -> str:
    return SHOPIFY_COMPANIES.get(carrier_code.upper(), carrier_name)


def cn_company(carrier_code: str, carrier_name: str) -> str:
    return CN_COMPANIES.get(carrier_code.upper(), carrier_name)
