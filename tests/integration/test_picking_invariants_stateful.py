"""The stock invariants hold through picking, over random sequences of scans (hypothesis,
stateful): the right next scan, wrong scans of every kind, skips, short picks with their
reasons, cancelled shorts, stock taken away or received while the batch is being picked.

After every step: on-hand is the sum of the ledger, 0 <= reserved <= on-hand, reserved is the
sum of the reservations; no order line has more reserved than it orders; every unit a task
picked is in a tote (the totes hold exactly the units picked) and reserved there for its order;
a task never has more in hand and picked than it needs; the batch is picked exactly when no task
is open or skipped, and an order is picked only then.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import (
    Location,
    Order,
    OrderLine,
    PickBatch,
    PickTask,
    PickTaskPart,
    Reservation,
    StockLevel,
)
from app.domain.errors import PackdeskError
from app.domain.users import Actor, Role
from app.services import auth, pick_claim, picking, scanning, stock
from app.services.picking import PickView
from tests.conftest import _truncate_pg, make_actor
from tests.order_action_fixtures import receive
from tests.wave_fixtures import add_pick_location, build_wave

NOISE = (
    "LOC-A-01",
    "LOC-B-02",
    "LOC-C-03",
    "LOC-C-19",
    "CUP-1",
    "PEN-1",
    "BAG-1",
    "C12-01",
    "C12-02",
    "C12-03",
    "PD-CMD-QTY-1",
    "PD-CMD-QTY-2",
    "PD-CMD-QTY-3",
    "PD-CMD-SKIP",
    "PD-CMD-SHORT",
    "PD-CMD-CANCEL",
    "PD-REASON-EMPTY",
    "PD-REASON-DAMAGED",
    "PD-REASON-NOTFOUND",
    "NOT-A-BARCODE",
)


class Picking(RuleBasedStateMachine):
    new_database: ClassVar[Callable[[], str]]
    home: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        self.services: Services = bootstrap(
            Settings(db_url=type(self).new_database(), station="prop"),
            Paths(self.home / "c", self.home / "d", self.home / "l"),
        )
        self.picker: Actor
        self.admin: Actor
        self.batch_id = 0

    @initialize()
    def a_claimed_batch(self) -> None:
        svc = self.services
        svc.run(auth.create_first_admin, "admin", "correct-horse-9", svc.station_id)
        self.admin = svc.run(auth.login, "admin", "correct-horse-9", svc.station_id)
        build_wave(svc, self.admin, stock=4)
        add_pick_location(svc, "C-19", "C", 19.0)
        self.picker = make_actor(svc, self.admin, Role.PICKER)
        claimed = svc.run(pick_claim.get_work, self.picker)
        assert claimed is not None
        self.batch_id = claimed.batch_id

    def teardown(self) -> None:
        self.services.close()

    def _view(self) -> PickView:
        return self.services.run(picking.pick_view, self.picker, self.batch_id)

    def _scan(self, text: str) -> None:
        event = self.services.run(scanning.classify, text)
        try:
            self.services.run(picking.pick_scan, self.picker, self.batch_id, event)
        except PackdeskError as exc:  # only "nothing left to pick" is an operator's answer here
            assert "nothing left" in exc.message or "not being picked" in exc.message, exc.message

    @rule()
    def the_right_scan(self) -> None:
        task = self._view().task
        if task is None:
            return
        if task.step == "location":
            self._scan(f"LOC-{task.location}")
        elif task.step == "product" or (task.step == "qty" and task.held_qty == 0):
            self._scan(task.sku)
        elif task.step == "qty":
            self._scan(f"PD-CMD-QTY-{task.qty - task.qty_picked}")
        elif task.step == "tote":
            self._scan(task.tote)
        else:
            self._scan("PD-REASON-EMPTY")

    @rule(text=st.sampled_from(NOISE))
    def any_scan(self, text: str) -> None:
        self._scan(text)

    @rule(where=st.sampled_from(("A-01", "B-02", "C-03")), qty=st.integers(1, 3))
    def stock_taken_away(self, where: str, qty: int) -> None:
        sku = {"A-01": "CUP-1", "B-02": "PEN-1", "C-03": "BAG-1"}[where]
        with contextlib.suppress(PackdeskError):  # reserved units cannot go: refused
            self.services.run(stock.adjust, self.admin, where, sku, -qty)

    @rule(sku=st.sampled_from(("CUP-1", "PEN-1", "BAG-1")), qty=st.integers(1, 3))
    def stock_received_elsewhere(self, sku: str, qty: int) -> None:
        receive(self.services, self.admin, "C-19", sku, qty)

    @invariant()
    def stock_rules_hold(self) -> None:
        assert self.services.run(stock.check_stock_invariants) == []

    @invariant()
    def picked_units_are_in_the_totes_reserved_for_their_orders(self) -> None:
        with self.services.uow() as uow:
            s = uow.session
            picked = s.scalar(select(func.coalesce(func.sum(PickTask.qty_picked), 0)))
            in_totes = s.execute(
                select(
                    func.coalesce(func.sum(StockLevel.on_hand), 0),
                    func.coalesce(func.sum(StockLevel.reserved), 0),
                )
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.kind == "tote")
            ).one()
            assert tuple(in_totes) == (picked, picked)
            over = s.execute(
                select(OrderLine.id)
                .join(Reservation, Reservation.order_line_id == OrderLine.id)
                .group_by(OrderLine.id, OrderLine.qty)
                .having(func.sum(Reservation.qty) > OrderLine.qty)
            ).all()
            assert over == []

    @invariant()
    def tasks_stay_within_their_quantities(self) -> None:
        with self.services.uow() as uow:
            s = uow.session
            for task in s.scalars(select(PickTask)):
                assert 0 <= task.qty_picked + task.held_qty <= task.qty
                parts = s.scalar(
                    select(func.coalesce(func.sum(PickTaskPart.qty_picked), 0)).where(
                        PickTaskPart.task_id == task.id
                    )
                )
                assert parts == task.qty_picked
                if task.status == "done":
                    assert task.qty_picked == task.qty

    @invariant()
    def the_batch_closes_exactly_when_nothing_is_left(self) -> None:
        with self.services.uow() as uow:
            s = uow.session
            left = s.scalar(
                select(func.count(PickTask.id)).where(PickTask.status.in_(["open", "skipped"]))
            )
            status = s.scalar(select(PickBatch.status).where(PickBatch.id == self.batch_id))
            assert (status == "picked") == (left == 0)
            picked_orders = s.scalar(select(func.count(Order.id)).where(Order.status == "picked"))
            assert status == "picked" or picked_orders == 0


def _run(fresh: Callable[[], str], home: Path, examples: int, steps: int) -> None:
    Picking.new_database = staticmethod(fresh)  # type: ignore[assignment]
    Picking.home = home
    test = Picking.TestCase
    test.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    test().runTest()


@pytest.mark.slow
def test_stock_invariants_hold_over_random_pick_scans_on_sqlite(
    sqlite_template: Path, tmp_path: Path
) -> None:
    counter = iter(range(1_000_000))

    def fresh() -> str:
        target = tmp_path / f"db{next(counter)}.sqlite"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"

    _run(fresh, tmp_path, examples=10, steps=30)


@pytest.mark.postgres
@pytest.mark.slow
def test_stock_invariants_hold_over_random_pick_scans_on_postgresql(
    pg_migrated: str, tmp_path: Path
) -> None:
    def fresh() -> str:
        _truncate_pg(pg_migrated)
        return pg_migrated

    _run(fresh, tmp_path, examples=10, steps=30)
