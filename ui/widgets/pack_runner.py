"""The pack screen's calls, one after another off the UI thread.

Every scan is a service call; the scanner may deliver the next scan before the last answer is
back. Calls wait in a queue and run one at a time in the order they came, so no scan is lost or
overtaken, and the window never waits for the database."""

from __future__ import annotations

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
            self.idle.emit()
            return
        self._busy = True
        job = self._queue.popleft()
        run_in_background(
            self,
            job.fn,
            lambda result: self._finish(job.on_done, result),
            lambda exc: self._finish(job.on_failed, exc),
            lambda exc: self._crash(exc),
        )

    def _finish(self, handler: Callable[[Any], None], value: Any) -> None:
        try:
            handler(value)
        finally:
            self._next()

    def _crash(self, exc: BaseException) -> None:
        try:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
        finally:
            self._next()
