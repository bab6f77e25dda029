"""Matching a channel's line to a product mapping, and reading mapping files: no database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.listings import Listing, Mapping, MappingIndex, Part, match_key, part_prices
from app.importers import mapping_file
from app.importers.errors import NotAMappingFile

CUP = Part(1, "CUP-1", "Cup", 1)


def m(mid: int, channel: int | None, kind: str, text: str, *parts: Part) -> Mapping:
    return Mapping(mid, channel, kind, match_key(text), parts or (CUP,))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Ceramic   Mug\t- Blue ", "ceramic mug - blue"),
        ("ＣＥＲＡＭＩＣ　ＭＵＧ", "ceramic mug"),  # full-width letters and space
        ("茶具礼盒  组合装", "茶具礼盒 组合装"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_listing_texts_are_compared_without_case_width_or_extra_spaces(text: str, key: str) -> None:
    assert match_key(text) == key


def test_the_sku_is_tried_first_then_the_listing_id_then_the_title() -> None:
    index = MappingIndex([m(1, None, "title", "Thing"), m(2, None, "listing_id", "55")])
    assert index.find(7, Listing("S-1", "55", "Thing")).id == 2  # type: ignore[union-attr]
    index.add(m(3, None, "sku", "s-1"))
    assert index.find(7, Listing("S-1", "55", "Thing")).id == 3  # type: ignore[union-attr]
    assert index.find(7, Listing("S-2", "56", "thing")).id == 1  # type: ignore[union-attr]
    assert index.find(7, Listing("S-2", "56", "Other")) is None


def test_a_channels_own_mapping_wins_over_an_every_channel_one_of_the_same_kind() -> None:
    index = MappingIndex([m(1, None, "sku", "GIFT"), m(2, 7, "sku", "GIFT"), m(3, 8, "sku", "X")])
    assert index.find(7, Listing("GIFT")).id == 2  # type: ignore[union-attr]
    assert index.find(9, Listing("GIFT")).id == 1  # type: ignore[union-attr]
    assert index.find(9, Listing("X")) is None  # another channel's mapping


def test_a_new_mapping_proposes_the_sku_else_the_listing_id_else_the_title() -> None:
    assert Listing("S-1", "55", "T").proposed() == ("sku", "S-1")
    assert Listing(" ", "55", "T").proposed() == ("listing_id", "55")
    assert Listing("", "", " Thing ").proposed() == ("title", "Thing")


def test_a_packs_price_is_shared_by_its_units_to_the_cent() -> None:
    assert part_prices(Decimal("59.90"), [Part(1, "N", "N", 6)]) == [Decimal("9.98")]
    two = [Part(1, "A", "A", 1), Part(2, "B", "B", 3)]
    assert part_prices(Decimal("10.00"), two) == [Decimal("2.50"), Decimal("2.50")]


# --- mapping files ------------------------------------------------------------------------------


def test_consecutive_rows_of_one_listing_make_a_kit_and_a_later_repeat_a_new_mapping(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "Channel,Match,Listing,SKU,Units\n"
        ",title,Gift box,A-1,1\n"
        ",Title,gift  BOX,B-1,2\n"
        ",sku,X,A-1,6\n"
        ",title,Gift box,C-1,1\n",
        encoding="utf-8",
    )
    got = [(r.match_kind, r.listing, [(p.row, p.sku, p.units) for p in r.parts]) for r in
           mapping_file.read(path)]  # fmt: skip
    assert got == [
        ("title", "Gift box", [(2, "A-1", 1), (3, "B-1", 2)]),
        ("sku", "X", [(4, "A-1", 6)]),
        ("title", "Gift box", [(5, "C-1", 1)]),
    ]


@pytest.mark.parametrize(
    ("units", "ok"),
    [("6", True), ("", True), ("6.0", True), ("0", False), ("-1", False), ("1.5", False),
     ("six", False)],
)  # fmt: skip
def test_units_must_be_a_whole_number_above_zero(tmp_path: Path, units: str, ok: bool) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"match,listing,sku,units\nsku,X,A-1,{units}\n", encoding="utf-8")
    [row] = mapping_file.read(path)
    assert (row.problems == ()) is ok


def test_a_file_without_the_mapping_columns_names_the_missing_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("channel,listing\nx,y\n", encoding="utf-8")
    with pytest.raises(NotAMappingFile, match="match, sku"):
        mapping_file.read(path)


def test_written_rows_read_back_as_the_same_mappings(tmp_path: Path) -> None:
    import csv

    rows = mapping_file.write_rows(
        [
            ("淘宝", "title", "茶具礼盒", [("TEA-1", 2), ("CUP-1", 1)]),
            ("", "sku", "N-6", [("N", 6)]),
        ]
    )
    path = tmp_path / "m.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    back = [(r.channel, r.match_kind, r.listing, [(p.sku, p.units) for p in r.parts]) for r in
            mapping_file.read(path)]  # fmt: skip
    assert back == [
        ("淘宝", "title", "茶具礼盒", [("TEA-1", 2), ("CUP-1", 1)]),
        ("", "sku", "N-6", [("N", 6)]),
    ]
