"""Writing batches of whole orders for ``app.services.order_intake`` (not called elsewhere).

New orders are checked in memory and written with Core bulk inserts (addresses, orders, lines,
sources, holds, status history, audit). Changed orders that are not yet allocated are updated
through the ORM (their version counter guards against a reviewer editing at the same moment) and
checked again with ``order_checks.check_loaded``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, exists, func, insert, or_, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, aliased

from app.db.models import (
    Address,
    AuditEntry,
    Customer,
    CustomerKey,
    Order,
    OrderExternalRef,
    OrderHold,
    OrderImport,
    OrderLine,
    OrderStatusChange,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.check_settings import CheckSettings
from app.domain.order_rules import CheckLine, CheckOrder, Failure, evaluate
from app.domain.orders import EDITABLE, STOP_HOLDABLE, OrderStatus, status_note
from app.domain.payments import cod_amount, matches_any
from app.domain.privacy import customer_key_texts, lookup_key
from app.domain.protected_recipients import is_protected
from app.domain.users import Actor
from app.importers.records import (
    CANCELLED_HERE,
    CANCELLED_SKIP,
    CANCELLED_STOP,
    DUPLICATE_IN_FILE,
    NOT_SAVED,
    NOT_UPDATED,
    REFUNDED_SKIP,
    TOO_LONG,
    OrderRecord,
    ProblemKind,
    RowProblem,
)
from app.importers.values import digits_of
from app.services import order_checks as checks
from app.services import privacy
from app.services.allocation import release_reservations
from app.services.channel_cancel import hold_to_stop, stopped
from app.services.listing_match import PlannedLine, plan_lines
from app.services.order_duplicates import DupCandidate, find_duplicates, item_key, signature
from app.services.orders import transition

S = OrderStatus
#: an order the channel cancels in these states is cancelled here too
_NOT_PICKED = frozenset({S.NEW, S.ON_HOLD, S.RELEASED, S.ALLOCATED})
#: nothing more to do here when the channel cancels (reported as not updated, as any change)
_FINISHED = frozenset({S.SHIPPED, S.DELIVERED, S.CANCELLED, S.RETURNED})
# Core tables: bulk inserts through them stay one executemany per table (the ORM's bulk path
# splits rows whose None values differ into separate statements)
_addresses = cast(Table, Address.__table__)
_audit = cast(Table, AuditEntry.__table__)
_customers = cast(Table, Customer.__table__)
_customer_keys = cast(Table, CustomerKey.__table__)
_holds = cast(Table, OrderHold.__table__)
_history_t = cast(Table, OrderStatusChange.__table__)
_lines = cast(Table, OrderLine.__table__)
_orders = cast(Table, Order.__table__)
_sources = cast(Table, OrderImport.__table__)
#: pg_advisory_xact_lock key serialising order numbers between stations ("PDNUMBER")
NUMBER_LOCK = 0x50444E554D424552
NUMBER_PREFIX = "PD"
NUMBER_DIGITS = 8


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    released: int = 0
    rejected: int = 0
    skipped: int = 0
    not_updated: int = 0

    def count_problem(self, kind: ProblemKind) -> None:
        if kind == ProblemKind.REJECTED:
            self.rejected += 1
        elif kind == ProblemKind.SKIPPED:
            self.skipped += 1
        elif kind == ProblemKind.NOT_UPDATED:
            self.not_updated += 1

    def add(self, other: Counts) -> None:
        for k in ("imported", "updated", "unchanged", "held", "released"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class _Written:
    counts: Counts = field(default_factory=Counts)
    problems: list[RowProblem] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Existing:
    order_id: int
    status: str
    content_hash: str | None
    number: str


#: column limits an order must fit in (what, limit, value): only the keys the order and its
#: lines are found by. The address is kept in full however long (an over-long part holds the
#: order, ``order_checks``); the e-mail is kept to 200 characters (customers are found by its key).
def _lengths(rec: OrderRecord) -> list[tuple[str, int, str]]:
    out = [("order id", 64, rec.external_id)]
    out += [("SKU", 64, ln.sku) for ln in rec.lines]
    out += [("line id", 64, ln.external_line_id) for ln in rec.lines]
    return out


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


def customer_keys(rec: OrderRecord, secret: bytes) -> list[str]:
    """Lookup keys of the order's customer: e-mail, else name and phone, as keyed hashes. A
    recipient the platform masks or encrypts (张** / 138****1234, ##密文) does not tell one
    buyer from another: it finds no one, so different buyers are not merged into one customer
    nor their orders held as duplicates of each other."""
    phone = "" if _protected(rec) else digits_of(rec.address.phone)
    texts = customer_key_texts(rec.email, phone, rec.customer_name or rec.address.name)
    return [lookup_key(secret, t) for t in texts]


class BatchWriter:
    """Writes the batches of one import; keeps what must hold across batches."""

    def __init__(self, actor: Actor, channel_id: int, batch_id: int, file_name: str) -> None:
        self.actor = actor
        self.channel_id = channel_id
        self.batch_id = batch_id
        self.file_name = file_name
        self.order_ids: list[int] = []
        self.seen: dict[str, int] = {}
        self.seq = 0

    def write(self, uow: UnitOfWork, batch: list[OrderRecord], counts: Counts) -> list[RowProblem]:
        """Write a batch in one transaction; on a conflict, again order by order."""
        with uow:
            try:
                done = self._write(uow, batch)
                uow.commit()
                self._merge(done, counts)
                return done.problems
            except sa_exc.IntegrityError:
                uow.rollback()
            problems: list[RowProblem] = []
            for rec in batch:
                savepoint = uow.session.begin_nested()
                try:
                    done = self._write(uow, [rec])
                    savepoint.commit()
                except sa_exc.IntegrityError as exc:
                    savepoint.rollback()
                    reason = (str(exc.orig).strip().splitlines() or ["conflict"])[0][:200]
                    problems.append(
                        RowProblem(
                            rec.row,
                            NOT_SAVED,
                            {"order": rec.external_id, "reason": reason},
                            ProblemKind.REJECTED,
                            rec.external_id,
                        )
                    )
                    continue
                self._merge(done, counts)
                problems += done.problems
            uow.commit()
            return problems

    def _merge(self, done: _Written, counts: Counts) -> None:
        counts.add(done.counts)
        self.order_ids += done.order_ids
        self.seen.update(done.seen)
        self.seq += len(done.seen)

    # -- one attempt ---------------------------------------------------------------------

    def _write(self, uow: UnitOfWork, batch: list[OrderRecord]) -> _Written:
        s = uow.session
        out = _Written()
        recs: list[OrderRecord] = []
        for rec in batch:
            first = self.seen.get(rec.external_id) or out.seen.get(rec.external_id)
            if first is not None:
                out.problems.append(_problem(rec, DUPLICATE_IN_FILE, first=first))
                continue
            out.seen[rec.external_id] = rec.row
            too_long = next(((w, n) for w, n, v in _lengths(rec) if len(v) > n), None)
            if too_long:
                out.problems.append(_problem(rec, TOO_LONG, what=too_long[0], limit=too_long[1]))
                continue
            recs.append(rec)
        existing = self._existing(s, [r.external_id for r in recs])
        new: list[tuple[OrderRecord, str]] = []
        changed: list[tuple[OrderRecord, str, _Existing]] = []
        for rec in recs:
            h = fingerprint(rec)
            ex = existing.get(rec.external_id)
            if ex is None:
                skip = _never_wanted(rec)
                if skip:
                    out.problems.append(_problem(rec, skip, kind=ProblemKind.SKIPPED))
                    continue
                new.append((rec, h))
            elif ex.content_hash == h:
                out.counts.unchanged += 1
            else:
                changed.append((rec, h, ex))
        changed = self._updatable(uow, changed, out)
        if not new and not changed:
            return out
        all_recs = [r for r, _ in new] + [r for r, _, _ in changed]
        plans = dict(
            zip(
                (r.external_id for r in all_recs),
                plan_lines(s, self.channel_id, [r.lines for r in all_recs]),
                strict=True,
            )
        )
        created: set[int] = set()
        customers = self._customers(s, all_recs, created)
        settings = checks.settings_in(s)
        if new:
            self._insert(s, new, plans, customers, created, settings, out)
        if changed:
            self._update(uow, changed, plans, customers, settings, out)
        return out

    def _existing(self, s: Session, ext_ids: list[str]) -> dict[str, _Existing]:
        out: dict[str, _Existing] = {}
        for i in range(0, len(ext_ids), 500):
            chunk = ext_ids[i : i + 500]
            for oid, ext, status, number, h in s.execute(
                select(
                    Order.id,
                    Order.external_id,
                    Order.status,
                    Order.number,
                    OrderImport.content_hash,
                )
                .outerjoin(OrderImport, OrderImport.order_id == Order.id)
                .where(Order.channel_id == self.channel_id, Order.external_id.in_(chunk))
            ):
                out[ext] = _Existing(oid, status, h, number)
        return out

    def _updatable(
        self, uow: UnitOfWork, changed: list[tuple[OrderRecord, str, _Existing]], out: _Written
    ) -> list[tuple[OrderRecord, str, _Existing]]:
        """Changed orders that may still be updated; the others are reported. An order the
        channel cancelled is cancelled here while nothing is picked yet."""
        if not changed:
            return []
        changed = self._cancelled_in_channel(uow, changed, out)
        s = uow.session
        ids = [ex.order_id for _, _, ex in changed]
        other = aliased(Order)
        merged_or_split = set(
            s.scalars(
                select(Order.id).where(
                    Order.id.in_(ids),
                    or_(
                        Order.merged_into_id.is_not(None),
                        Order.split_from_id.is_not(None),
                        exists().where(OrderExternalRef.order_id == Order.id),
                        exists().where(
                            or_(other.split_from_id == Order.id, other.merged_into_id == Order.id)
                        ),
                    ),
                )
            )
        )
        keep = []
        for rec, h, ex in changed:
            if ex.status not in EDITABLE:
                out.problems.append(
                    _problem(
                        rec,
                        NOT_UPDATED,
                        kind=ProblemKind.NOT_UPDATED,
                        status=ex.status,
                        number=ex.number,
                    )
                )
            elif ex.order_id in merged_or_split:
                out.problems.append(
                    _problem(
                        rec,
                        NOT_UPDATED,
                        kind=ProblemKind.NOT_UPDATED,
                        status="merged or split",
                        number=ex.number,
                    )
                )
            else:
                keep.append((rec, h, ex))
        return keep

    def _cancelled_in_channel(
        self, uow: UnitOfWork, changed: list[tuple[OrderRecord, str, _Existing]], out: _Written
    ) -> list[tuple[OrderRecord, str, _Existing]]:
        """Cancel here the orders the channel cancelled that are not picked yet (reserved stock
        given back, audited); hold the ones being picked or packed: someone must stop and put
        the items back (``channel_cancel``). An order already held for that is left alone."""
        keep = []
        stops = stopped(uow.session, [ex.order_id for _, _, ex in changed])
        for rec, h, ex in changed:
            if ex.order_id in stops:
                kind = ProblemKind.NOT_UPDATED
                out.problems.append(
                    _problem(rec, NOT_UPDATED, kind=kind, status=ex.status, number=ex.number)
                )
            elif rec.cancelled and ex.status in STOP_HOLDABLE:
                order = uow.session.get(Order, ex.order_id)
                assert order is not None
                hold_to_stop(uow, self.actor, order)
                _refresh_source(uow.session, _source_row(order.id, h, rec, self.batch_id, utcnow()))
                out.counts.updated += 1
                out.counts.held += 1
                kind = ProblemKind.WARNING
                out.problems.append(
                    _problem(rec, CANCELLED_STOP, kind=kind, status=ex.status, number=ex.number)
                )
            elif not rec.cancelled or ex.status in _FINISHED:
                keep.append((rec, h, ex))
            elif ex.status in _NOT_PICKED:
                order = uow.session.get(Order, ex.order_id)
                assert order is not None
                release_reservations(uow.session, [order.id])
                transition(uow, self.actor, order, S.CANCELLED, status_note("cancelled_in_channel"))
                uow.session.execute(
                    update(OrderHold)
                    .where(OrderHold.order_id == order.id, OrderHold.resolved_at.is_(None))
                    .values(resolved_at=utcnow(), resolved_by=self.actor.user_id)
                )
                _refresh_source(uow.session, _source_row(order.id, h, rec, self.batch_id, utcnow()))
                out.counts.updated += 1
                kind = ProblemKind.WARNING
                out.problems.append(_problem(rec, CANCELLED_HERE, kind=kind, number=ex.number))
        return keep

    def _customers(self, s: Session, recs: list[OrderRecord], created: set[int]) -> dict[str, int]:
        """external id -> customer id; returning customers found by their keys, the others
        created (their ids are added to ``created``)."""
        secret = privacy.key_secret(s)  # once per batch, not per row
        keys = {r.external_id: customer_keys(r, secret) for r in recs}
        wanted = sorted({k for ks in keys.values() for k in ks})
        known: dict[str, int] = {}
        for i in range(0, len(wanted), 500):
            for key, cid in s.execute(
                select(CustomerKey.key, CustomerKey.customer_id).where(
                    CustomerKey.key.in_(wanted[i : i + 500])
                )
            ):
                known[key] = cid
        out: dict[str, int] = {}
        to_create: list[OrderRecord] = []
        pending: dict[str, int] = {}  # key -> index in to_create
        for r in recs:
            ks = keys[r.external_id]
            cid = next((known[k] for k in ks if k in known), None)
            if cid is not None:
                out[r.external_id] = cid
                continue
            idx = next((pending[k] for k in ks if k in pending), None)
            if idx is None:
                idx = len(to_create)
                to_create.append(r)
            for k in ks:
                pending.setdefault(k, idx)
            out[r.external_id] = -1 - idx
        if to_create:
            now = utcnow()
            ids = _insert_ids(
                s,
                _customers,
                [
                    {
                        "name": (r.customer_name or r.address.name)[:200],
                        "phone": r.address.phone[:40],
                        "email": r.email[:200],
                        "created_at": now,
                    }
                    for r in to_create
                ],
            )
            # one key per new customer (the e-mail when there is one) keeps the table small;
            # both keys of an incoming order are looked up
            first_key: dict[int, str] = {}
            for k, idx in pending.items():
                first_key.setdefault(idx, k)
            if first_key:
                s.execute(
                    insert(_customer_keys),
                    [{"key": k, "customer_id": ids[idx]} for idx, k in first_key.items()],
                )
            for ext, cid in out.items():
                if cid < 0:
                    out[ext] = ids[-1 - cid]
            created.update(ids)
        return out

    def _numbers(self, s: Session, n: int) -> list[str]:
        """The next ``n`` order numbers (PD00000001...), as demo data and the factories use."""
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": NUMBER_LOCK})
        lo = NUMBER_PREFIX + "0" * NUMBER_DIGITS
        hi = NUMBER_PREFIX + "9" * NUMBER_DIGITS
        last = s.scalars(
            select(Order.number)
            # plain numbers only: split parts ("PD00000010-2") sort above their order
            .where(Order.number >= lo, Order.number <= hi, func.length(Order.number) == len(lo))
            .order_by(Order.number.desc())
            .limit(20)
        ).all()
        start = next(
            (
                int(x[len(NUMBER_PREFIX) :])
                for x in last
                if x[len(NUMBER_PREFIX) :].isdigit() and len(x) == len(lo)
            ),
            0,
        )
        return [f"{NUMBER_PREFIX}{start + i:0{NUMBER_DIGITS}d}" for i in range(1, n + 1)]

    def _insert(
        self,
        s: Session,
        new: list[tuple[OrderRecord, str]],
        plans: dict[str, list[PlannedLine]],
        customers: dict[str, int],
        created: set[int],
        settings: CheckSettings,
        out: _Written,
    ) -> None:
        now = utcnow()
        recs = [r for r, _ in new]
        numbers = self._numbers(s, len(recs))
        placed = [r.placed_at or now for r in recs]
        dups = find_duplicates(
            s,
            [
                DupCandidate(
                    key=i,
                    customer_id=customers.get(r.external_id),
                    placed_at=placed[i],
                    items=signature(
                        (item_key(ln.sku, ln.name), ln.qty) for ln in plans[r.external_id]
                    ),
                    number=numbers[i],
                    seq=self.seq + i,
                )
                for i, r in enumerate(recs)
            ],
            settings.duplicate_window_hours,
            new_customers=created,
        )
        failures = [
            evaluate(_check_input(r, plans[r.external_id]), settings, duplicate_of=dups.get(i))
            for i, r in enumerate(recs)
        ]
        addr_ids = _insert_ids(
            s, _addresses, [_address_row(r, customers.get(r.external_id)) for r in recs]
        )
        order_rows = []
        for i, r in enumerate(recs):
            status = S.ON_HOLD if failures[i] else S.RELEASED
            order_rows.append(
                {
                    "number": numbers[i],
                    "channel_id": self.channel_id,
                    "external_id": r.external_id,
                    "status": status.value,
                    "customer_id": customers.get(r.external_id),
                    "ship_address_id": addr_ids[i],
                    "currency": (r.currency or "CNY")[:3],
                    "total": r.total if r.total is not None else _sum(r),
                    "payment_status": r.payment_status[:24],
                    **_payment_columns(r, settings),
                    "recipient_protected": _protected(r),
                    "placed_at": placed[i],
                    "created_at": now,
                    "updated_at": now,
                    "note": r.note,
                    "version": 1,
                }
            )
        order_ids = _insert_ids(s, _orders, order_rows)
        s.execute(
            insert(_lines),
            [
                ln.row(oid, no)
                for oid, r in zip(order_ids, recs, strict=True)
                for no, ln in enumerate(plans[r.external_id], start=1)
            ],
        )
        s.execute(
            insert(_sources),
            [
                _source_row(oid, h, r, self.batch_id, now)
                for oid, (r, h) in zip(order_ids, new, strict=True)
            ],
        )
        holds = [
            {
                "order_id": oid,
                "code": f.code,
                "reason": f.reason,
                "template": f.template,
                "params": dict(f.params),
                "created_at": now,
                "created_by": self.actor.user_id,
            }
            for oid, fs in zip(order_ids, failures, strict=True)
            for f in fs
        ]
        if holds:
            s.execute(insert(_holds), holds)
        self._history(s, order_ids, recs, order_rows, failures, now)
        out.order_ids += order_ids
        out.counts.imported += len(order_ids)
        held = sum(1 for f in failures if f)
        out.counts.held += held
        out.counts.released += len(order_ids) - held

    def _history(
        self,
        s: Session,
        order_ids: list[int],
        recs: list[OrderRecord],
        order_rows: list[dict[str, Any]],
        failures: list[list[Failure]],
        now: datetime,
    ) -> None:
        a = self.actor
        hist = []
        audit = []
        for oid, r, row, fs in zip(order_ids, recs, order_rows, failures, strict=True):
            codes = sorted({f.code for f in fs})
            where = status_note("imported_row", file=self.file_name or "records", row=r.row)
            hist.append(_hist(oid, None, S.NEW.value, now, a, where))
            hist.append(
                _hist(
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
                        "batch": self.batch_id,
                    },
                    "note": where,
                }
            )
        s.execute(insert(_history_t), hist)
        s.execute(insert(_audit), audit)

    def _update(
        self,
        uow: UnitOfWork,
        changed: list[tuple[OrderRecord, str, _Existing]],
        plans: dict[str, list[PlannedLine]],
        customers: dict[str, int],
        settings: CheckSettings,
        out: _Written,
    ) -> None:
        s = uow.session
        now = utcnow()
        ids = []
        for rec, h, ex in changed:
            order = s.get(Order, ex.order_id)
            assert order is not None
            before = {"status": order.status, "total": str(order.total)}
            order.customer_id = customers.get(rec.external_id, order.customer_id)
            order.currency = (rec.currency or order.currency)[:3]
            order.total = rec.total if rec.total is not None else _sum(rec)
            order.payment_status = rec.payment_status[:24]
            for key, value in _payment_columns(rec, settings).items():
                setattr(order, key, value)
            order.recipient_protected = _protected(rec)
            if rec.placed_at is not None:
                order.placed_at = rec.placed_at
            order.note = rec.note
            order.updated_at = now
            row = _address_row(rec, order.customer_id)
            addr = s.get(Address, order.ship_address_id) if order.ship_address_id else None
            if addr is None:
                addr = Address(**row)
                s.add(addr)
                s.flush()
                order.ship_address_id = addr.id
            else:
                for k, v in row.items():
                    setattr(addr, k, v)
            s.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
            s.execute(
                insert(_lines),
                [ln.row(order.id, no) for no, ln in enumerate(plans[rec.external_id], 1)],
            )
            _refresh_source(s, _source_row(order.id, h, rec, self.batch_id, now))
            uow.audit(
                self.actor,
                "order.update_from_channel",
                "order",
                order.number,
                before=before,
                after={"total": str(order.total), "lines": len(rec.lines), "batch": self.batch_id},
                note=status_note("changed_row", file=self.file_name or "the channel", row=rec.row),
            )
            ids.append(order.id)
        s.flush()
        results = checks.check_loaded(uow, self.actor, ids, note=status_note("updated"))
        out.counts.updated += len(ids)
        out.counts.held += sum(1 for r in results if r.held)
        out.counts.released += sum(1 for r in results if r.status == S.RELEASED.value)
        out.order_ids += ids


def _insert_ids(s: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in bulk; their new ids, in the order of ``rows``."""
    if s.get_bind().dialect.name == "sqlite":
        # SQLite cannot order RETURNING by parameter in bulk, but while this transaction holds
        # the write lock it gives each new row max(rowid) + 1, in the order of the VALUES: so the
        # ids sorted are the rows' ids in order.
        ids = sorted(s.scalars(insert(table).returning(table.c.id), rows))
    else:
        ids = list(
            s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        )
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} ids returned")
    return ids


