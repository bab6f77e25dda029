"""Device emulators that speak the real bytes, for the demo mode and the tests.

- ``ScannerEmulator``: a serial barcode scanner (CR LF framed scans, AIM ids, garbage, unplug).
- ``ScaleEmulator``: a scale speaking MT-SICS, a continuous stream or NCI, with faults
  (unstable weight, overload, silence, garbage, unplug mid-answer).
- The network label printer (ZPL/TSPL on loopback TCP) is ``printer.PrinterEmulator``.

Serial emulators sit on a real pseudo-terminal (``pty.openpty`` + ``tty.setraw``), which needs
a POSIX system (Linux, macOS). Elsewhere ``default_link`` falls back to loopback TCP, which the
app opens as a pyserial ``socket://`` URL. Importing this package never needs a pty.
"""

from app.devices.emulators.pty_link import HAS_PTY, PtyLink, TcpLink, default_link
from app.devices.emulators.scales import ScaleEmulator
from app.devices.emulators.scanner import ScannerEmulator

__all__ = [
    "HAS_PTY",
    "PtyLink",
    "ScaleEmulator",
    "ScannerEmulator",
    "TcpLink",
    "default_link",
]
