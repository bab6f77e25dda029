"""The insert path of an import: new orders are checked in memory (duplicates among them and
in the database, every check rule) and written with Core bulk inserts (addresses, orders, lines,
sources, holds, status history, audit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    AuditEntry,
    Order,
    OrderHold,
    OrderImport,
    OrderLine,
    OrderStatusChange,
    utcnow,
)
from app.domain.check_settings import CheckSettings
from app.domain.order_rules import Failure, evaluate
from app.domain.orders import OrderStatus, status_note
from app.importers.records import OrderRecord
from app.services.intake_batch import ImportContext, Written
from app.services.intake_rows import (
    address_row,
    check_input,
    hist_row,
    insert_ids,
    order_sum,
    payment_columns,
    protected,
    source_row,
    write_rows,
)
from app.services.listing_match import PlannedLine
from app.services.order_duplicates import DupCandidate, find_duplicates, item_key, signature
from app.services.order_numbers import next_numbers

S = OrderStatus
# Core tables: bulk inserts through them stay one executemany per table (the ORM's bulk path
# splits rows whose None values differ into separate statements); every row gives every
# column that has a default (``write_rows``)
_addresses = cast(Table, Address.__table__)
_audit = cast(Table, AuditEntry.__table__)
_holds = cast(Table, OrderHold.__table__)
_history_t = cast(Table, OrderStatusChange.__table__)
_lines = cast(Table, OrderLine.__table__)
_orders = cast(Table, Order.__table__)
_sources = cast(Table, OrderImport.__table__)


def insert_new(
    ctx: ImportContext,
    s: Session,
    new: list[tuple[OrderRecord, str]],
    plans: dict[str, list[PlannedLine]],
    customers: dict[str, int],
    created: set[int],
    settings: CheckSettings,
    seq: int,
    out: Written,
) -> None:
    """Check and write the new orders (``new``: record and fingerprint); ``seq`` is how many
    orders of the file came before, ``created`` the customers created for this batch."""
    now = utcnow()
    recs = [r for r, _ in new]
    numbers = next_numbers(s, len(recs))
    placed = [r.placed_at or now for r in recs]
    failures = _check_new(s, recs, plans, customers, created, settings, numbers, placed, seq)
    addr_ids = insert_ids(
        s, _addresses, [address_row(r, customers.get(r.external_id)) for r in recs]
    )
    order_rows = [
        _order_row(ctx, r, numbers[i], addr_ids[i], customers, bool(failures[i]), placed[i])
        | payment_columns(r, settings)
        | {"created_at": now, "updated_at": now}
        for i, r in enumerate(recs)
    ]
    order_ids = insert_ids(s, _orders, order_rows)
    write_rows(
        s,
        _lines,
        [
            ln.row(oid, no)
            for oid, r in zip(order_ids, recs, strict=True)
            for no, ln in enumerate(plans[r.external_id], start=1)
        ],
    )
    write_rows(
        s,
        _sources,
        [
            source_row(oid, h, r, ctx.batch_id, now)
            for oid, (r, h) in zip(order_ids, new, strict=True)
        ],
    )
    write_rows(s, _holds, _hold_rows(ctx, order_ids, failures, now))
    _history(ctx, s, order_ids, recs, order_rows, failures, now)
    out.order_ids += order_ids
    out.counts.imported += len(order_ids)
    held = sum(1 for f in failures if f)
    out.counts.held += held
    out.counts.released += len(order_ids) - held


def _check_new(
    s: Session,
    recs: list[OrderRecord],
    plans: dict[str, list[PlannedLine]],
    customers: dict[str, int],
    created: set[int],
    settings: CheckSettings,
    numbers: list[str],
    placed: list[datetime],
    seq: int,
) -> list[list[Failure]]:
    """Every rule each new order fails; a duplicate is looked for in the database and among
    the orders of the file before it."""
    dups = find_duplicates(
        s,
        [
            DupCandidate(
                key=i,
                customer_id=customers.get(r.external_id),
                placed_at=placed[i],
                items=signature((item_key(ln.sku, ln.name), ln.qty) for ln in plans[r.external_id]),
                number=numbers[i],
                seq=seq + i,
            )
            for i, r in enumerate(recs)
        ],
        settings.duplicate_window_hours,
        new_customers=created,
    )
    return [
        evaluate(check_input(r, plans[r.external_id]), settings, duplicate_of=dups.get(i))
        for i, r in enumerate(recs)
    ]


def _order_row(
    ctx: ImportContext,
    r: OrderRecord,
    number: str,
    address_id: int,
    customers: dict[str, int],
    held: bool,
    placed: datetime,
) -> dict[str, Any]:
    """The order's row, without its payment columns and times."""
    return {
        "number": number,
        "channel_id": ctx.channel_id,
        "external_id": r.external_id,
        "status": (S.ON_HOLD if held else S.RELEASED).value,
        "customer_id": customers.get(r.external_id),
        "ship_address_id": address_id,
        "currency": (r.currency or "CNY")[:3],
        "total": r.total if r.total is not None else order_sum(r),
        "payment_status": r.payment_status[:24],
        "recipient_protected": protected(r),
        "placed_at": placed,
        "note": r.note,
        "version": 1,
    }


def _hold_rows(
    ctx: ImportContext, order_ids: list[int], failures: list[list[Failure]], now: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "order_id": oid,
            "code": f.code,
            "reason": f.reason,
            "template": f.template,
            "params": dict(f.params),
            "created_at": now,
            "created_by": ctx.actor.user_id,
        }
        for oid, fs in zip(order_ids, failures, strict=True)
        for f in fs
    ]


def _history(
    ctx: ImportContext,
    s: Session,
    order_ids: list[int],
    recs: list[OrderRecord],
    order_rows: list[dict[str, Any]],
    failures: list[list[Failure]],
    now: datetime,
) -> None:
    a = ctx.actor
    hist = []
    audit = []
    for oid, r, row, fs in zip(order_ids, recs, order_rows, failures, strict=True):
        codes = sorted({f.code for f in fs})
        where = status_note("imported_row", file=ctx.file_name or "records", row=r.row)
        hist.append(hist_row(oid, None, S.NEW.value, now, a, where))
        hist.append(
            hist_row(
                oid,
                S.NEW.value,
                row["status"],
                now,
                a,
                (
                    status_note("checks_held", codes=", ".join(codes))
                    if codes
                    else status_note("checks_pass")
                ),
            )
        )
        audit.append(
            {
                "at": now,
                "user_id": a.user_id,
                "username": a.username,
                "station_id": a.station_id,
                "action": "order.import",
                "entity_type": "order",
                "entity_id": row["number"],
                "after": {
                    "external_id": r.external_id,
                    "status": row["status"],
                    "holds": codes,
                    "batch": ctx.batch_id,
                },
                "note": where,
            }
        )
    write_rows(s, _history_t, hist)
    write_rows(s, _audit, audit)
