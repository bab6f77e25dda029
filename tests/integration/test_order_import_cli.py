"""``packdesk orders import`` through the real command line, on a migrated SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.domain.users import SYSTEM
from app.importers.generic import Mapping
from app.services import import_profiles
from tests.order_action_fixtures import add_products

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    add_products(
        svc, "BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "HOODIE-BL-L", "BEANIE", "CAP-LTD"
    )
    yield svc
    svc.close()


def cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), "orders", "import", *args])


def test_json_gives_the_counts_and_every_problem_with_its_row(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(shop, str(DATA / "shopify_orders_export.csv"), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in ("imported", "updated", "held", "rejected")} == {
        "imported": 6,
        "updated": 0,
        "held": 4,
        "rejected": 1,
    }
    assert data["errors"][2] == {
        "row": 11,
        "kind": "rejected",
        "order": "#1007",
        "reason": "The quantity 'two' is not a whole number; order #1007 was left out.",
    }
    assert all(set(e) >= {"row", "reason"} for e in data["errors"])
    assert (data["channel"], data["channel_created"]) == ("shopify", True)


def test_the_summary_says_what_came_in_and_that_the_channel_was_created(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(shop, str(DATA / "woocommerce_orders.csv"), "--channel", "Woo EU") == 0
    out = capsys.readouterr().out
    assert "woocommerce_orders.csv (woocommerce, utf-8) into channel woo-eu." in out
    assert "The channel woo-eu did not exist and was created." in out
    assert "3 imported (2 released, 1 held), 0 updated, 0 unchanged, 0 rejected, 2 skipped" in out
    assert "row 4: skipped: Order 5125 is already fulfilled" in out
    assert "row 5: skipped: Order 5126 was cancelled in the channel before it was fulfilled" in out
    assert cli(shop, str(DATA / "woocommerce_orders.csv"), "--channel", "woo-eu") == 0
    again = capsys.readouterr().out
    assert "did not exist" not in again and "3 unchanged" in again


def test_a_gb18030_file_is_read_with_a_profile_or_a_chosen_encoding(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    m = Mapping(
        columns={
            "order_id": "订单编号",
            "items": "商品信息",
            "phone": "联系手机",
            "customer_name": "收货人姓名",
            "full_address": "收货地址",
        }
    )
    shop.run(import_profiles.save_profile, SYSTEM, "taobao", m)
    path = str(DATA / "taobao_orders_gb18030.csv")
    assert cli(shop, path, "--profile", "taobao", "--encoding", "gb18030", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["imported"], data["encoding"], data["channel"]) == (3, "gb18030", "taobao")
    # told the wrong encoding, the file cannot be read: exit 1 and one clear message
    assert cli(shop, path, "--profile", "taobao", "--encoding", "utf-8") == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "packdesk: Line 1 of taobao_orders_gb18030.csv is not valid utf-8 text. Choose another "
        "encoding, or save the file again as 'CSV UTF-8'."
    )


def test_only_an_unreadable_file_exits_non_zero(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    # every order of this file is refused or skipped, but the file was read: exit 0
    assert cli(shop, str(DATA / "shopify_unclosed_quote.csv"), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] == 1 and data["errors"][0]["row"] == 4
    assert cli(shop, str(DATA / "binary.csv"), "--json") == 1
    captured = capsys.readouterr()
    assert "neither UTF-8 nor GB18030" in json.loads(captured.out)["error"]
    assert "Traceback" not in captured.err
    assert cli(shop, str(DATA / "nothing-here.csv")) == 1
    assert "nothing-here.csv cannot be opened" in capsys.readouterr().err
    assert cli(shop, str(DATA / "shopify_orders_export.csv"), "--format", "woocommerce") == 1
    assert "is not a WooCommerce export" in capsys.readouterr().err


def test_a_bad_option_is_a_usage_error(shop: Services, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ex:
        cli(shop, "x.csv", "--format", "pdf")
    assert ex.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
