"""The serial scanner driver against the scanner emulator, over a real pty and over socket://.

Every behaviour runs on both links: the pty where the system has one (Linux, macOS), and the
socket:// fallback Windows uses (``TcpLink``) everywhere, so the fallback is tested here too."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.base import DeviceStatus, RawScan
from app.devices.emulators import HAS_PTY, PtyLink, ScannerEmulator, TcpLink
from app.devices.scanners import SerialScanner
from app.devices.serial_link import (
    LineFramer,
    LinkStatus,
    PortNotFound,
    PortOpenFailed,
    decode_text,
)
from app.domain.scans import GS, InvalidScan, check_readable, split_symbology

LINKS = [
    pytest.param("pty", marks=pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")),
    "socket",
]


def wait_for(cond: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


class Recorder:
    def __init__(self) -> None:
        self.scans: list[RawScan] = []
        self.statuses: list[DeviceStatus] = []
        self.lock = threading.Lock()

    def scan(self, s: RawScan) -> None:
        with self.lock:
            self.scans.append(s)

    def status(self, s: DeviceStatus) -> None:
        with self.lock:
            self.statuses.append(s)

    def texts(self) -> list[str]:
        with self.lock:
            return [s.text for s in self.scans]

    def states(self) -> list[str]:
        with self.lock:
            return [s.state for s in self.statuses if isinstance(s, LinkStatus)]


def plugged_in(em: ScannerEmulator) -> None:
    """Once the driver says "connected": over TCP, wait until the emulator has accepted it too
    (a pty is one device for both ends, there is nothing to wait for)."""
    if isinstance(em.link, TcpLink):
        assert em.link.wait_connected(3), "the driver never connected to the emulated scanner"


@pytest.fixture(params=LINKS)
def emulator(request: pytest.FixtureRequest) -> Iterator[ScannerEmulator]:
    em = ScannerEmulator(TcpLink("scanner") if request.param == "socket" else PtyLink("scanner"))
    yield em
    em.close()


@pytest.fixture
def running(emulator: ScannerEmulator) -> Iterator[tuple[ScannerEmulator, Recorder, SerialScanner]]:
    rec = Recorder()
    scanner = SerialScanner(emulator.port, 9600, reconnect_interval=0.05)
    scanner.start(rec.scan, rec.status)
    wait_for(lambda: "connected" in rec.states())
    plugged_in(emulator)
    yield emulator, rec, scanner
    scanner.stop()


def test_scans_arrive_in_order_with_aim_id_and_gs_separators_intact(
    running: tuple[ScannerEmulator, Recorder, SerialScanner],
) -> None:
    em, rec, _ = running
    gs1 = "0109506000134352" + "10AB12" + GS + "21XYZ"
    em.scan("LOC-A010203")
    em.scan(gs1, symbology="]C1")
    em.scan("保温杯-条码")
    wait_for(lambda: len(rec.texts()) == 3)
    assert rec.texts() == ["LOC-A010203", "]C1" + gs1, "保温杯-条码"]
    assert split_symbology(rec.texts()[1]) == ("]C1", gs1)
    assert {s.source for s in rec.scans} == {f"serial:{em.port}"}


@pytest.mark.parametrize("suffix", [b"\r", b"\n", b"\r\n"])
def test_cr_lf_and_crlf_framing_all_end_a_scan(emulator: ScannerEmulator, suffix: bytes) -> None:
    rec = Recorder()
    emulator.suffix = suffix
    scanner = SerialScanner(emulator.port, reconnect_interval=0.05)
    scanner.start(rec.scan, rec.status)
    try:
        wait_for(lambda: "connected" in rec.states())
        plugged_in(emulator)
        for i in range(5):
            emulator.scan(f"CODE{i}")
        wait_for(lambda: len(rec.texts()) == 5)
        assert rec.texts() == [f"CODE{i}" for i in range(5)]
    finally:
        scanner.stop()


def test_unplugging_mid_scan_drops_the_partial_scan_reports_it_and_reconnects(
    running: tuple[ScannerEmulator, Recorder, SerialScanner],
) -> None:
    em, rec, scanner = running
    em.scan("BEFORE")
    wait_for(lambda: rec.texts() == ["BEFORE"])
    em.scan_then_unplug("HALF-A-SCAN")
    wait_for(lambda: "retrying" in rec.states())
    assert not scanner.status.ok
    assert "unplugged" in scanner.status.text or "does not exist" in scanner.status.text
    # time passing, not a wait for an event: several reconnect attempts while the port is gone
    # (the driver reports "retrying" once, not per attempt)
    time.sleep(0.2)
    em.replug()
    wait_for(lambda: rec.states()[-1:] == ["connected"])
    plugged_in(em)
    em.scan("AFTER")
    wait_for(lambda: len(rec.texts()) == 2)
    assert rec.texts() == ["BEFORE", "AFTER"]  # the cut-off scan was never delivered


def test_garbage_bytes_arrive_as_one_unreadable_scan_and_the_scanner_keeps_working(
    running: tuple[ScannerEmulator, Recorder, SerialScanner],
) -> None:
    em, rec, _ = running
    em.garbage(30, seed=7)
    em.scan("GOOD-1")
    wait_for(lambda: len(rec.texts()) == 2)
    with pytest.raises(InvalidScan):
        check_readable(rec.texts()[0])
    assert rec.texts()[1] == "GOOD-1"


def test_a_scanner_that_is_not_plugged_in_at_start_is_found_when_it_appears(
    emulator: ScannerEmulator,
) -> None:
    emulator.unplug()
    rec = Recorder()
    scanner = SerialScanner(emulator.port, reconnect_interval=0.05)
    scanner.start(rec.scan, rec.status)
    try:
        wait_for(lambda: "retrying" in rec.states())
        last = rec.statuses[-1]
        # no device file (pty) / nothing listening (socket: "connection refused")
        missing = PortOpenFailed if isinstance(emulator.link, TcpLink) else PortNotFound
        assert isinstance(last, LinkStatus) and isinstance(last.error, missing)
        emulator.replug()
        wait_for(lambda: "connected" in rec.states())
        plugged_in(emulator)
        emulator.scan("HELLO")
        wait_for(lambda: rec.texts() == ["HELLO"])
    finally:
        scanner.stop()


def test_stopping_returns_promptly_and_says_so(
    running: tuple[ScannerEmulator, Recorder, SerialScanner],
) -> None:
    _, rec, scanner = running
    started = time.monotonic()
    scanner.stop()
    assert time.monotonic() - started < 0.5
    assert rec.states()[-1] == "stopped"


def test_the_same_scanner_works_over_socket_url() -> None:
    link = TcpLink("scanner")
    em = ScannerEmulator(link)
    rec = Recorder()
    scanner = SerialScanner(em.port, reconnect_interval=0.05)
    assert em.port.startswith("socket://")
    scanner.start(rec.scan, rec.status)
    try:
        wait_for(lambda: "connected" in rec.states())
        assert link.wait_connected(2)
        em.scan("VIA-SOCKET")
        wait_for(lambda: rec.texts() == ["VIA-SOCKET"])
        em.unplug()
        wait_for(lambda: "retrying" in rec.states())
    finally:
        scanner.stop()
        em.close()


# --- framing of arbitrary bytes --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(1, 40), max_size=20))
def test_framing_is_the_same_however_the_bytes_are_chunked(data: bytes, cuts: list[int]) -> None:
    whole = LineFramer(max_line=64).feed(data)
    framer = LineFramer(max_line=64)
    pieces: list[bytes] = []
    pos = 0
    for n in [*cuts, len(data)]:
        pieces += framer.feed(data[pos : pos + n])
        pos += n
    assert pieces == whole
    assert all(line and b"\r" not in line and b"\n" not in line for line in whole)
    assert all(len(line) <= 64 for line in whole)
    kept = b"".join(whole) + framer.reset()
    assert kept == data.replace(b"\r", b"").replace(b"\n", b"")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=100))
def test_any_bytes_decode_to_text_or_a_clear_unreadable_scan(data: bytes) -> None:
    text = decode_text(data)
    try:
        check_readable(text)
    except InvalidScan as exc:
        assert "{" not in exc.message and "again" in exc.message  # filled in, says what to do


def test_the_emulators_import_without_a_pty_and_fall_back_to_socket_url() -> None:
    """As on Windows: no pty module. The package imports; a pty link says what to use."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pty'] = None; sys.modules['tty'] = None\n"
        "from app.devices.emulators import HAS_PTY, PtyLink, default_link\n"
        "from app.domain.errors import DeviceError\n"
        "assert not HAS_PTY\n"
        "try:\n    PtyLink('x')\nexcept DeviceError as e:\n    print(e.message)\n"
        "link = default_link('scanner'); print(link.port); link.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "POSIX pseudo-terminal" in out and "socket://127.0.0.1:" in out
