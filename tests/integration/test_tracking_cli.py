"""``packdesk tracking export``, ``tracking mapping save``, ``channels set-credentials`` and
``channels upload`` through the real command line, for an order packed at the real pack station
and shipped (SQLite: the command line acts as the station operator on a local file)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.bootstrap import Services
from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.domain.users import Actor
from tests.channels.shopify_server import ShopifyServer
from tests.pack_fixtures import PackSetup
from tests.shipped_fixtures import shipped_pd2

EXPORT_KEYS = {"path", "format", "rows", "parcels", "skipped", "written", "channel", "orders"}


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "cli-home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    return tmp_path / "cli-home"


def _cli(services: Services, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--db", str(services.engine.url), *args])
    return code, capsys.readouterr().out


def test_export_json_names_the_file_it_wrote_in_the_exports_folder_and_not_twice(
    services: Services, admin: Actor, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup: PackSetup = shipped_pd2(services, admin, platform="shopify")

    code, out = _cli(services, capsys, "tracking", "export", "--channel", "shop", "--json")

    assert code == 0
    data = json.loads(out)
    assert set(data) == EXPORT_KEYS
    expected = home / "data" / "exports" / f"tracking-shop-shopify-{date.today():%Y%m%d}.csv"
    assert data["path"] == str(expected)
    assert (data["format"], data["rows"], data["parcels"], data["skipped"]) == ("shopify", 1, 1, 0)
    assert (data["written"], data["channel"], data["orders"]) == (True, "shop", 1)
    with expected.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][:3] == ["PD2", setup.numbers[0], "SF Express"]

    code, out = _cli(services, capsys, "tracking", "export", "--channel", "shop", "--json")
    again = json.loads(out)
    assert (code, again["written"], again["path"], again["skipped"]) == (0, False, None, 1)

    code, out = _cli(
        services, capsys, "tracking", "export", "--channel", "shop", "--again", "--json"
    )
    third = json.loads(out)
    assert third["path"].endswith(f"-{date.today():%Y%m%d}-2.csv") and third["parcels"] == 1


def test_export_in_a_chinese_template_and_through_a_saved_mapping(
    services: Services, admin: Actor, home: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    setup = shipped_pd2(services, admin, platform="pinduoduo")
    out_file = tmp_path / "pdd.xlsx"

    code, out = _cli(
        services, capsys, "tracking", "export", "--channel", "shop", "--out", str(out_file),
        "--json",
    )  # fmt: skip

    assert code == 0 and json.loads(out)["format"] == "pinduoduo"
    ws = load_workbook(out_file).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["订单号", "快递公司", "快递单号"],
        ["PD2", "顺丰速运", setup.numbers[0]],
    ]

    code, out = _cli(
        services, capsys, "tracking", "mapping", "save", "wms", "Order=order_number",
        "tracking", "--xlsx", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {
        "name": "wms",
        "columns": [["Order", "order_number"], ["tracking", "tracking"]],
        "file_type": "xlsx",
    }
    code, out = _cli(
        services, capsys, "tracking", "export", "--channel", "shop", "--mapping", "wms", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["format"] == "generic:wms" and data["path"].endswith(".xlsx")
    ws = load_workbook(data["path"]).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["Order", "tracking"],
        ["PD2", setup.numbers[0]],
    ]


def test_channels_upload_json_says_what_was_uploaded_and_exits_1_on_a_failure(
    services: Services, admin: Actor, home: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    setup = shipped_pd2(services, admin, platform="shopify")
    with ShopifyServer("shpat_cli") as shop:
        monkeypatch.setenv("PACKDESK_CHANNEL_TOKEN", "shpat_cli")
        code, _ = _cli(
            services, capsys, "channels", "set-credentials", "--channel", "shop",
            "--shop", shop.url,
        )  # fmt: skip
        assert code == 0

        code, out = _cli(services, capsys, "channels", "upload", "--channel", "shop", "--json")

        data = json.loads(out)
        assert set(data) == {"channel", "plugin", "uploaded", "skipped", "failed"}
        assert code == 1 and data["uploaded"] == 0  # Shopify has no order PD2
        assert set(data["failed"][0]) == {"channel_order_id", "order_number", "tracking", "error"}
        assert data["failed"][0]["tracking"] == setup.numbers[0]
        assert "Shopify has no such order" in data["failed"][0]["error"]

        shop.orders.clear()
        shop.add_order("77", "PD2", [("1", "PEN-1", 3)])
        code, out = _cli(services, capsys, "channels", "upload", "--channel", "shop", "--json")
        data = json.loads(out)
        assert (code, data["uploaded"], data["failed"]) == (0, 1, [])
        assert shop.problems == []
        assert shop.fulfillments[0]["lineItemsByFulfillmentOrder"][0][
            "fulfillmentOrderLineItems"
        ] == [{"id": "gid://shopify/FulfillmentOrderLineItem/10", "quantity": 3}]
