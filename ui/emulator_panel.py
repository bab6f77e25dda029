"""Demo mode's emulator panel: "scan" a barcode with the emulated serial scanner, put a weight
on the emulated scale, take the paper out of the emulated printer, and open printed labels as
images. Everything goes through the real bytes: the app reads the pty and the TCP socket as it
would read real devices."""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.devices.emulators.printer import ReceivedJob
from app.devices.emulators.pty_link import Unplugged
from app.domain.errors import PackdeskError
from app.labels.preview import render_png
from app.services import scanning
from ui.context import UiContext
from ui.devices.demo import DemoDevices
from ui.devices.forms import read_escapes
from ui.devices.texts import sample_label
from ui.i18n import error_text

log = logging.getLogger(__name__)
SAMPLE_KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class _Relay(QObject):
    """Emulator callbacks come from its threads; this main-thread object passes them on."""

    printed = Signal(object)  # ReceivedJob
    rendered = Signal(int, object)  # job index, PNG bytes or a PackdeskError


class _Render(QRunnable):
    def __init__(self, index: int, job: ReceivedJob, relay: _Relay) -> None:
        super().__init__()
        self.index, self.job, self.relay = index, job, relay

    def run(self) -> None:
        try:
            result: bytes | PackdeskError = render_png(self.job.payload, self.job.language)
        except PackdeskError as exc:
            result = exc
        self.relay.rendered.emit(self.index, result)


