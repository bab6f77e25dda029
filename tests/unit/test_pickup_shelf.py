"""The pickup shelf's slots: names and ranges in the packing settings, the lowest free one."""

from __future__ import annotations

import pytest

from app.domain.pack_settings import PackSettings
from app.domain.pickup_shelf import BadSlots, expand_slots, lowest_free


def test_shelf_slots_are_written_as_names_and_ranges_that_keep_their_shape() -> None:
    assert expand_slots("P-01..P-03, COUNTER，Q-9..Q-10") == (
        "P-01", "P-02", "P-03", "COUNTER", "Q-9", "Q-10",
    )  # fmt: skip
    assert expand_slots("") == ()
    assert lowest_free(expand_slots("P-01..P-04"), {"P-01", "P-03"}) == "P-02"
    assert lowest_free(("A",), {"A"}) == ""


@pytest.mark.parametrize("text", ["P-9..Q-10", "P-10..P-01", "P-1..P-99999", "P..Q"])
def test_a_slot_list_that_cannot_be_read_is_refused_with_the_packing_settings(text: str) -> None:
    with pytest.raises(BadSlots):
        PackSettings(pickup_slots=text)
