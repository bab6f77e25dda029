"""Demo orders with their customers, addresses, lines, status history, holds, reservations and
stock movements, generated one order at a time into lists of rows.

Older orders are further along their path; every status history is a legal walk of the state
machine; allocated orders hold reservations and picked or shipped ones took their units off the
shelves (ledger lines), so the stock invariants hold over the result.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate, pairwise
from typing import Any

from app.domain.orders import OrderStatus, can_transition
from app.services.demo import words
from app.services.demo.catalog import Bucket, Catalog, NextId, Row, ledger_row
from app.services.demo.people import Person, chinese_person, english_person

S = OrderStatus

#: share of each final status among the orders (percent)
STATUS_MIX = {
    S.NEW: 6.0,
    S.ON_HOLD: 3.0,
    S.RELEASED: 5.0,
    S.ALLOCATED: 6.0,
    S.PICKING: 2.0,
    S.PICKED: 1.5,
    S.PACKING: 1.0,
    S.PACKED: 2.0,
    S.SHIPPED: 20.0,
    S.DELIVERED: 47.0,
    S.CANCELLED: 4.0,
    S.RETURNED: 2.5,
}
#: how far along each status is; older orders get the higher ranks (with some noise)
_PROGRESS = {
    S.NEW: 0.0, S.ON_HOLD: 0.3, S.RELEASED: 1.0, S.ALLOCATED: 2.0, S.PICKING: 3.0,
    S.PICKED: 3.5, S.PACKING: 4.0, S.PACKED: 4.5, S.CANCELLED: 5.0, S.SHIPPED: 7.0,
    S.DELIVERED: 12.0, S.RETURNED: 14.0,
}  # fmt: skip
#: minutes from the previous step to this one: (least, most)
_GAP_MIN = {
    S.NEW: (1, 20), S.ON_HOLD: (0, 1), S.RELEASED: (2, 90), S.ALLOCATED: (1, 30),
    S.PICKING: (10, 180), S.PICKED: (5, 45), S.PACKING: (1, 60), S.PACKED: (2, 10),
    S.SHIPPED: (60, 600), S.DELIVERED: (1440, 5760), S.RETURNED: (4320, 17280),
    S.CANCELLED: (10, 1440),
}  # fmt: skip
_CHAIN = (S.ALLOCATED, S.PICKING, S.PICKED, S.PACKING, S.PACKED, S.SHIPPED, S.DELIVERED)
RESERVING = frozenset({S.ALLOCATED, S.PICKING})
CONSUMED = frozenset({S.PICKED, S.PACKING, S.PACKED, S.SHIPPED, S.DELIVERED, S.RETURNED})

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


def final_statuses(rng: random.Random, n: int) -> list[OrderStatus]:
    """The final status of each order, oldest first: the older, the further along."""
    names = list(STATUS_MIX)
    drawn = rng.choices(names, weights=list(STATUS_MIX.values()), k=n)
    keys = [_PROGRESS[s] + rng.random() * 4.0 for s in drawn]
    order = sorted(range(n), key=keys.__getitem__, reverse=True)
    return [drawn[i] for i in order]


def path_to(final: OrderStatus, rng: random.Random) -> list[OrderStatus]:
    """A legal walk of the state machine from new to ``final``."""
    if final is S.NEW:
        return [S.NEW]
    if final is S.ON_HOLD:
        return [S.NEW, S.ON_HOLD]
    if final is S.CANCELLED:
        return rng.choice(
            (
                [S.NEW, S.CANCELLED],
                [S.NEW, S.ON_HOLD, S.CANCELLED],
                [S.NEW, S.RELEASED, S.CANCELLED],
                [S.NEW, S.RELEASED, S.ALLOCATED, S.CANCELLED],
            )
        )
    base = [S.NEW, S.ON_HOLD, S.RELEASED] if rng.random() < 0.12 else [S.NEW, S.RELEASED]
    if final is S.RELEASED:
        return base
    if final is S.RETURNED:
        return [*base, *_CHAIN[: 6 if rng.random() < 0.3 else 7], S.RETURNED]
    return [*base, *_CHAIN[: _CHAIN.index(final) + 1]]


def is_legal(path: list[OrderStatus]) -> bool:
    return path[0] is S.NEW and all(can_transition(a, b) for a, b in pairwise(path))


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
                }
            )
        return rows

    def _times(self, placed: datetime, path: list[OrderStatus]) -> list[datetime]:
        rng = self.rng
        offsets, t = [], 0.0
        for step in path:
            lo, hi = _GAP_MIN[step]
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
                user, station, note = who.shipper, who.ship_station, f"tracking {tracking}"
            elif step is S.RELEASED and prev == "on_hold":
                user, note = who.supervisor, "released after review"
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
            batch.order_holds.append(
                {
                    "id": self.ids.take("order_holds"),
                    "order_id": oid,
                    "code": code,
                    "reason": hold_reason(code, facts),
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
    S.NEW: "imported from the channel",
    S.ON_HOLD: "held by the order checks",
    S.RELEASED: "all checks passed",
    S.DELIVERED: "delivered (签收)",
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


def problem_facts(rng: random.Random, person: Person, lines: list[Row]) -> dict[str, Any]:
    """What would be wrong with the order for each hold reason (a digit missing, a PO box...)."""
    return {
        "english": person.country != "CN",
        "phone": person.phone[: -(3 if person.country != "CN" else 1)],
        "street": f"PO Box {1000 + int(rng.random() * 9000)}",
        "code": person.postal_code[:5],
        "sku": (lines[-1]["sku"] if lines else "") + "-OLD",
    }


def with_problems(person: Person, codes: list[str], facts: dict[str, Any]) -> Person:
    """The address as a held order shows it: the problem is still there."""
    if "bad_phone" in codes:
        person = replace(person, phone=facts["phone"])
    if "missing_address" in codes:
        person = replace(person, district="")
    if "po_box" in codes:
        person = replace(person, street=facts["street"], street2="")
    if "bad_postcode" in codes:
        person = replace(person, postal_code=facts["code"])
    return person


def hold_reason(code: str, facts: dict[str, Any]) -> str:
    r = words.HOLD_REASONS
    if code == "bad_phone":
        return r["bad_phone_en" if facts["english"] else "bad_phone"].format(phone=facts["phone"])
    if code == "duplicate":
        return r["duplicate"].format(other=facts["other"], minutes=facts["minutes"])
    if code == "po_box":
        return r["po_box"].format(street=facts["street"])
    if code == "bad_postcode":
        return r["bad_postcode"].format(code=facts["code"])
    if code == "unknown_sku":
        return r["unknown_sku"].format(sku=facts["sku"])
    return r[code]


def address_row(addr_id: int, customer_id: int, p: Person) -> Row:
    return {
        "id": addr_id,
        "customer_id": customer_id,
        "name": p.name,
        "phone": p.phone,
        "phone_digits": p.phone_digits,
        "company": "",
        "country": p.country,
        "province": p.province,
        "city": p.city,
        "district": p.district,
        "street": p.street,
        "street2": p.street2,
        "postal_code": p.postal_code,
    }


def external_id(rng: random.Random, platform: str, i: int, placed: datetime) -> str:
    """The channel's own order id, in the shape each platform uses; unique per index."""
    if platform == "taobao":
        return str(2 * 10**18 + i * 1_000_003 + int(rng.random() * 1_000_000))
    if platform == "douyin":
        return str(4 * 10**18 + i * 1_000_003 + int(rng.random() * 1_000_000))
    if platform == "jd":
        return str(300_000_000_000 + i * 1_009 + int(rng.random() * 1000))
    if platform == "pinduoduo":
        return f"{placed:%y%m%d}-{100_000_000_000_000 + i * 1_009 + int(rng.random() * 1000)}"
    if platform == "shopify":
        return str(5_600_000_000_000 + i * 1_009 + int(rng.random() * 1000))
    return str(10_000 + i)


def tracking_number(rng: random.Random, service: str) -> str:
    digits = f"{int(rng.random() * 10**15):015d}"
    carrier = service.split("-")[0]
    if carrier == "SF":
        return "SF" + digits[:13]
    if carrier == "ZTO":
        return "7" + digits[:13]
    if carrier == "YTO":
        return "YT" + digits[:13]
    if carrier == "JD":
        return "JDVA" + digits[:11]
    if carrier == "UPS":
        return (
            "1Z"
            + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
            + "03"
            + digits[:8]
        )
    return digits[:10]
