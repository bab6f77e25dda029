"""``packdesk returns reasons|refund-note|report`` through the real command line, after returns
taken at the bench: the refund CSV's contents and the JSON keys are a contract."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import Order
from app.domain.errors import PermissionDenied
from app.domain.users import Actor
from app.services import auth, return_reasons, returns_report, returns_scan
from tests.returns_fixtures import CUP, PEN, ShippedSetup, shipped_orders


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


def _returned(services: Services) -> ShippedSetup:
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
    sh = shipped_orders(services, admin)
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.number == "PD1").values(external_id="TB-1001")
        )
        uow.commit()

    def scan(text: str, rid: int | None, reason: str = "") -> int:
        out = services.run(returns_scan.scan, sh.clerk, text, return_id=rid, reason_code=reason)
        assert out.accepted, (text, out.message, out.params)
        assert out.view is not None
        return out.view.return_id

    rid = scan("RT-PD1", None)
    for text in (CUP, CUP):
        scan(text, rid, "WRONG_SIZE")
    scan("LOC-A-01", rid)
    scan("PD-CMD-CONFIRM", rid)
    rid = scan("PD2", None)
    scan(PEN, rid, "DEFECTIVE")
    scan("PD-RET-WRITE-OFF", rid)
    scan("PD-CMD-CONFIRM", rid)
    return sh


def test_the_refund_note_lists_what_to_refund_per_channel_order_sku_and_reason(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _returned(shop)
    out = tmp_path / "notes" / "refunds.csv"
    assert _cli(shop, "returns", "refund-note", "--out", str(out), "--json") == 0
    printed = _json(capsys)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(returns_report.REFUND_COLUMNS)
    assert [set(r) for r in printed] == [set(returns_report.REFUND_COLUMNS)] * 2
    picked = [
        {k: r[k] for k in ("channel", "channel_order_id", "order_number", "sku", "qty")}
        | {k: r[k] for k in ("unit_price", "amount", "reason", "disposition", "return_number")}
        | {"reason_zh": r["reason_zh"]}
        for r in rows
    ]
    assert picked == [
        {
            "channel": "Shop",
            "channel_order_id": "TB-1001",
            "order_number": "PD1",
            "sku": "CUP-1",
            "qty": "2",
            "unit_price": "5.00",
            "amount": "10.00",
            "reason": "wrong size",
            "disposition": "restock",
            "return_number": "R-PD1-1",
            "reason_zh": "尺码不合适",
        },
        {
            "channel": "Shop",
            "channel_order_id": "PD2",
            "order_number": "PD2",
            "sku": "PEN-1",
            "qty": "1",
            "unit_price": "5.00",
            "amount": "5.00",
            "reason": "defective",
            "disposition": "write_off",
            "return_number": "R-PD2-1",
            "reason_zh": "质量问题",
        },
    ]
    assert all(r["date"] == rows[0]["date"] and len(r["date"]) == 10 for r in rows)
    assert _cli(shop, "returns", "refund-note", "--since", "2999-01-01", "--out", str(out)) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.DictReader(fh)) == []


def test_the_report_counts_units_and_returns_per_sku_and_reason_with_its_json_keys(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    _returned(shop)
    assert _cli(shop, "returns", "report", "--json") == 0
    assert _json(capsys) == [
        {"sku": "CUP-1", "reason": "WRONG_SIZE", "qty": 2, "returns": 1},
        {"sku": "PEN-1", "reason": "DEFECTIVE", "qty": 1, "returns": 1},
    ]
    assert _cli(shop, "returns", "report", "--since", "2999-01-01", "--json") == 0
    assert _json(capsys) == []
    with pytest.raises(SystemExit) as bad:
        _cli(shop, "returns", "report", "--since", "yesterday")
    assert bad.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_reasons_are_listed_added_and_disabled_and_only_active_ones_are_offered(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(shop, "returns", "reasons", "list", "--json") == 0
    listed = _json(capsys)
    assert [r["code"] for r in listed] == [
        "NOT_WANTED",
        "WRONG_SIZE",
        "DEFECTIVE",
        "WRONG_ITEM",
        "DAMAGED",
        "REFUSED",
    ]
    assert listed[1] == {
        "code": "WRONG_SIZE",
        "name_en": "wrong size",
        "name_zh": "尺码不合适",
        "active": True,
        "position": 20,
    }
    assert _cli(shop, "returns", "reasons", "add", "too_late", "arrived too late", "到货太晚") == 0
    assert _cli(shop, "returns", "reasons", "disable", "REFUSED") == 0
    capsys.readouterr()
    assert _cli(shop, "returns", "reasons", "list", "--json") == 0
    codes = [r["code"] for r in _json(capsys)]
    assert codes[-1] == "TOO_LATE" and "REFUSED" not in codes
    assert _cli(shop, "returns", "reasons", "list", "--all", "--json") == 0
    assert "REFUSED" in [r["code"] for r in _json(capsys)]
    assert _cli(shop, "returns", "reasons", "add", "TOO_LATE", "again") == 1  # exists already


def test_a_returns_clerk_may_not_change_the_reasons(services: Services, admin: Actor) -> None:
    sh = shipped_orders(services, admin)
    with pytest.raises(PermissionDenied):
        services.run(return_reasons.add_reason, sh.clerk, "X", "x")
    refused = services.run(returns_scan.scan, sh.clerk, "PD-RET-REASON-NOPE", return_id=None)
    assert not refused.accepted and "not a return reason" in refused.message
