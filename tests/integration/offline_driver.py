"""A packing station in its own process, for the kill -9 test (test_offline_restart.py).

``python -m tests.integration.offline_driver DB_URL DATA_DIR ACTOR_JSON``: opens TOTE-0001 on
the shared database, prints ``OPEN <session id>``, waits for a line on stdin (the test cuts the
database meanwhile), scans what it is given on that line (a JSON list), prints
``SCANNED <waiting>`` and then waits for ever: the test kills it with SIGKILL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.domain.users import Actor, Role
from app.services import packing


def main() -> None:
    url, data, actor_json = sys.argv[1:4]
    a = json.loads(actor_json)
    actor = Actor(a["user_id"], a["username"], Role(a["role"]), a["station_id"])
    base = Path(data)
    paths = Paths(base / "config", base / "data", base / "logs")
    services = bootstrap(Settings(db_url=url, station="test-station"), paths, offline=True)
    view = services.run(packing.open_for_packing, actor, "TOTE-0001")
    assert services.offline is not None and services.offline.wait_copied()
    print(f"OPEN {view.session_id}", flush=True)
    scans = json.loads(sys.stdin.readline())
    for text in scans:
        out = services.run(packing.scan, actor, view.session_id, text)
        assert out.ok, out.message
    print(f"SCANNED {services.offline_state().waiting}", flush=True)
    sys.stdin.readline()  # never comes: killed here


if __name__ == "__main__":
    main()
