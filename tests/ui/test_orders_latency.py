"""The Orders screen on a PostgreSQL server 50 ms away (every round trip through a latency
proxy): the window keeps painting while pages load, and a busy indicator shows meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.services import auth
from tests.conftest import PG_URL, _truncate_pg
from tests.factories import add_orders
from tests.latency_proxy import LatencyProxy
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language
from ui.screens.orders import OrdersScreen

pytestmark = pytest.mark.postgres

#: the longest the window may go without its event loop turning (a frame at 10 Hz)
MAX_GAP_S = 0.100


@pytest.fixture
def far_ctx(pg_migrated: str, paths: Paths, qapp: QApplication) -> Iterator[UiContext]:
    """Services reaching the test database through a proxy that adds 25 ms each way."""
    install_fonts(qapp)
    install_language(qapp, "en")
    _truncate_pg(PG_URL)
    near = bootstrap(Settings(db_url=PG_URL, station="pack-01"), paths)
    near.run(auth.create_first_admin, "admin", "correct-horse-9", near.station_id)
    actor = near.run(auth.login, "admin", "correct-horse-9", near.station_id)
    add_orders(near, 450)
    near.close()
    url = make_url(PG_URL)
    with LatencyProxy(url.host or "127.0.0.1", url.port or 5432, delay_s=0.025) as proxy:
        far_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        far: Services = bootstrap(Settings(db_url=far_url, station="pack-01"), paths)
        try:
            yield UiContext(far, actor, Bus())
        finally:
            QThreadPool.globalInstance().waitForDone(10_000)
            far.close()
        assert proxy.connections >= 1


@dataclass(frozen=True)
class Load:
    took: float  # seconds from the request to the rows on screen
    gap: float  # the longest the event loop was stuck meanwhile
    at: float  # when that gap began, after the request
    busy_seen: bool  # the busy indicator showed


class Ticks:
    """A 10 ms timer: the gaps between its ticks are how long the event loop was stuck."""

    def __init__(self, screen: OrdersScreen) -> None:
        self.screen = screen
        self.times: list[float] = []
        self.busy_seen = False
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.times.append(time.perf_counter())
        self.busy_seen |= self.screen.busy.isVisible()

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self.timer.start()

    def longest_gap(self) -> tuple[float, float]:
        """The longest gap, and how long after ``start`` it began."""
        self.timer.stop()
        self._tick()
        pairs = zip(self.times, self.times[1:], strict=False)
        gap, at = max((b - a, a) for a, b in pairs)
        return gap, at - self.times[0]


def _measured(
    qtbot: QtBot, ticks: Ticks, start: Callable[[], None], done: Callable[[], bool]
) -> Load:
    ticks.start()
    t0 = time.perf_counter()
    start()
    qtbot.waitUntil(done, timeout=20_000)
    took = time.perf_counter() - t0
    gap, at = ticks.longest_gap()
    return Load(took, gap, at, ticks.busy_seen)


def test_the_orders_window_keeps_painting_while_pages_come_from_a_far_server(
    qtbot: QtBot, far_ctx: UiContext
) -> None:
    """Each load is measured three times and the best run counts: a loaded test machine can
    hold the process back for a moment, while a query on the UI thread would freeze it every
    time for several 50 ms round trips."""
    screen = OrdersScreen(far_ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    ticks = Ticks(screen)
    first_loads = []
    for n in range(3):
        first_loads.append(
            _measured(
                qtbot,
                ticks,
                screen.activated if n == 0 else screen.apply_filter,  # first show, then Refresh
                lambda: not screen.loading and screen.model.rowCount() == 200,
            )
        )
        assert screen.model.index(0, 0).data() == "PD00000450"  # the page did load
        assert screen.count.text() == "450 orders"
    assert all(load.took > 0.1 for load in first_loads)  # the server really is far away
    assert all(load.busy_seen for load in first_loads)
    assert not screen.busy.isVisible()
    best = min(first_loads, key=lambda load: load.gap)
    assert best.gap < MAX_GAP_S, f"the window froze: {first_loads}"

    more_loads = []
    for n in range(3):  # the next page, as the list scrolls
        if n:  # back to the first page
            screen.apply_filter()
            qtbot.waitUntil(lambda: not screen.loading, timeout=20_000)
        assert screen.model.rowCount() == 200
        more_loads.append(
            _measured(
                qtbot,
                ticks,
                screen.table.scrollToBottom,
                lambda: not screen.loading and screen.model.rowCount() == 400,
            )
        )
        assert screen.model.index(399, 0).data() == "PD00000051"
    assert all(load.busy_seen for load in more_loads)
    best = min(more_loads, key=lambda load: load.gap)
    assert best.gap < MAX_GAP_S, f"the window froze: {more_loads}"
