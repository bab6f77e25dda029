"""The foundation's stock invariants hold after every operation of orders-in, over random sequences
of import (through order intake), receipts, allocation under either shortage policy, hold,
release, cancel, deallocate, split and merge (hypothesis, stateful).

After every step: on-hand is the sum of the ledger, 0 <= reserved <= on-hand, reserved is the sum
of the reservations, no order line has more reserved than it orders, only allocated orders hold
reservations, an allocated order has every shipping line fully reserved, and every line of every
channel order is still carried, in full, by lines of ours (the refs kept through merge and split).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Order, OrderExternalRef, OrderLine, Reservation
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import allocation, auth, merge_split, order_actions, order_intake, stock
from tests.conftest import _truncate_pg
from tests.order_action_fixtures import (
    TODAY,
    add_location,
    add_products,
    stock_invariant_violations,
)

SKUS = ("CUP", "LID", "TEA")
PEOPLE = (
    AddressRecord("张三丰", "13812345678", "", "CN", "广东省", "深圳市", "南山区", "科技园1号"),
    AddressRecord("李四", "13912345678", "", "CN", "浙江省", "杭州市", "西湖区", "文三路2号"),
    AddressRecord("王小明", "13712345678", "", "CN", "北京市", "北京市", "海淀区", "中关村3号"),
)
#: service errors that mean a rule of ours was broken, not a refusal the operator reads
BROKEN = ("database refused the change", "Someone else changed this record")


class OrdersAndStock(RuleBasedStateMachine):
    """One warehouse, three SKUs (TEA with lots and expiry dates), orders from one shop."""

    new_database: ClassVar[Callable[[], str]]
    home: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        self.services: Services = bootstrap(
            Settings(db_url=type(self).new_database(), station="prop"),
            Paths(self.home / "c", self.home / "d", self.home / "l"),
        )
        self.admin: Actor
        self.external = 0
        #: (channel order id, channel line id) -> units, as imported
        self.channel_lines: dict[tuple[str, str], int] = {}

    @initialize()
    def warehouse(self) -> None:
        svc = self.services
        svc.run(auth.create_first_admin, "admin", "correct-horse-9", svc.station_id)
        self.admin = svc.run(auth.login, "admin", "correct-horse-9", svc.station_id)
        add_products(svc, *SKUS, expiry=["TEA"])
        add_location(svc, "A-01", "pickable", sequence=1)
        add_location(svc, "S-01", "storage", sequence=2)
        for sku in SKUS:
            lot, expiry = ("L400", TODAY + timedelta(days=400)) if sku == "TEA" else (None, None)
            svc.run(stock.receive, self.admin, "A-01", sku, 6, lot, expiry)

    def teardown(self) -> None:
        self.services.close()

    # --- helpers ----------------------------------------------------------------------------

    def _attempt(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run a service; a refusal the operator reads is fine, a broken rule is not."""
        try:
            out = self.services.run(fn, *args, **kw)
        except PackdeskError as exc:
            assert not any(b in exc.message for b in BROKEN), exc.message
            event(f"{fn.__name__}: refused")
            return None
        event(f"{fn.__name__}: done")
        return out

    def _pick(self, picks: list[int]) -> list[int]:
        with self.services.uow() as uow:
            ids = list(uow.session.scalars(select(Order.id).order_by(Order.id)))
        return sorted({ids[p % len(ids)] for p in picks}) if ids else []

    # --- rules --------------------------------------------------------------------------------

    @rule(
        orders=st.lists(
            st.tuples(
                st.integers(0, len(PEOPLE) - 1),
                st.lists(
                    # now and then a SKU that is not in the catalogue (held at import)
                    st.tuples(st.sampled_from((*SKUS, *SKUS, *SKUS, "NOPE")), st.integers(1, 5)),
                    min_size=1,
                    max_size=3,
                ),
            ),
            min_size=1,
            max_size=3,
        )
    )
    def import_orders(self, orders: list[tuple[int, list[tuple[str, int]]]]) -> None:
        records = []
        for who, lines in orders:
            self.external += 1
            records.append(
                OrderRecord(
                    external_id=f"#{1000 + self.external}",
                    row=self.external,
                    lines=tuple(
                        LineRecord(self.external, sku, qty, external_line_id=f"{self.external}.{i}")
                        for i, (sku, qty) in enumerate(lines, 1)
                    ),
                    address=PEOPLE[who],
                )
            )
        result = self.services.run(
            order_intake.import_records, self.admin, records, channel="shop", platform="shopify"
        )
        assert result.rejected == 0, result.problems
        for rec in records:
            for ln in rec.lines:
                self.channel_lines[(rec.external_id, ln.external_line_id)] = ln.qty

    @rule(
        sku=st.sampled_from(SKUS),
        location=st.sampled_from(("A-01", "S-01")),
        qty=st.integers(1, 8),
        days=st.sampled_from((5, 40, 400)),
    )
    def receive(self, sku: str, location: str, qty: int, days: int) -> None:
        lot, expiry = (f"L{days}", TODAY + timedelta(days=days)) if sku == "TEA" else (None, None)
        self.services.run(stock.receive, self.admin, location, sku, qty, lot, expiry)

    @rule(sku=st.sampled_from(("CUP", "LID")), qty=st.integers(1, 5))
    def take_stock_away(self, sku: str, qty: int) -> None:
        # a count or damage: refused when it would touch reserved units
        self._attempt(stock.adjust, self.admin, "A-01", sku, -qty)

    @rule(policy=st.sampled_from(("hold", "backorder")), shelf=st.sampled_from((0, 30)))
    def settings(self, policy: str, shelf: int) -> None:
        self.services.run(
            allocation.set_allocation_settings,
            self.admin,
            shortage_policy=policy,
            min_shelf_life_days=shelf,
        )

    @rule()
    def allocate_all(self) -> None:
        report = self.services.run(order_actions.allocate, self.admin)
        for outcome in ("allocated", "partial", "backordered", "held"):
            if any(r.outcome == outcome for r in report.results):
                event(f"allocate: some {outcome}")

    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=3))
    def allocate_some(self, picks: list[int]) -> None:
        self.services.run(order_actions.allocate, self.admin, self._pick(picks))

    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=3))
    def release(self, picks: list[int]) -> None:
        self.services.run(order_actions.release, self.admin, self._pick(picks))

    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=3))
    def hold(self, picks: list[int]) -> None:
        self.services.run(order_actions.hold, self.admin, self._pick(picks), "checking")

    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=2))
    def cancel(self, picks: list[int]) -> None:
        self.services.run(order_actions.cancel, self.admin, self._pick(picks))

    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=2))
    def deallocate(self, picks: list[int]) -> None:
        self.services.run(order_actions.deallocate, self.admin, self._pick(picks))

    @rule(pick=st.integers(0, 99), moves=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9))))
    def split(self, pick: int, moves: list[tuple[int, int]]) -> None:
        for oid in self._pick([pick]):
            with self.services.uow() as uow:
                lines = uow.session.execute(
                    select(OrderLine.line_no, OrderLine.qty)
                    .where(OrderLine.order_id == oid)
                    .order_by(OrderLine.line_no)
                ).all()
            if not lines:  # merged into another order: nothing left to split
                continue
            # moves that name real lines and possible quantities (the refusals have their test)
            chosen = {
                lines[i % len(lines)][0]: 1 + q % max(lines[i % len(lines)][1], 1) for i, q in moves
            }
            self._attempt(merge_split.split, self.admin, oid, chosen)

    @rule(pick=st.integers(0, 99))
    def split_by_availability(self, pick: int) -> None:
        for oid in self._pick([pick]):
            self._attempt(merge_split.split_by_availability, self.admin, oid)

    @rule(which=st.integers(0, 9))
    def merge_suggested(self, which: int) -> None:
        groups = self.services.run(merge_split.suggest_merges, self.admin)
        if groups:
            ids = groups[which % len(groups)].order_ids
            self.services.run(merge_split.merge, self.admin, list(ids))
            event("merge_suggested: done")

    @rule(picks=st.lists(st.integers(0, 99), min_size=2, max_size=3))
    def merge_any(self, picks: list[int]) -> None:
        self._attempt(merge_split.merge, self.admin, self._pick(picks))

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def stock_invariants_hold(self) -> None:
        assert stock_invariant_violations(self.services) == []

    @invariant()
    def allocated_orders_are_fully_reserved(self) -> None:
        with self.services.uow() as uow:
            reserved = (
                select(Reservation.order_line_id, func.sum(Reservation.qty).label("n"))
                .group_by(Reservation.order_line_id)
                .subquery()
            )
            short = uow.session.execute(
                select(Order.number, OrderLine.sku, OrderLine.qty, reserved.c.n)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .outerjoin(reserved, reserved.c.order_line_id == OrderLine.id)
                .where(
                    Order.status == "allocated",
                    OrderLine.requires_shipping.is_(True),
                    func.coalesce(reserved.c.n, 0) != OrderLine.qty,
                )
            ).all()
        assert short == []

    @invariant()
    def every_channel_line_is_still_accounted_for(self) -> None:
        """Through merges and splits, each line of each channel order is carried, in full, by
        lines of ours: by their ref rows, or (lines still on their own order) by the order."""
        with self.services.uow() as uow:
            s = uow.session
            effective = s.execute(
                select(
                    func.coalesce(OrderExternalRef.external_id, Order.external_id),
                    func.coalesce(OrderExternalRef.external_line_id, OrderLine.external_line_id),
                    func.sum(func.coalesce(OrderExternalRef.qty, OrderLine.qty)),
                )
                .select_from(OrderLine)
                .join(Order, Order.id == OrderLine.order_id)
                .outerjoin(OrderExternalRef, OrderExternalRef.order_line_id == OrderLine.id)
                .group_by(
                    func.coalesce(OrderExternalRef.external_id, Order.external_id),
                    func.coalesce(OrderExternalRef.external_line_id, OrderLine.external_line_id),
                )
            ).all()
            assert {(e, ln): int(q) for e, ln, q in effective} == self.channel_lines
            # a ref row is its line's, whole; a split-off part carries refs on every line
            assert (
                s.execute(
                    select(OrderExternalRef.id)
                    .join(OrderLine, OrderLine.id == OrderExternalRef.order_line_id)
                    .where(
                        (OrderExternalRef.qty != OrderLine.qty)
                        | (OrderExternalRef.order_id != OrderLine.order_id)
                    )
                ).all()
                == []
            )
            assert (
                s.execute(
                    select(OrderLine.id)
                    .join(Order, Order.id == OrderLine.order_id)
                    .outerjoin(OrderExternalRef, OrderExternalRef.order_line_id == OrderLine.id)
                    .where(Order.split_from_id.is_not(None), OrderExternalRef.id.is_(None))
                ).all()
                == []
            )
            assert (
                s.execute(
                    select(OrderExternalRef.order_line_id)
                    .group_by(OrderExternalRef.order_line_id)
                    .having(func.count() > 1)
                ).all()
                == []
            )


def _run(new_database: Callable[[], str], home: Path, examples: int, steps: int) -> None:
    OrdersAndStock.new_database = staticmethod(new_database)  # type: ignore[assignment]
    OrdersAndStock.home = home
    test = OrdersAndStock.TestCase
    test.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    test().runTest()


@pytest.mark.slow
def test_stock_invariants_hold_over_random_order_operations_on_sqlite(
    sqlite_template: Path, tmp_path: Path
) -> None:
    counter = iter(range(1_000_000))

    def fresh() -> str:
        target = tmp_path / f"db{next(counter)}.sqlite"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"

    _run(fresh, tmp_path, examples=40, steps=25)


@pytest.mark.postgres
@pytest.mark.slow
def test_stock_invariants_hold_over_random_order_operations_on_postgresql(
    pg_migrated: str, tmp_path: Path
) -> None:
    def fresh() -> str:
        _truncate_pg(pg_migrated)
        return pg_migrated

    _run(fresh, tmp_path, examples=20, steps=25)
