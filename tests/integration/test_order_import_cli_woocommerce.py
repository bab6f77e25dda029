"""``packdesk orders import`` finds WooCommerce's REST API order list and Advanced Order
Export's CSV by itself; ``--format`` names them too."""

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
    add_products(svc, "BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-BLK-M", "CAP-RED")
    yield svc
    svc.close()


def cli(services: Services, *args: str) -> int:
    return main(["--db", str(services.engine.url), "orders", "import", *args])


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("woocommerce_rest_orders.json", "woocommerce_rest"),
        ("woocommerce_aoe_orders.csv", "woocommerce_aoe"),
    ],
)
def test_each_layout_is_found_by_itself_and_its_json_result_keeps_the_keys(
    shop: Services, capsys: pytest.CaptureFixture[str], name: str, fmt: str
) -> None:
    assert cli(shop, str(DATA / name), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["format"], data["channel"]) == (fmt, "woocommerce")
    assert {k: data[k] for k in ("imported", "held", "skipped")} == {
        "imported": 10,
        "held": 6,
        "skipped": 4,
    }
    assert set(data) >= {"rows", "errors", "errors_total", "encoding", "batch", "released"}
    assert all(set(e) == {"row", "kind", "order", "reason"} for e in data["errors"])


def test_the_format_can_be_named_and_a_file_of_another_kind_is_refused_plainly(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    json_file = str(DATA / "woocommerce_rest_orders.json")
    assert cli(shop, json_file, "--format", "woocommerce_rest") == 0
    assert "woocommerce_rest_orders.json (woocommerce_rest, utf-8) into channel woocommerce." in (
        capsys.readouterr().out
    )
    assert cli(shop, str(DATA / "shopify_orders_export.csv"), "--format", "woocommerce_rest") == 1
    err = capsys.readouterr().err
    assert "shopify_orders_export.csv is not valid JSON" in err and "Traceback" not in err
    assert cli(shop, str(DATA / "shopify_orders_export.csv"), "--format", "woocommerce_aoe") == 1
    assert "the columns Order Number, Quantity (- Refund) are missing" in capsys.readouterr().err
