#!/usr/bin/env python3
"""The Orders screen on a big database, SQLite or PostgreSQL: time to first rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_orders_screen_big.py \\
        --db postgresql+psycopg://packdesk:packdesk@127.0.0.1/packdesk_bench [--runs 3]

Drives the real ``OrdersScreen`` offscreen (no pytest-qt) as a user does: opens it, changes each
filter (status, channel, hold reason, pickup), searches (order number, channel order id,
tracking number, customer name, phone), and scrolls 2,000 rows. Each step is timed from the
action to the moment the screen has its rows *and* its count on screen (its ``settled``
signal: every background query answered), then painted. The median of ``--runs`` is printed.
Build the databases with ``bench/make_bench_db.py --orders 1000000 --shipping --pg URL``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from big_probes import ADMIN, Sample, sample  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from ui.application import make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

TIMEOUT_MS = 60_000


def settle(screen: OrdersScreen) -> None:
    """Wait until every query of the screen has answered (rows and count)."""
    if not screen.loading:
        return
    loop = QEventLoop()
    screen.settled.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    screen.settled.disconnect(loop.quit)


def timed(screen: OrdersScreen, action: Callable[[], None]) -> float:
    t = time.perf_counter()
    action()
    settle(screen)
    screen.table.viewport().grab()
    return (time.perf_counter() - t) * 1000


def set_filters(screen: OrdersScreen, **values: object) -> None:
    """Set the filter boxes (data values; None: all) and the search text, then apply once."""
    boxes = {
        "status": screen.status,
        "channel": screen.channel,
        "hold": screen.hold_reason,
        "delivery": screen.delivery,
    }
    for name, box in boxes.items():
        box.blockSignals(True)
        box.setCurrentIndex(max(box.findData(values.get(name)), 0))
        box.blockSignals(False)
    screen.search.blockSignals(True)
    screen.search.setText(str(values.get("search", "")))
    screen.search.blockSignals(False)
    screen.apply_filter()


def steps(screen: OrdersScreen, x: Sample) -> dict[str, Callable[[], None]]:
    def only(**values: object) -> Callable[[], None]:
        return lambda: set_filters(screen, **values)

    return {
        "all orders": only(),
        "status on hold": only(status="on_hold"),
        "status shipped": only(status="shipped"),
        "channel": only(channel=x.channel_id),
        "status packed + channel": only(status="packed", channel=x.channel_id),
        "hold reason address": only(hold="address"),
        "pickup orders only": only(delivery=True),
        "search order number": only(search=x.number),
        "search number prefix": only(search=x.number[:-3]),
        "search channel order id": only(search=x.external_id),
        "search tracking number": only(search=x.tracking),
        "search customer name": only(search=x.name),
        "search phone": only(search=x.phone),
    }


def scroll(screen: OrdersScreen, rows: int) -> float:
    """Scroll down ``rows`` rows page by page, waiting for each page: the slowest page (ms)."""
    worst = 0.0
    model = screen.model
    while model.rowCount() < rows and model.canFetchMore():
        worst = max(worst, timed(screen, model.fetchMore))
        screen.table.scrollToBottom()
    return worst


def run(services: Services, runs: int) -> dict[str, float]:
    app = make_qapp()
    x = sample(services)
    ctx = UiContext(services, ADMIN, Bus())
    results: dict[str, list[float]] = {}
    empty: set[str] = set()
    for _ in range(runs):
        screen = OrdersScreen(ctx)
        screen.resize(1400, 800)
        screen.show()

        def open_screen(screen: OrdersScreen = screen) -> None:
            screen.activated()
            app.processEvents()

        results.setdefault("open the screen", []).append(timed(screen, open_screen))
        for name, action in steps(screen, x).items():
            results.setdefault(name, []).append(timed(screen, action))
            if screen.model.rowCount() == 0:
                empty.add(name)
        set_filters(screen)
        settle(screen)
        results.setdefault("scroll 2,000 rows: slowest page", []).append(scroll(screen, 2000))
        screen.close()
        screen.deleteLater()
        app.processEvents()
    return {
        (f"{k} (nothing found)" if k in empty else k): statistics.median(v)
        for k, v in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    home = ROOT / "bench" / "out" / "home"
    services = bootstrap(
        Settings(db_url=args.db, station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    try:
        figures = run(services, args.runs)
    finally:
        services.close()
    print(f"Orders screen on {services.database_label}: median of {args.runs}, ms to rows + count")
    for name, ms in figures.items():
        print(f"  {name:<34}{ms:>9.1f}")


if __name__ == "__main__":
    main()
