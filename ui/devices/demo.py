"""Demo mode's devices: a serial scanner and an MT-SICS scale on ptys (loopback TCP where the
system has no ptys) and a network ZPL/TSPL label printer on loopback TCP, with this station
set up to use them for the session (the stored settings are not changed)."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from app.devices.emulators.printer import PrinterEmulator
from app.devices.emulators.scales import ScaleEmulator
from app.devices.emulators.scanner import ScannerEmulator
from app.devices.station_config import (
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    StationDevicesConfig,
)
from ui.context import UiContext

log = logging.getLogger(__name__)


@dataclass
class DemoDevices:
    """The running emulators and the station settings that point at them."""

    scanner: ScannerEmulator
    scale: ScaleEmulator
    printer: PrinterEmulator
    config: StationDevicesConfig

    def stop(self) -> None:
        for closer in (self.scanner.close, self.scale.close, self.printer.stop):
            try:
                closer()
            except OSError:  # already gone
                log.info("emulator already stopped", exc_info=True)


def start_demo_devices(ctx: UiContext | None = None, printer_language: str = "zpl") -> DemoDevices:
    """Start the emulators; ``ctx.devices["demo"]`` holds them while the session lasts."""
    scanner = ScannerEmulator()
    try:
        scale = ScaleEmulator("mtsics", interval=0.05)
    except Exception:
        scanner.close()
        raise
    printer = PrinterEmulator(printer_language)
    try:
        host, port = printer.start()
    except OSError:
        with contextlib.suppress(OSError):
            scanner.close()
            scale.close()
        raise
    scale.put("0")
    config = StationDevicesConfig(
        scanner=ScannerSettings(mode="serial", port=scanner.port, baud=9600),
        scale=ScaleSettings(protocol="mtsics", port=scale.port, baud=9600, timeout_s=5.0),
        printer=PrinterSettings(
            transport="tcp",
            address=f"{host}:{port}",
            language=printer_language,
            dpi=203,
            label_size="4x6in",
        ),
    )
    demo = DemoDevices(scanner, scale, printer, config)
    if ctx is not None:
        ctx.devices["demo"] = demo
    return demo
