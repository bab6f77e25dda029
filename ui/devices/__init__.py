"""The station's devices in the UI: workers off the UI thread, the scan pipeline, the demo
emulators, and how the main window gets them (``attach_station_devices``)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QMainWindow

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from ui.devices.station import StationDevices
from ui.feedback import Feedback

log = logging.getLogger(__name__)

__all__ = ["StationDevices", "attach_station_devices", "detach_station_devices"]


def attach_station_devices(window: QMainWindow, *, demo: bool | None = None) -> StationDevices:
    """Start this station's devices for the logged-in user of ``window`` (a MainWindow): in demo
    mode the emulators and their panel too. Scans go to the visible screen if it takes scans."""
    ctx: Any = window.ctx  # type: ignore[attr-defined]
    ctx.devices["feedback"] = Feedback(window)
    demo_devices = None
    if ctx.services.settings.demo if demo is None else demo:
        from ui.devices.demo import start_demo_devices
        from ui.emulator_panel import EmulatorPanel

        try:
            demo_devices = start_demo_devices(ctx)
        except (OSError, PackdeskError):
            log.exception("the demo device emulators could not be started")
        else:
            panel = EmulatorPanel(ctx, demo_devices, window)
            ctx.devices["emulator_panel"] = panel
            panel.move(window.geometry().right() + 12, window.geometry().top())
            panel.show()
    devices = StationDevices(ctx, demo_devices.config if demo_devices else None, parent=window)

    def route(event: ScanEvent) -> None:
        current = getattr(window, "current_screen", lambda: None)()
        if current is not None and current.takes_scans:
            current.on_scan(event)

    ctx.bus.scanned.connect(route)
    ctx.devices["route"] = route
    devices.start()
    return devices


def detach_station_devices(window: QMainWindow) -> None:
    """Stop the devices (and the demo emulators) of ``window``; safe to call twice."""
    ctx: Any = window.ctx  # type: ignore[attr-defined]
    route = ctx.devices.pop("route", None)
    if route is not None:
        ctx.bus.scanned.disconnect(route)
    devices = ctx.devices.pop("station", None)
    if devices is not None:
        devices.stop()
    panel = ctx.devices.pop("emulator_panel", None)
    if panel is not None:
        panel.close()
    demo = ctx.devices.pop("demo", None)
    if demo is not None:
        demo.stop()
