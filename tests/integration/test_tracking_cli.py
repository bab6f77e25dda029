"""``packdesk tracking check`` and ``packdesk carriers list|pool load|voided`` through the real
command line: the JSON keys and exit codes are a contract."""

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
from app.services import tracking_pool, tracking_void
from tests.tracking_fixtures import add_carrier


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


def test_tracking_check_gives_number_valid_format_and_reason_per_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tracking", "check", "rr 4731 2482 9 cn", "1Z5R89390357567127", "--json"]) == 0
    assert _json(capsys) == [
        {"number": "RR473124829CN", "valid": True, "format": "UPU S10", "reason": ""},
        {"number": "1Z5R89390357567127", "valid": True, "format": "UPS 1Z", "reason": ""},
    ]
    assert main(["tracking", "check", "986578788855", "996578788855", "ABCDEFGH1", "--json"]) == 1
    out = _json(capsys)
    assert [set(r) for r in out] == [{"number", "valid", "format", "reason"}] * 3
    assert [(r["valid"], r["format"]) for r in out] == [
        (True, "FedEx 12"),
        (False, "FedEx 12"),
        (True, "unknown"),
    ]
    assert "should be 6, not 5" in out[1]["reason"]


def test_tracking_check_with_a_format_checks_chinese_numbers_by_their_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tracking", "check", "--format", "zto", "73100066666666"]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["tracking", "check", "--format", "Yunda", "73100066666666", "--json"]) == 1
    [r] = _json(capsys)
    assert (r["valid"], r["format"]) == (False, "Yunda")
    assert main(["tracking", "check", "--format", "Pigeon", "73100066666666"]) == 2


def test_pool_load_gives_loaded_rejected_and_errors_with_their_rows(
    shop: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_carrier(shop)
    path = tmp_path / "zto.csv"
    path.write_text("单号\n73100066666698\n73100066666698\n1Z5R89390357567127\n", "utf-8")
    assert _cli(shop, "carriers", "pool", "load", "ZTO", str(path), "--json") == 0
    out = _json(capsys)
    assert {"loaded", "rejected", "errors"} <= set(out)
    assert (out["loaded"], out["rejected"]) == (1, 2)
    assert [set(e) for e in out["errors"]] == [{"row", "reason"}] * 2
    assert [e["row"] for e in out["errors"]] == [3, 4]
    assert "first at row 2" in out["errors"][0]["reason"]
    assert (out["carrier"], out["service"], out["file"], out["format"]) == (
        "ZTO",
        "",
        "zto.csv",
        "ZTO",
    )

    # nothing new: exit 1, the reasons still listed
    assert _cli(shop, "carriers", "pool", "load", "ZTO", str(path), "--service", "ZTO-STD") == 1
    assert "row 2: 73100066666698 is already in the pool of ZTO" in capsys.readouterr().out


def test_pool_load_exits_1_when_the_file_cannot_be_read(
    shop: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_carrier(shop)
    assert _cli(shop, "carriers", "pool", "load", "ZTO", str(tmp_path / "gone.csv")) == 1
    assert "gone.csv cannot be opened" in capsys.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", "utf-8")
    assert _cli(shop, "carriers", "pool", "load", "ZTO", str(bad), "--json") == 1
    assert "bad.xlsx is not an Excel workbook" in capsys.readouterr().err


def test_carriers_list_gives_services_and_pool_counts(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    add_carrier(shop, low_warning=2)
    add_carrier(shop, "DHL", "DHL Express", ("DHL-EXP",), plugin="dhl-api")
    shop.run(tracking_pool.load_pool, SYSTEM, "ZTO", "73100066666698,73100066666700")
    assert _cli(shop, "carriers", "list", "--json") == 0
    carriers = _json(capsys)["carriers"]
    assert [c["code"] for c in carriers] == ["DHL", "ZTO"]
    keys = {"code", "name", "plugin", "services", "free", "used", "void", "low"}
    assert all(keys <= set(c) for c in carriers)
    dhl, zto = carriers
    assert (dhl["plugin"], dhl["free"], dhl["low"], dhl["pools"]) == ("dhl-api", 0, False, [])
    assert zto["services"] == [
        {"code": "ZTO-STD", "name": "ZTO-STD service", "label_size": "100x150mm"}
    ]
    assert (zto["free"], zto["used"], zto["void"], zto["low"]) == (3, 0, 0, False)
    assert zto["pools"] == [
        {
            "carrier": "ZTO",
            "service": "",
            "free": 3,
            "used": 0,
            "void": 0,
            "usable": 3,
            "low_warning": 2,
            "low": False,
        }
    ]
    assert _cli(shop, "carriers", "list") == 0
    assert "ZTO-STD" in capsys.readouterr().out


def test_carriers_voided_lists_the_unreported_and_marks_them_reported(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    add_carrier(shop)
    add_carrier(shop, "SF", "顺丰速运", ("SF-STD",))
    shop.run(tracking_void.void_number, SYSTEM, "ZTO", "73100066666698", "label torn")
    shop.run(tracking_void.void_number, SYSTEM, "SF", "SF1234567890123", "unpacked")
    assert _cli(shop, "carriers", "voided", "ZTO", "--json") == 0
    out = _json(capsys)
    assert [v["number"] for v in out["voided"]] == ["73100066666698"]
    assert set(out["voided"][0]) >= {"carrier", "number", "voided_at", "reason", "reported_at"}
    assert out["marked"] == 0
    assert _cli(shop, "carriers", "voided", "--mark-reported", "--json") == 0
    out = _json(capsys)
    assert [v["number"] for v in out["voided"]] == ["SF1234567890123", "73100066666698"]
    assert out["marked"] == 2
    assert _cli(shop, "carriers", "voided", "--json") == 0
    assert _json(capsys) == {"voided": [], "marked": 0}
    assert _cli(shop, "carriers", "voided", "--all") == 0
    assert "SF1234567890123" in capsys.readouterr().out
