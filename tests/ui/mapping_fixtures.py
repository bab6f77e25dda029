"""Set-up for the product mapping screens: a small catalogue with barcodes, and held orders whose
lines name the channel's listing (a SKU we do not know, a listing id, a title) instead of ours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import Order, OrderLine, Product, ProductBarcode
from app.domain.users import SYSTEM
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import order_intake

NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊")
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
_numbers = count(1)

#: sku -> (name, barcode)
CATALOGUE = {
    "TEE-S": ("Sample Tee", "6901234567892"),
    "MUG-350": ("Bamboo mug 350 ml", "6901234567908"),
    "LID-BAMBOO": ("Bamboo lid", "6901234567915"),
    "BOTTLE-500-BL": ("Water bottle 500 ml blue", "6901234567922"),
}


def add_catalogue(services: Services) -> dict[str, int]:
    """The products of CATALOGUE with one EAN-13 each; their ids by SKU."""
    with services.uow() as uow:
        s = uow.session
        ids: dict[str, int] = {}
        for sku, (name, barcode) in CATALOGUE.items():
            pid = s.execute(
                insert(Product).returning(Product.id), [{"sku": sku, "name": name}]
            ).scalar_one()
            s.execute(insert(ProductBarcode), [{"product_id": pid, "barcode": barcode}])
            ids[sku] = pid
        uow.commit()
    return ids


def add_listing_orders(
    services: Services,
    n: int,
    *,
    sku: str = "",
    title: str = "",
    listing_id: str = "",
    qty: int = 1,
    channel: str = "淘宝",
    phone: str = "",
) -> list[int]:
    """``n`` orders of different customers, each of one line with the channel's listing; they
    are held (no SKU, or a SKU that is no product). A bad ``phone`` holds them for that too."""
    records = []
    for _ in range(n):
        k = next(_numbers)
        records.append(
            OrderRecord(
                external_id=f"TB{k:06d}",
                row=k,
                lines=(
                    LineRecord(
                        k,
                        sku,
                        qty,
                        name=title,
                        unit_price=Decimal("59.00"),
                        external_line_id=f"L{k}",
                        listing_id=listing_id,
                    ),
                ),
                address=AddressRecord(
                    NAMES[k % len(NAMES)] + str(k),
                    phone or f"139{k:08d}",
                    "",
                    "CN",
                    "广东省",
                    "深圳市",
                    "南山区",
                    "科技园南路1号3栋502室",
                    "",
                    "518000",
                ),
                placed_at=T0 + timedelta(minutes=k),
                total=Decimal("59.00") * qty,
                currency="CNY",
            )
        )
    result = services.run(order_intake.import_records, SYSTEM, records, channel=channel)
    assert result.imported == n, result.problems
    return list(result.order_ids)


def statuses(services: Services, order_ids: Sequence[int]) -> list[str]:
    with services.uow() as uow:
        found = dict(
            uow.session.execute(
                select(Order.id, Order.status).where(Order.id.in_(list(order_ids)))
            ).all()
        )
    return [str(found[i]) for i in order_ids]


def lines_of(services: Services, order_id: int) -> list[tuple[str, int]]:
    """(SKU, qty) of the order's lines in line order."""
    with services.uow() as uow:
        return [
            (sku, qty)
            for sku, qty in uow.session.execute(
                select(OrderLine.sku, OrderLine.qty)
                .where(OrderLine.order_id == order_id)
                .order_by(OrderLine.line_no)
            ).all()
        ]
