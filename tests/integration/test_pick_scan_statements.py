"""A pick scan is a handful of statements (it was 14 to 37 on PostgreSQL): the batch with its
current task and everything that task needs is read in one, the task written in one, and the
batch's tasks for the screen read in one, with the layout. A put adds its stock moves, with
both levels locked in one statement and the parts read with their reservations in one. A
regression (a lazy load, a re-read, a statement per task) shows here before it shows in the
eight-station benchmark."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from app.bootstrap import Services
from app.domain.users import Actor, Role
from app.services import picking, scanning, stock
from tests.conftest import make_actor
from tests.integration.test_picking import tea
from tests.pick_fixtures import BARCODES, picking_batch

#: the batch with its current task, the task's update, its tasks, the layout; the first scan
#: of a batch also stamps its start (+ BEGIN and PRAGMAs on SQLite)
MOST_STEP = {"sqlite": 7, "postgresql": 5}
#: a step, and a lot scanned: the lot and its free stock at the location
MOST_LOT = {"sqlite": 8, "postgresql": 6}
#: a step, and the put: the tote's location (made on first use: 4 more), both levels locked in
#: one statement (a new level is made and returned in one more), the parts with their
#: reservations in one, and the writes (the reservation moved with its units, ledger, levels,
#: audit, task, parts)
MOST_PUT = {"sqlite": 20, "postgresql": 17}


def sent_by(services: Services, fn: Any, *args: Any) -> tuple[Any, list[str]]:
    sent: list[str] = []

    def count(*a: Any) -> None:
        sent.append(str(a[2]))

    event.listen(services.engine, "before_cursor_execute", count)
    try:
        out = services.run(fn, *args)
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
    return out, sent


def first_lines(sent: list[str]) -> str:
    return "\n".join(s.split("\n")[0][:100] for s in sent)


@pytest.mark.parametrize("raw", [False, True], ids=["classified first", "as read"])
def test_each_scan_of_a_batch_sends_a_handful_of_statements(
    services: Services, admin: Actor, raw: bool
) -> None:
    """Classified first (the pick screen: the scan pipeline classified it), or as read: then
    its look-up is one statement more in the same unit of work (no transaction of its own)."""
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    backend = services.engine.dialect.name
    # the last task's put closes the batch, its orders and its wave: not counted here
    texts = [
        "LOC-A-01",
        BARCODES["CUP-1"],
        BARCODES["CUP-1"],
        "TOTE-0001",  # a new tote: its location and level are made
        "LOC-A-02",
        tea("L1"),  # a lot: its free stock at the location is read
        "TOTE-0001",  # the tote in use
        "LOC-B-01",
        BARCODES["PEN-1"],
    ]
    counts: list[int] = []
    for text in texts:
        given = text if raw else services.run(scanning.classify, text)
        out, sent = sent_by(services, picking.pick_scan, picker, setup.batch_id, given)
        assert out.accepted, (text, out.message, out.params)
        counts.append(len(sent))
        most = MOST_PUT if text == "TOTE-0001" else MOST_LOT if "L1" in text else MOST_STEP
        assert len(sent) <= most[backend] + raw, f"{text}:\n{first_lines(sent)}"
    steps = [n for n, t in zip(counts, texts, strict=True) if t.startswith(("LOC", "59", "40"))]
    assert max(steps) - min(steps) <= 1, counts  # only the first stamps the batch's start
    assert counts[6] < counts[3], counts  # the tote in use costs less than a new one
    assert services.run(stock.check_stock_invariants) == []


def test_a_scan_as_read_is_classified_as_the_pipeline_would_and_refused_the_same(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    wrong = services.run(picking.pick_scan, picker, setup.batch_id, "LOC-B-01")
    assert not wrong.accepted and wrong.refusal, wrong
    # a NUL from a faulty cable: refused and audited (PostgreSQL keeps no NUL in JSON), both ways
    garbled = services.run(picking.pick_scan, picker, setup.batch_id, "LOC\x00A")
    assert not garbled.accepted and garbled.refusal
    event_ = services.run(scanning.classify, "LOC\x00A")
    assert not services.run(picking.pick_scan, picker, setup.batch_id, event_).accepted
    right = services.run(picking.pick_scan, picker, setup.batch_id, "LOC-A-01")
    assert right.accepted and right.view.task is not None
    assert right.view.task.step == "product"
    item = services.run(picking.pick_scan, picker, setup.batch_id, BARCODES["CUP-1"])
    assert item.accepted and item.view.task is not None and item.view.task.held_qty == 1
