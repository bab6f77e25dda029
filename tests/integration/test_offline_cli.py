"""``packdesk offline status --json`` and ``packdesk offline replay --json``: the keys are a
contract; status reads the station store only, so it answers during the outage."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.services import packing
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.pick_fixtures import BARCODES

pytestmark = pytest.mark.postgres

KEYS = {"offline", "since", "waiting", "conflicts", "store", "last_error"}


def _cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["--db", url, "--station", "test-station", "offline", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_offline_status_and_replay_print_the_contract_keys_during_and_after_an_outage(
    outage: Outage,  # noqa: F811 (the fixture, imported)
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_HOME, str(outage.paths.data_dir.parent))
    monkeypatch.delenv(ENV_DB, raising=False)
    o, p = outage, outage.setup.packer
    url = o.proxy.url(o.office.settings.db_url)
    station = o.station()
    view = station.run(packing.open_for_packing, p, "TOTE-0001")
    assert station.offline is not None and station.offline.wait_copied()
    o.proxy.cut()
    station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])
    station.close()

    code, data = _cli(capsys, url, "status")
    assert code == 0 and set(data) >= KEYS
    assert data["offline"] is True and data["waiting"] == 1 and data["conflicts"] == 0
    assert data["since"] == o.clock.now.isoformat()
    assert str(data["store"]).endswith("station-test-station.sqlite")

    code, data = _cli(capsys, url, "replay")  # still away: nothing replayed, exit 1
    assert code == 1 and data["offline"] is True and data["waiting"] == 1

    o.proxy.restore()
    code, data = _cli(capsys, url, "replay")
    assert code == 0 and set(data) >= KEYS
    assert data["offline"] is False and data["waiting"] == 0 and data["since"] is None
