import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import NegativeStock, OverReservation, StockError
from app.domain.stock import (
    StockPosition,
    apply_movement,
    consume_reserved,
    on_hand_from_ledger,
    reserve,
    unreserve,
)


def test_receipt_then_reserve_then_pick_keeps_the_invariants() -> None:
    pos = apply_movement(StockPosition(), 10)
    pos = reserve(pos, 4)
    assert (pos.on_hand, pos.reserved, pos.free) == (10, 4, 6)
    pos = consume_reserved(pos, 4)
    assert (pos.on_hand, pos.reserved) == (6, 0)


def test_stock_never_goes_negative() -> None:
    with pytest.raises(NegativeStock) as err:
        apply_movement(StockPosition(3, 0), -4, sku="SKU1", location="A-01")
    assert "SKU1" in err.value.message and "A-01" in err.value.message


def test_reserved_never_exceeds_on_hand() -> None:
    with pytest.raises(OverReservation):
        reserve(StockPosition(5, 3), 3)
    with pytest.raises(OverReservation):
        apply_movement(StockPosition(5, 3), -3)


def test_releasing_more_than_reserved_is_an_error() -> None:
    with pytest.raises(StockError):
        unreserve(StockPosition(5, 1), 2)
    with pytest.raises(StockError):
        reserve(StockPosition(5, 0), 0)


ops = st.lists(
    st.tuples(st.sampled_from(["move", "reserve", "unreserve", "pick"]), st.integers(-20, 20)),
    max_size=60,
)


@given(ops)
def test_any_sequence_of_operations_keeps_on_hand_equal_to_the_ledger_and_reserved_within(
    sequence: list[tuple[str, int]],
) -> None:
    pos, ledger = StockPosition(), []
    for op, n in sequence:
        try:
            if op == "move":
                new = apply_movement(pos, n)
                if n:
                    ledger.append(n)
            elif op == "reserve":
                new = reserve(pos, n)
            elif op == "unreserve":
                new = unreserve(pos, n)
            else:
                new = consume_reserved(pos, n)
                ledger.append(-n)
        except StockError:
            continue
        pos = new
        pos.check()
        assert pos.on_hand == on_hand_from_ledger(ledger)
        assert 0 <= pos.reserved <= pos.on_hand
