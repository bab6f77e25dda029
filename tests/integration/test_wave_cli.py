"""``packdesk waves create|list|release`` through the real command line: the JSON keys are a
contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.domain.users import SYSTEM
from app.services import carts
from tests.order_action_fixtures import status_of
from tests.wave_fixtures import allocated_orders


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    yield svc
    svc.close()


def _cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), *args])


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


def test_waves_are_created_listed_and_released_with_their_json_keys(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    oids = allocated_orders(
        shop, SYSTEM, [[("CUP-1", 1)], [("PEN-1", 2)], [("BAG-1", 1)]]
    ).order_ids
    shop.run(carts.save_cart, SYSTEM, "C2", 2)
    assert _cli(shop, "waves", "create", "--max-orders", "2", "--method", "cluster", "--json") == 0
    created = _json(capsys)["waves"]
    assert [{k: v for k, v in w.items() if k != "planned_m"} for w in created] == [
        {"number": "W000001", "orders": 2, "batches": 1, "pick_method": "cluster"},
        {"number": "W000002", "orders": 1, "batches": 1, "pick_method": "cluster"},
    ]
    assert all(isinstance(w["planned_m"], float) and w["planned_m"] > 0 for w in created)

    assert _cli(shop, "waves", "release", "W000001", "--json") == 0
    assert _json(capsys) == {"number": "W000001", "status": "released", "tasks": 2, "batches": 1}
    assert [status_of(shop, o) for o in oids] == ["picking", "picking", "allocated"]

    assert _cli(shop, "waves", "list", "--json") == 0
    listed = _json(capsys)["waves"]
    assert [set(w) for w in listed] == [
        {"number", "status", "pick_method", "orders", "batches", "planned_m", "created_at"}
    ] * 2
    assert [(w["number"], w["status"], w["orders"]) for w in listed] == [
        ("W000002", "planned", 1),
        ("W000001", "released", 2),
    ]


def test_a_rule_that_does_not_exist_and_a_wave_released_twice_are_errors(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    allocated_orders(shop, SYSTEM, [[("CUP-1", 1)]])
    shop.run(carts.save_cart, SYSTEM, "C12", 12)
    assert _cli(shop, "waves", "create", "--rule", "Nope") == 1
    assert "no wave rule Nope" in capsys.readouterr().err
    assert _cli(shop, "waves", "create") == 0
    assert "W000001" in capsys.readouterr().out
    assert _cli(shop, "waves", "release", "W000001") == 0
    assert _cli(shop, "waves", "release", "W000001") == 1
    assert "only a planned wave can be released" in capsys.readouterr().err
    assert _cli(shop, "waves", "create") == 0
    assert "No allocated orders are waiting" in capsys.readouterr().out
