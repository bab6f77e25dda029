"""Live updates on screen: other stations' changes reach ``bus.changed`` on the UI thread.

``LiveUpdates`` runs the database's change source (``app.live``: PostgreSQL announcements, or
SQLite ``data_version`` polling) on a thread of its own and re-emits each change on the UI
thread as ``bus.changed(kind, ids)``; the main window starts it and stops it on close and log
out. ``LiveRefresh`` is what a screen uses to react: it reloads for the kinds it shows (and
``"*"``), at once and then at most every ``MIN_GAP_MS``, and only when the screen can be seen;
a screen hidden behind another one reloads when it is shown again. See docs/live-updates.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.bootstrap import Services
from app.live import ALL, Change, ChangeSource, change_source
from ui.bus import Bus

log = logging.getLogger(__name__)

#: reloads of one screen are at least this far apart: the first change of a quiet spell reloads
#: at once, the rest of a burst make one more reload when the gap is over
MIN_GAP_MS = 400
#: how long closing the window waits for the listening thread
STOP_WAIT_S = 5.0


class LiveUpdates(QObject):
    """The listening thread of one main window."""

    #: a change arrived from the listening thread (queued to the UI thread)
    arrived = Signal(str, list, str)

    def __init__(self, services: Services, bus: Bus, source: ChangeSource | None = None) -> None:
        super().__init__()
        self.bus = bus
        self.source = source or change_source(services.settings.db_url, services.station_code)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.arrived.connect(self._deliver)
        #: changes passed on to the bus so far (tests, the log)
        self.delivered = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.source is None or self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(self.source,), name="packdesk-live", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)
            if self._thread.is_alive():
                log.warning("live updates: the listening thread did not stop in time")
            self._thread = None

    def _run(self, source: ChangeSource) -> None:
        try:
            source.run(self._from_thread, self._stop)
        except Exception:  # a bug must not end live updates silently
            log.exception("live updates stopped")

    def _from_thread(self, change: Change) -> None:
        if not self._stop.is_set():
            self.arrived.emit(change.kind, list(change.ids), change.sender)

    def _deliver(self, kind: str, ids: list[int], sender: str) -> None:
        if self._stop.is_set():
            return
        self.delivered += 1
        log.debug("live update from %s: %s %s", sender or "?", kind, ids[:10])
        self.bus.changed.emit(kind, ids)


class LiveRefresh(QObject):
    """Calls ``reload`` when the bus says ``kinds`` (or ``"*"``) changed, coalesced.

    ``wants(ids)`` narrows it to the rows the screen shows (empty ids: the whole kind, always
    wanted). While ``widget`` is hidden behind another screen nothing is read; ``stale`` says a
    reload is owed, and ``shown()`` (from the screen's ``activated``) pays it."""

    def __init__(
        self,
        widget: QWidget,
        bus: Bus,
        kinds: Iterable[str],
        reload: Callable[[], None],
        *,
        wants: Callable[[list[int]], bool] | None = None,
        min_gap_ms: int = MIN_GAP_MS,
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.kinds = frozenset(kinds) | {ALL}
        self.reload = reload
        self.wants = wants
        self.min_gap_ms = min_gap_ms
        self.stale = False
        #: reloads made (tests: a burst made one)
        self.reloads = 0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        bus.changed.connect(self._changed)

    def _changed(self, kind: str, ids: list[int]) -> None:
        if kind not in self.kinds:
            return
        if kind != ALL and ids and self.wants is not None and not self.wants(ids):
            return
        if not self._can_be_seen():
            self.stale = True
            return
        if self._timer.isActive():
            return  # a reload is already due: it will read this change too
        since_ms = (time.monotonic() - self._last) * 1000
        if since_ms >= self.min_gap_ms:
            self._fire()
        else:
            self._timer.start(int(self.min_gap_ms - since_ms))

    def _can_be_seen(self) -> bool:
        """Visible, or not in a shown window at all (a screen tested on its own)."""
        return self.widget.isVisible() or not self.widget.window().isVisible()

    def _fire(self) -> None:
        if not self._can_be_seen():
            self.stale = True
            return
        self.stale = False
        self._last = time.monotonic()
        self.reloads += 1
        self.reload()

    def shown(self) -> bool:
        """The screen is shown again: reload now if a change was missed meanwhile. True when it
        reloaded."""
        if not self.stale:
            return False
        self._timer.stop()
        self._fire()
        return True
