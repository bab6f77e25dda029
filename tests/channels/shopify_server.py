"""A small Shopify Admin GraphQL server for the tests, on loopback: it checks each request as
Shopify documents it and answers like Shopify.

Checked (a request that breaks a rule is answered HTTP 400 and the rule is kept in
``problems``, which the tests assert empty):

- ``POST /admin/api/<version>/graphql.json`` (https://shopify.dev/docs/api/admin-graphql:
  "All GraphQL Admin API queries require a valid Shopify access token"; the endpoint carries the
  API version), ``Content-Type: application/json``, a JSON body ``{"query", "variables"}``;
- the header ``X-Shopify-Access-Token``: a wrong one is answered HTTP 401 with
  ``{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}``;
- an order read by ``order(id: $id)`` with an ``Order`` global id, or by
  ``orders(first: 1, query: $query)``, asking for its ``fulfillmentOrders`` and their line
  items' ``remainingQuantity``;
- ``fulfillmentCreate(fulfillment: $fulfillment)`` whose variables are a ``FulfillmentInput``:
  ``lineItemsByFulfillmentOrder`` (each a ``fulfillmentOrderId`` and its
  ``fulfillmentOrderLineItems`` ``{id, quantity}``), ``trackingInfo`` ``{company, number, url}``
  and ``notifyCustomer``, and asking for ``userErrors { field message }``.

A quantity above what is left is answered the way Shopify does, a ``userErrors`` entry ("Invalid
fulfillment order line item quantity requested."), and nothing is fulfilled.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/graphql\.json$")
TOKEN_ERROR = "[API] Invalid API key or access token (unrecognized login or wrong password)"
QTY_ERROR = "Invalid fulfillment order line item quantity requested."


@dataclass
class FoItem:
    id: str
    line_item_id: str
    sku: str
    remaining: int


@dataclass
class ShopOrder:
    id: str
    name: str
    #: fulfilment order id -> its items
    fulfillment_orders: dict[str, list[FoItem]] = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class ShopifyServer:
    def __init__(self, token: str = "shpat_test_token") -> None:
        self.token = token
        self.orders: dict[str, ShopOrder] = {}
        self.requests: list[Seen] = []
        self.problems: list[str] = []
        self.fulfillments: list[dict[str, Any]] = []
        #: orders fulfilled in Shopify's admin right after Packdesk read them (a race)
        self.fulfilled_elsewhere: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                server._handle(self)

            def do_GET(self) -> None:
                server._refuse(self, 405, "GraphQL Admin API takes POST")

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ShopifyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_order(self, numeric_id: str, name: str, items: list[tuple[str, str, int]]) -> None:
        """An order with one open fulfilment order of ``items`` ((line item id, sku, qty))."""
        fo = f"gid://shopify/FulfillmentOrder/{numeric_id}1"
        made = [
            FoItem(f"gid://shopify/FulfillmentOrderLineItem/{li}0", f"gid://shopify/LineItem/{li}",
                   sku, q)
            for li, sku, q in items
        ]  # fmt: skip
        gid = f"gid://shopify/Order/{numeric_id}"
        self.orders[gid] = ShopOrder(gid, name, {fo: made})

    # --- the HTTP exchange -------------------------------------------------------------------

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _refuse(self, h: BaseHTTPRequestHandler, status: int, why: str) -> None:
        self.problems.append(why)
        self._send(h, status, {"errors": why})

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.requests.append(Seen(h.path, dict(h.headers.items()), body or {}))
        if not PATH.match(h.path):
            return self._refuse(h, 404, f"not the Admin GraphQL endpoint: {h.path}")
        if h.headers.get("X-Shopify-Access-Token") != self.token:
            return self._send(h, 401, {"errors": TOKEN_ERROR})
        if not (h.headers.get("Content-Type") or "").startswith("application/json"):
            return self._refuse(h, 400, "Content-Type is not application/json")
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return self._refuse(h, 400, "the body is not {query, variables}")
        variables = body.get("variables")
        if not isinstance(variables, dict):
            return self._refuse(h, 400, "no variables object")
        query = body["query"]
        if "fulfillmentCreate" in query:
            return self._send(h, 200, self._fulfil(query, variables))
        if "fulfillmentOrders" in query and "remainingQuantity" in query:
            return self._send(h, 200, self._read_order(query, variables))
        return self._refuse(h, 400, f"a query this server does not know: {query[:80]}")

    # --- the answers ------------------------------------------------------------------------

    def _order_json(self, o: ShopOrder) -> dict[str, Any]:
        return {
            "id": o.id,
            "name": o.name,
            "fulfillmentOrders": {
                "nodes": [
                    {
                        "id": fo_id,
                        "status": "OPEN" if any(i.remaining for i in items) else "CLOSED",
                        "lineItems": {
                            "nodes": [
                                {
                                    "id": i.id,
                                    "remainingQuantity": i.remaining,
                                    "lineItem": {"id": i.line_item_id, "sku": i.sku},
                                }
                                for i in items
                            ]
                        },
                    }
                    for fo_id, items in o.fulfillment_orders.items()
                ]
            },
        }

    def _read_order(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if re.search(r"\border\(id:\s*\$id\)", query):
            gid = variables.get("id")
            if not (isinstance(gid, str) and gid.startswith("gid://shopify/Order/")):
                self.problems.append(f"order(id:) needs an Order global id, not {gid!r}")
            found = self.orders.get(str(gid))
            answer = {"data": {"order": self._order_json(found) if found else None}}
            if found is not None and found.id in self.fulfilled_elsewhere:
                for items in found.fulfillment_orders.values():
                    for i in items:
                        i.remaining = 0
            return answer
        if re.search(r"\borders\(first:\s*1,\s*query:\s*\$query\)", query):
            wanted = str(variables.get("query", "")).removeprefix("name:")
            hits = [self._order_json(o) for o in self.orders.values() if o.name == wanted]
            return {"data": {"orders": {"nodes": hits}}}
        self.problems.append("fulfilment orders read neither by order(id:) nor orders(query:)")
        return {"data": None, "errors": [{"message": "unknown query"}]}

    def _fulfil(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "userErrors" not in query or not re.search(
            r"fulfillmentCreate\(fulfillment:\s*\$fulfillment\)", query
        ):
            self.problems.append(
                "fulfillmentCreate without (fulfillment: $fulfillment) or userErrors"
            )
        f = variables.get("fulfillment")
        shape = self._check_input(f)
        if shape:
            self.problems.append(shape)
            return {"data": None, "errors": [{"message": shape}]}
        assert isinstance(f, dict)
        items = {
            i.id: i for o in self.orders.values() for v in o.fulfillment_orders.values() for i in v
        }
        wanted = [
            (items.get(li["id"]), li["quantity"])
            for group in f["lineItemsByFulfillmentOrder"]
            for li in group.get("fulfillmentOrderLineItems", [])
        ]
        if any(item is None or q > item.remaining for item, q in wanted):
            errors = [{"field": ["fulfillment"], "message": QTY_ERROR}]
            return {"data": {"fulfillmentCreate": {"fulfillment": None, "userErrors": errors}}}
        for item, q in wanted:
            assert item is not None
            item.remaining -= q
        self.fulfillments.append(f)
        fid = f"gid://shopify/Fulfillment/{len(self.fulfillments)}"
        made = {"id": fid, "status": "SUCCESS"}
        return {"data": {"fulfillmentCreate": {"fulfillment": made, "userErrors": []}}}

    @staticmethod
    def _check_input(f: object) -> str:
        if not isinstance(f, dict):
            return "variables.fulfillment is not a FulfillmentInput object"
        groups = f.get("lineItemsByFulfillmentOrder")
        if not isinstance(groups, list) or not groups:
            return "lineItemsByFulfillmentOrder is not a non-empty list"
        for g in groups:
            if not str(g.get("fulfillmentOrderId", "")).startswith(
                "gid://shopify/FulfillmentOrder/"
            ):
                return "fulfillmentOrderId is not a FulfillmentOrder global id"
            for li in g.get("fulfillmentOrderLineItems", []):
                if (
                    set(li) != {"id", "quantity"}
                    or not isinstance(li["quantity"], int)
                    or li["quantity"] < 1
                ):
                    return f"a fulfillment order line item is not {{id, quantity >= 1}}: {li}"
        t = f.get("trackingInfo")
        if (
            not isinstance(t, dict)
            or not set(t) <= {"company", "number", "url"}
            or not t.get("number")
        ):
            return f"trackingInfo is not {{company, number, url}}: {t}"
        if not isinstance(f.get("notifyCustomer"), bool):
            return "notifyCustomer is not a Boolean"
        extra = set(f) - {"lineItemsByFulfillmentOrder", "trackingInfo", "notifyCustomer"}
        return f"FulfillmentInput has fields it does not take: {extra}" if extra else ""
