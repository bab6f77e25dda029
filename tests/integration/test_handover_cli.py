"""``packdesk handover scan|close|list|missing`` and ``packdesk carriers cutoff`` through the
real command line, over orders packed through the real station: the JSON keys and exit codes
are a contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings, default_paths
from app.services import auth
from tests.handover_fixtures import ShipSetup, ship_ready


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    yield svc
    svc.close()


def _ready(shop: Services) -> ShipSetup:
    shop.run(auth.create_first_admin, "admin", "correct-horse-9", shop.station_id)
    admin = shop.run(auth.login, "admin", "correct-horse-9", shop.station_id, shop.station_code)
    return ship_ready(shop, admin)


def _cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), *args])


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


SCAN_KEYS = {"scan", "ok", "handover", "carrier", "order", "tracking", "scanned", "expected",
             "already", "error"}  # fmt: skip


def test_handover_scan_close_list_and_missing_give_their_json_keys(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = _ready(shop)
    capsys.readouterr()
    pd1, pd2 = setup.tracking["PD1"], setup.tracking["PD2"]
    assert _cli(shop, "handover", "missing", "sf", "--json") == 0
    out = _json(capsys)
    assert set(out) == {"carrier", "day", "packed", "scanned", "open_handover", "missing"}
    assert (out["packed"], out["scanned"], out["open_handover"]) == (2, 0, None)
    assert [set(m) for m in out["missing"]] == [
        {"order", "tracking", "parcel", "station", "packer", "labelled_at", "earlier"}
    ] * 2
    assert _cli(shop, "handover", "scan", pd1, "NOPE-1", "--json") == 1
    out = _json(capsys)
    assert set(out) == {"scans", "refused"} and out["refused"] == 1
    assert [set(r) for r in out["scans"]] == [SCAN_KEYS] * 2
    ok, refused = out["scans"]
    assert (ok["ok"], ok["order"], ok["carrier"], ok["scanned"], ok["expected"]) == (
        True, "PD1", "SF", 1, 2,
    )  # fmt: skip
    assert not refused["ok"] and "NOPE-1" in refused["error"]
    number = ok["handover"]
    assert _cli(shop, "handover", "list", "--json") == 0
    [row] = _json(capsys)["handovers"]
    assert set(row) == {"id", "number", "carrier", "day", "status", "parcels", "weight_kg",
                        "opened_at", "closed_at", "manifest"}  # fmt: skip
    assert (row["number"], row["status"], row["parcels"]) == (number, "open", 1)
    assert _cli(shop, "handover", "close", number, "--json") == 0
    out = _json(capsys)
    assert set(out) >= {"handover", "carrier", "parcels", "orders_shipped", "weight_kg", "manifest"}
    assert (out["handover"], out["carrier"], out["parcels"], out["orders_shipped"]) == (
        number, "SF", 1, 1,
    )  # fmt: skip
    assert out["missing"] == 1 and out["weight_kg"] > 0
    manifest = Path(out["manifest"])
    assert manifest.parent == default_paths().data_dir / "manifests"
    assert manifest.read_bytes().startswith(b"%PDF")
    assert _cli(shop, "handover", "scan", pd2) == 0
    assert "-SF-2" in capsys.readouterr().out


def test_carriers_cutoff_sets_a_time_and_refuses_what_is_not_one(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    _ready(shop)
    capsys.readouterr()
    assert _cli(shop, "carriers", "cutoff", "SF", "17:30", "--json") == 0
    assert _json(capsys) == {"carrier": "SF", "cutoff": "17:30"}
    assert _cli(shop, "carriers", "cutoff", "SF", "7.5") == 1
    assert "7.5" in capsys.readouterr().err
