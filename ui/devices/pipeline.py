"""The scan pipeline in the UI: scans from any device are classified off the UI thread (a
database lookup) and handed to the main thread in the order they came.

Classification runs on a private thread pool of one thread: one scan at a time, first in first
out, and Qt joins the thread when the pool goes away, so a window closed without ceremony
leaves no thread running.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.bootstrap import Services
from app.devices.base import RawScan
from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent, ScanKind, ScanPatterns, split_symbology
from app.services import scanning
from ui.bus import Bus

log = logging.getLogger(__name__)
PATTERNS_TTL_S = 30.0
RECENT = 50


class _Classifier(QObject):
    """Classifies on the pool's thread; ``done`` is received on the main thread."""

    done = Signal(object)

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._patterns: ScanPatterns | None = None
        self._patterns_at = 0.0
        self._lock = threading.Lock()

    def forget_patterns(self) -> None:
        with self._lock:
            self._patterns = None

    def _current_patterns(self) -> ScanPatterns | None:
        with self._lock:
            fresh = time.monotonic() - self._patterns_at <= PATTERNS_TTL_S
            if self._patterns is not None and fresh:
                return self._patterns
        try:
            patterns = self.services.run(scanning.get_scan_patterns)
        except PackdeskError:
            return self._patterns
        with self._lock:
            self._patterns, self._patterns_at = patterns, time.monotonic()
        return patterns

    def classify(self, raw: RawScan) -> None:
        try:
            event = self.services.run(scanning.classify, raw, patterns=self._current_patterns())
        except PackdeskError as exc:  # the database is gone: say so, do not drop the scan
            symbology, text = split_symbology(raw.text)
            event = ScanEvent(raw.text, text, symbology, raw.source, ScanKind.UNKNOWN, error=exc)
        self.done.emit(event)


class _Job(QRunnable):
    def __init__(self, classifier: _Classifier, raw: RawScan) -> None:
        super().__init__()
        self.classifier, self.raw = classifier, raw

    def run(self) -> None:
        try:
            self.classifier.classify(self.raw)
        except Exception:  # a bug must reach the log, not kill the pool thread silently
            log.exception("classifying a scan failed")


class ScanPipeline(QObject):
    """``submit(raw)`` from any thread; ``classified(ScanEvent)`` on the main thread, and
    ``bus.scanned`` for the screens."""

    classified = Signal(object)

    def __init__(
        self, services: Services, bus: Bus | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bus = bus
        self.recent: deque[ScanEvent] = deque(maxlen=RECENT)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one at a time: scans stay in order
        self._pool.setExpiryTimeout(-1)
        self._classifier = _Classifier(services)
        self._classifier.done.connect(self._deliver)
        self._stopped = False

    def submit(self, raw: RawScan) -> None:
        """Thread-safe: queue a scan for classification."""
        if not self._stopped:
            self._pool.start(_Job(self._classifier, raw))

    def reload_patterns(self) -> None:
        self._classifier.forget_patterns()

    @Slot(object)
    def _deliver(self, event: ScanEvent) -> None:
        self.recent.appendleft(event)
        self.classified.emit(event)
        if self.bus is not None:
            self.bus.scanned.emit(event)

    def stop(self) -> None:
        self._stopped = True
        self._pool.waitForDone(3000)
