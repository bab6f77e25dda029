"""The pack screen's calls, one after another off the UI thread.

Every scan is a service call; the scanner may deliver the next scan before the last answer is
back. Calls wait in a queue and run one at a time in the order they came, so no scan is lost or
overtaken, and the window never waits for the database."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.domain.errors import PackdeskError
from ui.background import run_in_background


@dataclass(frozen=True)
class _Call:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_failed: Callable[[PackdeskError], None]


class SerialCalls(QObject):
    """``call(fn, on_done, on_failed)``: run ``fn()`` after the calls before it."""

    #: the queue is empty and nothing runs (tests and screenshots wait for it)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[_Call] = deque()
        self._busy = False
        self._current: _Call | None = None

    @property
    def busy(self) -> bool:
        return self._busy or bool(self._queue)

    def call(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[PackdeskError], None],
    ) -> None:
        self._queue.append(_Call(fn, on_done, on_failed))
        if not self._busy:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._busy = False
            self._current = None
            self.idle.emit()
            return
        self._busy = True
        self._current = self._queue.popleft()
        # bound methods of this QObject: Qt queues the answer to the UI thread (a bare lambda
        # would run on the worker thread)
        run_in_background(self, self._current.fn, self._done, self._failed, self._crashed)

    def _done(self, result: Any) -> None:
        self._finish(lambda job: job.on_done(result))

    def _failed(self, exc: PackdeskError) -> None:
        self._finish(lambda job: job.on_failed(exc))

    def _crashed(self, exc: BaseException) -> None:
        self._finish(lambda job: sys.excepthook(type(exc), exc, exc.__traceback__))

    def _finish(self, handle: Callable[[_Call], None]) -> None:
        job = self._current
        try:
            if job is not None:
                handle(job)
        finally:
            self._next()
