import itertools

import pytest

from app.domain.errors import IllegalTransition
from app.domain.orders import TRANSITIONS, OrderStatus, can_transition, check_transition

S = OrderStatus
LEGAL = {
    (S.NEW, S.ON_HOLD),
    (S.NEW, S.RELEASED),
    (S.ON_HOLD, S.RELEASED),
    (S.RELEASED, S.ALLOCATED),
    (S.ALLOCATED, S.PICKING),
    (S.PICKING, S.PICKED),
    (S.PICKED, S.PACKING),
    (S.PACKING, S.PACKED),
    (S.PACKED, S.SHIPPED),
    (S.SHIPPED, S.DELIVERED),
}


def test_the_main_path_of_domain_md_is_legal() -> None:
    for cur, tgt in LEGAL:
        assert can_transition(cur, tgt), (cur, tgt)
        assert check_transition("PD1", cur, tgt) is tgt


@pytest.mark.parametrize("cur,tgt", list(itertools.product(S, S)))
def test_every_pair_is_either_in_the_table_or_raises_naming_both_states(cur: S, tgt: S) -> None:
    if tgt in TRANSITIONS[cur]:
        assert check_transition("PD1", cur, tgt) is tgt
    else:
        with pytest.raises(IllegalTransition) as err:
            check_transition("PD1", cur, tgt)
        assert cur.value in err.value.message and tgt.value in err.value.message
        assert "PD1" in err.value.message


def test_final_states_lead_nowhere_and_no_state_returns_to_new() -> None:
    assert not TRANSITIONS[S.CANCELLED] and not TRANSITIONS[S.RETURNED]
    assert all(S.NEW not in targets for targets in TRANSITIONS.values())


def test_a_shipped_order_cannot_be_cancelled_only_returned() -> None:
    assert not can_transition(S.SHIPPED, S.CANCELLED)
    assert can_transition(S.SHIPPED, S.RETURNED)


def test_an_unknown_status_is_an_illegal_transition_not_a_crash() -> None:
    with pytest.raises(IllegalTransition):
        check_transition("PD1", "new", "teleported")


def test_an_order_being_picked_or_packed_can_be_held_to_stop_and_put_back() -> None:
    from app.domain.orders import STOP_HOLDABLE

    for status in (S.PICKING, S.PICKED, S.PACKING, S.PACKED):
        assert can_transition(status, S.ON_HOLD), status
        assert status in STOP_HOLDABLE
    # once the parcel has left there is nothing to stop
    for status in (S.SHIPPED, S.DELIVERED, S.CANCELLED, S.RETURNED):
        assert not can_transition(status, S.ON_HOLD), status
