"""The status bar's offline part: whether this station works from its own copy while the shared
database is away, how many of its actions wait to be sent, and conflicts for a supervisor.

- online with nothing waiting: nothing shown (the database label says "connected");
- offline: "Offline since 10:42, 17 actions waiting" on amber, bold and big enough to read
  from a metre, with a tooltip saying what still works and what waits;
- the database answers again and the journal is being sent: "Back online: sending 17
  actions...";
- conflicts: "3 conflicts need a supervisor" on red; for roles that may resolve them it is a
  link to the conflicts screen.

The state is read off the UI thread, on the main window's ping timer (``read_offline``), and
shown here (``show_reading``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.offline.state import OfflineState
from app.services import sync_conflicts
from ui.context import UiContext

AMBER = "#ffb300"
RED = "#b00020"
BLUE = "#0d47a1"
_BOX = "font-size: 14pt; font-weight: bold; padding: 2px 10px; border-radius: 4px;"
OFFLINE_STYLE = f"QLabel {{ background: {AMBER}; color: #1a1a1a; {_BOX} }}"
SENDING_STYLE = f"QLabel {{ background: #e3f2fd; color: {BLUE}; {_BOX} }}"
CONFLICT_STYLE = f"QLabel {{ background: {RED}; color: white; {_BOX} }}"


@dataclass(frozen=True)
class OfflineReading:
    """What one ping found: the journal's state and, for a supervisor, the open conflicts on
    the shared database (None when not asked or not reachable)."""

    state: OfflineState
    open_conflicts: int | None = None


def read_offline(ctx: UiContext, answered: bool) -> OfflineReading:
    """The offline state and (for roles that resolve conflicts, when the database answered)
    the number of open conflicts. Runs on the ping's worker thread."""
    state = ctx.services.offline_state()
    count: int | None = None
    if answered and not state.offline and ctx.can(Permission.RESOLVE_SYNC):
        try:
            count = ctx.services.run(sync_conflicts.count_open_conflicts, ctx.actor)
        except PackdeskError:
            count = None  # unreachable again, or refused: the next ping asks again
    return OfflineReading(state, count)


class _Link(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.cursor().shape() == (
            Qt.CursorShape.PointingHandCursor
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class OfflineStatus(QWidget):
    """Two labels of the status bar: the journal's state, and the conflicts."""

    #: the conflicts label was clicked by someone who may resolve them
    open_conflicts = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("offline_status")
        self.state_label = QLabel()
        self.state_label.setObjectName("offline_state")
        self.conflicts_label = _Link()
        self.conflicts_label.setObjectName("sync_conflicts")
        self.conflicts_label.clicked.connect(self.open_conflicts)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.conflicts_label)
        self.reading: OfflineReading | None = None
        self.answered = True
        self.state_label.hide()
        self.conflicts_label.hide()

    # -- showing ---------------------------------------------------------------------------------
    def show_reading(self, answered: bool, reading: OfflineReading) -> None:
        """Show what a ping found: ``answered`` is whether the shared database answered it."""
        self.answered, self.reading = answered, reading
        self._show_state(answered, reading.state)
        self._show_conflicts(reading)

    def _show_state(self, answered: bool, st: OfflineState) -> None:
        label = self.state_label
        if st.offline and not answered:
            label.setText(self._offline_text(st))
            label.setStyleSheet(OFFLINE_STYLE)
            label.setToolTip(self._offline_tip(st))
        elif st.waiting or st.offline:  # the database answers: the journal is being sent
            label.setText(self._sending_text(st.waiting))
            label.setStyleSheet(SENDING_STYLE)
            label.setToolTip(
                self.tr(
                    "The shared database answers again. The actions done offline are being "
                    "sent, in the order they were done; new work can be claimed once they are."
                )
            )
        else:
            label.clear()
            label.setToolTip("")
        label.setVisible(bool(label.text()))

    def _offline_text(self, st: OfflineState) -> str:
        since = _local_time(st.since)
        if st.waiting == 1:
            return self.tr("Offline since {time}, 1 action waiting").format(time=since)
        return self.tr("Offline since {time}, {n} actions waiting").format(time=since, n=st.waiting)

    def _sending_text(self, waiting: int) -> str:
        if waiting == 1:
            return self.tr("Back online: sending 1 action...")
        return self.tr("Back online: sending {n} actions...").format(n=waiting)

    def _offline_tip(self, st: OfflineState) -> str:
        tip = self.tr(
            "The shared database cannot be reached; this station works from its own copy.\n"
            "Still works: packing the orders already on this station (scans, weights, labels "
            "from the tracking numbers kept here).\n"
            "Waits until the database is back: claiming new work, closing handovers, anything "
            "on another station's orders.\n"
            "Every action is kept on this PC and sent, in order, when the database is back."
        )
        if st.last_error:
            tip += "\n" + self.tr("Last error: {error}").format(error=st.last_error)
        return tip

    def _show_conflicts(self, reading: OfflineReading) -> None:
        label = self.conflicts_label
        may = self.ctx.can(Permission.RESOLVE_SYNC)
        n = reading.open_conflicts if reading.open_conflicts is not None else 0
        n = max(n, reading.state.conflicts)
        if n == 0:
            label.clear()
            label.hide()
            return
        if n == 1:
            label.setText(self.tr("1 conflict needs a supervisor"))
        else:
            label.setText(self.tr("{n} conflicts need a supervisor").format(n=n))
        label.setStyleSheet(CONFLICT_STYLE)
        if may:
            label.setCursor(Qt.CursorShape.PointingHandCursor)
            label.setToolTip(
                self.tr(
                    "Actions done offline that the shared database refused. Click to see them "
                    "and resolve each one."
                )
            )
        else:
            label.setCursor(Qt.CursorShape.ArrowCursor)
            label.setToolTip(
                self.tr(
                    "Actions done offline that the shared database refused. A supervisor sees "
                    "them on the Offline conflicts screen; nothing was overwritten."
                )
            )
        label.show()


def _local_time(at: datetime | None) -> str:
    """The station's local time: "10:42" today, "12-05 10:42" another day."""
    if at is None:
        return "?"
    local = at.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M")
