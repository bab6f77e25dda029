"""Demo orders with their customers, addresses, lines, status history, holds, reservations and
stock movements, generated one order at a time into lists of rows.

Older orders are further along their path; every status history is a legal walk of the state
machine; allocated orders hold reservations and picked or shipped ones took their units off the
shelves (ledger lines), so the stock invariants hold over the result.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from app.domain.orders import OrderStatus, status_note
from app.services.demo import words
from app.services.demo.catalog import Bucket, Catalog, NextId, Row, ledger_row
from app.services.demo.details import (
    address_row,
    external_id,
    hold_reason,
    problem_facts,
    tracking_number,
    with_problems,
)
from app.services.demo.people import Person, chinese_person, english_person
from app.services.demo.statuses import (
    CONSUMED,
    GAP_MINUTES,
    RESERVING,
    STATUS_MIX,
    final_statuses,
    path_to,
)

S = OrderStatus

LINE_COUNTS, LINE_WEIGHTS = (1, 2, 3, 4, 5), (55, 25, 12, 5, 3)
QTYS, QTY_WEIGHTS = (1, 2, 3, 4, 6, 10), (70, 17, 6, 3, 2, 2)
SPAN = timedelta(days=60)
FX = {"CNY": Decimal(1), "USD": Decimal("7.2"), "EUR": Decimal("7.8"), "GBP": Decimal("9.1"),
      "AUD": Decimal("4.7")}  # fmt: skip
CN_NOTES = ("请尽快发货", "不要放快递柜，电话联系", "送礼用，不要放价格单", "周末送货", "发顺丰")
EN_NOTES = ("Gift - please leave out the invoice", "Leave at the front door", "Ring twice")
CN_SERVICES = (("SF-STD", 20), ("SF-EXP", 5), ("ZTO-STD", 35), ("YTO-STD", 30), ("JD-STD", 10))
JD_SERVICES = (("JD-STD", 60), ("JD-SPECIAL", 10), ("SF-STD", 30))
EN_SERVICES = (("UPS-STD", 30), ("UPS-SAVER", 20), ("DHL-EXP", 30), ("DHL-ECOM", 20))


def expected_demand(catalog: Catalog, orders: int) -> dict[int, float]:
    """Units of each product the orders are expected to take off the shelves."""
    lines = sum(n * w for n, w in zip(LINE_COUNTS, LINE_WEIGHTS, strict=True)) / 100
    qty = sum(n * w for n, w in zip(QTYS, QTY_WEIGHTS, strict=True)) / 100
    consumed = sum(v for k, v in STATUS_MIX.items() if k in RESERVING | CONSUMED) / 100
    units = orders * lines * qty * consumed
    cross = sum(c[4] for c in words.CHANNELS if c[3]) / sum(c[4] for c in words.CHANNELS)
    cn, en = catalog.share(False), catalog.share(True)
    out = {pid: units * (1 - cross + cross * 0.2) * s for pid, s in cn.items()}
    for pid, s in en.items():
        out[pid] = units * cross * 0.8 * s
    return out


@dataclass
class People:
    """Who does what in the history: user and station ids."""

    supervisor: int
    pickers: list[int]
    packers: list[int]
    shipper: int
    clerk: int
    pack_stations: list[int]
    ship_station: int
    returns_station: int


@dataclass
class Batch:
    """Rows of a batch of orders, in the order they must be inserted."""

    customers: list[Row] = field(default_factory=list)
    addresses: list[Row] = field(default_factory=list)
    orders: list[Row] = field(default_factory=list)
    order_lines: list[Row] = field(default_factory=list)
    order_status_history: list[Row] = field(default_factory=list)
    order_holds: list[Row] = field(default_factory=list)
    reservations: list[Row] = field(default_factory=list)
    stock_ledger: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list[Row]]]:
        return [(name, rows) for name, rows in vars(self).items()]


def _cum(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


@dataclass
class Setup:
    """Ids of what the orders refer to."""

    channels: list[tuple[int, str, str, bool]]
    """(id, code, platform, cross-border) of each channel, in words.CHANNELS order"""
    services: dict[str, int]
    people: People
    returns_location: int


class OrderMaker:
    """Makes the demo orders one by one, keeping the stock buckets in step."""

    def __init__(
        self,
        rng: random.Random,
        ids: NextId,
        catalog: Catalog,
        stock: dict[int, list[Bucket]],
        setup: Setup,
        now: datetime,
        total: int,
    ) -> None:
        self.rng, self.ids, self.catalog, self.stock = rng, ids, catalog, stock
        self.setup, self.now, self.total = setup, now, total
        self.start = now - SPAN - timedelta(minutes=10)
        self.finals = final_statuses(rng, total)
        self.sku = {p["id"]: p["sku"] for p in catalog.products}
        self.name = {p["id"]: p["name"] for p in catalog.products}
        self.new_buckets: dict[tuple[int, int, int | None], Bucket] = {}
        self.recent: dict[bool, list[tuple[int, Person]]] = {False: [], True: []}
        self.last: dict[bool, dict[str, Any]] = {}
        self.topups = 0
        self.picker: int | None = None
        self._ch_cum = list(accumulate(c[4] for c in words.CHANNELS))
        self._svc = {k: _cum(v) for k, v in (("cn", CN_SERVICES), ("jd", JD_SERVICES),
                                             ("en", EN_SERVICES))}  # fmt: skip

    # --- one order ---

    def make(self, index: int, batch: Batch) -> None:
        """Order number ``index`` (0 is the oldest) with everything that hangs on it."""
        rng = self.rng
        final = self.finals[index]
        ch_id, ch_code, platform, english = self.setup.channels[
            _bisect_cum(self._ch_cum, rng.random())
        ]
        oid = self.ids.take("orders")
        placed = self.start + SPAN * ((index + 0.2 + 0.6 * rng.random()) / self.total)
        path = path_to(final, rng)
        times = self._times(placed, path)
        codes = self._hold_codes(english) if S.ON_HOLD in path else []
        dup = self.last.get(english) if "duplicate" in codes else None
        if "duplicate" in codes and dup is None:  # nothing earlier to be a duplicate of
            codes = [c for c in codes if c != "duplicate"] or ["unpaid"]
        if dup is not None:
            customer_id, person = dup["customer"], dup["person"]
        else:
            customer_id, person = self._customer(batch, english, placed)
        ext = external_id(rng, platform, index, placed)
        line_rows = self._line_rows(oid, ext, self._lines(english, dup), person.currency)
        facts: dict[str, Any] = {}
        if codes:
            facts = problem_facts(rng, person, line_rows)
            if dup is not None:
                facts["other"] = dup["number"]
                facts["minutes"] = max(1, int((placed - dup["placed"]).total_seconds() // 60))
        held = final is S.ON_HOLD  # a held order still shows its problem; a released one was fixed
        addr_id = self.ids.take("addresses")
        shown = with_problems(person, codes, facts) if held else person
        batch.addresses.append(address_row(addr_id, customer_id, shown))
        if held and "unknown_sku" in codes:
            line_rows[-1]["sku"] = facts["sku"]
            line_rows[-1]["product_id"] = None
        payment = "paid"
        if final in (S.CANCELLED, S.RETURNED):
            payment = "refunded" if rng.random() < 0.8 else "partially_refunded"
        if held and "unpaid" in codes:
            payment = "pending"
        service = self._service(english, ch_code)
        number = f"PD{oid:08d}"
        batch.orders.append(
            {
                "id": oid,
                "number": number,
                "channel_id": ch_id,
                "external_id": ext,
                "status": _VALUE[final],
                "customer_id": customer_id,
                "ship_address_id": addr_id,
                "carrier_service_id": self.setup.services[service],
                "currency": person.currency,
                "total": sum((ln["unit_price"] * ln["qty"] for ln in line_rows), Decimal("0.00")),
                "payment_status": payment,
                "payment_method": "",
                "cod_amount": None,
                "pickup": False,
                "gift": False,
                "gift_message": "",
                "shipping_method": "",
                "priority": 0,
                "recipient_protected": False,
                "placed_at": placed,
                "created_at": times[0],
                "updated_at": times[-1],
                "note": rng.choice(EN_NOTES if english else CN_NOTES) if rng.random() < 0.05
                else "",
                "merged_into_id": None,
                "split_from_id": None,
                "version": 1,
            }
        )  # fmt: skip
        batch.order_lines.extend(line_rows)
        tracking = tracking_number(rng, service) if S.SHIPPED in path else ""
        self._history(batch, oid, path, times, tracking)
        if codes:
            self._holds(batch, oid, codes, facts, path, times)
        self._stock(batch, oid, final, path, times, line_rows)
        self.last[english] = {
            "customer": customer_id, "person": person, "number": number, "placed": placed,
            "lines": [(ln["product_id"], ln["qty"]) for ln in line_rows if ln["product_id"]],
        }  # fmt: skip

    def _line_rows(
        self, oid: int, ext: str, lines: list[tuple[int, int]], currency: str
    ) -> list[Row]:
        fx = FX[currency]
        rows = []
        for no, (pid, qty) in enumerate(lines, 1):
            price = self.catalog.price[pid]
            if fx != 1:  # the shop's price list abroad ends in .99
                price = Decimal(int(price / fx)) + Decimal("0.99")
            rows.append(
                {
                    "id": self.ids.take("order_lines"),
                    "order_id": oid,
                    "line_no": no,
                    "sku": self.sku[pid],
                    "product_id": pid,
                    "name": self.name[pid],
                    "qty": qty,
                    "unit_price": price,
                    "requires_shipping": True,
                    "qty_backordered": 0,
                    "external_line_id": f"{ext}-{no}",
                    "channel_partly_fulfilled": False,
                    "listing_sku": self.sku[pid],
                    "listing_id": "",
                    "listing_title": self.name[pid],
                    "listing_qty": qty,
                    "mapping_id": None,
                }
            )
        return rows

    def _times(self, placed: datetime, path: list[OrderStatus]) -> list[datetime]:
        rng = self.rng
        offsets, t = [], 0.0
        for step in path:
            lo, hi = GAP_MINUTES[step]
            t += rng.uniform(lo, hi) + 1 / 60
            offsets.append(t)
        room = (self.now - placed).total_seconds() / 60 - 1
        scale = min(1.0, room / offsets[-1]) if offsets[-1] > 0 else 1.0
        return [placed + timedelta(minutes=o * scale) for o in offsets]

    def _customer(self, batch: Batch, english: bool, placed: datetime) -> tuple[int, Person]:
        rng = self.rng
        recent = self.recent[english]
        if recent and rng.random() < 0.15:  # a returning customer
            return recent[int(rng.random() * len(recent))]
        person = english_person(rng) if english else chinese_person(rng)
        cid = self.ids.take("customers")
        batch.customers.append(
            {
                "id": cid,
                "name": person.name,
                "phone": person.phone,
                "email": person.email,
                "created_at": placed,
                "purged_at": None,
                "notices_opt_out": False,
            }
        )
        recent.append((cid, person))
        if len(recent) > 5000:
            del recent[:1000]
        return cid, person

    def _lines(self, english: bool, dup: dict[str, Any] | None) -> list[tuple[int, int]]:
        if dup is not None:
            return list(dup["lines"])
        rng = self.rng
        n = LINE_COUNTS[_bisect_cum(_LINE_CUM, rng.random())]
        chosen: dict[int, int] = {}
        for _ in range(n * 3):
            if len(chosen) == n:
                break
            pid = self.catalog.pick(rng, english and rng.random() < 0.8)
            if pid not in chosen:
                chosen[pid] = QTYS[_bisect_cum(_QTY_CUM, rng.random())]
        return list(chosen.items())

    def _service(self, english: bool, channel: str) -> str:
        names, cum = self._svc["en" if english else "jd" if channel == "jd" else "cn"]
        return names[_bisect_cum(cum, self.rng.random())]

    # --- history, holds, stock ---

    def _history(
        self,
        batch: Batch,
        oid: int,
        path: list[OrderStatus],
        times: list[datetime],
        tracking: str,
    ) -> None:
        rng, who = self.rng, self.setup.people
        self.picker = picker = who.pickers[int(rng.random() * len(who.pickers))]
        k = int(rng.random() * len(who.packers))
        packer, bench = who.packers[k], who.pack_stations[k % len(who.pack_stations)]
        rows = batch.order_status_history
        first = self.ids.take("order_status_history", len(path))
        prev: str | None = None
        for n, (step, at) in enumerate(zip(path, times, strict=True)):
            user: int | None = None
            station: int | None = None
            note = _NOTES[step]
            if step in _BY_PICKER:
                user = picker
            elif step in _BY_PACKER:
                user, station = packer, bench
            elif step is S.SHIPPED:
                user, station, note = (
                    who.shipper,
                    who.ship_station,
                    status_note("tracking", tracking=tracking),
                )
            elif step is S.RELEASED and prev == "on_hold":
                user, note = who.supervisor, status_note("released_after_review")
            elif step is S.RETURNED:
                user, station = who.clerk, who.returns_station
                note = rng.choice(_RETURN_NOTES)
            elif step is S.CANCELLED:
                user, note = who.supervisor, rng.choice(words.CANCEL_NOTES)
            value = _VALUE[step]
            rows.append(
                {
                    "id": first + n,
                    "order_id": oid,
                    "from_status": prev,
                    "to_status": value,
                    "at": at,
                    "user_id": user,
                    "station_id": station,
                    "note": note,
                }
            )
            prev = value

    def _hold_codes(self, english: bool) -> list[str]:
        names, cum = _EN_HOLDS if english else _CN_HOLDS
        first = names[_bisect_cum(cum, self.rng.random())]
        codes = [first]
        if self.rng.random() < 0.2:
            second = names[_bisect_cum(cum, self.rng.random())]
            if second != first and "duplicate" not in (first, second):
                codes.append(second)
        return codes

    def _holds(
        self,
        batch: Batch,
        oid: int,
        codes: list[str],
        facts: dict[str, Any],
        path: list[OrderStatus],
        times: list[datetime],
    ) -> None:
        i = path.index(S.ON_HOLD)
        held_at = times[i]
        resolved = times[i + 1] if i + 1 < len(path) else None
        for code in codes:
            reason = hold_reason(code, facts)
            batch.order_holds.append(
                {
                    "id": self.ids.take("order_holds"),
                    "order_id": oid,
                    "code": code,
                    "reason": reason.reason,
                    "template": reason.template,
                    "params": dict(reason.params),
                    "created_at": held_at,
                    "created_by": None,
                    "resolved_at": resolved,
                    "resolved_by": self.setup.people.supervisor if resolved else None,
                }
            )

    def _stock(
        self,
        batch: Batch,
        oid: int,
        final: OrderStatus,
        path: list[OrderStatus],
        times: list[datetime],
        lines: list[Row],
    ) -> None:
        if final in RESERVING:
            at = times[path.index(S.ALLOCATED)]
            for line in lines:
                for bucket, qty in self._take(line["product_id"], line["qty"], at, batch):
                    bucket.reserved += qty
                    batch.reservations.append(
                        {
                            "id": self.ids.take("reservations"),
                            "order_line_id": line["id"],
                            "stock_level_id": bucket.id,
                            "qty": qty,
                            "created_at": at,
                        }
                    )
        elif final in CONSUMED:
            at = times[path.index(S.PICKED)]
            back = times[-1]
            for line in lines:
                for bucket, qty in self._take(line["product_id"], line["qty"], at, batch):
                    bucket.on_hand -= qty
                    batch.stock_ledger.append(
                        ledger_row(self.ids, bucket, -qty, "pick", at, "order", oid,
                                   self.picker, None)
                    )  # fmt: skip
                    if final is S.RETURNED:
                        self._return(batch, oid, bucket, qty, back)

    def _take(self, pid: int, qty: int, at: datetime, batch: Batch) -> list[tuple[Bucket, int]]:
        """Free units of a product, first-expired or first-in first; restocked when short."""
        buckets = self.stock[pid]
        out: list[tuple[Bucket, int]] = []
        left = qty
        for b in buckets:
            free = b.on_hand - b.reserved
            if free > 0:
                q = free if free < left else left
                out.append((b, q))
                left -= q
                if not left:
                    return out
        last = buckets[-1]  # a replenishment arrives in the latest lot's bucket
        extra = left + self.rng.randint(10, 60)
        last.on_hand += extra
        batch.stock_ledger.append(
            ledger_row(self.ids, last, extra, "receipt", at - timedelta(hours=20), "receipt",
                       None, None, None)
        )  # fmt: skip
        self.topups += 1
        for i, (b, q) in enumerate(out):
            if b is last:
                out[i] = (b, q + left)
                return out
        out.append((last, left))
        return out

    def _return(self, batch: Batch, oid: int, taken: Bucket, qty: int, at: datetime) -> None:
        loc = self.setup.returns_location
        key = (loc, taken.product_id, taken.lot_id)
        bucket = self.new_buckets.get(key)
        if bucket is None:
            bucket = Bucket(
                self.ids.take("stock_levels"), loc, "staging", taken.product_id, taken.lot_id,
                taken.expiry, at, 0, 0, True,
            )  # fmt: skip
            self.new_buckets[key] = bucket
        bucket.on_hand += qty
        who = self.setup.people
        batch.stock_ledger.append(
            ledger_row(self.ids, bucket, qty, "return", at, "order", oid, who.clerk,
                       who.returns_station)
        )  # fmt: skip


_VALUE = {s: s.value for s in OrderStatus}
_NOTES = {s: "" for s in OrderStatus} | {
    S.NEW: status_note("imported"),
    S.ON_HOLD: status_note("held_by_checks"),
    S.RELEASED: status_note("all_passed"),
    S.DELIVERED: status_note("delivered"),
}
_BY_PICKER = frozenset({S.PICKING, S.PICKED})
_BY_PACKER = frozenset({S.PACKING, S.PACKED})
_RETURN_NOTES = ("wrong size", "damaged in transit", "不想要了", "not as described")


def _bisect_cum(cum: list[int] | list[float], u: float) -> int:
    return bisect(cum, u * cum[-1])


_LINE_CUM = list(accumulate(LINE_WEIGHTS))
_QTY_CUM = list(accumulate(QTY_WEIGHTS))
_CN_HOLDS = _cum(
    (("bad_phone", 25), ("missing_address", 20), ("unknown_sku", 15), ("unpaid", 15),
     ("duplicate", 15), ("bad_postcode", 10))
)  # fmt: skip
_EN_HOLDS = _cum(
    (("bad_phone", 25), ("unknown_sku", 20), ("unpaid", 20), ("duplicate", 15), ("po_box", 20))
)
