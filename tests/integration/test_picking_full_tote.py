"""A full tote during a pick-to-tote walk, on SQLite and PostgreSQL: FULL TOTE, then an empty
tote takes the full one's place for the rest of the order; another order's tote or the full tote
itself is refused; the order's units end up in both totes, still reserved for it; a bulk tote
cannot be swapped."""

from __future__ import annotations

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, WaveOrder
from app.domain.users import Actor, Role
from app.services import stock
from tests.conftest import make_actor
from tests.integration.test_picking import level, scan, scans
from tests.pick_fixtures import BARCODES, picking_batch


def test_a_full_tote_is_replaced_by_an_empty_one_for_the_rest_of_the_order(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    first = scans(services, picker, setup, "LOC-A-01", BARCODES["CUP-1"], "TOTE-0001")
    assert [r.accepted for r in first] == [True, True, True]
    # one cup in tote 1; the tote is full with the second cup in hand
    full = scans(services, picker, setup, BARCODES["CUP-1"], "PD-CMD-FULLTOTE")
    assert [r.accepted for r in full] == [True, True]
    assert full[-1].view.task is not None and full[-1].view.task.step == "new_tote"
    assert "TOTE-0001" in full[-1].template.format(**full[-1].params)
    refused = scans(
        services,
        picker,
        setup,
        BARCODES["CUP-1"],  # not a tote
        "TOTE-0001",  # the full one
        "TOTE-0002",  # the other order's tote
    )
    assert [(r.accepted, r.refusal) for r in refused] == [
        (False, "needs_new_tote"),
        (False, "same_tote"),
        (False, "tote_not_empty"),
    ]
    swapped = scan(services, picker, setup, "TOTE-0031")
    assert swapped.accepted and swapped.message == "new_tote_ok"
    assert swapped.view.task is not None and swapped.view.task.tote == "TOTE-0031"
    put = scan(services, picker, setup, "TOTE-0031")  # the cup in hand goes into the new tote
    assert put.accepted and put.message == "put_ok"
    assert scan(services, picker, setup, "LOC-A-02").accepted  # the next task, same order
    assert level(services, "TOTE-0001", "CUP-1") == (1, 1)
    assert level(services, "TOTE-0031", "CUP-1") == (1, 1)
    with services.uow() as uow:
        s = uow.session
        codes = s.scalars(
            select(WaveOrder.tote_code)
            .where(WaveOrder.batch_id == setup.batch_id)
            .order_by(WaveOrder.tote_slot)
        ).all()
        audit = s.scalars(select(AuditEntry.after).where(AuditEntry.action == "pick.full_tote"))
        assert [a["tote"] for a in audit if a] == ["TOTE-0031"]
    assert codes == ["TOTE-0031", "TOTE-0002"]
    assert services.run(stock.check_stock_invariants) == []


def test_a_full_tote_can_be_cancelled_and_the_full_tote_itself_is_refused_as_its_successor(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    done = scans(
        services,
        picker,
        setup,
        "LOC-A-01",
        BARCODES["CUP-1"],
        BARCODES["CUP-1"],
        "TOTE-0001",
        "PD-CMD-FULLTOTE",
        "PD-CMD-CANCEL",
    )
    assert [r.accepted for r in done] == [True] * 6
    assert done[-1].message == "new_tote_cancelled"
    assert done[-1].view.task is not None and done[-1].view.task.step == "location"
    again = scans(services, picker, setup, "PD-CMD-FULLTOTE", "TOTE-0001")
    assert (again[1].accepted, again[1].refusal) == (False, "same_tote")


def test_a_bulk_tote_cannot_be_swapped_during_the_walk(services: Services, admin: Actor) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker, method="single_unit")
    refused = scan(services, picker, setup, "PD-CMD-FULLTOTE")
    assert (refused.accepted, refused.refusal) == (False, "bulk_tote")
    assert "TOTE-0900" in refused.template.format(**refused.params)
