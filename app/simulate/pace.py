"""How fast the simulated people go, and when they stop.

A person scans every ``HUMAN_SCAN_S`` seconds or so (``app.simulate.plan``); the benchmark of
many stations runs them at ten times that (``--pace-ms 200``), so the database sees the load of
a busy warehouse with far fewer minutes of waiting. The pause comes before each scan and each
button press and is never part of the measured time of the call. With ``--minutes`` each
station stops at a deadline (a wall-clock time, the same for every station process), after the
order or batch in hand.

People do not scan in step: ``--pace-jitter J`` draws each pause from ``pause x (1 - J)`` to
``pause x (1 + J)`` (uniform, the same mean), from a generator seeded per station, so a run is
repeated exactly. Without it (J = 0) every station waits the same pause and, all started on one
start line, they wake at the same instants: a burst of K scans every pause, which no floor of
people makes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pace:
    #: the pause before each scan or press, in seconds (0: none)
    pause_s: float = 0.0
    #: ``time.time()`` after which no new order or batch is started (0: no deadline)
    deadline: float = 0.0
    #: how much each pause varies around ``pause_s`` (0 to 1: a share of it, either way)
    jitter: float = 0.0
    #: the pauses' generator (seeded per station)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def pause(self) -> float:
        """The next pause, in seconds."""
        if self.jitter <= 0:
            return self.pause_s
        return self.pause_s * (1 + self.jitter * (2 * self.rng.random() - 1))

    def wait(self) -> None:
        """The person's time before the next scan or press."""
        if self.pause_s > 0:
            time.sleep(self.pause())

    def over(self) -> bool:
        """True once the deadline has passed: finish what is in hand, start nothing new."""
        return self.deadline > 0 and time.time() >= self.deadline
