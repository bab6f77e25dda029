"""Scan-to-handled latency: 1,000 scans from the serial scanner emulator on a real pty.

The emulated scanner runs in its own process, as a real scanner is its own device. It notes the
time (``time.perf_counter``, one clock for every process) just before it writes a scan to the
pty: the last byte cannot have been written earlier, so the figures are an upper bound (on a
busy machine the scanner process itself may be descheduled between that note and the write).
For each scan: the time from then until the application has read
the line (scanner thread), classified it against the database (pipeline thread) and the UI has
been told (a receiver on the Qt main thread connected to ``Bus.scanned``). Scans are sent one
after the other, each when the previous one was handled, as a person scans.

The reference is the wire time of a 20-character code at 9600 baud, 8N1 (10 bits a character,
plus CR LF): what the scanner itself needs to send the scan. Goal: p99 of the application's
share <= that wire time.

    python bench/bench_scan_latency.py [--scans 1000] [--orders 500] [--db URL]

The database is a fresh SQLite demo warehouse (``demo_data.generate``); --db names another
(a shared PostgreSQL server, say), which gets the demo warehouse too if it is empty.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from sqlalchemy import select

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Location, Order, ProductBarcode
from app.devices.base import RawScan
from app.devices.emulators import ScannerEmulator
from app.devices.scanners import SerialScanner
from app.domain.scans import GS, Command, ScanEvent, ScanKind, command_text
from ui.bus import Bus
from ui.devices.pipeline import ScanPipeline
from ui.devices.workers import SerialScannerThread

BAUD = 9600
BITS_PER_CHAR = 10  # start + 8 data + stop
CODE_CHARS = 20


def wire_time_s(chars: int = CODE_CHARS, baud: int = BAUD) -> float:
    """Seconds a scanner needs to send ``chars`` characters and CR LF."""
    return (chars + 2) * BITS_PER_CHAR / baud


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def codes(services: Services, n: int) -> list[str]:
    """A realistic mix: product EANs, GS1-128 with lot and expiry, locations, orders,
    commands, tracking numbers and unknown codes."""
    with services.uow() as uow:
        s = uow.session
        eans = list(s.scalars(select(ProductBarcode.barcode).order_by(ProductBarcode.id)))
        locs = list(s.scalars(select(Location.barcode).order_by(Location.id).limit(200)))
        orders = list(s.scalars(select(Order.number).order_by(Order.id).limit(200)))
    eans = eans[:: max(1, len(eans) // 300)]  # spread over the catalogue
    gtins = [c for c in eans if c.isdigit() and len(c) in (12, 13)]
    mix: list[str] = []
    for i in range(n):
        r = i % 10
        if r in (0, 1, 2) and eans:
            mix.append(eans[i % len(eans)])
        elif r == 3 and gtins:
            mix.append(f"]C101{gtins[i % len(gtins)].zfill(14)}10L{i % 97:04d}{GS}17271200")
        elif r in (4, 5) and locs:
            mix.append(locs[i % len(locs)])
        elif r == 6 and orders:
            mix.append(orders[i % len(orders)])
        elif r == 7:
            mix.append(command_text(Command.QUANTITY, 1 + i % 12))
        elif r == 8:
            mix.append(f"SF{1000000000000 + i}")
        else:
            mix.append(f"UNKNOWN-{i:06d}")
    return mix


def scanner_process(conn: Connection) -> None:
    """The emulated scanner's own process: scans what it is told, answers with the time."""
    emulator = ScannerEmulator()
    conn.send(emulator.port)
    try:
        while True:
            code = conn.recv()
            if code is None:
                return
            before = time.perf_counter()
            emulator.scan(code)
            conn.send(before)
    finally:
        emulator.close()


class RemoteScanner:
    """The bench's handle on the scanner process."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=scanner_process, args=(child,), daemon=True)
        self.process.start()
        self.port: str = self.conn.recv()

    def scan(self, code: str) -> None:
        """Ask for a scan of ``code`` (returns at once: the UI thread must not wait here)."""
        self.conn.send(code)

    def written_at(self) -> float:
        """The time just before the last scan's bytes were written."""
        before: float = self.conn.recv()
        return before

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(5)


