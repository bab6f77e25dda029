"""The station's document printer (packing and pickup slips): its own print queue worker, so
the label printer never waits for it.

``pdf`` writes each slip into a folder (``app.devices.document_printers.FolderPrinter``);
``system`` prints it on a system printer (``ui.printing.system_printer.SystemPrinter``, which
prints every page at its own size: A4 or Letter).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from app.devices.base import DeviceStatus, LabelPrinter
from app.devices.document_printers import FolderPrinter
from app.devices.printers import PrinterConfig, open_printer
from app.devices.station_config import DocumentSettings
from app.domain.errors import PackdeskError
from app.services.document_jobs import DOCUMENT
from ui.bus import Bus
from ui.i18n import error_text, printer_status_text, translate_loose
from ui.printing.print_worker import PrintQueue, UowFactory


def document_config(settings: DocumentSettings) -> PrinterConfig:
    """The document printer as the print worker knows printers (a PDF system printer)."""
    return PrinterConfig(transport="system", address=settings.printer.strip(), language="pdf")


def document_printer_factory(settings: DocumentSettings) -> Callable[[PrinterConfig], LabelPrinter]:
    if settings.mode == "pdf":
        folder = settings.slip_folder()
        return lambda _config: FolderPrinter(folder)
    return open_printer  # "system": Qt print support, installed by PrintQueue


def document_queue(
    bus: Bus,
    uow_factory: UowFactory,
    settings: DocumentSettings,
    station_id: int | None,
    *,
    poll_ms: int = 1000,
    parent: QObject | None = None,
) -> PrintQueue | None:
    """A print queue for the station's document jobs; None when the document printer is off."""
    if not settings.enabled:
        return None
    return PrintQueue(
        bus,
        uow_factory,
        document_config(settings),
        station_id,
        poll_ms=poll_ms,
        parent=parent,
        printer_role=DOCUMENT,
        printer_factory=document_printer_factory(settings),
        status_role="documents",
    )


def tr(text: str) -> str:
    return translate_loose("Devices", text)


def document_status(status: DeviceStatus | PackdeskError | None) -> tuple[bool, str, str]:
    """The document printer's state for the status bar: ok, a short text and a sentence."""
    if status is None:
        return True, tr("Slips: off"), tr("No document printer is set up for this station.")
    if isinstance(status, PackdeskError):
        return False, tr("Slips: not answering"), error_text(status)
    if status.ok:
        return True, tr("Slips: ready"), printer_status_text(status.text)
    return False, tr("Slips: not ready"), printer_status_text(status.text)
