"""Helpers the import tests share: reading a file into its order records and row problems
(no database), and what the database holds after an import (open hold codes, payment columns)."""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order, OrderHold
from app.importers.generic import Mapping
from app.importers.records import OrderRecord, RowProblem
from app.importers.sources import open_source


def read_orders(
    path: Path,
    fmt: str | None = None,
    *,
    local: tzinfo,
    expect: str = "",
    mapping: Mapping | None = None,
) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    """The file's orders by external id and its row problems; ``expect``: the format the file
    must be found to be."""
    orders: dict[str, OrderRecord] = {}
    problems: list[RowProblem] = []
    with open_source(path, fmt, mapping=mapping, local=local) as src:
        if expect:
            assert src.format == expect
        for item in src.items:
            if isinstance(item, OrderRecord):
                orders[item.external_id] = item
            else:
                problems.append(item)
    return orders, problems


def open_hold_codes(services: Services) -> dict[str, list[str]]:
    """Open hold codes by order external id (each code once), every imported order listed."""
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Order.external_id, OrderHold.code)
            .join(OrderHold, OrderHold.order_id == Order.id, isouter=True)
            .where(OrderHold.resolved_at.is_(None) | OrderHold.id.is_(None))
            .order_by(Order.external_id, OrderHold.code)
        ).all()
    out: dict[str, list[str]] = {}
    for ext, code in rows:
        out.setdefault(ext, [])
        if code and code not in out[ext]:  # one hold row per line without a SKU
            out[ext].append(code)
    return out


def order_payment(services: Services, ext: str) -> tuple[str, Decimal | None, bool, str]:
    """(payment method, amount to collect, pickup, status) of the order ``ext``."""
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == ext))
        assert o is not None
        return o.payment_method, o.cod_amount, o.pickup, o.status
