"""Settings > Station devices: choose the scanner, scale and label printer of this station,
see their state live, read the weight, print a test label and watch the last scans."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.devices.base import Weight
from app.devices.station_config import StationDevicesConfig
from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.domain.users import Permission
from app.services import printing, stations
from ui.context import UiContext
from ui.devices.forms import DocumentsForm, PrinterForm, ScaleForm, ScannerForm
from ui.devices.scan_log import ScanLogModel
from ui.devices.station import StationDevices
from ui.devices.texts import describe_scan, weight_text
from ui.i18n import error_text
from ui.screens.base import Screen
from ui.widgets.print_jobs import PrintJobsWidget

ROLES = ("scanner", "scale", "printer", "documents")
_GREEN, _RED = "#1b5e20", "#b00020"


class DevicesScreen(Screen):
    """The station device screen (listed under Settings)."""

    permission = Permission.MANAGE_DEVICES
    takes_scans = True
    #: the navigation group this screen belongs to
    section: ClassVar[str] = "settings"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DevicesScreen", "Station devices")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("DevicesScreen")
        self.scanner_form = ScannerForm()
        self.scale_form = ScaleForm()
        self.printer_form = PrinterForm()
        self.documents_form = DocumentsForm()
        self.message = QLabel()
        self.message.setObjectName("devices_message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save and restart devices"))
        self.save_button.setObjectName("save_devices")
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)

        self.weight = QLabel("—")
        self.weight.setObjectName("weight")
        big = QFont(self.weight.font())
        big.setPointSize(28)
        big.setBold(True)
        self.weight.setFont(big)
        self.read_button = QPushButton(self.tr("Read weight"))
        self.read_button.setObjectName("read_weight")
        self.zero_button = QPushButton(self.tr("Zero"))
        self.tare_button = QPushButton(self.tr("Tare"))
        self.test_label_button = QPushButton(self.tr("Print test label"))
        self.test_label_button.setObjectName("print_test_label")
        self.read_button.clicked.connect(self.read_weight)
        self.zero_button.clicked.connect(lambda: self._scale_command("zero"))
        self.tare_button.clicked.connect(lambda: self._scale_command("tare"))
        self.test_label_button.clicked.connect(self.print_test_label)
        self.card_button = QPushButton(self.tr("Print station card"))
        self.card_button.setObjectName("print_station_card")
        self.card_button.setToolTip(
            self.tr("The command barcodes (confirm, cancel, next, reprint, quantities) on a label.")
        )
        self.card_button.clicked.connect(self.print_station_card)

        self.scan_model = ScanLogModel()
        self.scan_table = QTableView()
        self.scan_table.setObjectName("last_scans")
        self.scan_table.setModel(self.scan_model)
        self.scan_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scan_table.verticalHeader().hide()
        self.scan_table.verticalHeader().setDefaultSectionSize(26)
        header = self.scan_table.horizontalHeader()
        for column, width in enumerate((75, 90, 135, 190)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.scan_table.setMinimumHeight(220)
        self.print_jobs = PrintJobsWidget(ctx, limit=20)
        self.print_jobs.setMinimumHeight(160)

        self._build()
        self._connected: StationDevices | None = None
        self.load()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        status_box = QGroupBox(self.tr("Device status"))
        grid = QGridLayout(status_box)
        self.status_labels: dict[str, tuple[QLabel, QLabel]] = {}
        names = {
            "scanner": self.tr("Scanner"),
            "scale": self.tr("Scale"),
            "printer": self.tr("Label printer"),
            "documents": self.tr("Document printer (packing slips)"),
        }
        for row, role in enumerate(ROLES):
            short, detail = QLabel(), QLabel()
            short.setObjectName(f"{role}_state")
            detail.setWordWrap(True)
            grid.addWidget(QLabel(f"<b>{names[role]}</b>"), row, 0)
            grid.addWidget(short, row, 1)
            grid.addWidget(detail, row, 2)
            self.status_labels[role] = (short, detail)
        grid.setColumnStretch(2, 1)

        scale_actions = QHBoxLayout()
        scale_actions.addWidget(self.weight, 1)
        for b in (self.read_button, self.zero_button, self.tare_button):
            scale_actions.addWidget(b)
        printer_actions = QHBoxLayout()
        printer_actions.addStretch(1)
        printer_actions.addWidget(self.card_button)
        printer_actions.addWidget(self.test_label_button)

        # settings in two columns: scanner and printer | scale and the weight
        left = QVBoxLayout()
        left.addWidget(self.scanner_form)
        left.addWidget(self.printer_form)
        left.addLayout(printer_actions)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.scale_form)
        right.addLayout(scale_actions)
        right.addWidget(self.documents_form)
        right.addStretch(1)
        forms = QHBoxLayout()
        forms.addLayout(left, 1)
        forms.addLayout(right, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        scans_box = QGroupBox(self.tr("Last scans (scan anything to test the scanner)"))
        QVBoxLayout(scans_box).addWidget(self.scan_table)
        jobs_box = QGroupBox(self.tr("Print jobs of this station"))
        QVBoxLayout(jobs_box).addWidget(self.print_jobs)
        logs = QHBoxLayout()
        logs.addWidget(scans_box, 2)
        logs.addWidget(jobs_box, 1)

        title = QLabel(
            self.tr("Devices of station {station}").format(station=self.ctx.services.station_code)
        )
        tf = QFont(title.font())
        tf.setPointSize(16)
        tf.setBold(True)
        title.setFont(tf)

        body = QWidget()
        col = QVBoxLayout(body)
        col.addWidget(title)
        col.addWidget(status_box)
        col.addLayout(forms)
        col.addLayout(buttons)
        col.addLayout(logs, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- the running devices -----------------------------------------------------------------

    @property
    def devices(self) -> StationDevices | None:
        dev = self.ctx.devices.get("station")
        return dev if isinstance(dev, StationDevices) else None

    def activated(self) -> None:
        dev = self.devices
        if dev is not None and dev is not self._connected:
            dev.status_changed.connect(self._show_status)
            dev.scanned.connect(self._scan_logged)
            dev.weighed.connect(self._weighed)
            dev.scale_failed.connect(self._scale_failed)
            dev.scale_done.connect(self._scale_done)
            self._connected = dev
        if dev is not None:
            self.scan_model.set_events(dev.recent_scans)
            if dev.settings_problem is not None:
                self._say(
                    False,
                    self.tr("The stored device settings could not be read: {problem}").format(
                        problem=error_text(dev.settings_problem)
                    ),
                )
        for role in ROLES:
            self._show_status(role)

    def _show_status(self, role: str) -> None:
        dev = self.devices
        short, detail = self.status_labels[role]
        if dev is None or role not in dev.states:
            short.setText(self.tr("not started"))
            detail.setText("")
            return
        ok, text, sentence = dev.states[role]
        short.setText(text)
        short.setStyleSheet(f"color: {_GREEN if ok else _RED}; font-weight: bold;")
        detail.setText(sentence)

    def _scan_logged(self, event: ScanEvent) -> None:
        self.scan_model.add(event)

    def on_scan(self, event: object) -> None:
        """A scan while this screen is open: green or red feedback saying what it was."""
        if not isinstance(event, ScanEvent):
            return
        feedback = self.ctx.devices.get("feedback")
        if feedback is None:
            return
        if event.ok:
            feedback.ok(describe_scan(event))
        else:
            feedback.error(describe_scan(event))

    # --- settings ------------------------------------------------------------------------------

    def load(self) -> None:
        svc = self.ctx.services
        dev = self.devices
        config = (
            dev.config if dev is not None else svc.run(stations.station_devices, svc.station_id)
        )
        self.show_config(config)
        self.message.setText("")

    def show_config(self, config: StationDevicesConfig) -> None:
        self.scanner_form.set_settings(config.scanner)
        self.scale_form.set_settings(config.scale)
        self.printer_form.set_settings(config.printer)
        self.documents_form.set_settings(config.documents)

    def config(self) -> StationDevicesConfig:
        return StationDevicesConfig(
            scanner=self.scanner_form.settings(),
            scale=self.scale_form.settings(),
            printer=self.printer_form.settings(),
            documents=self.documents_form.settings(),
        )

    def save(self) -> bool:
        svc = self.ctx.services
        try:
            saved = svc.run(
                stations.save_station_devices, self.ctx.actor, svc.station_id, self.config()
            )
        except PackdeskError as exc:
            self._say(False, error_text(exc))
            return False
        dev = self.devices
        if dev is not None:
            dev.restart(saved)
        self._say(True, self.tr("Saved. The devices were restarted with these settings."))
        return True

    def _say(self, ok: bool, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {_GREEN if ok else _RED}; font-weight: bold;")

    # --- actions --------------------------------------------------------------------------------

    def read_weight(self) -> None:
        dev = self.devices
        if dev is None or not dev.read_weight():
            self._say(False, self.tr("No scale is running. Choose one and save first."))
            return
        self.weight.setText(self.tr("Weighing…"))
        self.read_button.setEnabled(False)

    def _weighed(self, weight: Weight) -> None:
        self.read_button.setEnabled(True)
        self.weight.setText(weight_text(f"{weight.value:f}", weight.unit))
        self.weight.setStyleSheet(f"color: {_GREEN};")

    def _scale_failed(self, exc: PackdeskError) -> None:
        self.read_button.setEnabled(True)
        self.weight.setText("—")
        self._say(False, error_text(exc))

    def _scale_command(self, what: str) -> None:
        dev = self.devices
        if dev is None or dev.scale is None:
            self._say(False, self.tr("No scale is running. Choose one and save first."))
            return
        if what == "zero":
            dev.zero()
        else:
            dev.tare()

    def _scale_done(self, what: str) -> None:
        self._say(
            True, self.tr("The scale was zeroed.") if what == "zero" else self.tr("Tare taken.")
        )

    def print_test_label(self) -> None:
        self._print(printing.print_test_label, self.tr("Test label queued as print job {job}."))

    def print_station_card(self) -> None:
        self._print(stations.print_station_card, self.tr("Station card queued as print job {job}."))

    def _print(self, service: Callable[..., int], done: str) -> None:
        try:
            config = self.printer_form.settings()
            config.check()
            printer = config.printer_config()
            if printer is None:
                self._say(False, self.tr("No label printer is chosen."))
                return
            job = self.ctx.services.run(service, self.ctx.actor, printer)
        except PackdeskError as exc:
            self._say(False, error_text(exc))
            return
        self._say(True, done.format(job=job))
        self.ctx.bus.notify("print_job", [job])
        QTimer.singleShot(0, self._after_print)

    def _after_print(self) -> None:
        dev = self.devices
        if dev is not None:
            dev.check_printer()
