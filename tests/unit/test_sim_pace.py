"""The simulated people's pace: every pause the same, or varied around it as people scan."""

from __future__ import annotations

import random
import statistics

import pytest

from app.simulate.pace import Pace


def test_without_jitter_every_pause_is_the_pace() -> None:
    pace = Pace(0.2)
    assert {pace.pause() for _ in range(50)} == {0.2}


def test_jitter_varies_each_pause_around_the_same_mean_within_its_share() -> None:
    pace = Pace(0.2, jitter=0.5, rng=random.Random("station-1"))
    pauses = [pace.pause() for _ in range(4000)]
    assert min(pauses) >= 0.1 and max(pauses) <= 0.3
    assert min(pauses) < 0.11 and max(pauses) > 0.29  # the whole range is used
    assert statistics.mean(pauses) == pytest.approx(0.2, abs=0.005)


def test_a_station_seeded_the_same_way_pauses_the_same_and_another_does_not() -> None:
    def run(seed: str) -> list[float]:
        pace = Pace(0.2, jitter=0.5, rng=random.Random(seed))
        return [pace.pause() for _ in range(20)]

    assert run("1:packer1") == run("1:packer1")
    assert run("1:packer1") != run("1:packer2")
