"""The sort wall's rules without a database: slot codes, slots by order age, where a unit goes,
refusals, completion; and the printed slot label sheet decoded barcode by barcode."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.domain.errors import ValidationError
from app.domain.sort_wall import (
    Need,
    UnitNotNeeded,
    WallSettings,
    WallTooSmall,
    WrongSlot,
    assign_slots,
    check_slot,
    slot_complete,
    target,
)
from app.labels.sort_wall_labels import slot_sheet


def test_slot_codes_are_the_prefix_and_the_zero_padded_number_and_read_back() -> None:
    wall = WallSettings()
    assert wall.slots == 24
    assert wall.slot_codes()[:2] == ["WALL-01", "WALL-02"] and wall.slot_code(24) == "WALL-24"
    assert wall.slot_of("WALL-07") == 7 and wall.slot_of("wall-07\r\n") == 7
    assert wall.slot_of("WALL-7") is None and wall.slot_of("WALL-25") is None
    assert wall.slot_of("TOTE-0007") is None
    big = WallSettings(rows=10, columns=12, prefix="SW")
    assert big.slot_code(7) == "SW007" and big.slot_of("SW120") == 120
    assert big.position(13) == (1, 0)


@pytest.mark.parametrize(
    ("rows", "columns", "prefix"), [(0, 4, "WALL-"), (4, 51, "WALL-"), (4, 4, "墙-"), (4, 4, "")]
)
def test_a_wall_of_no_size_or_a_prefix_a_scanner_cannot_send_is_refused(
    rows: int, columns: int, prefix: str
) -> None:
    with pytest.raises(ValidationError):
        WallSettings(rows, columns, prefix)


def test_the_oldest_order_gets_the_first_slot_and_a_small_wall_is_refused() -> None:
    assert assign_slots([42, 7, 9], 24) == {42: 1, 7: 2, 9: 3}
    with pytest.raises(WallTooSmall):
        assign_slots([1, 2, 3], 2)


NEEDS = [
    Need(part_id=1, order_id=10, slot=1, product_id=5, lot_id=None, picked=1, sorted=1),
    Need(part_id=2, order_id=11, slot=2, product_id=5, lot_id=None, picked=2, sorted=0),
    Need(part_id=3, order_id=12, slot=3, product_id=5, lot_id=None, picked=1, sorted=0),
    Need(part_id=4, order_id=12, slot=3, product_id=6, lot_id=8, picked=1, sorted=0),
]


def test_a_unit_goes_to_the_lowest_slot_still_needing_it_and_a_lot_narrows_it() -> None:
    first = target(NEEDS, 5)
    assert first is not None and first.slot == 2  # slot 1 has its unit already
    assert target(NEEDS, 6, lot_id=8) is not None
    assert target(NEEDS, 6, lot_id=9) is None
    assert target(NEEDS, 99) is None


def test_a_slot_is_complete_when_every_picked_unit_of_its_order_is_in_it() -> None:
    assert slot_complete(NEEDS, 10)
    assert not slot_complete(NEEDS, 12)
    assert not slot_complete(NEEDS, 999)


def test_a_wrong_slot_names_the_right_one_and_an_unneeded_unit_says_what_to_do() -> None:
    check_slot(3, 3, "CUP-500")
    with pytest.raises(WrongSlot) as wrong:
        check_slot(3, 2, "CUP-500")
    assert "goes into slot 3, not slot 2" in wrong.value.message
    assert "put the unit aside and tell a supervisor" in UnitNotNeeded(sku="CUP-500").message


def test_the_slot_label_sheet_decodes_every_slot_barcode_on_a4_pages() -> None:
    wall = WallSettings(rows=3, columns=5, prefix="SW-")
    doc = pdfium.PdfDocument(slot_sheet(wall))
    assert len(doc) == 2  # eight labels a page
    found: list[str] = []
    for page in doc:
        width, height = page.get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        image = page.render(scale=150 / 72).to_pil().convert("L")
        found += [r.text for r in zxingcpp.read_barcodes(image) if r.symbology_identifier == "]C0"]
    assert sorted(found) == wall.slot_codes()
    text = doc[0].get_textpage().get_text_range()
    assert "格口" in text and "SW-01" in text
