"""The pack station's verification rules: which line a scan ticks off, what is refused, and
what the station waits for next."""

from __future__ import annotations

from app.domain import packing as rules
from app.domain.packing import LineState, StationState, contents_key, match_scan, next_step


def test_the_contents_key_sums_a_products_units_and_sorts_by_product() -> None:
    assert contents_key([(7, 1), (3, 2), (7, 2)]) == "3:2,7:3"
    assert contents_key([]) == ""


def test_a_scan_goes_to_the_first_line_of_its_product_with_units_left() -> None:
    lines = [LineState(1, 10, 1, 1), LineState(2, 10, 2, 0), LineState(3, 11, 1, 0)]
    assert match_scan(lines, 10, 1) == rules.Match(2, "")
    assert match_scan(lines, 12, 1).refusal == rules.WRONG_ITEM
    done = [LineState(1, 10, 1, 1)]
    assert match_scan(done, 10, 1).refusal == rules.OVER_SCAN
    assert match_scan([LineState(2, 10, 2, 1)], 10, 2).refusal == rules.OVER_SCAN


def test_a_lot_must_be_one_the_units_were_picked_in_with_units_left() -> None:
    line = LineState(1, 10, 3, 1, lots={"L1": 1, "L2": 2}, verified_lots={"L1": 1})
    assert match_scan([line], 10, 1, "L2") == rules.Match(1, "L2")
    wrong = match_scan([line], 10, 1, "L1")
    assert wrong.refusal == rules.WRONG_LOT and wrong.expected_lots == ("L2",)
    assert match_scan([line], 10, 1, "L9").refusal == rules.WRONG_LOT
    # a scan without a lot takes a picked lot with units left
    assert match_scan([line], 10, 1) == rules.Match(1, "L2")
    # a line picked without lots does not check them
    assert match_scan([LineState(1, 10, 1, 0)], 10, 1, "ANY") == rules.Match(1, "ANY")


def _state(**changes: object) -> StationState:
    base = {
        "session_open": True,
        "held": False,
        "serial_pending": False,
        "weight_stopped": False,
        "all_verified": False,
        "unlabelled_closed": 0,
        "current_items": 1,
        "needs_weight": True,
    }
    base.update(changes)
    return StationState(**base)  # type: ignore[arg-type]


def test_the_next_step_follows_the_rows() -> None:
    assert next_step(_state()) == rules.SCAN_ITEM
    assert next_step(_state(serial_pending=True, weight_stopped=True)) == rules.SCAN_SERIAL
    assert next_step(_state(weight_stopped=True)) == rules.OVERRIDE
    assert next_step(_state(all_verified=True)) == rules.WEIGH
    assert next_step(_state(all_verified=True, current_items=0)) == rules.RETRY
    assert next_step(_state(all_verified=True, needs_weight=False)) == rules.RETRY
    assert next_step(_state(session_open=False)) == rules.DONE
    assert next_step(_state(held=True, session_open=False)) == rules.HELD
