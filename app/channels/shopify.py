"""The Shopify upload plug-in: a parcel's tracking as a fulfilment, through the Admin GraphQL
API (https://shopify.dev/docs/api/admin-graphql).

1. ``POST https://{shop}/admin/api/{version}/graphql.json`` (header ``X-Shopify-Access-Token``)
   the order's fulfilment orders and their line items' remaining quantities: ``order(id:)`` for
   a numeric order id (``gid://shopify/Order/<id>``), else ``orders(first: 1, query:
   "name:<name>")`` for an order name such as ``#1001``.
2. ``fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder, trackingInfo: {company,
   number, url}, notifyCustomer})`` with the parcel's lines: each channel line (its id, else its
   SKU) matched to the open fulfilment order line items that still have units to fulfil.

Errors a person must act on are ``ChannelError``: the token refused (HTTP 401/403), the order
not found, nothing left to fulfil, or the ``userErrors`` Shopify answered (their messages kept).
The tracking company is Shopify's own spelling (``app.domain.tracking_export_names``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from app.channels.base import ChannelConfig, ChannelError, Fulfilment, FulfilmentLine
from app.domain.tracking_export_names import shopify_company

#: the API version used when the channel's settings name none
DEFAULT_API_VERSION = "2025-10"
_OPEN = ("OPEN", "IN_PROGRESS")

_FO_FIELDS = """
    id
    name
    fulfillmentOrders(first: 20) {
      nodes {
        id
        status
        lineItems(first: 100) {
          nodes { id remainingQuantity lineItem { id sku } }
        }
      }
    }
"""
ORDER_BY_ID = "query PackdeskOrder($id: ID!) {\n  order(id: $id) {" + _FO_FIELDS + "  }\n}\n"
ORDER_BY_NAME = (
    "query PackdeskOrderByName($query: String!) {\n  orders(first: 1, query: $query) {\n"
    "    nodes {" + _FO_FIELDS + "    }\n  }\n}\n"
)
FULFILL = """mutation PackdeskFulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}
"""


def endpoint(config: ChannelConfig) -> str:
    shop = config.shop.strip().rstrip("/")
    base = shop if shop.startswith(("http://", "https://")) else f"https://{shop}"
    return f"{base}/admin/api/{config.api_version or DEFAULT_API_VERSION}/graphql.json"


def order_gid(channel_order_id: str) -> str | None:
    if channel_order_id.startswith("gid://shopify/Order/"):
        return channel_order_id
    return f"gid://shopify/Order/{channel_order_id}" if channel_order_id.isdigit() else None


def _line_gid(external_line_id: str) -> str:
    if not external_line_id or external_line_id.startswith("gid://"):
        return external_line_id
    return f"gid://shopify/LineItem/{external_line_id}"


class ShopifyChannel:
    name = "shopify"

    def _error(self, f: Fulfilment, detail: str) -> ChannelError:
        return ChannelError(channel="Shopify", order=f.channel_order_id, detail=detail)

    def _post(
        self, config: ChannelConfig, f: Fulfilment, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        if not config.shop or not config.token:
            raise self._error(
                f, "the shop address or access token is not set. Set them with packdesk channels "
                "set-credentials."
            )  # fmt: skip
        req = urllib.request.Request(
            endpoint(config),
            data=json.dumps({"query": query, "variables": variables}).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-Shopify-Access-Token": config.token,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=20) as answer:
                body = json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise self._error(
                    f, f"Shopify refused the access token (HTTP {exc.code}). Check the token and "
                    "its scopes (write_merchant_managed_fulfillment_orders), then set it again."
                ) from exc  # fmt: skip
            raise self._error(f, f"Shopify answered HTTP {exc.code}. Try again later.") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise self._error(f, f"Shopify could not be reached ({exc}). Try again.") from exc
        errors = body.get("errors")
        if errors:
            text = (
                "; ".join(str(e.get("message", e)) for e in errors)
                if isinstance(errors, list)
                else str(errors)
            )
            raise self._error(f, f"Shopify answered: {text}")
        return dict(body.get("data") or {})

    def _order(self, config: ChannelConfig, f: Fulfilment) -> dict[str, Any]:
        gid = order_gid(f.channel_order_id)
        if gid:
            data = self._post(config, f, ORDER_BY_ID, {"id": gid})
            order = data.get("order")
        else:
            data = self._post(config, f, ORDER_BY_NAME, {"query": f"name:{f.channel_order_id}"})
            nodes = (data.get("orders") or {}).get("nodes") or []
            order = nodes[0] if nodes else None
        if not order:
            raise self._error(f, "Shopify has no such order. Check the channel's shop address.")
        return dict(order)

    def upload(self, fulfilment: Fulfilment, config: ChannelConfig) -> str:
        order = self._order(config, fulfilment)
        by_fo = plan_lines(order, fulfilment.lines)
        if not by_fo:
            raise self._error(
                fulfilment, "Shopify has nothing left to fulfil in this order (fulfilled there "
                "already?). Check the order in Shopify."
            )  # fmt: skip
        tracking = {
            "company": shopify_company(fulfilment.carrier_code, fulfilment.carrier_name),
            "number": fulfilment.tracking,
        }
        if fulfilment.tracking_url:
            tracking["url"] = fulfilment.tracking_url
        variables = {
            "fulfillment": {
                "lineItemsByFulfillmentOrder": by_fo,
                "trackingInfo": tracking,
                "notifyCustomer": fulfilment.notify_customer,
            }
        }
        data = self._post(config, fulfilment, FULFILL, variables)
        payload = data.get("fulfillmentCreate") or {}
        user_errors = payload.get("userErrors") or []
        if user_errors:
            text = "; ".join(str(e.get("message", "")) for e in user_errors)
            raise self._error(fulfilment, f"Shopify refused the fulfilment: {text}")
        made = payload.get("fulfillment") or {}
        if not made.get("id"):
            raise self._error(fulfilment, "Shopify answered without a fulfilment. Try again.")
        return str(made["id"])


def plan_lines(order: dict[str, Any], lines: tuple[FulfilmentLine, ...]) -> list[dict[str, Any]]:
    """``lineItemsByFulfillmentOrder`` for the parcel's lines: each matched by its channel line
    id, else its SKU, to open fulfilment order line items with units left. No lines: every
    open fulfilment order whole."""
    fos = [
        fo
        for fo in (order.get("fulfillmentOrders") or {}).get("nodes") or []
        if fo.get("status") in _OPEN
    ]
    if not lines:
        return [{"fulfillmentOrderId": fo["id"]} for fo in fos]
    left = {
        item["id"]: int(item.get("remainingQuantity") or 0)
        for fo in fos
        for item in (fo.get("lineItems") or {}).get("nodes") or []
    }
    chosen: dict[str, dict[str, int]] = {}
    for line in lines:
        need = line.qty
        gid = _line_gid(line.external_line_id)
        for fo in fos:
            for item in (fo.get("lineItems") or {}).get("nodes") or []:
                li = item.get("lineItem") or {}
                same = li.get("id") == gid if gid else (li.get("sku") or "") == line.sku
                take = min(need, left[item["id"]]) if same else 0
                if take > 0:
                    per = chosen.setdefault(fo["id"], {})
                    per[item["id"]] = per.get(item["id"], 0) + take
                    left[item["id"]] -= take
                    need -= take
    return [
        {
            "fulfillmentOrderId": fo_id,
            "fulfillmentOrderLineItems": [{"id": i, "quantity": q} for i, q in items.items()],
        }
        for fo_id, items in chosen.items()
    ]
