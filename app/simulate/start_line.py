"""The start line of a shift with several station processes.

Starting a station process (Python, the app, its log-ins, its scale and printer) takes seconds
of CPU, and with many stations on a small machine the first would be done before the last had
started. So each station, once ready, says so (a ``.ready`` file beside its plan) and waits;
when every station is ready the main process writes the start file, with the deadline of a
timed run (``--minutes``), and they all begin at once, as a warehouse does when the shift
starts. Files, not pipes: the stations' standard output is their report.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from app.simulate.plan import SimulationFailed

#: how long a station waits for the start, and the main process for the stations to be ready
WAIT_S = 900.0
POLL_S = 0.05


def ready_file(plan_file: Path) -> Path:
    return plan_file.with_suffix(".ready")


def start_file(out_dir: Path) -> Path:
    return out_dir / "start.json"


def wait_for_start(ready: Path, start: Path) -> float:
    """Say this station is ready and wait for the start; the deadline (0: none)."""
    ready.write_text("ready", encoding="utf-8")
    until = time.monotonic() + WAIT_S
    while not start.exists():
        if time.monotonic() > until:
            raise SimulationFailed(what="the shift never started (no start file)")
        time.sleep(POLL_S)
    return float(json.loads(start.read_text(encoding="utf-8"))["deadline"])


def start_when_ready(
    readies: list[Path], procs: list[subprocess.Popen[str]], start: Path, minutes: float
) -> float:
    """Wait until every station is ready (or one has stopped), then start them all; the
    ``time.perf_counter()`` of the start."""
    until = time.monotonic() + WAIT_S
    while not all(r.exists() for r in readies):
        if any(p.poll() is not None for p in procs) or time.monotonic() > until:
            break  # a station stopped before the start: its report says why
        time.sleep(POLL_S)
    deadline = time.time() + minutes * 60 if minutes > 0 else 0.0
    tmp = start.with_suffix(".tmp")
    tmp.write_text(json.dumps({"deadline": deadline}), encoding="utf-8")
    tmp.replace(start)
    return time.perf_counter()
