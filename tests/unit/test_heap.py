"""The station's start-up objects are frozen out of the collector's walks, and a second
settling (another log-in) gives back what the first froze."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from app import heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_settling_freezes_what_is_left_after_a_collection() -> None:
    kept = Node()
    frozen = heap.settle()
    assert frozen > 1000 and gc.get_freeze_count() == frozen
    # what the station holds is no longer in any generation the collector walks
    assert all(not any(o is kept for o in gc.get_objects(g)) for g in range(3))


def test_settling_again_frees_a_cycle_the_first_froze() -> None:
    left_behind = Node()
    gone = weakref.ref(left_behind)
    heap.settle()
    del left_behind
    gc.collect()
    assert gone() is not None  # frozen: a collection does not free it
    heap.settle()
    assert gone() is None
