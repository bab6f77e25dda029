"""Scales: Mettler Toledo MT-SICS, continuous-stream indicators, and NCI / Avery Weigh-Tronix.

A weight is accepted only when the scale says it is stable *and* several readings in a row
agree. Overload, underload, negative weights, refused commands, garbled frames and silence are
``DeviceError``s written for the operator. Every command and read has a timeout.

Frames (see docs/devices.md; NCI from the vendors' manuals, not tried on hardware):

- MT-SICS: ``S``/``SI`` -> ``S S      1.234 kg`` (``S D`` dynamic, ``S +``/``S -`` over/under,
  ``S I`` not executable), ``Z`` -> ``Z A``, ``T`` -> ``T S   0.100 kg``; ``ES``/``ET``/``EL``.
- Continuous: ``ST,GS,+001.234kg`` (``ST``/``US``/``OL``; ``GS``/``NT``), pattern configurable.
- NCI: ``W<CR>`` -> ``<LF>  1.234kg<CR><LF>hh<CR><ETX>``; status byte 1 bit 0 motion, bit 1 zero;
  byte 2 bit 0 under capacity, bit 1 over capacity; other bits are faults.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.devices.base import DeviceStatus, Weight
from app.devices.serial_link import DeviceTimeout, SerialLink
from app.domain.errors import DeviceError
from app.domain.scans import printable

UNITS = ("g", "kg", "lb", "oz")
_UNIT_ALIASES = {"g": "g", "kg": "kg", "lb": "lb", "lbs": "lb", "oz": "oz", "#": "lb"}
_NUMBER = re.compile(r"^([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)$")
GRAMS = {
    "g": Decimal(1),
    "kg": Decimal(1000),
    "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}


class ScaleError(DeviceError):
    """The scale cannot give a weight now; the message says why and what to do."""


class ScaleOverload(ScaleError):
    template = (
        "The scale is overloaded: the parcel is heavier than it can weigh. Take the parcel off "
        "and weigh it on a bigger scale."
    )


class ScaleUnderload(ScaleError):
    template = (
        "The scale reads below zero (underload). Empty the scale, then zero it with its Zero key "
        "or the Zero button."
    )


class NegativeWeight(ScaleError):
    template = (
        "The scale shows a negative weight ({value} {unit}). Empty the scale and zero it before "
        "weighing."
    )


class UnstableWeight(ScaleError):
    template = (
        "The weight did not settle within {seconds} s. Keep the parcel still on the scale, away "
        "from fans and vibration, and try again."
    )


class ScaleGarbled(ScaleError):
    template = (
        "The scale sent something Packdesk cannot read ({frame}). Check the scale's protocol "
        "and baud rate in the device settings."
    )


class ScaleRefused(ScaleError):
    """The scale answered, but would not do what it was asked."""


class ScaleBusy(ScaleRefused):
    template = "The scale is busy or could not settle in time. Keep the parcel still and try again."


class ScaleNeedsStillness(ScaleRefused):
    template = "The scale cannot zero or tare while the weight moves. Keep it still and try again."


class ScaleSyntaxError(ScaleRefused):
    template = (
        "The scale did not understand Packdesk's command. Check the scale's protocol in the "
        "device settings."
    )


class ScaleTransmissionError(ScaleRefused):
    template = (
        "The command reached the scale garbled. Check the cable and the baud rate in the device "
        "settings."
    )


class ScaleCannotNow(ScaleRefused):
    template = "The scale cannot do that now. Look at its display, then try again."


class ScaleTakesNoCommands(ScaleRefused):
    template = (
        "This scale's indicator takes no commands from the computer. Use its own Zero or Tare key."
    )


class ScaleDidNotConfirm(ScaleRefused):
    template = (
        "The scale's indicator did not zero or tare in time. Keep the weight still and try "
        "again, or use its own key."
    )


class ScaleFault(ScaleError):
    template = "The scale reports an internal fault ({fault}). It needs service."


@dataclass(frozen=True)
class ScaleReading:
    """One reading as the scale sent it."""

    value: Decimal
    unit: str
    stable: bool
    net: bool = False
    overload: bool = False
    underload: bool = False

    @property
    def grams(self) -> Decimal:
        return self.value * GRAMS[self.unit]

    def problem(self) -> ScaleError | None:
        """The operator error this reading stands for, if any."""
        if self.overload:
            return ScaleOverload()
        if self.underload:
            return ScaleUnderload()
        if self.value < 0:
            return NegativeWeight(value=f"{self.value:f}", unit=self.unit)
        return None

    def weight(self) -> Weight:
        return Weight(self.value, self.unit)


def parse_number(text: str) -> Decimal:
    """``"+001.234"``, ``"- 0.5"`` -> Decimal; ValueError for anything else (no NaN/inf)."""
    m = _NUMBER.match(text.strip())
    if not m:
        raise ValueError(f"not a weight: {text!r}")
    try:
        value = Decimal(m.group(2))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a weight: {text!r}") from exc
    return -value if m.group(1) == "-" else value


def parse_unit(text: str) -> str:
    unit = _UNIT_ALIASES.get(text.strip().lower())
    if unit is None:
        raise ValueError(f"unknown unit {text!r}")
    return unit


def _garbled(frame: str | bytes) -> ScaleGarbled:
    if isinstance(frame, bytes):
        frame = frame.decode("latin-1")
    return ScaleGarbled(frame=printable(frame[:60]) or "nothing")


# --- MT-SICS ---------------------------------------------------------------------------------

_MT_ERRORS: dict[str, type[ScaleRefused]] = {
    "ES": ScaleSyntaxError,
    "ET": ScaleTransmissionError,
    "EL": ScaleCannotNow,
}


def parse_mtsics(line: str) -> ScaleReading:
    """A reply to ``S`` or ``SI``. Raises ScaleRefused for ``S I``/``ES``/``ET``/``EL`` and
    ScaleGarbled for anything that is not a weight reply."""
    text = line.strip("\r\n")
    if text.strip() in _MT_ERRORS:
        raise _MT_ERRORS[text.strip()]()
    parts = text.split()
    if len(parts) < 2 or parts[0] != "S":
        raise _garbled(text)
    status = parts[1]
    if status == "I":
        raise ScaleBusy()
    if status in ("+", "-"):
        return ScaleReading(
            Decimal(0), "kg", False, overload=status == "+", underload=status == "-"
        )
    if status not in ("S", "D") or len(parts) != 4:
        raise _garbled(text)
    try:
        value, unit = parse_number(parts[2]), parse_unit(parts[3])
    except ValueError:
        raise _garbled(text) from None
    return ScaleReading(value, unit, stable=status == "S")


# --- continuous stream -----------------------------------------------------------------------

CONTINUOUS_PRESETS = {
    # A&D-like: most Chinese indicators (耀华 XK3190, 顶尖...) stream this by default
    "ad": (
        r"^(?P<status>ST|US|OL),(?P<mode>GS|NT|TR)?,?"
        r"(?P<value>[+-]?\s*[\d.]+)\s*(?P<unit>[a-zA-Z#]+)$"
    ),
    # status word after the value, e.g. "+0001.234 kg ST"
    "value-first": r"^(?P<value>[+-]?\s*[\d.]+)\s*(?P<unit>[a-zA-Z#]+)\s+(?P<status>ST|US|OL)$",
}


@dataclass(frozen=True)
class ContinuousFormat:
    """How a streaming indicator writes a frame: a regular expression with the named groups
    ``status``, ``value`` and ``unit`` (``mode`` optional), and its status words."""

    pattern: str = CONTINUOUS_PRESETS["ad"]
    stable: str = "ST"
    unstable: str = "US"
    overload: str = "OL"
    net: str = "NT"
    #: commands the indicator accepts (A&D: Z and T); "" when it takes none
    zero_command: str = "Z"
    tare_command: str = "T"

    def compiled(self) -> re.Pattern[str]:
        try:
            rx = re.compile(self.pattern)
        except re.error as exc:
            raise DeviceError("The scale frame pattern is not valid: {exc}.", exc=exc) from exc
        if not {"status", "value", "unit"} <= set(rx.groupindex):
            raise DeviceError(
                "The scale frame pattern must name the groups status, value and unit."
            )
        return rx


def parse_continuous(
    line: str, fmt: ContinuousFormat, rx: re.Pattern[str] | None = None
) -> ScaleReading:
    """One streamed frame; ScaleGarbled when it does not match the format."""
    rx = rx or fmt.compiled()
    m = rx.match(line.strip("\r\n\x00 "))
    if not m:
        raise _garbled(line)
    status = m.group("status")
    if status == fmt.overload:
        under = m.group("value").strip().startswith("-")
        return ScaleReading(Decimal(0), "kg", False, overload=not under, underload=under)
    if status not in (fmt.stable, fmt.unstable):
        raise _garbled(line)
    try:
        value, unit = parse_number(m.group("value")), parse_unit(m.group("unit"))
    except ValueError:
        raise _garbled(line) from None
    mode = m.groupdict().get("mode") or ""
    return ScaleReading(value, unit, stable=status == fmt.stable, net=mode == fmt.net)


# --- NCI -------------------------------------------------------------------------------------

ETX = 0x03
_NCI_FAULTS_1 = {0x04: "RAM error", 0x08: "EEPROM error"}
_NCI_FAULTS_2 = {0x04: "ROM error", 0x08: "faulty calibration"}


def parse_nci(frame: bytes) -> ScaleReading:
    """A reply to ``W``: ``<LF>weight unit<CR><LF>hh<CR><ETX>``. Parity bits are ignored."""
    body = bytes(b & 0x7F for b in frame).rstrip(b"\x03")
    lines = [part for part in re.split(rb"[\r\n]+", body) if part]
    if len(lines) == 1 and lines[0] == b"?":
        raise ScaleSyntaxError()
    if len(lines) != 2 or len(lines[1]) < 2:
        raise _garbled(frame)
    s1, s2 = lines[1][0], lines[1][1]
    if (s1 & 0x30) != 0x30 or (s2 & 0x30) != 0x30:
        raise _garbled(frame)
    faults = [w for bit, w in _NCI_FAULTS_1.items() if s1 & bit]
    faults += [w for bit, w in _NCI_FAULTS_2.items() if s2 & bit]
    if faults:
        raise ScaleFault(fault=", ".join(faults))
    if s2 & 0x02:
        return ScaleReading(Decimal(0), "kg", False, overload=True)
    if s2 & 0x01:
        return ScaleReading(Decimal(0), "kg", False, underload=True)
    m = re.match(r"^\s*([+-]?\s*[\d.]+)\s*([a-zA-Z#]+)\s*$", lines[0].decode("ascii", "replace"))
    if not m:
        raise _garbled(frame)
    try:
        value, unit = parse_number(m.group(1)), parse_unit(m.group(2))
    except ValueError:
        raise _garbled(frame) from None
    return ScaleReading(value, unit, stable=not s1 & 0x01)


def parse_nci_status(frame: bytes) -> tuple[int, int]:
    body = bytes(b & 0x7F for b in frame).strip(b"\r\n\x03")
    if body == b"?":
        raise ScaleSyntaxError()
    if len(body) < 2 or (body[0] & 0x30) != 0x30:
        raise _garbled(frame)
    return body[0], body[1]


# --- agreement ---------------------------------------------------------------------------------


class StabilityFilter:
    """Accepts a weight when ``required`` stable readings in a row agree within
    ``tolerance_g`` grams; any unstable reading starts over."""

    def __init__(self, required: int = 3, tolerance_g: Decimal = Decimal(0)) -> None:
        self.required = max(1, required)
        self.tolerance_g = tolerance_g
        self._run: list[ScaleReading] = []

    def reset(self) -> None:
        self._run.clear()

    def feed(self, reading: ScaleReading) -> Weight | None:
        if not reading.stable or reading.overload or reading.underload:
            self._run.clear()
            return None
        if self._run and (
            self._run[-1].unit != reading.unit
            or abs(self._run[-1].grams - reading.grams) > self.tolerance_g
        ):
            self._run.clear()
        self._run.append(reading)
        if len(self._run) >= self.required:
            return reading.weight()
        return None


# --- drivers -----------------------------------------------------------------------------------


class SerialScale(ABC):
    """What every serial scale shares: a link, the agreement rule, timeouts; each protocol
    implements reading, zero and tare."""

    name = "scale"

    def __init__(
        self,
        link: SerialLink,
        *,
        readings: int = 3,
        tolerance_g: Decimal = Decimal(0),
        command_timeout: float = 2.0,
        interval: float = 0.05,
    ) -> None:
        self.link = link
        self.readings = readings
        self.tolerance_g = tolerance_g
        self.command_timeout = command_timeout
        self.interval = interval

    @abstractmethod
    def read_once(self, timeout: float | None = None) -> ScaleReading:
        """One reading now, stable or not (``timeout`` defaults to the command timeout)."""

    @abstractmethod
    def zero(self) -> None:
        """Set the empty scale to zero."""

    @abstractmethod
    def tare(self) -> None:
        """Take the weight on the scale as the tare."""

    def _next_for_stable(self, time_left: float) -> ScaleReading:
        return self.read_once(min(self.command_timeout, max(time_left, 0.05)))

    def read_stable(self, timeout: float = 5.0) -> Weight:
        """A weight the scale calls stable, repeated ``readings`` times; errors for overload,
        underload, negative weights, and UnstableWeight when it does not settle in time."""
        deadline = time.monotonic() + timeout
        agree = StabilityFilter(self.readings, self.tolerance_g)
        first = True
        answered = False
        while True:
            if not first:
                time.sleep(min(self.interval, max(0.0, deadline - time.monotonic())))
            first = False
            if time.monotonic() >= deadline:
                raise UnstableWeight(seconds=f"{timeout:g}")
            try:
                reading = self._next_for_stable(deadline - time.monotonic())
            except ScaleBusy:
                answered = True
                agree.reset()  # "S I": not stable in the scale's own time; keep trying
                continue
            except DeviceTimeout:
                # a scale that has answered in this read is alive: it only ran out of our time
                if answered and time.monotonic() >= deadline - 0.01:
                    raise UnstableWeight(seconds=f"{timeout:g}") from None
                raise
            answered = True
            problem = reading.problem()
            # a moving reading may dip below zero for a moment; only a settled one is an error
            if problem is not None and (reading.stable or not isinstance(problem, NegativeWeight)):
                raise problem
            weight = agree.feed(reading)
            if weight is not None:
                return weight

    def status(self) -> DeviceStatus:
        try:
            r = self.read_once()
        except DeviceError as exc:
            return DeviceStatus(False, exc.message)
        problem = r.problem()
        if problem is not None:
            return DeviceStatus(False, problem.message)
        state = "stable" if r.stable else "moving"
        return DeviceStatus(True, f"Scale ready: {r.value:f} {r.unit} ({state}).")

    def close(self) -> None:
        self.link.close()


class MtSicsScale(SerialScale):
    """Mettler Toledo MT-SICS level 0/1: ``S``, ``SI``, ``Z``, ``T``."""

    def _command(self, command: str, timeout: float | None = None) -> str:
        self.link.reset_input()
        self.link.write(command.encode("ascii") + b"\r\n")
        reply = self.link.read_until(b"\n", timeout or self.command_timeout)
        return reply.decode("ascii", "replace").strip("\r\n")

    def read_once(self, timeout: float | None = None) -> ScaleReading:
        """``SI``: the weight now, stable or not."""
        return parse_mtsics(self._command("SI", timeout))

    def _next_for_stable(self, time_left: float) -> ScaleReading:
        # "S" lets the scale wait for its own stability; we still require agreement
        return parse_mtsics(self._command("S", min(self.command_timeout, max(time_left, 0.05))))

    def zero(self) -> None:
        self._simple("Z", "zero", {"+": ScaleOverload, "-": ScaleUnderload})

    def tare(self) -> None:
        self._simple("T", "tare", {"+": ScaleOverload, "-": ScaleUnderload})

    def _simple(self, cmd: str, action: str, limits: dict[str, Callable[[], ScaleError]]) -> None:
        reply = self._command(cmd)
        parts = reply.split()
        if reply.strip() in _MT_ERRORS:
            raise _MT_ERRORS[reply.strip()]()
        if not parts or parts[0] != cmd or len(parts) < 2:
            raise _garbled(reply)
        if parts[1] in ("A", "S"):
            return
        if parts[1] == "I":
            raise ScaleNeedsStillness()
        if parts[1] in limits:
            raise limits[parts[1]]()
        raise _garbled(reply)


class ContinuousScale(SerialScale):
    """An indicator that streams frames by itself (``ST,GS,+001.234kg``)."""

    def __init__(
        self,
        link: SerialLink,
        fmt: ContinuousFormat | None = None,
        *,
        readings: int = 3,
        tolerance_g: Decimal = Decimal(0),
        command_timeout: float = 2.0,
        interval: float = 0.0,
    ) -> None:
        super().__init__(
            link,
            readings=readings,
            tolerance_g=tolerance_g,
            command_timeout=command_timeout,
            interval=interval,
        )
        self.fmt = fmt or ContinuousFormat()
        self._rx = self.fmt.compiled()
        self._fresh = True

    def read_once(self, timeout: float | None = None) -> ScaleReading:
        """The next complete frame (stale frames are dropped first). A few garbled frames
        between good ones are skipped; only garbage for the whole timeout is an error."""
        if self._fresh:
            self.link.reset_input()
        wait = timeout or self.command_timeout
        deadline = time.monotonic() + wait
        bad: str | bytes = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if bad:
                    raise _garbled(bad)
                raise DeviceTimeout(device="scale", port=self.link.port, seconds=f"{wait:g}")
            try:
                line = self.link.read_until(b"\n\r", left)
            except DeviceTimeout:
                if bad:
                    raise _garbled(bad) from None
                raise
            text = line.decode("ascii", "replace").strip("\r\n")
            if not text:
                continue
            try:
                return parse_continuous(text, self.fmt, self._rx)
            except ScaleGarbled:
                bad = text

    def read_stable(self, timeout: float = 5.0) -> Weight:
        self.link.reset_input()
        self._fresh = False  # consecutive frames of one stream, not one fresh frame each
        try:
            return super().read_stable(timeout)
        finally:
            self._fresh = True

    def zero(self) -> None:
        self._send(self.fmt.zero_command, "zero", lambda r: r.stable and r.value == 0)

    def tare(self) -> None:
        self._send(self.fmt.tare_command, "tare", lambda r: r.net)

    def _send(self, command: str, action: str, done: Callable[[ScaleReading], bool]) -> None:
        """Send a command and wait until the stream shows it took effect (indicators do not
        answer commands; the frames change instead)."""
        if not command:
            raise ScaleTakesNoCommands()
        self.link.reset_input()
        self.link.write(command.encode("ascii") + b"\r\n")
        deadline = time.monotonic() + self.command_timeout
        self._fresh = False
        try:
            while time.monotonic() < deadline:
                if done(self.read_once(max(0.05, deadline - time.monotonic()))):
                    return
        finally:
            self._fresh = True
        raise ScaleDidNotConfirm()


class NciScale(SerialScale):
    """NCI / Avery Weigh-Tronix / Brecknell: ``W``, ``S``, ``Z`` (``T`` where supported)."""

    def _command(self, command: str, timeout: float | None = None) -> bytes:
        self.link.reset_input()
        self.link.write(command.encode("ascii") + b"\r")
        return self.link.read_until(bytes([ETX]), timeout or self.command_timeout)

    def read_once(self, timeout: float | None = None) -> ScaleReading:
        return parse_nci(self._command("W", timeout))

    def zero(self) -> None:
        self._status_command("Z", "zero")

    def tare(self) -> None:
        self._status_command("T", "tare")

    def _status_command(self, command: str, action: str) -> None:
        s1, s2 = parse_nci_status(self._command(command))
        if s2 & 0x02:
            raise ScaleOverload()
        if s1 & 0x01:
            raise ScaleNeedsStillness()


def make_scale(
    protocol: str,
    link: SerialLink,
    *,
    readings: int = 3,
    tolerance_g: Decimal = Decimal(0),
    command_timeout: float = 2.0,
    fmt: ContinuousFormat | None = None,
) -> SerialScale:
    """The driver for ``protocol`` (mtsics | continuous | nci) on ``link``."""
    if protocol == "mtsics":
        return MtSicsScale(
            link, readings=readings, tolerance_g=tolerance_g, command_timeout=command_timeout
        )
    if protocol == "continuous":
        return ContinuousScale(
            link, fmt, readings=readings, tolerance_g=tolerance_g, command_timeout=command_timeout
        )
    if protocol == "nci":
        return NciScale(
            link, readings=readings, tolerance_g=tolerance_g, command_timeout=command_timeout
        )
    raise DeviceError(
        "Unknown scale protocol {protocol!r}. Choose MT-SICS, continuous or NCI.", protocol=protocol
    )
