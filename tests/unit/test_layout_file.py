"""Layout files without a database: TOML and CSV read the same, problems carry the row (CSV)
or the line of the entry (TOML), and the shape of the layout is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.importers import layout_file
from app.importers.layout_file import LAYOUT_FILE_MESSAGES as M
from app.importers.layout_file import BadToml, NotALayoutFile
from app.resources import resource

LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"

GOOD = """[warehouse]
code = "WH1"

[[aisle]]
code = "A"
x = 0
y_from = 0
y_to = 10

[[cross_aisle]]
y = 0

[[cross_aisle]]
y = 10

[[depot]]
code = "D"
x = 0
y = 0
"""


def test_the_toml_and_csv_samples_say_the_same_thing() -> None:
    toml = layout_file.read(LAYOUTS / "single_block.toml")
    csv = layout_file.read(LAYOUTS / "single_block.csv")
    assert toml.problems == () and csv.problems == ()
    assert (toml.row_word, csv.row_word) == ("line", "row")

    def strip(layout: layout_file.LayoutFile) -> list[object]:
        return [
            [(a.code, a.x, a.y_from, a.y_to) for a in layout.aisles],
            [(c.y, c.name) for c in layout.cross_aisles],
            [(d.code, d.name, d.x, d.y, d.default) for d in layout.depots],
            [(z.code, z.name, z.colour) for z in layout.zones],
            [(loc.code, loc.aisle, loc.y, loc.x) for loc in layout.locations],
            layout.warehouse,
        ]

    assert strip(toml) == strip(csv)


def test_the_demo_layout_has_no_problem_and_three_cross_aisles() -> None:
    demo = layout_file.read(resource("layouts", "demo.toml"))
    assert demo.problems == ()
    assert [c.name for c in demo.cross_aisles] == ["front", "middle", "back"]
    assert demo.default_depot == "PACK" and len(demo.aisles) == 16


def test_a_good_minimal_layout_has_no_problem_and_its_first_depot_is_the_default() -> None:
    layout = layout_file.parse_toml(GOOD)
    assert layout.problems == () and layout.default_depot == "D"


def test_a_toml_problem_is_at_the_line_of_its_entry() -> None:
    text = GOOD + '\n[[depot]]\ncode = "D"\nx = 4\ny = 3\n\n[[zone]]\ncode = "Z"\ncolour = "red"\n'
    layout = layout_file.parse_toml(text)
    lines = text.splitlines()
    second_depot = [i for i, line in enumerate(lines, 1) if line == "[[depot]]"][1]
    zone = lines.index("[[zone]]") + 1
    assert [(p.row, p.template) for p in layout.problems] == [
        (second_depot, M["duplicate"]),
        (second_depot, M["depot_off"]),
        (zone, M["bad_colour"]),
    ]


def test_an_unknown_toml_section_and_a_missing_number_are_reported() -> None:
    text = GOOD.replace("[[cross_aisle]]\ny = 10", "[[cross_aisles]]\ny = 10").replace(
        "y_to = 10", 'y_to = ""'
    )
    layout = layout_file.parse_toml(text)
    templates = {p.template for p in layout.problems}
    assert {M["not_toml_part"], M["no_number"], M["few_cross"]} <= templates
    no_number = next(p for p in layout.problems if p.template == M["no_number"])
    assert no_number.params == {"kind": "aisle", "field": "y_to"}
    assert no_number.row == text.splitlines().index("[[aisle]]") + 1


def test_two_default_depots_and_a_depot_off_the_cross_aisles_are_refused() -> None:
    text = GOOD.replace('code = "D"\nx = 0\ny = 0\n', 'code = "D"\nx = 0\ny = 0\ndefault = true\n')
    text += '\n[[depot]]\ncode = "E"\nx = 0\ny = 4\ndefault = true\n'
    reasons = [p.reason for p in layout_file.parse_toml(text).problems]
    assert reasons == [
        "Depot E at y 4 is not on a cross aisle (they are at y 0, 10). Put it on one.",
        "Depot E is the default too; only one depot can be. Mark one.",
    ]


def test_a_csv_without_a_kind_column_or_with_an_unknown_kind_is_reported_by_row() -> None:
    no_kind = layout_file.parse_csv("code,x\nA,1\n").problems
    assert [(p.row, p.template) for p in no_kind] == [(1, M["no_kind_column"])]
    text = "kind,code,x,y,y_from,y_to\naisle,A,0,,0,10\nshelf,S1,1,1,,\n"
    found = [(p.row, p.template) for p in layout_file.parse_csv(text).problems]
    assert (3, M["unknown_kind"]) in found


def test_a_csv_in_gb18030_with_chinese_names_reads(tmp_path: Path) -> None:
    text = (LAYOUTS / "single_block.csv").read_text(encoding="utf-8")
    path = tmp_path / "布局.csv"
    path.write_bytes(text.replace("Pack bench", "打包台").encode("gb18030"))
    layout = layout_file.read(path)
    assert layout.problems == () and layout.depots[0].name == "打包台"


def test_a_file_that_is_neither_toml_nor_csv_or_not_valid_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotALayoutFile):
        layout_file.read(tmp_path / "layout.xlsx")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[aisle]]\nx = = 1\n", encoding="utf-8")
    with pytest.raises(BadToml) as err:
        layout_file.read(bad)
    assert "line 2" in err.value.message
