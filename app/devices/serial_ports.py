"""The serial ports of this computer, with their USB ids, for the device screen."""

from __future__ import annotations

from dataclasses import dataclass

from serial.tools import list_ports


@dataclass(frozen=True)
class SerialPortInfo:
    """One port: ``/dev/ttyACM0`` or ``COM3``, and what is plugged into it when known."""

    device: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""
    manufacturer: str = ""

    @property
    def usb_id(self) -> str:
        """``vid:pid`` in the usual hex form (``05e0:1200``), or "" for a non-USB port."""
        if self.vid is None or self.pid is None:
            return ""
        return f"{self.vid:04x}:{self.pid:04x}"

    @property
    def label(self) -> str:
        """What the port list shows: ``/dev/ttyACM0 — Symbol Bar Code Scanner [05e0:1200]``."""
        parts = [self.device]
        about = self.description if self.description not in ("", "n/a", self.device) else ""
        if about:
            parts.append(f"— {about}")
        if self.usb_id:
            parts.append(f"[{self.usb_id}]")
        return " ".join(parts)


def list_serial_ports() -> list[SerialPortInfo]:
    """Every serial port the system reports, USB ones first, then by name."""
    ports = [
        SerialPortInfo(
            device=p.device,
            description=p.description or "",
            vid=p.vid,
            pid=p.pid,
            serial_number=p.serial_number or "",
            manufacturer=p.manufacturer or "",
        )
        for p in list_ports.comports()
    ]
    return sorted(ports, key=lambda p: (p.vid is None, p.device))
