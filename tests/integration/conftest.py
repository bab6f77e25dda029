"""Fixtures the integration tests share (the project's own are in ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.devices.emulators.printer import PrinterEmulator


@pytest.fixture
def emulator() -> Iterator[PrinterEmulator]:
    """A ZPL label printer emulator listening on loopback TCP (a module may define its own)."""
    emu = PrinterEmulator("zpl")
    emu.start()
    yield emu
    emu.stop()
