"""The rows an import writes, built from a channel's order record: the fingerprint that tells a
changed order from an unchanged one, the address, payment, source and history rows, the record
as the check rules see it; and the bulk inserts (one that returns the new ids).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.db.bulk import bulk_insert
from app.db.models import OrderImport
from app.domain.check_settings import CheckSettings
from app.domain.order_rules import CheckLine, CheckOrder
from app.domain.payments import cod_amount, matches_any
from app.domain.protected_recipients import is_protected
from app.domain.users import Actor
from app.importers.records import CANCELLED_SKIP, REFUNDED_SKIP, OrderRecord
from app.importers.values import digits_of
from app.services.listing_match import PlannedLine


def fingerprint(rec: OrderRecord) -> str:
    """What the channel said about the order, without row numbers: equal means unchanged."""
    a = rec.address
    key: tuple[object, ...] = (
        rec.external_id,
        rec.placed_at.isoformat() if rec.placed_at else "",
        rec.currency,
        str(rec.total),
        rec.payment_status,
        rec.cancelled,
        rec.channel_status,
        rec.customer_name,
        rec.email,
        rec.note,
        (a.name, a.phone, a.company, a.country, a.province, a.city, a.district),
        (a.street, a.street2, a.postal_code, a.country_text),
        tuple(
            (ln.sku, ln.qty, ln.name, str(ln.unit_price), ln.requires_shipping, ln.external_line_id)
            for ln in rec.lines
        ),
    )
    if rec.payment_method or rec.shipping_method:  # files read before these were kept hash alike
        key += (rec.payment_method, rec.shipping_method)
    return hashlib.sha256(repr(key).encode()).hexdigest()


def write_rows(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in bulk, every row giving every column that has a default (on SQLite the
    rows go straight to the driver's ``executemany``, which applies no defaults)."""
    if not rows:
        return
    if s.get_bind().dialect.name == "sqlite":
        bulk_insert(s.connection(), table, rows)
    else:
        s.execute(insert(table), rows)


def insert_ids(s: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in bulk; their new ids, in the order of ``rows``."""
    if not rows:
        return []
    if s.get_bind().dialect.name == "sqlite":
        ids = _sqlite_insert_ids(s, table, rows)
    else:
        ids = list(
            s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        )
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} ids returned")
    return ids


def _sqlite_insert_ids(s: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """While this transaction holds the write lock, SQLite gives each new row max(rowid) + 1 in
    the order of the rows: the ids are the run that ends at the last one inserted. The count of
    ids in that run proves no other row lies in it."""
    conn = s.connection()
    bulk_insert(conn, table, rows)
    last = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    first = last - len(rows) + 1
    found = conn.execute(
        select(func.count()).select_from(table).where(table.c.id.between(first, last))
    ).scalar_one()
    if found != len(rows):
        raise RuntimeError(f"{table.name}: the new ids are not the run {first}..{last}")
    return list(range(first, last + 1))


def never_wanted(rec: OrderRecord) -> str:
    """Why a new order is not imported at all: the channel cancelled, refunded or voided it
    before fulfilling it (fulfilled ones are skipped by the parsers); "" when it is wanted. An
    order already here that the channel cancels later is updated and held instead."""
    if rec.cancelled:
        return CANCELLED_SKIP
    if rec.payment_status.strip().lower() in ("refunded", "voided"):
        return REFUNDED_SKIP
    return ""


def check_input(rec: OrderRecord, lines: list[PlannedLine]) -> CheckOrder:
    a = rec.address
    return CheckOrder(
        country=a.country,
        name=a.name or rec.customer_name,
        phone=a.phone,
        province=a.province,
        city=a.city,
        district=a.district,
        street=a.street,
        street2=a.street2,
        postal_code=a.postal_code,
        payment_status=rec.payment_status,
        cancelled=rec.cancelled,
        payment_method=rec.payment_method,
        company=a.company,
        lines=tuple(
            CheckLine(
                no, ln.sku, ln.qty, ln.known, ln.requires_shipping, ln.name, ln.partly_fulfilled
            )
            for no, ln in enumerate(lines, start=1)
        ),
        country_text=a.country_text,
        recipient_protected=protected(rec),
    )


def protected(rec: OrderRecord) -> bool:
    """The platform masks or encrypts the recipient: it ships with the platform's e-waybill."""
    a = rec.address
    name = a.name or rec.customer_name
    return is_protected(name, a.phone, a.street, flagged=rec.recipient_protected)


def payment_columns(rec: OrderRecord, settings: CheckSettings) -> dict[str, Any]:
    """The order's payment method, the amount to collect on delivery, its shipping method and
    the pickup flag."""
    total = rec.total if rec.total is not None else order_sum(rec)
    paid = rec.payment_status.strip().lower() in settings.accepted_payment_statuses
    return {
        "payment_method": rec.payment_method[:64],
        "cod_amount": cod_amount(rec.payment_method, settings.cod_payment_methods, total, paid),
        "pickup": matches_any(rec.shipping_method, settings.pickup_patterns),
        "shipping_method": rec.shipping_method[:200],
        "priority": 0,
        # the bulk insert applies no column defaults
        "gift": False,
        "gift_message": "",
    }


def address_row(rec: OrderRecord, customer_id: int | None) -> dict[str, Any]:
    a = rec.address
    return {
        "customer_id": customer_id,
        "name": a.name or rec.customer_name,
        "phone": a.phone,
        "phone_digits": digits_of(a.phone),
        "company": a.company,
        "country": a.country,
        "province": a.province,
        "city": a.city,
        "district": a.district,
        "street": a.street,
        "street2": a.street2,
        "postal_code": a.postal_code,
    }


def refresh_source(s: Session, values: dict[str, Any]) -> None:
    """Keep what the channel said last about an order already here."""
    src = s.get(OrderImport, values["order_id"])
    if src is None:
        s.add(OrderImport(**values))
        return
    for k, v in values.items():
        if k not in ("order_id", "imported_at"):
            setattr(src, k, v)


def source_row(
    order_id: int, h: str, rec: OrderRecord, batch_id: int, now: datetime
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "batch_id": batch_id,
        "content_hash": h,
        "source_row": rec.row,
        "channel_status": rec.channel_status[:64],
        "channel_cancelled": rec.cancelled,
        "imported_at": now,
        "updated_at": now,
    }


def hist_row(
    order_id: int, frm: str | None, to: str, at: datetime, actor: Actor, note: str
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "from_status": frm,
        "to_status": to,
        "at": at,
        "user_id": actor.user_id,
        "station_id": actor.station_id,
        "note": note,
    }


def order_sum(rec: OrderRecord) -> Decimal:
    return sum((ln.unit_price * ln.qty for ln in rec.lines), Decimal("0.00"))
