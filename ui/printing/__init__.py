"""Printing in the window: the print queue worker, system printers through Qt print support."""

from __future__ import annotations

from app.devices.printers import register_system_printers


def install_system_printers() -> None:
    """Let ``app.devices.printers.open_printer`` use the system's printers (transport
    "system"); app/ cannot import Qt, so the UI injects it."""
    from ui.printing.system_printer import SystemPrinter

    register_system_printers(SystemPrinter)
