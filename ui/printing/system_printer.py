"""The system's printers (laser, or a label printer with a driver) through Qt print support.

Jobs are PDF: each page is rendered by QtPdf at the printer's resolution and painted on a
QPrinter page of the same size. Status is what the system's print queue says.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRect,
    QSizeF,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.devices.base import DeviceStatus
from app.devices.printers import PrinterConfig, PrinterUnreachable
from app.domain.errors import DeviceError
from ui.i18n import translate_loose


def tr(text: str) -> str:
    return translate_loose("SystemPrinter", text)


class SystemPrinter:
    """A ``LabelPrinter`` for a printer the operating system knows (``config.address`` is its
    name; empty for the default printer). ``output_file`` prints to a PDF file instead."""

    def __init__(self, config: PrinterConfig, output_file: str | None = None) -> None:
        self.config = config
        self.output_file = output_file

    @property
    def name(self) -> str:
        return self.config.address

    def _info(self) -> QPrinterInfo:
        info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            where = self.name or tr("the default printer")
            raise PrinterUnreachable(
                address=where, reason=tr("the system has no such printer (is it installed?)")
            )
        return info

    def status(self, timeout: float = 2.0) -> DeviceStatus:
        if self.output_file:
            return DeviceStatus(
                True, tr("Printing to the file {path}.").format(path=self.output_file)
            )
        info = self._info()
        state = info.state()
        if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            return DeviceStatus(
                False,
                tr(
                    "The system reports a problem with {name}. Open its print queue, fix it "
                    "and resume the queue."
                ).format(name=info.printerName()),
            )
        return DeviceStatus(True, tr("Ready."))

    def send(self, payload: bytes, timeout: float = 10.0) -> None:
        if not payload.startswith(b"%PDF"):
            raise DeviceError(
                "A system printer prints PDF. Set the printer language to PDF in the device "
                "settings."
            )
        data = QByteArray(payload)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        doc = QPdfDocument()
        doc.load(buffer)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            raise DeviceError("The label could not be read as a PDF; print it again.")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.output_file:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.output_file)
            printer.setResolution(self.config.dpi)
        else:
            printer.setPrinterName(self._info().printerName())
        printer.setFullPage(True)
        printer.setDocName("Packdesk label")
        painter = QPainter()
        try:
            for page in range(doc.pageCount()):
                size = doc.pagePointSize(page)
                layout = QPageLayout(
                    QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point, ""),
                    QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0),
                )
                printer.setPageLayout(layout)
                if page == 0:
                    if not painter.begin(printer):
                        raise DeviceError(
                            "The system printer could not start the job. Check the printer "
                            "in the system's settings."
                        )
                else:
                    printer.newPage()
                dpi = printer.resolution()
                px = QRect(0, 0, round(size.width() * dpi / 72), round(size.height() * dpi / 72))
                image = doc.render(page, px.size())
                painter.drawImage(px, image)
        finally:
            if painter.isActive():
                painter.end()
            doc.close()
            buffer.close()
