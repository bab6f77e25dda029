"""The pick scan sequence: location, product (lot, serials), quantity, tote; refusals, skip and
short; and, for any scans at all, the state never breaks its bounds and replays the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.picking import (
    PICK_MESSAGES,
    SHORT_STEP,
    Effect,
    LotOption,
    PickInput,
    Refusal,
    Rules,
    TaskState,
    accept,
    parse_reason,
    replay,
)
from app.domain.scans import Command, ScanKind
from app.domain.waves import ShortReason, TaskStep

TODAY = date(2026, 12, 6)
RULES = Rules(TODAY, min_shelf_life_days=30)
TASK = TaskState(
    location_id=7, location="A-01-02", product_id=3, sku="CUP-500", qty=3, qty_picked=0,
    tote="TOTE-0001",
)  # fmt: skip
LOC = PickInput(ScanKind.LOCATION, entity_id=7, code="A-01-02")
OTHER_LOC = PickInput(ScanKind.LOCATION, entity_id=8, code="A-01-03")
ITEM = PickInput(ScanKind.PRODUCT, entity_id=3, code="CUP-500", quantity=1)
OTHER_ITEM = PickInput(ScanKind.PRODUCT, entity_id=4, code="PEN-1", quantity=1)
TOTE = PickInput(ScanKind.TOTE, code="TOTE-0001")
OTHER_TOTE = PickInput(ScanKind.TOTE, code="TOTE-0002")


def cmd(command: Command, qty: int | None = None) -> PickInput:
    return PickInput(ScanKind.COMMAND, command=command, quantity=qty)


def test_location_then_each_unit_then_the_tote_puts_the_units_in() -> None:
    outs = replay(TASK, [LOC, ITEM, ITEM, ITEM, TOTE], RULES)
    assert [o.accepted for o in outs] == [True] * 5
    assert [o.state.step for o in outs if o.state] == ["product", "qty", "qty", "tote", "location"]
    put = outs[-1]
    assert put.effect is Effect.PUT and put.put_qty == 3
    assert put.state is not None and put.state.qty_picked == 3 and put.state.held_qty == 0


def test_a_quantity_command_counts_the_units_in_hand() -> None:
    outs = replay(TASK, [LOC, ITEM, cmd(Command.QUANTITY, 3), TOTE], RULES)
    assert all(o.accepted for o in outs) and outs[-1].put_qty == 3


def test_a_wrong_location_product_tote_and_too_many_are_refused_and_change_nothing() -> None:
    assert accept(TASK, OTHER_LOC, RULES).refusal is Refusal.WRONG_LOCATION
    at = accept(TASK, LOC, RULES).state
    assert at is not None
    wrong = accept(at, OTHER_ITEM, RULES)
    assert wrong.refusal is Refusal.WRONG_PRODUCT and wrong.state == at
    assert "PEN-1" in PICK_MESSAGES[wrong.message].format(**wrong.params)
    full = replay(at, [ITEM, cmd(Command.QUANTITY, 3)], RULES)[-1].state
    assert full is not None
    assert accept(full, ITEM, RULES).refusal is Refusal.TOO_MANY
    assert accept(full, OTHER_TOTE, RULES).refusal is Refusal.WRONG_TOTE
    assert accept(at, cmd(Command.QUANTITY, 1), RULES).refusal is Refusal.NOT_EXPECTED
    held = accept(at, ITEM, RULES).state
    assert held is not None
    assert accept(held, cmd(Command.QUANTITY, 4), RULES).refusal is Refusal.TOO_MANY


def test_a_tote_scan_with_part_of_the_units_puts_them_and_the_task_goes_on() -> None:
    out = replay(TASK, [LOC, ITEM, TOTE], RULES)[-1]
    assert out.effect is Effect.PUT and out.put_qty == 1
    assert out.state is not None and out.state.step == "product" and out.state.remaining == 2


LOT_TASK = replace(TASK, lot_tracked=True, expiry_tracked=True, lot_id=11, lot="L1")


def lot_scan(lot: str, option: LotOption | None = None) -> PickInput:
    return replace(ITEM, lot=lot, lot_option=option)


def test_a_lot_tracked_product_needs_its_lot_and_another_lot_only_when_the_rules_allow() -> None:
    at = accept(LOT_TASK, LOC, RULES).state
    assert at is not None
    assert accept(at, ITEM, RULES).refusal is Refusal.WRONG_LOT
    assert accept(at, lot_scan("L1"), RULES).accepted
    good = LotOption(12, "L2", free_here=5, expiry=TODAY + timedelta(days=90))
    swapped = accept(at, lot_scan("L2", good), RULES)
    assert swapped.accepted and swapped.effect is Effect.SWAP_LOT and swapped.lot_id == 12
    assert swapped.state is not None and swapped.state.lot == "L2"
    too_short_lived = replace(good, expiry=TODAY + timedelta(days=10))
    assert accept(at, lot_scan("L2", too_short_lived), RULES).refusal is Refusal.WRONG_LOT
    too_few = replace(good, free_here=2)
    assert accept(at, lot_scan("L2", too_few), RULES).refusal is Refusal.WRONG_LOT
    assert accept(at, lot_scan("L9", None), RULES).refusal is Refusal.WRONG_LOT
    holding = accept(at, lot_scan("L1"), RULES).state
    assert holding is not None
    assert accept(holding, lot_scan("L2", good), RULES).refusal is Refusal.WRONG_LOT


def test_a_serial_tracked_product_needs_each_serial_once() -> None:
    task = replace(TASK, serial_tracked=True, qty=2)
    at = accept(task, LOC, RULES).state
    assert at is not None
    assert accept(at, ITEM, RULES).refusal is Refusal.NEEDS_SERIAL
    one = accept(at, replace(ITEM, serial="S1"), RULES).state
    assert one is not None and one.serials == ("S1",)
    assert accept(one, replace(ITEM, serial="S1"), RULES).refusal is Refusal.REPEATED_SERIAL
    assert accept(one, cmd(Command.QUANTITY, 2), RULES).refusal is Refusal.NEEDS_SERIAL
    two = accept(one, replace(ITEM, serial="S2"), RULES).state
    assert two is not None and two.step == "tote" and two.serials == ("S1", "S2")


def test_skip_and_short_need_empty_hands_and_short_waits_for_a_reason() -> None:
    at = accept(TASK, LOC, RULES).state
    assert at is not None
    holding = accept(at, ITEM, RULES).state
    assert holding is not None
    assert accept(holding, cmd(Command.SKIP), RULES).refusal is Refusal.HANDS_FULL
    assert accept(holding, cmd(Command.SHORT), RULES).refusal is Refusal.HANDS_FULL
    assert accept(at, cmd(Command.SKIP), RULES).effect is Effect.SKIP
    short = accept(at, cmd(Command.SHORT), RULES).state
    assert short is not None and short.step == SHORT_STEP
    assert accept(short, ITEM, RULES).refusal is Refusal.NEEDS_REASON
    reason = PickInput(ScanKind.UNKNOWN, text="PD-REASON-DAMAGED", reason=ShortReason.DAMAGED)
    done = accept(short, reason, RULES)
    assert done.effect is Effect.SHORT and done.reason is ShortReason.DAMAGED
    back = accept(short, cmd(Command.CANCEL), RULES).state
    assert back is not None and back.step == TaskStep.LOCATION


def test_reason_barcodes_are_read_whatever_the_letter_case() -> None:
    assert parse_reason("pd-reason-notfound") is ShortReason.NOT_FOUND
    assert parse_reason("PD-REASON-EMPTY") is ShortReason.EMPTY
    assert parse_reason("PD-REASON-LOST") is None


def test_every_message_fills_with_its_values() -> None:
    at = accept(TASK, LOC, RULES).state
    assert at is not None
    for scan in (OTHER_LOC, LOC, ITEM, OTHER_ITEM, TOTE, OTHER_TOTE, cmd(Command.SHORT)):
        for state in (TASK, at):
            out = accept(state, scan, RULES)
            assert PICK_MESSAGES[out.message].format(**out.params)


SCANS = st.sampled_from(
    [
        LOC,
        OTHER_LOC,
        ITEM,
        OTHER_ITEM,
        TOTE,
        OTHER_TOTE,
        replace(ITEM, quantity=2),
        cmd(Command.QUANTITY, 1),
        cmd(Command.QUANTITY, 2),
        cmd(Command.QUANTITY, 5),
        cmd(Command.SKIP),
        cmd(Command.SHORT),
        cmd(Command.CANCEL),
        cmd(Command.NEXT),
        PickInput(ScanKind.UNKNOWN, text="NOPE"),
        PickInput(ScanKind.UNKNOWN, text="PD-REASON-EMPTY", reason=ShortReason.EMPTY),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SCANS, max_size=25), st.integers(min_value=1, max_value=6))
def test_any_scans_keep_the_task_within_bounds_and_replay_the_same(
    scans: list[PickInput], qty: int
) -> None:
    task = replace(TASK, qty=qty)
    outs = replay(task, scans, RULES)
    assert outs == replay(task, scans, RULES)
    state, put = task, 0
    for out in outs:
        assert out.state is not None
        if not out.accepted:
            assert out.state == state and out.effect is Effect.NONE and out.refusal is not None
        new = out.state
        assert new.held_qty >= 0 and new.qty_picked >= 0 and new.qty_picked + new.held_qty <= qty
        assert new.qty_picked >= state.qty_picked
        if out.effect is Effect.PUT:
            put += out.put_qty
            assert out.put_qty == state.held_qty > 0 and new.held_qty == 0
        if out.effect in (Effect.SKIP, Effect.SHORT):
            assert state.held_qty == 0
        assert PICK_MESSAGES[out.message].format(**out.params)
        state = new
    assert put == state.qty_picked
