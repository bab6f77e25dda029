"""A station's device settings: which scanner, scale and label printer, on which port, how.

Stored as JSON in ``stations.devices`` (``app.services.stations`` reads and writes it)::

    {"version": 1,
     "scanner": {"mode": "wedge" | "serial" | "off", "port": "", "baud": 9600,
                 "prefix": "", "suffix": "", "max_gap_ms": 30, "min_length": 4},
     "scale":   {"protocol": "off" | "mtsics" | "continuous" | "nci", "port": "", "baud": 9600,
                 "bytesize": 8, "parity": "N", "stopbits": 1, "readings": 3,
                 "tolerance_g": "0", "timeout_s": 5.0, "frame_pattern": ""},
     "printer": {"transport": "off" | "tcp" | "serial" | "usb" | "system", "address": "",
                 "language": "zpl" | "tspl" | "pdf", "dpi": 203,
                 "label_size": "4x6in" | "100x150mm" | "76x130mm", "baud": 9600},
     "documents": {"mode": "off" | "pdf" | "system", "folder": "", "printer": "",
                   "paper": "A4" | "Letter"}}

``printer`` holds exactly the fields of ``app.devices.printers.PrinterConfig`` (transport "off"
means no label printer is set up) and is validated by it. ``documents`` is the document printer
for packing and pickup slips: ``pdf`` writes each slip as a PDF file into ``folder`` (empty: a
``slips`` folder in the data directory), ``system`` prints on the system printer ``printer``
(empty: the default printer).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from app.config import default_paths
from app.devices.printers import LANGUAGES as PRINTER_LANGUAGES
from app.devices.printers import PrinterConfig
from app.devices.serial_link import DEVICE_WORDS
from app.domain.errors import ValidationError
from app.labels.model import DPIS, SIZES

log = logging.getLogger(__name__)

SCANNER_MODES = ("wedge", "serial", "off")
SCALE_PROTOCOLS = ("off", "mtsics", "continuous", "nci")
PRINTER_TRANSPORTS = ("off", "tcp", "serial", "usb", "system")
LABEL_SIZES = tuple(SIZES)
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
DOCUMENT_MODES = ("off", "pdf", "system")
DOCUMENT_PAPERS = ("A4", "Letter")


@dataclass(frozen=True)
class ScannerSettings:
    mode: str = "wedge"
    port: str = ""
    baud: int = 9600
    #: keyboard wedge: what the scanner sends before / after each scan ("" = none / Enter)
    prefix: str = ""
    suffix: str = ""
    #: keyboard wedge without prefix: longest pause between two keys of one scan
    max_gap_ms: int = 30
    min_length: int = 4

    def check(self) -> None:
        _one_of(SETTING_WORDS["scanner mode"], self.mode, SCANNER_MODES)
        if self.mode == "serial":
            _need_port(DEVICE_WORDS["scanner"], self.port)
            _one_of(SETTING_WORDS["scanner baud rate"], self.baud, BAUDS)
        for name, value in (("prefix", self.prefix), ("suffix", self.suffix)):
            if len(value) > 8:
                raise ValidationError("The scanner {name} is at most 8 characters.", name=name)
        if self.prefix and self.prefix == self.suffix:
            raise ValidationError("The scanner prefix and suffix must differ.")
        _within(SETTING_WORDS["pause between keys (ms)"], self.max_gap_ms, 5, 200)
        _within(SETTING_WORDS["shortest scan"], self.min_length, 1, 50)


@dataclass(frozen=True)
class ScaleSettings:
    protocol: str = "off"
    port: str = ""
    baud: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    #: stable readings in a row that must agree before a weight is accepted
    readings: int = 3
    tolerance_g: str = "0"
    timeout_s: float = 5.0
    #: continuous indicators: a regular expression with groups status, value and unit
    frame_pattern: str = ""

    @property
    def tolerance(self) -> Decimal:
        return Decimal(self.tolerance_g)

    def check(self) -> None:
        _one_of(SETTING_WORDS["scale protocol"], self.protocol, SCALE_PROTOCOLS)
        if self.protocol == "off":
            return
        _need_port(DEVICE_WORDS["scale"], self.port)
        _one_of(SETTING_WORDS["scale baud rate"], self.baud, BAUDS)
        _one_of(SETTING_WORDS["data bits"], self.bytesize, (7, 8))
        _one_of(SETTING_WORDS["parity"], self.parity, ("N", "E", "O"))
        _one_of(SETTING_WORDS["stop bits"], self.stopbits, (1, 2))
        _within(SETTING_WORDS["readings that must agree"], self.readings, 1, 10)
        _within(SETTING_WORDS["scale timeout (s)"], self.timeout_s, 0.5, 60)
        try:
            tol = Decimal(self.tolerance_g)
        except InvalidOperation:
            raise ValidationError("The weight tolerance is a number of grams.") from None
        if not tol.is_finite() or not 0 <= tol <= 1000:
            raise ValidationError("The weight tolerance is 0 to 1000 grams.")
        if self.frame_pattern:
            try:
                rx = re.compile(self.frame_pattern)
            except re.error as exc:
                raise ValidationError(
                    "The scale frame pattern is not valid: {exc}.", exc=exc
                ) from exc
            if not {"status", "value", "unit"} <= set(rx.groupindex):
                raise ValidationError(
                    "The scale frame pattern must have the groups (?P<status>...), "
                    "(?P<value>...) and (?P<unit>...)."
                )


@dataclass(frozen=True)
class PrinterSettings:
    transport: str = "off"
    address: str = ""
    language: str = "zpl"
    dpi: int = 203
    label_size: str = "4x6in"
    baud: int = 9600

    @property
    def enabled(self) -> bool:
        return self.transport != "off"

    def check(self) -> None:
        _one_of(SETTING_WORDS["printer connection"], self.transport, PRINTER_TRANSPORTS)
        if self.transport == "off":
            return
        if self.transport != "system" and not self.address.strip():
            raise ValidationError(
                "Enter the printer's address: host:port for a network printer, or the port "
                "of a serial or USB printer."
            )
        _one_of(SETTING_WORDS["printer language"], self.language, PRINTER_LANGUAGES)
        _one_of(SETTING_WORDS["printer resolution"], self.dpi, DPIS)
        _one_of(SETTING_WORDS["label size"], self.label_size, LABEL_SIZES)
        if self.transport == "serial":
            _one_of(SETTING_WORDS["printer baud rate"], self.baud, BAUDS)
        self.printer_config()  # the printer driver's own rules (a system printer prints PDF)

    def printer_config(self) -> PrinterConfig | None:
        """The ``PrinterConfig`` for the printer driver, None when no printer is set up."""
        if self.transport == "off":
            return None
        return PrinterConfig.from_dict(asdict(self))


@dataclass(frozen=True)
class DocumentSettings:
    """The document printer: where packing and pickup slips go. A station that has not chosen
    saves them as PDF files (``slips`` in the data directory); ``off``: no slips here."""

    mode: str = "pdf"
    #: ``pdf``: the folder slips are written into ("" = ``slips`` in the data directory)
    folder: str = ""
    #: ``system``: the system printer's name ("" = the default printer)
    printer: str = ""
    paper: str = "A4"

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def check(self) -> None:
        _one_of(SETTING_WORDS["document printer"], self.mode, DOCUMENT_MODES)
        _one_of(SETTING_WORDS["paper size"], self.paper, DOCUMENT_PAPERS)

    def slip_folder(self) -> Path:
        """Where the ``pdf`` mode writes slips."""
        if self.folder.strip():
            return Path(self.folder.strip()).expanduser()
        return default_paths().data_dir / "slips"


@dataclass(frozen=True)
class StationDevicesConfig:
    """All device settings of one station."""

    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)

    def check(self) -> None:
        self.scanner.check()
        self.scale.check()
        self.printer.check()
        self.documents.check()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "scanner": asdict(self.scanner),
            "scale": asdict(self.scale),
            "printer": asdict(self.printer),
            "documents": asdict(self.documents),
        }

    @classmethod
    def from_json(cls, data: object, *, strict: bool = False) -> StationDevicesConfig:
        """Settings from stored JSON. Unknown keys are ignored; wrongly typed values fall back
        to their defaults (or raise ValidationError when ``strict``)."""
        if not isinstance(data, dict):
            data = {}
        return cls(
            scanner=_section(ScannerSettings, data.get("scanner"), strict),
            scale=_section(ScaleSettings, data.get("scale"), strict),
            printer=_section(PrinterSettings, data.get("printer"), strict),
            documents=_section(DocumentSettings, data.get("documents"), strict),
        )

    def with_changes(self, **sections: Any) -> StationDevicesConfig:
        return replace(self, **sections)


S = TypeVar("S", ScannerSettings, ScaleSettings, PrinterSettings, DocumentSettings)


def _section(kind: type[S], raw: object, strict: bool) -> S:
    default = kind()
    if not isinstance(raw, dict):
        return default
    values: dict[str, Any] = {}
    for f in fields(kind):
        if f.name not in raw:
            continue
        want = type(getattr(default, f.name))
        value = raw[f.name]
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not want:
            if strict:
                raise ValidationError(
                    "The setting {name} has the wrong type ({value!r}).", name=f.name, value=value
                )
            log.warning("ignoring device setting %s=%r (wrong type)", f.name, value)
            continue
        values[f.name] = value
    return kind(**values)


#: the settings named in the messages below (collected for translation: screens translate
#: the parameter)
SETTING_WORDS = {
    "scanner mode": "scanner mode",
    "scanner baud rate": "scanner baud rate",
    "pause between keys (ms)": "pause between keys (ms)",
    "shortest scan": "shortest scan",
    "scale protocol": "scale protocol",
    "scale baud rate": "scale baud rate",
    "data bits": "data bits",
    "parity": "parity",
    "stop bits": "stop bits",
    "readings that must agree": "readings that must agree",
    "scale timeout (s)": "scale timeout (s)",
    "printer connection": "printer connection",
    "printer language": "printer language",
    "printer resolution": "printer resolution",
    "label size": "label size",
    "printer baud rate": "printer baud rate",
    "document printer": "document printer",
    "paper size": "paper size",
}


def _one_of(what: str, value: object, allowed: tuple[object, ...]) -> None:
    if value not in allowed:
        choices = ", ".join(str(a) for a in allowed)
        raise ValidationError(
            "The {what} {value!r} is not one of: {choices}.",
            what=what,
            value=value,
            choices=choices,
        )


def _within(what: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValidationError(
            "The {what} must be between {low:g} and {high:g}.", what=what, low=low, high=high
        )


def _need_port(device: str, port: str) -> None:
    if not port.strip():
        raise ValidationError("Choose the port the {device} is connected to.", device=device)
