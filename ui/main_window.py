"""The shell: navigation to the screens the user may use, and a status bar with the database,
station, user and devices. Screens are created when first opened."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app.services import auth
from ui.context import UiContext
from ui.devices import attach_station_devices, detach_station_devices
from ui.live import LiveUpdates
from ui.screens import screen_classes
from ui.screens.base import Screen
from ui.screens.sync_conflicts import SyncConflictsScreen
from ui.widgets.offline_status import OfflineReading, OfflineStatus, read_offline
from ui.words import role_name

PING_INTERVAL_MS = 10_000


class _PingSignals(QObject):
    done = Signal(bool)
    #: whether the database answered, and the offline journal's reading (OfflineReading)
    offline = Signal(bool, object)


class _Ping(QRunnable):
    """Asks the database for 'SELECT 1' off the UI thread (a shared server may be slow), reads
    the offline journal's state, and records now and then that this station still runs (an
    upgrade waits for older stations)."""

    def __init__(self, ctx: UiContext, signals: _PingSignals) -> None:
        super().__init__()
        self.ctx, self.signals = ctx, signals

    def run(self) -> None:
        ok = self.ctx.services.ping()
        self.signals.done.emit(ok)
        self.signals.offline.emit(ok, read_offline(self.ctx, ok))
        if ok:
            self.ctx.services.heartbeat()


class MainWindow(QMainWindow):
    logged_out = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.logged_out_by_user = False
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Packdesk"))
        self.resize(1366, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(200)
        font = self.nav.font()
        font.setPointSize(14)
        self.nav.setFont(font)
        self.stack = QStackedWidget()
        allowed = [c for c in screen_classes() if ctx.can(c.permission)]
        # the role's own station screen first (stable: the rest keep their order)
        self._classes = sorted(allowed, key=lambda c: ctx.actor.role not in c.first_for)
        self._screens: dict[int, Screen] = {}
        for i, cls in enumerate(self._classes):
            item = QListWidgetItem(cls.title())
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.nav.addItem(item)
            if i < 9:
                QShortcut(
                    QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.nav.setCurrentRow(i)
                )
        self.nav.currentRowChanged.connect(self.show_screen)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, self.log_out)
        self._ping_signals = _PingSignals(self)
        self._ping_signals.done.connect(self._set_db_state)
        self._ping_signals.offline.connect(self._set_offline_state)
        self._ping_timer = QTimer(self)
        self._ping_timer.setInterval(PING_INTERVAL_MS)
        self._ping_timer.timeout.connect(self._ping)
        self._ping_timer.start()
        # a station restarted while offline says so at once (a local read, no network)
        state = ctx.services.offline_state()
        self._set_offline_state(not state.offline, OfflineReading(state))
        # scanner, scale and printer of this station (and the emulators in demo mode)
        self.station_devices = attach_station_devices(self)
        self._start_live()
        if self._classes:
            self.nav.setCurrentRow(0)

    # -- screens ------------------------------------------------------------------------
    def show_screen(self, row: int) -> Screen | None:
        if row < 0 or row >= len(self._classes):
            return None
        if not self._may_leave(row):
            return self.current_screen()
        screen = self._screens.get(row)
        if screen is None:
            screen = self._classes[row](self.ctx)
            self._screens[row] = screen
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        screen.activated()
        return screen

    def _may_leave(self, row: int) -> bool:
        """Ask the screen being left (unsaved changes); a no puts the navigation back."""
        current = self.current_screen()
        if current is None or current is self._screens.get(row) or current.can_leave():
            return True
        back = next((r for r, s in self._screens.items() if s is current), -1)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(back)
        self.nav.blockSignals(False)
        return False

    def current_screen(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    # the name hides QWidget.screen() (the monitor); nothing here asks a window for its monitor
    def screen(self, cls: type[Screen]) -> Screen:  # type: ignore[override]
        """Open the screen of class ``cls`` (tests, shortcuts)."""
        row = self._classes.index(cls)
        self.nav.setCurrentRow(row)
        return self._screens[row]

    # -- status bar ---------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        svc = self.ctx.services
        self.db_label = QLabel()
        self.db_label.setObjectName("db_status")
        self._db_ok = True
        self._set_db_state(True)
        self.station_label = QLabel(self.tr("Station: {station}").format(station=svc.station_code))
        self.user_label = QLabel(
            self.tr("User: {user} ({role})").format(
                user=self.ctx.actor.username, role=role_name(self.ctx.actor.role)
            )
        )
        self.user_label.setObjectName("user_status")
        self.device_labels: dict[str, QLabel] = {}
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.setObjectName("logout")
        self.logout_button.clicked.connect(self.log_out)
        self.devices_box = QWidget()
        self._devices_layout = QHBoxLayout(self.devices_box)
        self._devices_layout.setContentsMargins(0, 0, 0, 0)
        self.offline_status = OfflineStatus(self.ctx)
        self.offline_status.open_conflicts.connect(self.open_conflicts)
        for w in (self.db_label, self.offline_status, self.station_label, self.user_label):
            bar.addWidget(w)
        bar.addPermanentWidget(self.devices_box)
        bar.addPermanentWidget(self.about_button())
        bar.addPermanentWidget(self.logout_button)
        self.ctx.bus.device_status.connect(self.set_device_status)

    def about_button(self) -> QPushButton:
        """ "About" (also F1): version, schema revision, licences."""
        button = QPushButton(self.tr("About"))
        button.setObjectName("about")
        button.clicked.connect(self.show_about)
        QShortcut(QKeySequence("F1"), self, self.show_about)
        return button

    def show_about(self) -> None:
        from ui.widgets.about import AboutDialog

        AboutDialog(self.ctx.services, self).exec()

    def _kind(self) -> str:
        return self.tr("Shared database") if self.ctx.services.shared else self.tr("Local database")

    def _set_db_state(self, ok: bool) -> None:
        self._db_ok = ok
        label = self.ctx.services.database_label
        if ok:
            self.db_label.setText(
                self.tr("{kind}: {where} - connected").format(kind=self._kind(), where=label)
            )
            self.db_label.setStyleSheet("color: #1b5e20;")
        else:
            self.db_label.setText(
                self.tr("{kind}: {where} - NOT CONNECTED, retrying").format(
                    kind=self._kind(), where=label
                )
            )
            self.db_label.setStyleSheet("color: #b00020; font-weight: bold;")

    def _set_offline_state(self, answered: bool, reading: OfflineReading) -> None:
        before = self.offline_status.reading
        self.offline_status.show_reading(answered, reading)
        if reading.state.offline and not answered:  # working from the journal: not an alarm
            self.db_label.setStyleSheet("color: #6d4c00;")
        if before is not None and before.open_conflicts != reading.open_conflicts:
            self.ctx.bus.notify("sync_conflict")

    def open_conflicts(self) -> None:
        """Open the offline conflicts screen (the status bar's link, for those who may)."""
        if SyncConflictsScreen in self._classes:
            self.screen(SyncConflictsScreen)

    def _ping(self) -> None:
        QThreadPool.globalInstance().start(_Ping(self.ctx, self._ping_signals))

    def set_device_status(self, device: str, text: str, ok: bool) -> None:
        label = self.device_labels.get(device)
        if label is None:
            label = QLabel()
            label.setObjectName(f"device_{device}")
            self.device_labels[device] = label
            self._devices_layout.addWidget(label)
        label.setText(text)
        label.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020; font-weight: bold;")

    # -- live updates -------------------------------------------------------------------
    def _start_live(self) -> None:
        """Other stations' changes reach the screens through the bus (ui/live.py)."""
        self.live = LiveUpdates(self.ctx.services, self.ctx.bus)
        self.live.start()

    def _stop_live(self) -> None:
        self.live.stop()

    # -- session ------------------------------------------------------------------------
    def log_out(self) -> None:
        self.logged_out_by_user = True
        self._ping_timer.stop()
        self._stop_live()
        self.ctx.services.run(auth.logout, self.ctx.actor)
        self.logged_out.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        screen = self.current_screen()
        if not self.logged_out_by_user and screen is not None and not screen.can_leave():
            event.ignore()
            return
        self._ping_timer.stop()
        self._stop_live()
        detach_station_devices(self)
        super().closeEvent(event)
