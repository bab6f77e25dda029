"""What came back, for the shop: the refund note (what to refund, per channel order and SKU) and
the counts per SKU and reason. Both read finished returns only (``since`` a local date: returns
finished that day or later).

The refund note's columns (a contract: add, never rename): ``REFUND_COLUMNS``. One row per
return, order line, reason and disposition; ``amount`` is qty x unit price as the channel sold
it. The channel order id is the one the line came from (a merged order's line keeps its own).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from app.db.models import (
    Channel,
    Order,
    OrderExternalRef,
    OrderLine,
    Return,
    ReturnLine,
    ReturnReason,
)
from app.db.uow import UnitOfWork
from app.domain.users import Actor, Permission
from app.services.access import reads

REFUND_COLUMNS = (
    "channel",
    "channel_order_id",
    "order_number",
    "sku",
    "name",
    "qty",
    "unit_price",
    "amount",
    "reason",
    "disposition",
    "return_number",
    "date",
    "reason_zh",
    "currency",
)
#: the keys of ``packdesk returns report --json`` (a contract)
REPORT_KEYS = ("sku", "reason", "qty", "returns")


@dataclass(frozen=True)
class RefundRow:
    channel: str
    channel_order_id: str
    order_number: str
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    amount: Decimal
    reason: str
    disposition: str
    return_number: str
    date: str
    reason_zh: str
    currency: str


@dataclass(frozen=True)
class ReturnCount:
    sku: str
    reason: str
    qty: int
    returns: int


def _since(since: date | None) -> datetime | None:
    return None if since is None else datetime.combine(since, time.min).astimezone()


@reads
def refund_note(
    uow: UnitOfWork, actor: Actor, *, since: date | None = None
) -> tuple[RefundRow, ...]:
    with uow:
        uow.require(actor, Permission.RETURNS)
        s = uow.session
        stmt = (
            select(
                Return.id,
                ReturnLine.order_line_id,
                ReturnLine.reason_code,
                ReturnLine.disposition,
                func.sum(ReturnLine.qty),
            )
            .join(ReturnLine, ReturnLine.return_id == Return.id)
            .where(Return.status == "done")
            .group_by(
                Return.id, ReturnLine.order_line_id, ReturnLine.reason_code, ReturnLine.disposition
            )
            .order_by(Return.id, ReturnLine.order_line_id)
        )
        start = _since(since)
        if start is not None:
            stmt = stmt.where(Return.finished_at >= start)
        rows = s.execute(stmt).all()
        reasons = {r.code: r for r in s.scalars(select(ReturnReason))}
        line_ids = {r[1] for r in rows}
        lines = {ln.id: ln for ln in s.scalars(select(OrderLine).where(OrderLine.id.in_(line_ids)))}
        refs = _channel_ids(uow, line_ids)
        out = []
        rets = {
            r.id: r for r in s.scalars(select(Return).where(Return.id.in_({r[0] for r in rows})))
        }
        for ret_id, line_id, code, disposition, qty in rows:
            ret, line = rets[ret_id], lines[line_id]
            order = s.get_one(Order, ret.order_id)
            reason = reasons.get(code)
            finished = ret.finished_at.astimezone() if ret.finished_at else None
            out.append(
                RefundRow(
                    channel=s.get_one(Channel, order.channel_id).name,
                    channel_order_id=refs.get(line_id, order.external_id),
                    order_number=order.number,
                    sku=line.sku,
                    name=line.name,
                    qty=int(qty),
                    unit_price=line.unit_price,
                    amount=line.unit_price * int(qty),
                    reason=reason.name_en if reason else code,
                    disposition=disposition,
                    return_number=ret.number,
                    date=finished.date().isoformat() if finished else "",
                    reason_zh=reason.name_zh if reason else "",
                    currency=order.currency,
                )
            )
        return tuple(out)


def _channel_ids(uow: UnitOfWork, line_ids: set[int]) -> dict[int, str]:
    if not line_ids:
        return {}
    return {
        lid: ext
        for lid, ext in uow.session.execute(
            select(OrderExternalRef.order_line_id, OrderExternalRef.external_id)
            .where(OrderExternalRef.order_line_id.in_(line_ids))
            .order_by(OrderExternalRef.id)
        )
    }


def write_refund_csv(rows: tuple[RefundRow, ...], path: Path) -> Path:
    """The refund note as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
    Chinese right), with a header of ``REFUND_COLUMNS``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REFUND_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: str(v) for k, v in asdict(row).items()})
    return path


@reads
def return_counts(
    uow: UnitOfWork, actor: Actor, *, since: date | None = None
) -> tuple[ReturnCount, ...]:
    """Units and returns per SKU and reason, most units first."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        stmt = (
            select(OrderLine.sku, ReturnLine.reason_code, ReturnLine.qty, ReturnLine.return_id)
            .join(Return, Return.id == ReturnLine.return_id)
            .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
            .where(Return.status == "done")
        )
        start = _since(since)
        if start is not None:
            stmt = stmt.where(Return.finished_at >= start)
        qty: dict[tuple[str, str], int] = defaultdict(int)
        returns: dict[tuple[str, str], set[int]] = defaultdict(set)
        for sku, code, n, rid in uow.session.execute(stmt):
            qty[(sku, code)] += n
            returns[(sku, code)].add(rid)
        return tuple(
            ReturnCount(sku, code, n, len(returns[(sku, code)]))
            for (sku, code), n in sorted(qty.items(), key=lambda kv: (-kv[1], kv[0]))
        )
