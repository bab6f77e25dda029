"""The setting forms of the device screen: scanner, scale, label printer, document printer."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.devices.printers import usb_printer_devices
from app.devices.serial_ports import list_serial_ports
from app.devices.station_config import (
    BAUDS,
    DOCUMENT_PAPERS,
    LABEL_SIZES,
    DocumentSettings,
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
)
from app.labels.model import DPIS

_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def show_escapes(text: str) -> str:
    """Control characters as ``\\x02`` so they can be seen and typed."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in text)


def read_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class PortBox(QComboBox):
    """An editable list of ports: the serial ports found (with USB ids), or anything typed
    (``/dev/serial/by-id/...``, ``COM7``, ``socket://host:port``)."""

    def __init__(self, usb_printers: bool = False) -> None:
        super().__init__()
        self.setEditable(True)
        self.setMinimumContentsLength(18)
        self.usb_printers = usb_printers
        self.refresh()

    def refresh(self) -> None:
        current = self.port()
        self.clear()
        for info in list_serial_ports():
            self.addItem(info.label, info.device)
        if self.usb_printers:
            for path in usb_printer_devices():
                self.addItem(path, path)
        self.set_port(current)

    def port(self) -> str:
        text = self.currentText().strip()
        i = self.findText(text)
        if i >= 0 and self.itemData(i):
            return str(self.itemData(i))
        return text

    def set_port(self, port: str) -> None:
        i = self.findData(port)
        if i >= 0:
            self.setCurrentIndex(i)
        else:
            self.setEditText(port)


def _choices(box: QComboBox, items: list[tuple[str, object]]) -> QComboBox:
    for text, data in items:
        box.addItem(text, data)
    return box


def _select(box: QComboBox, value: object) -> None:
    i = box.findData(value)
    box.setCurrentIndex(max(i, 0))


def _bauds() -> QComboBox:
    return _choices(QComboBox(), [(str(b), b) for b in BAUDS])


class ScannerForm(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Scanner"))
        self.mode = _choices(
            QComboBox(),
            [
                (self.tr("Keyboard (USB HID, keyboard wedge)"), "wedge"),
                (self.tr("Serial port (USB-CDC, RS-232)"), "serial"),
                (self.tr("No scanner"), "off"),
            ],
        )
        self.port = PortBox()
        self.refresh = QPushButton(self.tr("Find ports"))
        self.refresh.clicked.connect(self.port.refresh)
        self.baud = _bauds()
        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText(self.tr("none, e.g. \\x02"))
        self.suffix = QLineEdit()
        self.suffix.setPlaceholderText(self.tr("Enter"))
        self.gap = QSpinBox()
        self.gap.setRange(5, 200)
        self.gap.setSuffix(" ms")
        self.min_length = QSpinBox()
        self.min_length.setRange(1, 50)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port, 1)
        port_row.addWidget(self.refresh)
        form = QFormLayout(self)
        form.addRow(self.tr("Connected as"), self.mode)
        form.addRow(self.tr("Port"), port_row)
        form.addRow(self.tr("Baud rate"), self.baud)
        form.addRow(self.tr("Prefix"), self.prefix)
        form.addRow(self.tr("Suffix"), self.suffix)
        form.addRow(self.tr("Longest pause between keys"), self.gap)
        form.addRow(self.tr("Shortest scan (characters)"), self.min_length)
        self.mode.currentIndexChanged.connect(self._enable)
        self.set_settings(ScannerSettings())

    def _enable(self) -> None:
        serial = self.mode.currentData() == "serial"
        wedge = self.mode.currentData() == "wedge"
        widgets: tuple[QWidget, ...] = (self.port, self.refresh, self.baud)
        for w in widgets:
            w.setEnabled(serial)
        for w in (self.prefix, self.suffix, self.gap, self.min_length):
            w.setEnabled(wedge)
        self.changed.emit()

    def set_settings(self, s: ScannerSettings) -> None:
        _select(self.mode, s.mode)
        self.port.set_port(s.port)
        _select(self.baud, s.baud)
        self.prefix.setText(show_escapes(s.prefix))
        self.suffix.setText(show_escapes(s.suffix))
        self.gap.setValue(s.max_gap_ms)
        self.min_length.setValue(s.min_length)
        self._enable()

    def settings(self) -> ScannerSettings:
        return ScannerSettings(
            mode=str(self.mode.currentData()),
            port=self.port.port(),
            baud=int(self.baud.currentData()),
            prefix=read_escapes(self.prefix.text()),
            suffix=read_escapes(self.suffix.text()),
            max_gap_ms=self.gap.value(),
            min_length=self.min_length.value(),
        )


class ScaleForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Scale"))
        self.protocol = _choices(
            QComboBox(),
            [
                (self.tr("No scale"), "off"),
                (self.tr("Mettler Toledo MT-SICS"), "mtsics"),
                (self.tr("Continuous stream (ST/US, GS/NT)"), "continuous"),
                (self.tr("NCI / Avery Weigh-Tronix / Brecknell"), "nci"),
            ],
        )
        self.port = PortBox()
        self.baud = _bauds()
        self.framing = _choices(
            QComboBox(),
            [(f, f) for f in ("8N1", "7E1", "7O1", "8N2")],
        )
        self.readings = QSpinBox()
        self.readings.setRange(1, 10)
        self.tolerance = QSpinBox()
        self.tolerance.setRange(0, 1000)
        self.tolerance.setSuffix(" g")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.5, 60)
        self.timeout.setSuffix(" s")
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText(self.tr("default: ST,GS,+001.234kg"))
        form = QFormLayout(self)
        form.addRow(self.tr("Protocol"), self.protocol)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Baud rate"), self.baud)
        form.addRow(self.tr("Data bits, parity, stop bits"), self.framing)
        form.addRow(self.tr("Readings that must agree"), self.readings)
        form.addRow(self.tr("They may differ by"), self.tolerance)
        form.addRow(self.tr("Give up after"), self.timeout)
        form.addRow(self.tr("Frame pattern (continuous)"), self.pattern)
        self.protocol.currentIndexChanged.connect(self._enable)
        self.set_settings(ScaleSettings())

    def _enable(self) -> None:
        on = self.protocol.currentData() != "off"
        for w in (self.port, self.baud, self.framing, self.readings, self.tolerance, self.timeout):
            w.setEnabled(on)
        self.pattern.setEnabled(self.protocol.currentData() == "continuous")

    def set_settings(self, s: ScaleSettings) -> None:
        _select(self.protocol, s.protocol)
        self.port.set_port(s.port)
        _select(self.baud, s.baud)
        _select(self.framing, f"{s.bytesize}{s.parity}{s.stopbits}")
        self.readings.setValue(s.readings)
        self.tolerance.setValue(int(s.tolerance))
        self.timeout.setValue(s.timeout_s)
        self.pattern.setText(s.frame_pattern)
        self._enable()

    def settings(self) -> ScaleSettings:
        framing = str(self.framing.currentData())
        bytesize, parity, stopbits = int(framing[0]), framing[1], int(framing[2])
        return ScaleSettings(
            protocol=str(self.protocol.currentData()),
            port=self.port.port(),
            baud=int(self.baud.currentData()),
            bytesize=bytesize,
            parity=parity,
            stopbits=stopbits,
            readings=self.readings.value(),
            tolerance_g=str(self.tolerance.value()),
            timeout_s=self.timeout.value(),
            frame_pattern=self.pattern.text().strip(),
        )


class PrinterForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Label printer"))
        self.transport = _choices(
            QComboBox(),
            [
                (self.tr("No label printer"), "off"),
                (self.tr("Network (raw TCP, port 9100)"), "tcp"),
                (self.tr("Serial port"), "serial"),
                (self.tr("USB printer device"), "usb"),
                (self.tr("System printer (PDF)"), "system"),
            ],
        )
        self.address = PortBox(usb_printers=True)
        self.address.setToolTip(self.tr("Network: host:port. Serial/USB: the port or device."))
        self.language = _choices(
            QComboBox(),
            [("ZPL II (Zebra)", "zpl"), ("TSPL (TSC, Gprinter, Xprinter)", "tspl"), ("PDF", "pdf")],
        )
        self.dpi = _choices(QComboBox(), [(f"{d} dpi", d) for d in DPIS])
        self.label_size = _choices(QComboBox(), [(s, s) for s in LABEL_SIZES])
        self.baud = _bauds()
        form = QFormLayout(self)
        form.addRow(self.tr("Connected by"), self.transport)
        form.addRow(self.tr("Address or port"), self.address)
        form.addRow(self.tr("Printer language"), self.language)
        form.addRow(self.tr("Resolution"), self.dpi)
        form.addRow(self.tr("Label size"), self.label_size)
        form.addRow(self.tr("Baud rate (serial)"), self.baud)
        self.transport.currentIndexChanged.connect(self._enable)
        self.set_settings(PrinterSettings())

    def _enable(self) -> None:
        t = self.transport.currentData()
        for w in (self.address, self.language, self.dpi, self.label_size):
            w.setEnabled(t != "off")
        self.baud.setEnabled(t == "serial")

    def set_settings(self, s: PrinterSettings) -> None:
        _select(self.transport, s.transport)
        self.address.set_port(s.address)
        _select(self.language, s.language)
        _select(self.dpi, s.dpi)
        _select(self.label_size, s.label_size)
        _select(self.baud, s.baud)
        self._enable()

    def settings(self) -> PrinterSettings:
        return PrinterSettings(
            transport=str(self.transport.currentData()),
            address=self.address.port(),
            language=str(self.language.currentData()),
            dpi=int(self.dpi.currentData()),
            label_size=str(self.label_size.currentData()),
            baud=int(self.baud.currentData()),
        )


class DocumentsForm(QGroupBox):
    """The document printer for packing and pickup slips: off, PDF files in a folder, or a
    system printer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Document printer (packing slips)"))
        self.mode = _choices(
            QComboBox(),
            [
                (self.tr("No slips"), "off"),
                (self.tr("PDF files in a folder"), "pdf"),
                (self.tr("System printer"), "system"),
            ],
        )
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(str(DocumentSettings().slip_folder()))
        self.choose_folder = QPushButton(self.tr("Choose…"))
        self.choose_folder.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder)
        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.printer.addItem(self.tr("(the default printer)"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        self.paper = _choices(QComboBox(), [(p, p) for p in DOCUMENT_PAPERS])
        form = QFormLayout(self)
        form.addRow(self.tr("Slips go to"), self.mode)
        form.addRow(self.tr("Folder"), folder_row)
        form.addRow(self.tr("System printer"), self.printer)
        form.addRow(self.tr("Paper"), self.paper)
        self.mode.currentIndexChanged.connect(self._enable)
        self.set_settings(DocumentSettings())

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the slips"))
        if folder:
            self.folder.setText(folder)

    def _enable(self) -> None:
        mode = self.mode.currentData()
        self.folder.setEnabled(mode == "pdf")
        self.choose_folder.setEnabled(mode == "pdf")
        self.printer.setEnabled(mode == "system")
        self.paper.setEnabled(mode != "off")

    def set_settings(self, s: DocumentSettings) -> None:
        _select(self.mode, s.mode)
        self.folder.setText(s.folder)
        index = self.printer.findData(s.printer)
        if index < 0:
            self.printer.addItem(s.printer, s.printer)
            index = self.printer.count() - 1
        self.printer.setCurrentIndex(index)
        _select(self.paper, s.paper)
        self._enable()

    def settings(self) -> DocumentSettings:
        printer = self.printer.currentData()
        if printer is None or self.printer.currentText() != self.printer.itemText(
            self.printer.currentIndex()
        ):
            printer = self.printer.currentText()  # typed by hand
        return DocumentSettings(
            mode=str(self.mode.currentData()),
            folder=self.folder.text().strip(),
            printer=str(printer).strip(),
            paper=str(self.paper.currentData()),
        )
