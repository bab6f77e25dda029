"""The dashboard's statements: every panel is counted by the database, grouped by local hour
(``app.domain.dashboard``), over indexed ranges of one day.

Indexes each statement uses (migration ``0026_dashboard`` adds the time ones):

- orders now: ``ix_orders_status_id`` (status, id), counted from the index alone;
- status changes today: ``ix_order_status_history_at`` (at);
- parcels labelled per hour: ``ix_parcels_labelled_at`` (labelled_at);
- pack exceptions per hour: ``ix_pack_exceptions_created_at`` (created_at);
- refused pick scans per hour: ``ix_audit_log_at`` (at), then the action;
- pick batches finished today: ``ix_pick_batches_finished_at`` (finished_at), their tasks
  by ``ix_pick_tasks_batch_seq``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.db.models import (
    AuditEntry,
    Order,
    OrderStatusChange,
    PackException,
    Parcel,
    Station,
    User,
)
from app.domain.dashboard import Day
from app.domain.orders import FINAL, OrderStatus

#: parcels that count as packed (a voided one no longer does)
LABELLED = ("labelled", "shipped")
#: pack exception kinds that are refused scans; ``weight``: a parcel stopped at the scale
MIS_SCANS = ("wrong_item", "other_order", "over_scan", "wrong_lot", "serial_repeat")
WEIGHT = "weight"
#: the audit action of a refused scan at the pick screen (``app.services.picking``)
PICK_REFUSED = "pick.refused"
#: orders still in the warehouse's hands, in the order of their path
OPEN_STATUSES = tuple(s for s in OrderStatus if s not in FINAL and s not in (OrderStatus.SHIPPED,))


class epoch_s(FunctionElement[int]):
    """Whole seconds since 1970 of a stored UTC time, on SQLite and PostgreSQL."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_s, "sqlite")
def _epoch_sqlite(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's driver takes "?" parameters: a "%" in the statement is written as it is
    return "CAST(strftime('%s', " + compiler.process(element.clauses, **kw) + ") AS INTEGER)"


@compiles(epoch_s, "postgresql")
def _epoch_pg(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    return (
        "CAST(floor(extract(epoch from " + compiler.process(element.clauses, **kw) + ")) AS BIGINT)"
    )


def hour_of(column: Any, day: Day) -> ColumnElement[int]:
    """The local-hour number of a time column (see ``app.domain.dashboard``): integer division
    on both backends (the epochs are positive)."""
    return (epoch_s(column) + day.shift_s) // 3600


def within(column: Any, day: Day) -> ColumnElement[bool]:
    return and_(column >= day.start, column < day.end)


def orders_now(s: Session) -> dict[str, int]:
    """Orders in each open status (new ... packed), from the status index alone."""
    rows = s.execute(
        select(Order.status, func.count())
        .where(Order.status.in_([x.value for x in OPEN_STATUSES]))
        .group_by(Order.status)
    ).tuples()
    return {str(k): int(n) for k, n in rows}


def orders_today(s: Session, day: Day) -> dict[str, int]:
    """Orders that moved into each status today (an order counted once per status)."""
    rows = s.execute(
        select(OrderStatusChange.to_status, func.count(func.distinct(OrderStatusChange.order_id)))
        .where(within(OrderStatusChange.at, day))
        .group_by(OrderStatusChange.to_status)
    ).tuples()
    return {str(k): int(n) for k, n in rows}


def packed_rows(s: Session, day: Day) -> list[tuple[int, str, str, int, int]]:
    """(hour number, station code, packer, orders, parcels) of the parcels labelled today."""
    hour = hour_of(Parcel.labelled_at, day).label("hour")
    rows = s.execute(
        select(
            hour,
            func.coalesce(Station.code, ""),
            func.coalesce(User.username, ""),
            func.count(func.distinct(Parcel.order_id)),
            func.count(Parcel.id),
        )
        .outerjoin(Station, Station.id == Parcel.station_id)
        .outerjoin(User, User.id == Parcel.created_by)
        .where(within(Parcel.labelled_at, day), Parcel.status.in_(LABELLED))
        .group_by(hour, Station.code, User.username)
        .order_by(hour, Station.code, User.username)
    ).tuples()
    return [(int(h), str(st), str(u), int(o), int(p)) for h, st, u, o, p in rows]


def exception_rows(s: Session, day: Day) -> list[tuple[int, str, int]]:
    """(hour number, kind, count): pack mis-scans, weight stops and refused pick scans."""
    pack_hour = hour_of(PackException.created_at, day).label("hour")
    kind = PackException.kind
    pack = s.execute(
        select(pack_hour, kind, func.count())
        .where(within(PackException.created_at, day), kind.in_((*MIS_SCANS, WEIGHT)))
        .group_by(pack_hour, kind)
    ).tuples()
    out = [(int(h), "weight" if k == WEIGHT else "mis_scans", int(n)) for h, k, n in pack]
    pick_hour = hour_of(AuditEntry.at, day).label("hour")
    pick = s.execute(
        select(pick_hour, func.count())
        .where(within(AuditEntry.at, day), AuditEntry.action == PICK_REFUSED)
        .group_by(pick_hour)
    ).tuples()
    out += [(int(h), "pick_refused", int(n)) for h, n in pick]
    return out