def _never_wanted(rec: OrderRecord) -> str:
    """Why a new order is not imported at all: the channel cancelled, refunded or voided it
    before fulfilling it (fulfilled ones are skipped by the parsers); "" when it is wanted. An
    order already here that the channel cancels later is updated and held instead."""
    if rec.cancelled:
        return CANCELLED_SKIP
    if rec.payment_status.strip().lower() in ("refunded", "voided"):
        return REFUNDED_SKIP
    return ""


def _problem(
    rec: OrderRecord, template: str, *, kind: ProblemKind = ProblemKind.REJECTED, **params: Any
) -> RowProblem:
    return RowProblem(
        rec.row, template, {"order": rec.external_id, **params}, kind, rec.external_id
    )


def _check_input(rec: OrderRecord, lines: list[PlannedLine]) -> CheckOrder:
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
        recipient_protected=_protected(rec),
    )


def _protected(rec: OrderRecord) -> bool:
    """The platform masks or encrypts the recipient: it ships with the platform's e-waybill."""
    a = rec.address
    name = a.name or rec.customer_name
    return is_protected(name, a.phone, a.street, flagged=rec.recipient_protected)


def _payment_columns(rec: OrderRecord, settings: CheckSettings) -> dict[str, Any]:
    """The order's payment method, the amount to collect on delivery, and the pickup flag."""
    total = rec.total if rec.total is not None else _sum(rec)
    paid = rec.payment_status.strip().lower() in settings.accepted_payment_statuses
    return {
        "payment_method": rec.payment_method[:64],
        "cod_amount": cod_amount(rec.payment_method, settings.cod_payment_methods, total, paid),
        "pickup": matches_any(rec.shipping_method, settings.pickup_patterns),
    }


def _address_row(rec: OrderRecord, customer_id: int | None) -> dict[str, Any]:
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


def _refresh_source(s: Session, values: dict[str, Any]) -> None:
    """Keep what the channel said last about an order already here."""
    src = s.get(OrderImport, values["order_id"])
    if src is None:
        s.add(OrderImport(**values))
        return
    for k, v in values.items():
        if k not in ("order_id", "imported_at"):
            setattr(src, k, v)


def _source_row(
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


def _hist(
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


def _sum(rec: OrderRecord) -> Decimal:
    return sum((ln.unit_price * ln.qty for ln in rec.lines), Decimal("0.00"))
