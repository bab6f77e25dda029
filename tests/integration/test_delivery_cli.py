"""``packdesk tracking import|stale|save-mapping|poll`` through the real command line, on SQLite
and PostgreSQL: the JSON keys and exit codes are a contract; the existing ``tracking check`` is
untouched (tests/integration/test_tracking_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Services
from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.domain.users import Actor
from tests.delivery_fixtures import shipped_orders

DATA = Path(__file__).resolve().parents[1] / "data"
CN = DATA / "tracking_status_cn_gb18030.csv"
IMPORT_KEYS = {
    "file",
    "rows",
    "events",
    "duplicates",
    "delivered",
    "delivered_orders",
    "exceptions",
    "not_handed_over",
    "unknown",
    "errors",
}


@pytest.fixture
def as_admin(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "cli-home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.setenv("PACKDESK_PASSWORD", "correct-horse-9")
    return services


def _cli(services: Services, *args: str) -> int:
    url = services.engine.url.render_as_string(hide_password=False)
    return main(["--db", url, "--user", "admin", "tracking", *args])


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


def test_tracking_import_json_gives_the_counts_the_unknown_numbers_and_the_row_errors(
    as_admin: Services, admin: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped_orders(as_admin, admin)
    capsys.readouterr()
    assert _cli(as_admin, "import", str(CN), "--json") == 1  # some rows had problems
    out = _json(capsys)
    assert set(out) == IMPORT_KEYS
    assert {k: out[k] for k in ("rows", "events", "delivered", "exceptions")} == {
        "rows": 12,
        "events": 7,
        "delivered": 1,
        "exceptions": 1,
    }
    assert out["delivered_orders"] == ["PD1"] and out["file"] == CN.name
    assert out["unknown"] == [{"row": 10, "tracking": "SF0000009999"}]
    assert [e["row"] for e in out["errors"]] == [11, 12, 13]
    assert all(set(e) == {"row", "reason"} and e["reason"] for e in out["errors"])


def test_a_clean_file_through_a_saved_mapping_exits_0(
    as_admin: Services, admin: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped_orders(as_admin, admin)
    f = tmp_path / "sf.csv"
    f.write_text("No,When,What\nSF0000000002,2026-12-03 10:00,派送中\n", "utf-8")
    assert (
        _cli(
            as_admin, "save-mapping", "sf", "--tracking", "No", "--time", "When", "--status", "What"
        )
        == 0
    )
    capsys.readouterr()
    assert _cli(as_admin, "import", str(f), "--mapping", "sf", "--json") == 0
    out = _json(capsys)
    assert (out["events"], out["errors"], out["unknown"]) == (1, [], [])


def test_tracking_stale_json_lists_the_silent_parcels(
    as_admin: Services, admin: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped_orders(as_admin, admin, days_ago=6)
    capsys.readouterr()
    assert _cli(as_admin, "stale", "--days", "5", "--json") == 0
    out = _json(capsys)
    assert set(out) == {"days", "checked", "opened", "stale", "delivered", "exceptions"}
    assert (out["days"], out["checked"], out["opened"], out["stale"]) == (5, 2, 2, 2)
    assert [set(x) for x in out["exceptions"]] == [
        {"order", "tracking", "carrier", "kind", "since", "last_event_at", "last_status"}
    ] * 2
    assert sorted(x["order"] for x in out["exceptions"]) == ["PD1", "PD2"]
    assert _cli(as_admin, "stale", "--days", "7", "--json") == 0
    assert _json(capsys)["stale"] == 0


def test_tracking_poll_without_a_plugin_that_tracks_says_so(
    as_admin: Services, admin: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped_orders(as_admin, admin)
    capsys.readouterr()
    assert _cli(as_admin, "poll", "--json") == 0
    assert _json(capsys) == []
