"""The shop's order file: N new orders as Shopify's orders export writes them (Admin > Orders >
Export > CSV: one row per line item, the order's fields on its first row), for customers made
by the demo's people generator and products that are on the shelves.

The orders take only what is free on the shelves (the simulation is not about shortages), so
every order the checks release can be allocated.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.services.demo.people import Person, english_person
from app.simulate.world import METHODS, Item

HEADER = (
    "Name", "Email", "Financial Status", "Fulfillment Status", "Currency", "Total",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku",
    "Lineitem requires shipping", "Shipping Name", "Shipping Address1", "Shipping Address2",
    "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone",
    "Shipping Method",
)  # fmt: skip
#: lines per order and units per line, as weights (most orders are one unit)
LINES = ((1, 70), (2, 20), (3, 10))
QTYS = ((1, 85), (2, 15))


@dataclass(frozen=True)
class FileOrder:
    """An order as the file has it: its name and the units to scan at the bench."""

    name: str
    lines: tuple[tuple[str, str, int], ...]  #: (sku, barcode, qty)

    @property
    def units(self) -> int:
        return sum(q for _, _, q in self.lines)


def _weighted(rng: random.Random, pairs: tuple[tuple[int, int], ...]) -> int:
    values, weights = zip(*pairs, strict=True)
    return int(rng.choices(values, weights)[0])


def make_orders(shelf: list[Item], n: int, seed: int, run: int) -> list[FileOrder]:
    """``n`` orders named ``#SIM<run>-<i>`` that take only free stock."""
    rng = random.Random(f"orders-{seed}-{run}")
    free = {it.sku: it.free for it in shelf}
    by_sku = {it.sku: it for it in shelf}
    skus = [it.sku for it in shelf]
    out: list[FileOrder] = []
    for i in range(n):
        lines: dict[str, int] = {}
        for _ in range(_weighted(rng, LINES)):
            for _try in range(20):
                sku = skus[rng.randrange(len(skus))]
                qty = _weighted(rng, QTYS)
                if sku not in lines and free[sku] >= qty:
                    free[sku] -= qty
                    lines[sku] = qty
                    break
        if not lines:
            break  # the shelves are empty
        out.append(
            FileOrder(
                f"#SIM{run}-{i + 1:05d}",
                tuple((s, by_sku[s].barcode, q) for s, q in lines.items()),
            )
        )
    return out


def write_shopify(
    path: Path, orders: list[FileOrder], shelf: list[Item], seed: int, now: datetime
) -> Path:
    """Write the orders as a Shopify export (UTF-8 with BOM, as Shopify writes it)."""
    rng = random.Random(f"customers-{seed}-{path.name}")
    names = {it.sku: it.name for it in shelf}
    methods = list(METHODS)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for k, order in enumerate(orders):
            person = english_person(rng)
            prices = [Decimal(rng.randrange(500, 9900)) / 100 for _ in order.lines]
            total = sum(
                (p * q for p, (_, _, q) in zip(prices, order.lines, strict=True)), Decimal()
            )
            placed = (now - timedelta(minutes=len(orders) - k)).astimezone(UTC)
            for j, ((sku, _code, qty), price) in enumerate(zip(order.lines, prices, strict=True)):
                head = j == 0
                w.writerow(
                    [
                        order.name,
                        person.email,
                        "paid" if head else "",
                        "",
                        person.currency if head else "",
                        f"{total:.2f}" if head else "",
                        placed.strftime("%Y-%m-%d %H:%M:%S +0000") if head else "",
                        qty,
                        names[sku],
                        f"{price:.2f}",
                        sku,
                        "true",
                        *(_address(person) if head else [""] * 8),
                        methods[k % len(methods)] if head else "",
                    ]
                )
    return path


def _address(p: Person) -> list[str]:
    return [p.name, p.street, p.street2, p.city, p.postal_code, p.province, p.country, p.phone]