class Receiver(QObject):
    """The UI's side: a main-thread slot that notes when it was told, then scans the next."""

    def __init__(self, scanner: RemoteScanner, mix: list[str], app: QCoreApplication) -> None:
        super().__init__()
        self.scanner, self.mix, self.app = scanner, mix, app
        self.sent_at: list[float] = []
        self.read_at: list[float] = []
        self.told_at: list[float] = []
        self.kinds: dict[ScanKind, int] = {}
        self.i = 0

    def note_read(self) -> None:
        self.read_at.append(time.perf_counter())

    def send_next(self) -> None:
        if self.i >= len(self.mix):
            self.app.quit()
            return
        self.scanner.scan(self.mix[self.i])
        self.i += 1

    @Slot(object)
    def told(self, event: ScanEvent) -> None:
        self.told_at.append(time.perf_counter())
        self.sent_at.append(self.scanner.written_at())
        self.kinds[event.kind] = self.kinds.get(event.kind, 0) + 1
        QTimer.singleShot(1, self.send_next)  # the next scan, after the UI is idle again


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=int, default=1000)
    ap.add_argument("--orders", type=int, default=500, help="demo orders in a fresh database")
    ap.add_argument("--db", help="an existing database URL (default: a fresh SQLite demo)")
    args = ap.parse_args()

    app = QCoreApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-scan-"))
    paths = Paths(tmp / "config", tmp / "data", tmp / "logs")
    url = args.db or f"sqlite:///{tmp / 'bench.sqlite'}"
    services = bootstrap(Settings(db_url=url, station="bench"), paths)
    with services.uow() as uow:
        empty = uow.session.scalar(select(ProductBarcode.id).limit(1)) is None
    if empty:
        from app.services import demo_data

        started = time.perf_counter()
        services.run(demo_data.generate, orders=args.orders, seed=1)
        print(f"demo warehouse with {args.orders} orders: {time.perf_counter() - started:.1f} s")
    mix = codes(services, args.scans)

    bus = Bus()
    pipeline = ScanPipeline(services, bus)
    emulator = RemoteScanner()
    receiver = Receiver(emulator, mix, app)
    bus.scanned.connect(receiver.told)

    def submit(raw: RawScan) -> None:
        receiver.note_read()
        pipeline.submit(raw)

    reader = SerialScannerThread(SerialScanner(emulator.port, BAUD, poll=0.5), submit)
    ready: list[bool] = []
    reader.status.connect(lambda st: ready.append(st.ok))
    reader.start()
    deadline = time.monotonic() + 5
    while not any(ready) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if not any(ready):
        print("the scanner emulator could not be opened", file=sys.stderr)
        return 1
    # a few scans to warm up caches and the database connection, not measured
    warm = Receiver(emulator, mix[:20], app)
    bus.scanned.disconnect(receiver.told)
    bus.scanned.connect(warm.told)
    QTimer.singleShot(0, warm.send_next)
    app.exec()
    bus.scanned.disconnect(warm.told)
    bus.scanned.connect(receiver.told)
    receiver.read_at.clear()

    started = time.perf_counter()
    QTimer.singleShot(0, receiver.send_next)
    app.exec()
    took = time.perf_counter() - started
    reader.stop()
    pipeline.stop()
    emulator.close()
    services.close()

    n = len(receiver.told_at)
    total = [(t - s) * 1000 for s, t in zip(receiver.sent_at, receiver.told_at, strict=False)]
    read = [(r - s) * 1000 for s, r in zip(receiver.sent_at, receiver.read_at, strict=False)]
    after_read = [(t - r) * 1000 for r, t in zip(receiver.read_at, receiver.told_at, strict=False)]
    wire = wire_time_s() * 1000
    print(f"{n} scans handled in {took:.2f} s on {services.database_label}")
    print("kinds: " + ", ".join(f"{k.value} {v}" for k, v in sorted(receiver.kinds.items())))
    print("application's share, scan written to the pty -> classified and UI told (ms):")
    print(
        f"  p50 {pct(total, 50):.2f}  p90 {pct(total, 90):.2f}  p99 {pct(total, 99):.2f}  "
        f"max {max(total):.2f}  mean {statistics.fmean(total):.2f}"
    )
    print(f"    of which pty -> scanner thread: p50 {pct(read, 50):.2f}  p99 {pct(read, 99):.2f}")
    print(
        "    of which classify + relay to the UI: "
        f"p50 {pct(after_read, 50):.2f}  p99 {pct(after_read, 99):.2f}"
    )
    ratio = pct(total, 99) / wire
    print(
        f"wire time of a {CODE_CHARS}-character code at {BAUD} baud: {wire:.1f} ms; "
        f"p99 / wire time = {ratio:.3f} (goal <= 1): {'MET' if ratio <= 1 else 'NOT MET'}"
    )
    print(f"p50 / wire time = {pct(total, 50) / wire:.3f}")
    return 0 if n == len(mix) else 1


if __name__ == "__main__":
    sys.exit(main())