class LabelImageDialog(QDialog):
    """A printed label as the printer would have printed it."""

    def __init__(self, png: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.png = png
        pix = QPixmap()
        pix.loadFromData(png, "PNG")
        self.image = QLabel()
        self.image.setObjectName("label_image")
        self.image.setPixmap(pix.scaledToHeight(min(pix.height(), 900)) if pix.height() else pix)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self.resize(min(pix.width() + 60, 900), 960)


class EmulatorPanel(QWidget):
    """A small tool window beside the main window in demo mode."""

    def __init__(self, ctx: UiContext, demo: DemoDevices, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.demo = demo
        self.setObjectName("EmulatorPanel")
        self.setWindowTitle(self.tr("Device emulators (demo)"))
        self.relay = _Relay(self)
        self.relay.printed.connect(self._printed)
        self.relay.rendered.connect(self._rendered)
        self.demo.printer.on_print = self.relay.printed.emit
        self.dialogs: list[LabelImageDialog] = []
        self.status = QLabel()
        self.status.setObjectName("emulator_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "No hardware needed: these emulated devices talk to Packdesk over a serial line "
                "and the network, exactly like real ones."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._scanner_box())
        layout.addWidget(self._scale_box())
        layout.addWidget(self._printer_box())
        layout.addWidget(self.status)
        self.resize(480, 720)

    # --- scanner -----------------------------------------------------------------------------

    def _scanner_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Barcode scanner (serial)"))
        self.barcode = QLineEdit()
        self.barcode.setObjectName("emulator_barcode")
        self.barcode.setPlaceholderText(self.tr("Type a barcode; \\x1d is the GS separator"))
        self.barcode.returnPressed.connect(self.scan_typed)
        scan = QPushButton(self.tr("Scan"))
        scan.clicked.connect(self.scan_typed)
        self.samples = QComboBox()
        self.samples.setObjectName("emulator_samples")
        self.samples.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.samples.setMinimumContentsLength(26)
        self.reload_samples()
        scan_sample = QPushButton(self.tr("Scan this"))
        scan_sample.setObjectName("scan_sample")
        scan_sample.clicked.connect(self.scan_sample)
        self.scanner_plug = QPushButton(self.tr("Unplug"))
        self.scanner_plug.clicked.connect(self.toggle_scanner)
        garbage = QPushButton(self.tr("Send garbage"))
        garbage.clicked.connect(self.send_garbage)
        grid = QGridLayout(box)
        grid.addWidget(self.barcode, 0, 0)
        grid.addWidget(scan, 0, 1)
        grid.addWidget(self.samples, 1, 0)
        grid.addWidget(scan_sample, 1, 1)
        row = QHBoxLayout()
        row.addWidget(self.scanner_plug)
        row.addWidget(garbage)
        row.addStretch(1)
        grid.addLayout(row, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return box

    def reload_samples(self) -> None:
        self.samples.clear()
        try:
            samples = self.ctx.services.run(scanning.sample_barcodes)
        except PackdeskError as exc:
            self._say(error_text(exc))
            return
        for s in samples:
            self.samples.addItem(sample_label(s.kind, s.text, s.detail), s.text)
            self.samples.setItemData(self.samples.count() - 1, s.kind, SAMPLE_KIND_ROLE)

    def _scan(self, text: str) -> None:
        if not text:
            return
        try:
            self.demo.scanner.scan(text)
        except Unplugged:
            self._say(self.tr("The emulated scanner is unplugged. Plug it in first."))
            return
        self._say(self.tr("Scanned {code}.").format(code=text.replace("\x1d", "<GS>")))

    def scan_typed(self) -> None:
        self._scan(read_escapes(self.barcode.text().strip()).replace("<GS>", "\x1d"))

    def scan_sample(self) -> None:
        self._scan(str(self.samples.currentData() or ""))

    def toggle_scanner(self) -> None:
        if self.demo.scanner.plugged:
            self.demo.scanner.unplug()
            self.scanner_plug.setText(self.tr("Plug in"))
            self._say(self.tr("Scanner unplugged: watch the status bar."))
        else:
            self.demo.scanner.replug()
            self.scanner_plug.setText(self.tr("Unplug"))
            self._say(self.tr("Scanner plugged in again; Packdesk reconnects by itself."))

    def send_garbage(self) -> None:
        try:
            self.demo.scanner.garbage()
        except Unplugged:
            self._say(self.tr("The emulated scanner is unplugged. Plug it in first."))

    # --- scale ---------------------------------------------------------------------------------

    def _scale_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Scale (MT-SICS, serial)"))
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("emulator_weight")
        self.weight.setDecimals(3)
        self.weight.setRange(0, 99)
        self.weight.setSingleStep(0.1)
        self.weight.setValue(1.25)
        self.weight.setSuffix(" kg")
        put = QPushButton(self.tr("Put on (steady)"))
        put.setObjectName("put_steady")
        put.clicked.connect(lambda: self.put_weight(stable=True))
        wobble = QPushButton(self.tr("Put on (wobbling)"))
        wobble.clicked.connect(lambda: self.put_weight(stable=False))
        overload = QPushButton(self.tr("Overload"))
        overload.clicked.connect(self.overload)
        clear = QPushButton(self.tr("Take it off"))
        clear.clicked.connect(self.clear_scale)
        form = QFormLayout(box)
        form.addRow(self.tr("Weight"), self.weight)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(put)
        row1.addWidget(wobble)
        row2.addWidget(overload)
        row2.addWidget(clear)
        form.addRow(row1)
        form.addRow(row2)
        return box

    def put_weight(self, stable: bool) -> None:
        value = Decimal(str(round(self.weight.value(), 3)))
        self.demo.scale.put(value, stable=stable)
        if stable:
            self._say(self.tr("{value} kg on the scale, steady.").format(value=value))
        else:
            self._say(self.tr("{value} kg on the scale, wobbling.").format(value=value))

    def overload(self) -> None:
        self.demo.scale.set_fault(overload=True)
        self._say(self.tr("The scale is overloaded."))

    def clear_scale(self) -> None:
        self.demo.scale.clear()
        self._say(self.tr("The scale is empty."))

    # --- printer ---------------------------------------------------------------------------------

    def _printer_box(self) -> QGroupBox:
        language = self.demo.printer.language.upper()
        box = QGroupBox(
            self.tr("Label printer ({language}, network {address})").format(
                language=language, address=self.demo.printer.address
            )
        )
        self.paper_out = QCheckBox(self.tr("Paper out"))
        self.paper_out.setObjectName("paper_out")
        self.head_open = QCheckBox(self.tr("Head open"))
        self.paused = QCheckBox(self.tr("Paused"))
        for cb, flag in (
            (self.paper_out, "paper_out"),
            (self.head_open, "head_open"),
            (self.paused, "paused"),
        ):
            cb.toggled.connect(lambda on, flag=flag: self.set_printer(flag, on))
        self.jobs = QListWidget()
        self.jobs.setObjectName("printed_labels")
        self.jobs.itemActivated.connect(lambda _item: self.open_label())
        self.open_button = QPushButton(self.tr("Open as image"))
        self.open_button.setObjectName("open_label")
        self.open_button.clicked.connect(self.open_label)
        flags = QHBoxLayout()
        for cb in (self.paper_out, self.head_open, self.paused):
            flags.addWidget(cb)
        layout = QVBoxLayout(box)
        layout.addLayout(flags)
        layout.addWidget(QLabel(self.tr("Printed labels (double-click to open):")))
        layout.addWidget(self.jobs)
        layout.addWidget(self.open_button)
        for job in self.demo.printer.printed:
            self._printed(job)
        return box

    def set_printer(self, flag: str, on: bool) -> None:
        self.demo.printer.set_state(**{flag: on})
        station = self.ctx.devices.get("station")
        if station is not None:
            station.check_printer()  # show the new state now, not at the next poll

    @Slot(object)
    def _printed(self, job: ReceivedJob) -> None:
        n = self.jobs.count() + 1
        item = QListWidgetItem(
            self.tr("Label {n}: {language}, {size} bytes").format(
                n=n, language=job.language.upper(), size=len(job.payload)
            )
        )
        item.setData(Qt.ItemDataRole.UserRole, n - 1)
        self.jobs.addItem(item)
        self.jobs.setCurrentItem(item)
        self._say(self.tr("The printer printed label {n}.").format(n=n))

    def open_label(self) -> None:
        item = self.jobs.currentItem()
        if item is None:
            self._say(self.tr("Nothing printed yet. Print a test label from the device screen."))
            return
        index = int(item.data(Qt.ItemDataRole.UserRole))
        job = self.demo.printer.printed[index]
        self._say(self.tr("Drawing label {n}…").format(n=index + 1))
        QThreadPool.globalInstance().start(_Render(index, job, self.relay))

    @Slot(int, object)
    def _rendered(self, index: int, result: object) -> None:
        if isinstance(result, PackdeskError):
            self._say(error_text(result))
            return
        assert isinstance(result, bytes)
        dialog = LabelImageDialog(result, self.tr("Printed label {n}").format(n=index + 1), self)
        self.dialogs.append(dialog)
        dialog.show()
        self._say(self.tr("Label {n} opened.").format(n=index + 1))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.demo.printer.on_print = None
        for dialog in self.dialogs:
            dialog.close()
        self.dialogs.clear()
        super().closeEvent(event)
