"""A station killed (SIGKILL) while offline finds its journal when it starts again: it starts
from its own copy while the shared database is still away, signs its packer in, resumes the
order, goes on packing, and replays everything once when the database is back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.models import Order, PackItem, Parcel
from app.services import auth, packing
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.pack_fixtures import PD1_WEIGHT, tea
from tests.pick_fixtures import BARCODES

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]


def test_a_station_killed_while_offline_resumes_its_journal_on_restart(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    o, p = outage, outage.setup.packer
    actor = {"user_id": p.user_id, "username": p.username, "role": p.role.value}
    actor["station_id"] = p.station_id
    url = o.proxy.url(o.office.settings.db_url)
    base = o.paths.data_dir.parent
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.offline_driver",
            url,
            str(base),
            json.dumps(actor),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        opened = child.stdout.readline().split()
        assert opened and opened[0] == "OPEN", opened
        o.proxy.cut()
        cup = BARCODES["CUP-1"]
        child.stdin.write(json.dumps([cup, cup, tea("L1")]) + "\n")
        child.stdin.flush()
        assert child.stdout.readline().split() == ["SCANNED", "3"]
        child.send_signal(signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()

    station = o.station()  # the database is still away: starts from its own copy
    state = station.offline_state()
    assert state.offline and state.waiting == 3
    sid = int(opened[1])
    again = station.run(auth.login, p.username, "secret-pass-1", station.station_id)
    assert again.user_id == p.user_id  # signed in from the station's copy
    assert station.run(packing.resume, again).session_id == sid  # the order as it was left
    done = station.run(packing.weigh, again, sid, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)
    assert station.offline_state().waiting == 4

    o.proxy.restore()
    station.ping()
    state = station.offline_state()
    assert not state.offline and state.waiting == 0 and state.conflicts == 0
    with o.office.uow() as uow:
        s = uow.session
        assert s.scalar(select(Order.status).where(Order.number == "PD1")) == "packed"
        assert s.scalar(select(func.sum(PackItem.qty))) == 3
        tracking = s.scalars(select(Parcel.tracking_number).where(Parcel.status != "voided"))
        assert list(tracking) == [done.tracking_number]
    station.close()
