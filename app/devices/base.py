"""Small protocols the services and UI see devices through (cosmicpython's injected adapters).

Concrete drivers live beside this module (scanners, scales, printers); emulators that speak the
real bytes live in app/devices/emulators. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class DeviceStatus:
    """What the status bar and the device screen show: ok or not, and a sentence."""

    ok: bool
    text: str


@dataclass(frozen=True)
class RawScan:
    """A scan as a device delivered it, before classification."""

    text: str
    source: str
    #: AIM symbology identifier (``]C1``...) when the scanner sends one
    symbology: str = ""


@dataclass(frozen=True)
class Weight:
    """A stable weight as read from a scale."""

    value: Decimal
    unit: str  # g | kg | lb | oz

    @property
    def grams(self) -> Decimal:
        factor = {
            "g": Decimal(1),
            "kg": Decimal(1000),
            "lb": Decimal("453.59237"),
            "oz": Decimal("28.349523125"),
        }[self.unit]
        return self.value * factor


class Scanner(Protocol):
    """A scanner that delivers scans to a callback from its own thread."""

    def start(
        self, on_scan: Callable[[RawScan], None], on_status: Callable[[DeviceStatus], None]
    ) -> None: ...

    def stop(self) -> None: ...


class Scale(Protocol):
    def read_stable(self, timeout: float = 5.0) -> Weight: ...

    def zero(self) -> None: ...

    def tare(self) -> None: ...

    def status(self) -> DeviceStatus: ...


class LabelPrinter(Protocol):
    """Sends a rendered job (ZPL, TSPL or PDF bytes) and tells its status where it can."""

    def send(self, payload: bytes, timeout: float = 10.0) -> None: ...

    def status(self, timeout: float = 2.0) -> DeviceStatus: ...
