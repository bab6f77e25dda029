"""``packdesk notices ...`` through the real command line: the JSON keys are a contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import Channel, Customer
from app.domain.users import SYSTEM
from app.services import order_events
from tests.notice_fixtures import shipped_orders
from tests.smtp_server import smtp_server


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


def test_notices_send_json_says_sent_failed_retrying_and_waiting(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = shipped_orders(shop)
    with smtp_server(tmp_path) as server:
        smtp = ["--host", server.host, "--port", str(server.port), "--no-starttls"]
        assert _cli(shop, "notices", "smtp", "set", *smtp, "--from", "shop@example.com") == 0
        assert "notices on: 127.0.0.1" in capsys.readouterr().out
        with shop.uow() as uow:
            order_events.orders_shipped(uow, SYSTEM, [shipped.zh, shipped.en])
            uow.commit()
        assert _cli(shop, "notices", "send", "--json", "--limit", "1") == 0
        out = _json(capsys)
        assert set(out) == {"sent", "failed", "retrying", "waiting", "error"}
        assert (out["sent"], out["failed"], out["retrying"], out["waiting"]) == (1, 0, 0, 1)
        assert _cli(shop, "notices", "list", "--json", "--status", "waiting") == 0
        (waiting,) = _json(capsys)
        assert set(waiting) == {"id", "order", "kind", "language", "to", "status", "attempts",
                                "next_attempt_at", "sent_at", "reason", "message_id"}  # fmt: skip
        assert (waiting["order"], waiting["language"]) == ("PD00000002", "en")
        server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
        assert _cli(shop, "notices", "send", "--json") == 1  # one failed for good
        assert _json(capsys)["failed"] == 1


def test_notices_opt_out_of_a_customer_and_a_channel_and_undo(
    shop: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped_orders(shop)
    assert _cli(shop, "notices", "opt-out", "--customer", "emma@example.co.uk") == 0
    assert _cli(shop, "notices", "opt-out", "--channel", "taobao") == 0
    assert _cli(shop, "notices", "opt-out", "--channel", "taobao", "--undo") == 0
    assert _cli(shop, "notices", "opt-out", "--channel", "shopify") == 0
    with shop.uow() as uow:
        s = uow.session
        assert dict(s.execute(select(Channel.code, Channel.notices_opt_out)).tuples().all()) == {
            "taobao": False,
            "shopify": True,
        }
        assert s.scalar(
            select(Customer.notices_opt_out).where(Customer.email == "emma@example.co.uk")
        )
    assert _cli(shop, "notices", "opt-out", "--customer", "nobody@example.com") != 0
