"""The print worker's thread gives way to the scans: its priority is lowered, the thread that
started it keeps its own, and a thread started afterwards from the main thread is not lowered."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from app import priority

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="nice values per thread are Linux's"
)


def _in_a_thread(lower: bool) -> tuple[bool, int, int]:
    """(lowered, nice before, nice after) of a new thread."""
    seen: list[tuple[bool, int, int]] = []

    def run() -> None:
        tid = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, tid)
        done = priority.lower_this_thread() if lower else False
        seen.append((done, before, os.getpriority(os.PRIO_PROCESS, tid)))

    t = threading.Thread(target=run)
    t.start()
    t.join(10)
    return seen[0]


def test_a_thread_lowers_itself_and_only_itself() -> None:
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    lowered, before, after = _in_a_thread(lower=True)
    assert lowered and before == main
    assert after == min(19, main + priority.NICE_STEPS) > main
    # the main thread and a thread it starts later keep the main thread's priority
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main
    assert _in_a_thread(lower=False)[2] == main
