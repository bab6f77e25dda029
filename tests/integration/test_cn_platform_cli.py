"""``packdesk orders import --format taobao|jd|pinduoduo|douyin`` and the ``recipient_protected``
key of ``packdesk orders list --json``, through the real command line on a migrated SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from tests.order_action_fixtures import add_products

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    add_products(svc, "BOTTLE-500-BL", "LID-BAMBOO", "WATER-500-6PK")
    yield svc
    svc.close()


def cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), "orders", *args])


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("cn_taobao_orders.csv", "taobao"),
        ("cn_jd_orders.xlsx", "jd"),
        ("cn_pinduoduo_orders.csv", "pinduoduo"),
        ("cn_douyin_orders.csv", "douyin"),
    ],
)
def test_a_platform_export_imports_by_its_format_name_and_reports_it(
    shop: Services, capsys: pytest.CaptureFixture[str], name: str, fmt: str
) -> None:
    assert cli(shop, "import", str(DATA / name), "--format", fmt, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == fmt and data["imported"] > 0 and data["rejected"] == 0
    assert data["skipped"] >= 2  # cancelled before shipping, shipped already


def test_a_file_of_another_platform_is_refused_with_the_missing_columns(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(DATA / "cn_pinduoduo_orders.csv")
    assert cli(shop, "import", path, "--format", "douyin") == 1
    err = capsys.readouterr().err
    assert "is not a Douyin (抖店) export" in err and "主订单编号" in err


def test_orders_list_json_gives_every_order_the_recipient_protected_key(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(shop, "import", str(DATA / "cn_pinduoduo_orders.csv"), "--json") == 0
    capsys.readouterr()
    assert cli(shop, "list", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    flags = {o["external_id"]: o["recipient_protected"] for o in data}
    assert flags["261121-000000000000009"] is True  # a virtual number with its extension
    assert flags["261121-000000000000001"] is True  # 吴** / 138****1234
    assert flags["261121-000000000000010"] is False  # 冯颖 / 13912345678
    assert all(isinstance(v, bool) for v in flags.values())
