"""One call off the UI thread: it runs on Qt's global thread pool and its answer comes back as a
signal on the UI thread, so a slow database (a shared server far away, a long import holding
the lock) never freezes the window.

The call must open its own unit of work (``services.run`` does): a Session never crosses
threads. A ``PackdeskError`` goes to ``failed``; anything else is a bug and goes to
``crashed`` (the screen hands it to the crash handler)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.domain.errors import PackdeskError


class BackgroundCall(QObject):
    """The UI-thread end of one call; lives as long as its parent (the screen or model)."""

    succeeded = Signal(object)
    failed = Signal(object)  # PackdeskError
    crashed = Signal(object)  # any other exception


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: BackgroundCall) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except PackdeskError as exc:
            self._emit(self.relay.failed, exc)
            return
        except Exception as exc:
            self._emit(self.relay.crashed, exc)
            return
        self._emit(self.relay.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # RuntimeError: the screen was closed while the call ran; nobody waits for the answer
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


def run_in_background(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[PackdeskError], None],
    on_crashed: Callable[[BaseException], None] | None = None,
) -> BackgroundCall:
    """Start ``fn()`` on the thread pool; ``on_done(result)`` or ``on_failed(error)`` then run on
    ``parent``'s thread. Nothing is called back once ``parent`` is gone."""
    relay = BackgroundCall(parent)
    relay.succeeded.connect(on_done)
    relay.failed.connect(on_failed)
    relay.crashed.connect(on_crashed or _report_crash)
    for signal in (relay.succeeded, relay.failed, relay.crashed):
        signal.connect(relay.deleteLater)
    QThreadPool.globalInstance().start(_Runnable(fn, relay))
    return relay


def _report_crash(exc: BaseException) -> None:
    sys.excepthook(type(exc), exc, exc.__traceback__)
