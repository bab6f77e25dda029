"""Writing batches of whole orders for ``app.services.order_intake`` (not called elsewhere).

A batch is written in one transaction (again order by order when it meets an order saved
meanwhile). Each record is sorted here: a second copy in the file, a key too long, unchanged
(same fingerprint), never wanted (cancelled or refunded before it came), new or changed. Then:

- ``intake_customers``: the orders' customers, found by their keys or created;
- ``intake_insert``: new orders checked in memory and written with Core bulk inserts;
- ``intake_update``: changed orders updated while not yet allocated, and checked again;
- ``intake_rows``: the rows both paths write; ``order_numbers``: the next order numbers.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderImport
from app.db.uow import UnitOfWork
from app.domain.users import Actor
from app.importers.records import (
    DUPLICATE_IN_FILE,
    NOT_SAVED,
    TOO_LONG,
    OrderRecord,
    ProblemKind,
    RowProblem,
)
from app.services.intake_batch import Counts, Existing, ImportContext, Written, problem
from app.services.intake_customers import customers_for
from app.services.intake_insert import insert_new
from app.services.intake_rows import fingerprint, never_wanted
from app.services.intake_update import updatable, update_changed
from app.services.listing_match import plan_lines
from app.services.order_checks import settings_in


#: column limits an order must fit in (what, limit, value): only the keys the order and its
#: lines are found by. The address is kept in full however long (an over-long part holds the
#: order, ``order_rules``); the e-mail is kept to 200 characters (customers are found by its key).
def _lengths(rec: OrderRecord) -> list[tuple[str, int, str]]:
    out = [("order id", 64, rec.external_id)]
    out += [("SKU", 64, ln.sku) for ln in rec.lines]
    out += [("line id", 64, ln.external_line_id) for ln in rec.lines]
    return out


class BatchWriter:
    """Writes the batches of one import; keeps what must hold across batches."""

    def __init__(self, actor: Actor, channel_id: int, batch_id: int, file_name: str) -> None:
        self.ctx = ImportContext(actor, channel_id, batch_id, file_name)
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

    def _merge(self, done: Written, counts: Counts) -> None:
        counts.add(done.counts)
        self.order_ids += done.order_ids
        self.seen.update(done.seen)
        self.seq += len(done.seen)

    # -- one attempt ---------------------------------------------------------------------

    def _write(self, uow: UnitOfWork, batch: list[OrderRecord]) -> Written:
        s = uow.session
        out = Written()
        recs: list[OrderRecord] = []
        for rec in batch:
            first = self.seen.get(rec.external_id) or out.seen.get(rec.external_id)
            if first is not None:
                out.problems.append(problem(rec, DUPLICATE_IN_FILE, first=first))
                continue
            out.seen[rec.external_id] = rec.row
            too_long = next(((w, n) for w, n, v in _lengths(rec) if len(v) > n), None)
            if too_long:
                out.problems.append(problem(rec, TOO_LONG, what=too_long[0], limit=too_long[1]))
                continue
            recs.append(rec)
        existing = self._existing(s, [r.external_id for r in recs])
        new: list[tuple[OrderRecord, str]] = []
        changed: list[tuple[OrderRecord, str, Existing]] = []
        for rec in recs:
            h = fingerprint(rec)
            ex = existing.get(rec.external_id)
            if ex is None:
                skip = never_wanted(rec)
                if skip:
                    out.problems.append(problem(rec, skip, kind=ProblemKind.SKIPPED))
                    continue
                new.append((rec, h))
            elif ex.content_hash == h:
                out.counts.unchanged += 1
            else:
                changed.append((rec, h, ex))
        changed = updatable(self.ctx, uow, changed, out)
        if not new and not changed:
            return out
        all_recs = [r for r, _ in new] + [r for r, _, _ in changed]
        plans = dict(
            zip(
                (r.external_id for r in all_recs),
                plan_lines(s, self.ctx.channel_id, [r.lines for r in all_recs]),
                strict=True,
            )
        )
        created: set[int] = set()
        customers = customers_for(s, all_recs, created)
        settings = settings_in(s)
        if new:
            insert_new(self.ctx, s, new, plans, customers, created, settings, self.seq, out)
        if changed:
            update_changed(self.ctx, uow, changed, plans, customers, settings, out)
        return out

    def _existing(self, s: Session, ext_ids: list[str]) -> dict[str, Existing]:
        out: dict[str, Existing] = {}
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
                .where(Order.channel_id == self.ctx.channel_id, Order.external_id.in_(chunk))
            ):
                out[ext] = Existing(oid, status, h, number)
        return out
