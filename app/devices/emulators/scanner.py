"""An emulated serial barcode scanner: it "scans" by writing the bytes a real scanner sends."""

from __future__ import annotations

import random
import time

from app.devices.emulators.pty_link import EmulatorLink, default_link


class ScannerEmulator:
    """Writes scans as CR LF (or ``suffix``) terminated lines, optionally with the AIM
    symbology identifier in front, and injects faults: garbage bytes, unplugging mid-scan."""

    def __init__(
        self,
        link: EmulatorLink | None = None,
        *,
        suffix: bytes = b"\r\n",
        encoding: str = "utf-8",
    ) -> None:
        self.link: EmulatorLink = link or default_link("scanner")
        self.suffix = suffix
        self.encoding = encoding
        self.sent: list[str] = []
        #: time.perf_counter() right after the last byte of the last scan was written
        self.last_written_at = 0.0

    @property
    def port(self) -> str:
        return self.link.port

    def scan(self, text: str, symbology: str = "") -> float:
        """Send one scan; returns the perf_counter time its last byte was written."""
        self.link.write((symbology + text).encode(self.encoding) + self.suffix)
        self.last_written_at = time.perf_counter()
        self.sent.append(text)
        return self.last_written_at

    def send_bytes(self, data: bytes) -> None:
        """Raw bytes on the wire, framing and all."""
        self.link.write(data)

    def garbage(self, n: int = 24, seed: int | None = None) -> bytes:
        """A burst of random bytes (control characters, invalid UTF-8) ended by CR LF, as a
        scanner with the wrong baud rate or a bad cable produces."""
        rng = random.Random(seed)
        body = bytes(rng.choice([*range(1, 32), *range(0x80, 0x100)]) for _ in range(n))
        data = body.replace(b"\r", b"\x07").replace(b"\n", b"\x07") + self.suffix
        self.link.write(data)
        return data

    def scan_then_unplug(self, text: str, cut_after: int | None = None) -> None:
        """Start sending a scan and pull the cable before its end."""
        data = text.encode(self.encoding)
        self.link.write(data[: cut_after if cut_after is not None else len(data) // 2])
        time.sleep(0.05)  # let the app read the partial scan before the line goes dead
        self.link.unplug()

    def unplug(self) -> None:
        self.link.unplug()

    def replug(self) -> None:
        self.link.replug()

    @property
    def plugged(self) -> bool:
        return self.link.plugged

    def close(self) -> None:
        self.link.close()
