"""The pack bench hears at once when the order on it is stopped elsewhere: the channel cancels it
while it is packed (the office's import holds it "cancelled in the channel: stop and put back"),
and the packer is told to put it aside before scanning another item, on PostgreSQL (NOTIFY) and
on SQLite (a second program on the same file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.db.models import Order
from app.devices.emulators import HAS_PTY
from app.services import auth
from app.services.channel_cancel import hold_to_stop
from tests.ui.pack_fixtures import Bench, open_bench

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")

#: PostgreSQL announces at once; SQLite is polled every half second, then the view is read
WITHIN_MS = 1500


@pytest.fixture
def bench(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, picked=False)


def test_an_order_stopped_at_the_office_while_it_is_packed_is_shown_stopped_on_the_bench(
    qtbot: QtBot, bench: Bench, tmp_path: object
) -> None:
    screen = bench.screen
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    with qtbot.waitSignal(screen.answered, timeout=10_000) as opened:
        bench.scanner.scan(number)
    assert opened.args[0], opened.args
    assert screen.view is not None and screen.view.order_status == "packing"
    office = bootstrap(
        Settings(db_url=bench.services.settings.db_url, station="office-01"),
        bench.services.paths,
    )
    try:
        admin = office.run(auth.login, "admin", "correct-horse-9", office.station_id)
        with office.uow() as uow:
            hold_to_stop(uow, admin, uow.session.get_one(Order, order_id))
            uow.commit()
        with qtbot.waitSignal(screen.answered, timeout=WITHIN_MS) as told:
            pass
    finally:
        office.close()
    ok, said = told.args
    assert not ok and f"Order {number} is now On hold" in said
    assert "put it aside" in said
    assert screen.view is not None and screen.view.order_status == "on_hold"
    assert "Put it aside, scan the next order." in screen.prompt.text()
