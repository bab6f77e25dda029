"""How fast the simulated people go, and when they stop.

A person scans every ``HUMAN_SCAN_S`` seconds or so (``app.simulate.plan``); the benchmark of
many stations runs them at ten times that (``--pace-ms 200``), so the database sees the load of
a busy warehouse with far fewer minutes of waiting. The pause comes before each scan and each
button press and is never part of the measured time of the call. With ``--minutes`` each
station stops at a deadline (a wall-clock time, the same for every station process), after the
order or batch in hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    #: the pause before each scan or press, in seconds (0: none)
    pause_s: float = 0.0
    #: ``time.time()`` after which no new order or batch is started (0: no deadline)
    deadline: float = 0.0

    def wait(self) -> None:
        """The person's time before the next scan or press."""
        if self.pause_s > 0:
            time.sleep(self.pause_s)

    def over(self) -> bool:
        """True once the deadline has passed: finish what is in hand, start nothing new."""
        return self.deadline > 0 and time.time() >= self.deadline
