"""The app's background sender of customer notices: every ``INTERVAL_MS`` while the app runs it
sends the due notices once (``notices.send_due``) off the UI thread, and tells the bus
(``Bus.changed("notice", [])``) when something happened, so the Outbox refreshes.

One sender per process: ``start_notice_sender`` hands back the running one (a second main
window after a log-out and log-in shares it), and a pass never starts while the last one is
still running. Several stations may each run one: the claim skips notices another station
holds (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite lets one writer in at a time), so no
notice is sent twice."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import PackdeskError
from app.services import notices
from ui.background import run_in_background
from ui.context import UiContext

log = logging.getLogger(__name__)

#: a pass a minute
INTERVAL_MS = 60_000


class NoticeSender(QObject):
    """Sends the due notices on a timer; ``passed`` carries each pass's SendReport."""

    passed = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: UiContext, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = notices.sender_actor(ctx.services.station_id)
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.send_once)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def send_once(self) -> bool:
        """Start one pass unless one is running; returns whether it started."""
        if self.busy:
            return False
        self.busy = True
        services, actor = self.ctx.services, self.actor
        run_in_background(
            self, lambda: services.run(notices.send_due, actor), self._done, self._failed
        )
        return True

    def _done(self, report: notices.SendReport) -> None:
        self.busy = False
        if report.sent or report.failed or report.retrying:
            log.info(
                "notices: %s sent, %s failed, %s to retry",
                report.sent,
                report.failed,
                report.retrying,
            )
            self.ctx.bus.notify("notice")
        self.passed.emit(report)

    def _failed(self, exc: PackdeskError) -> None:
        self.busy = False
        log.warning("notices: %s", exc.message)
        self.failed.emit(exc.message)


_running: list[NoticeSender] = []


def start_notice_sender(ctx: UiContext, interval_ms: int = INTERVAL_MS) -> NoticeSender:
    """The process's sender, started on first call; later calls get the same one (its context
    follows the newest window, so its bus reaches the screens shown)."""
    if _running:
        sender = _running[0]
        sender.ctx = ctx
        return sender
    sender = NoticeSender(ctx, interval_ms)
    _running.append(sender)
    sender.start()
    return sender


def stop_notice_sender() -> None:
    """At the app's exit (and in tests)."""
    while _running:
        sender = _running.pop()
        sender.stop()
        sender.deleteLater()
