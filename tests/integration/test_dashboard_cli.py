"""``packdesk dashboard`` through the real command line: the JSON keys are a contract, and
``--csv`` writes the same figures as the screen's export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import utcnow
from app.services import auth
from tests.dashboard_fixtures import SHANGHAI, morning

KEYS = {
    "day",
    "utc_offset",
    "generated_at",
    "hours",
    "orders_now",
    "orders_today",
    "packed_today",
    "packed_per_hour",
    "pick_walk",
    "exceptions_per_hour",
    "cutoffs",
    "returns_by_reason",
}


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    yield svc
    svc.close()


def _today_in_shanghai(services: Services) -> None:
    """The fixture's morning, moved to today (the command reads the real clock)."""
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    actor = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
    morning(services, actor, day=utcnow().astimezone(SHANGHAI).date())


def test_the_json_has_its_keys_and_the_mornings_figures(
    shop: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _today_in_shanghai(shop)
    out = tmp_path / "kpi.csv"
    url = str(shop.engine.url)
    args = ["--db", url, "dashboard", "--tz", "Asia/Shanghai", "--json", "--csv", str(out)]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == KEYS
    assert data["utc_offset"] == "+08:00" and data["packed_today"] == 2
    assert data["orders_now"] == {"packed": 2}
    assert data["packed_per_hour"] == [
        {
            "hour": "09:00",
            "station": "cli-test",
            "packer": "packer-user",
            "orders": 1,
            "parcels": 1,
        },
        {"hour": "10:00", "station": "PACK-02", "packer": "packer-user", "orders": 1, "parcels": 1},
    ]
    walk = data["pick_walk"]
    assert set(walk) == {"batches", "walked_m", "s_shape_m", "saving_pct", "by_hour"}
    assert (walk["batches"], walk["walked_m"], walk["s_shape_m"]) == (1, 52.0, 52.0)
    assert set(walk["by_hour"][0]) == {
        "hour", "batches", "walked_m", "s_shape_m", "planned_m", "saving_pct"
    }  # fmt: skip
    assert data["exceptions_per_hour"] == [
        {"hour": "08:00", "mis_scans": 0, "weight": 0, "pick_refused": 1},
        {"hour": "10:00", "mis_scans": 1, "weight": 0, "pick_refused": 0},
    ]
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["panel"] for r in rows} >= {"orders_now", "packed_by_station", "pick_walk"}


def test_the_text_says_what_was_packed_and_walked(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    _today_in_shanghai(shop)
    assert main(["--db", str(shop.engine.url), "dashboard", "--tz", "Asia/Shanghai"]) == 0
    text = capsys.readouterr().out
    assert "Orders packed today: 2" in text
    assert "Pick walk: 52 m walked, S-shape 52 m, saving +0.0 %" in text


def test_an_unknown_time_zone_is_refused_with_how_to_write_one(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(shop.engine.url), "dashboard", "--tz", "Mars/Base"]) == 2
    assert "is not a time zone (write it as Asia/Shanghai)" in capsys.readouterr().err
