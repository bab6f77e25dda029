"""``packdesk orders allocate|release|hold|cancel`` through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.domain.users import SYSTEM
from app.services import allocation
from tests.order_action_fixtures import (
    add_location,
    add_order,
    add_products,
    receive,
    status_of,
)


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    add_products(svc, "CUP", "LID")
    add_location(svc, "A-01")
    receive(svc, SYSTEM, "A-01", "CUP", 5)
    yield svc
    svc.close()


def _cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), *args])


def _number(services: Services, oid: int) -> str:
    from app.services import orders

    return services.run(orders.order_detail, SYSTEM, oid).number


def test_allocate_json_says_what_was_allocated_backordered_and_held(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = add_order(shop, [("CUP", 2)])
    short = add_order(shop, [("CUP", 2), ("LID", 1)])
    assert _cli(shop, "orders", "allocate", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [o["number"] for o in data["allocated"]] == [_number(shop, ok)]
    assert data["allocated"][0]["reserved_units"] == 2
    assert [o["number"] for o in data["held"]] == [_number(shop, short)]
    assert "LID: 1 wanted, 0 available, 1 short" in data["held"][0]["message"]
    assert data["backordered"] == [] and data["skipped"] == []
    assert data["reserved_units"] == 2


def test_allocate_text_lists_the_backorders_under_that_policy(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    shop.run(allocation.set_allocation_settings, SYSTEM, shortage_policy="backorder")
    oid = add_order(shop, [("CUP", 7)])
    assert _cli(shop, "orders", "allocate") == 0
    out = capsys.readouterr().out
    number = _number(shop, oid)
    assert "allocated: 1 order\n" in out and "backordered: 1 order\n" in out
    assert f"Units waiting for stock on backorder {number}-2: 2." in out
    assert "5 units reserved" in out


def test_release_hold_and_cancel_by_number_report_each_order(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    a = add_order(shop, [("CUP", 1)], status="new")
    b = add_order(shop, [("CUP", 1)], status="shipped")
    na, nb = _number(shop, a), _number(shop, b)
    assert _cli(shop, "orders", "release", na) == 0
    assert status_of(shop, a) == "released"
    assert _cli(shop, "orders", "hold", na, "--reason", "customer called", "--json") == 0
    capsys.readouterr()
    assert status_of(shop, a) == "on_hold"
    # one refused and one unknown: exit 1, every order reported
    assert _cli(shop, "orders", "cancel", na, nb, "NOPE-1") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("refused") and "NOPE-1 was not found" in out[0]
    assert out[1].startswith("ok") and na in out[1]
    assert out[2].startswith("refused") and "can no longer be cancelled" in out[2]
    assert status_of(shop, a) == "cancelled"


def test_hold_without_a_reason_is_a_usage_error(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        _cli(shop, "orders", "hold", "T1")
    assert exit_.value.code == 2
    assert "--reason" in capsys.readouterr().err
    oid = add_order(shop, [("CUP", 1)])
    assert _cli(shop, "orders", "hold", _number(shop, oid), "--reason", "  ") == 1
    assert "Say why the orders are held" in capsys.readouterr().err
    assert status_of(shop, oid) == "released"


def test_allocation_settings_are_shown_and_changed_from_the_command_line(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "orders", "allocation-settings") == 0
    assert capsys.readouterr().out.splitlines() == [
        "shortage policy: hold",
        "minimum remaining shelf life: 0 days",
    ]
    assert _cli(shop, "orders", "allocation-settings", "--policy", "backorder") == 0
    assert _cli(shop, "orders", "allocation-settings", "--min-shelf-life", "45") == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "shortage policy: backorder",
        "minimum remaining shelf life: 45 days",
    ]
    assert _cli(shop, "orders", "allocation-settings", "--min-shelf-life", "-3") == 1
    assert "0 to 3650 days" in capsys.readouterr().err
