"""``packdesk layout show|load`` and ``packdesk route`` through the real command line: exit
codes and every JSON key (a contract)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from tests.order_action_fixtures import add_location

LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    for code, kind in [
        ("A-01", "pickable"),
        ("A-02", "pickable"),
        ("B-01", "pickable"),
        ("C-01", "pickable"),
        ("S-01", "storage"),
        ("R-01", "receiving"),
    ]:
        add_location(svc, code, kind)
    yield svc
    svc.close()


def _cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), *args])


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_layout_load_json_counts_what_was_loaded(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "layout", "load", str(LAYOUTS / "single_block.csv"), "--json") == 0
    assert _json(capsys) == {
        "warehouse": "WH1",
        "aisles": 3,
        "cross_aisles": 2,
        "depots": 1,
        "zones": 2,
        "locations": 5,
        "problems": [],
    }


def test_a_bad_layout_file_exits_2_with_every_problem_by_row(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "layout", "load", str(LAYOUTS / "bad.csv"), "--json") == 2
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["aisles"] == 0 and data["locations"] == 0
    assert [p["row"] for p in data["problems"]] == [0, 2, 4, 5, 8, 9, 10, 11]
    assert set(data["problems"][0]) == {"row", "reason"}
    assert "nothing was changed" in out.err and "row 5: Aisle C: y_from 7" in out.err
    assert _cli(shop, "layout", "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["aisles"] == []


def test_a_layout_file_that_is_not_toml_exits_2_naming_the_line(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[aisle]]\ncode = 01x\n", encoding="utf-8")
    assert _cli(shop, "layout", "load", str(broken)) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_layout_show_json_gives_the_depot_aisles_cross_aisles_and_access_points(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "layout", "load", str(LAYOUTS / "single_block.toml")) == 0
    assert "3 aisles, 2 cross aisles" in capsys.readouterr().out
    assert _cli(shop, "layout", "show", "--warehouse", "WH1", "--json") == 0
    data = _json(capsys)
    assert list(data) == ["warehouse", "depot", "aisles", "cross_aisles", "locations"]
    assert data["warehouse"] == "WH1"
    assert data["depot"] == {"x": 4.0, "y": 0.0}
    assert data["aisles"] == [
        {"code": "A", "x": 0.0, "y_from": 0.0, "y_to": 10.0},
        {"code": "B", "x": 4.0, "y_from": 0.0, "y_to": 10.0},
        {"code": "C", "x": 8.0, "y_from": 0.0, "y_to": 10.0},
    ]
    assert data["cross_aisles"] == [{"y": 0.0}, {"y": 10.0}]
    # pickable and storage locations (allocation picks from both) at their access points
    assert data["locations"] == [
        {"code": "A-01", "aisle": "A", "x": 0.0, "y": 2.0},
        {"code": "A-02", "aisle": "A", "x": 0.0, "y": 8.0},
        {"code": "B-01", "aisle": "B", "x": 4.0, "y": 5.0},
        {"code": "C-01", "aisle": "C", "x": 8.0, "y": 3.0},
        {"code": "S-01", "aisle": "C", "x": 8.0, "y": 9.0},
    ]
    assert _cli(shop, "layout", "show") == 0
    summary = capsys.readouterr().out
    assert "Warehouse WH1" in summary and "depot DOCK Pack bench at x 4, y 0" in summary


def test_route_json_gives_the_stops_in_order_and_the_three_lengths(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "layout", "load", str(LAYOUTS / "single_block.toml")) == 0
    capsys.readouterr()
    assert _cli(shop, "route", "C-01", "A-02", "A-01", "C-01", "--json") == 0
    data = _json(capsys)
    assert list(data) == ["stops", "length_m", "s_shape_m", "largest_gap_m"]
    stops = data["stops"]
    assert isinstance(stops, list) and all(set(s) == {"location", "x", "y"} for s in stops)
    assert sorted(s["location"] for s in stops) == ["A-01", "A-02", "C-01"]
    where = {s["location"]: (s["x"], s["y"]) for s in stops}
    assert where == {"A-01": (0.0, 2.0), "A-02": (0.0, 8.0), "C-01": (8.0, 3.0)}
    for key in ("length_m", "s_shape_m", "largest_gap_m"):
        assert isinstance(data[key], float) and data[key] > 0
    # and C-01 from the depot at x 4: at least the 8 m across and up to y 8 and back
    assert data["length_m"] >= 2 * 8.0 + 4.0 + 4.0
    assert _cli(shop, "route", "C-01", "A-01") == 0
    assert "Walk " in capsys.readouterr().out


def test_routing_an_unknown_location_exits_2_and_names_it(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "layout", "load", str(LAYOUTS / "single_block.toml")) == 0
    capsys.readouterr()
    assert _cli(shop, "route", "A-01", "NOPE-1", "--json") == 2
    out = capsys.readouterr()
    assert out.out == "" and "Unknown locations: NOPE-1." in out.err
