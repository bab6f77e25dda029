"""An emulated scale speaking MT-SICS, a continuous stream, or NCI, with fault injection.

Put a weight on it (``put``), make it wobble (``wobble``), overload it, make it go silent or talk
garbage, or unplug it. A thread answers the app's commands (and streams frames in continuous
mode) on a real pty or loopback TCP link.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.devices.emulators.pty_link import EmulatorLink, Unplugged, default_link

PROTOCOLS = ("mtsics", "continuous", "nci")
ETX = b"\x03"
_CAPACITY_30KG = {"kg": Decimal(30), "g": Decimal(30000), "lb": Decimal(66), "oz": Decimal(1058)}


@dataclass
class ScaleState:
    """What is on the emulated scale and how it behaves."""

    gross: Decimal = Decimal(0)  #: in ``unit``
    zero_offset: Decimal = Decimal(0)
    tare: Decimal = Decimal(0)
    stable: bool = True
    #: forced faults
    overload: bool = False
    underload: bool = False
    silent: bool = False  #: never answers
    garbage: bool = False  #: answers with random bytes
    unplug_on_next_command: bool = False  #: starts an answer, then the cable is pulled


class ScaleEmulator:
    """A scale on an emulated serial line."""

    def __init__(
        self,
        protocol: str = "mtsics",
        link: EmulatorLink | None = None,
        *,
        unit: str = "kg",
        decimals: int = 3,
        capacity: Decimal | None = None,
        interval: float = 0.05,
        stability_timeout: float = 0.5,
        seed: int | None = None,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown scale protocol {protocol!r}")
        self.protocol = protocol
        self.link: EmulatorLink = link or default_link(f"scale-{protocol}")
        self.unit = unit
        self.decimals = decimals
        #: heaviest weight it shows, in ``unit`` (30 kg by default)
        self.capacity = capacity if capacity is not None else _CAPACITY_30KG[unit]
        self.interval = interval
        self.stability_timeout = stability_timeout
        self.state = ScaleState()
        self.commands: list[str] = []
        self._rng = random.Random(seed)
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"scale-{protocol}", daemon=True)
        self._thread.start()

    @property
    def port(self) -> str:
        return self.link.port

    # --- what a person does with the scale ------------------------------------------------

    def put(self, weight: Decimal | str | float, *, stable: bool = True) -> None:
        """Put something of ``weight`` (in the scale's unit) on the scale."""
        with self._lock:
            self.state.gross = Decimal(str(weight))
            self.state.stable = stable
            self.state.overload = self.state.underload = False
            self._lock.notify_all()

    def clear(self) -> None:
        self.put(0)

    def wobble(self) -> None:
        """The weight keeps moving (a parcel still swinging, a fan blowing on it)."""
        with self._lock:
            self.state.stable = False

    def settle(self) -> None:
        with self._lock:
            self.state.stable = True
            self._lock.notify_all()

    def set_fault(self, **faults: bool) -> None:
        """overload, underload, silent, garbage, unplug_on_next_command."""
        with self._lock:
            for name, value in faults.items():
                if not hasattr(self.state, name) or name in ("gross", "zero_offset", "tare"):
                    raise ValueError(f"unknown fault {name!r}")
                setattr(self.state, name, value)
            self._lock.notify_all()

    def unplug(self) -> None:
        self.link.unplug()

    def replug(self) -> None:
        self.link.replug()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        self._thread.join(2)
        self.link.close()

    # --- what the scale shows ----------------------------------------------------------------

    def _q(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    def _reading(self) -> tuple[Decimal, bool, str]:
        """(net value, stable, fault) where fault is "", "over" or "under"."""
        s = self.state
        if s.overload or s.gross > self.capacity:
            return Decimal(0), False, "over"
        if s.underload:
            return Decimal(0), False, "under"
        net = s.gross - s.zero_offset - s.tare
        if not s.stable:
            step = Decimal(1).scaleb(-self.decimals)
            net += step * self._rng.randint(3, 40) * self._rng.choice((-1, 1))
        return self._q(net), s.stable, ""

    # --- the line ----------------------------------------------------------------------------

    def _run(self) -> None:
        buf = b""
        while not self._stop.is_set():
            if not self.link.plugged:
                self._stop.wait(0.02)
                buf = b""
                continue
            if self.protocol == "continuous":
                self._stream_frame()
            data = self.link.read(self.interval if self.protocol == "continuous" else 0.05)
            if not data:
                continue
            buf += data
            while True:
                idx = min((i for i in (buf.find(b"\r"), buf.find(b"\n")) if i >= 0), default=-1)
                if idx < 0:
                    break
                line, buf = buf[:idx], buf[idx + 1 :]
                command = line.decode("ascii", "replace").strip()
                if command:
                    self._answer(command)

    def _send(self, data: bytes) -> None:
        with self._lock:
            s = self.state
            if s.silent:
                return
            if s.garbage:
                data = bytes(self._rng.randrange(1, 256) for _ in range(len(data) or 8))
            unplug = s.unplug_on_next_command
            s.unplug_on_next_command = False
        try:
            if unplug:
                self.link.write(data[: max(1, len(data) // 2)])
                self._stop.wait(0.05)
                self.link.unplug()
                return
            self.link.write(data)
        except Unplugged:
            pass  # the cable was pulled while answering

    def _answer(self, command: str) -> None:
        self.commands.append(command)
        if self.protocol == "mtsics":
            self._send(self._mtsics(command).encode("ascii") + b"\r\n")
        elif self.protocol == "nci":
            self._send(self._nci(command))
        else:
            self._continuous_command(command)

    # MT-SICS

    def _mt_value(self, value: Decimal) -> str:
        return f"{value:>10} {self.unit}"

    def _mtsics(self, command: str) -> str:
        cmd = command.split()[0].upper()
        if cmd == "S":
            with self._lock:
                self._lock.wait_for(
                    lambda: self.state.stable or self._stop.is_set(), self.stability_timeout
                )
                value, stable, fault = self._reading()
            if fault:
                return "S +" if fault == "over" else "S -"
            return f"S S {self._mt_value(value)}" if stable else "S I"
        if cmd == "SI":
            with self._lock:
                value, stable, fault = self._reading()
            if fault:
                return "S +" if fault == "over" else "S -"
            return f"S {'S' if stable else 'D'} {self._mt_value(value)}"
        if cmd in ("Z", "T"):
            return self._zero_or_tare(cmd)
        if cmd == "@":
            return 'I4 A "B021002593"'
        return "ES"

    def _zero_or_tare(self, cmd: str) -> str:
        with self._lock:
            s = self.state
            _, stable, fault = self._reading()
            if fault:
                return f"{cmd} {'+' if fault == 'over' else '-'}"
            if not stable:
                return f"{cmd} I"
            if cmd == "Z":
                s.zero_offset, s.tare = s.gross, Decimal(0)
                return "Z A"
            s.tare = s.gross - s.zero_offset
            return f"T S {self._mt_value(self._q(s.tare))}"

    # continuous

    def _stream_frame(self) -> None:
        with self._lock:
            value, stable, fault = self._reading()
            net = self.state.tare != 0
        # A&D-style indicators show both limits as OL, underload with a minus sign
        head = "OL" if fault else "ST" if stable else "US"
        sign = "-" if value < 0 or fault == "under" else "+"
        width = 4 + self.decimals  # e.g. 001.234
        frame = f"{head},{'NT' if net else 'GS'},{sign}{abs(value):0{width}}{self.unit}\r\n"
        self._send(frame.encode("ascii"))

    def _continuous_command(self, command: str) -> None:
        cmd = command.upper()
        if cmd in ("Z", "T"):
            self._zero_or_tare(cmd)

    # NCI

    def _nci_status(self) -> bytes:
        value, stable, fault = self._reading()
        s1 = 0x30 | (0 if stable else 0x01) | (0x02 if value == 0 and not fault else 0)
        s2 = 0x30 | (0x02 if fault == "over" else 0) | (0x01 if fault == "under" else 0)
        return bytes([s1, s2])

    def _nci(self, command: str) -> bytes:
        cmd = command.upper()
        with self._lock:
            if cmd in ("Z", "T"):
                self._zero_or_tare(cmd)
            status = self._nci_status()
            value, _, fault = self._reading()
        if cmd == "W":
            shown = "^^^^^^" if fault == "over" else f"{value:>8}"
            return b"\n" + f"{shown}{self.unit}".encode("ascii") + b"\r\n" + status + b"\r" + ETX
        if cmd in ("S", "Z", "T"):
            return b"\n" + status + b"\r" + ETX
        return b"\n?\r" + ETX
