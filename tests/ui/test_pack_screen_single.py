"""Single-unit mode (一单一品, 扫描即打) at the pack screen: the station opens a picked single-unit
batch by its bulk tote; each unit scanned, with the stable weight on the scale, packs the
oldest order needing it and its label prints at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Paths
from app.db.models import Order, Parcel
from app.devices.emulators import HAS_PTY
from tests.ui.pack_fixtures import Bench, open_bench, weight_kg
from tests.ui.test_pack_end_to_end import decoded, scan

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def bench(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, method="single_unit")


def test_each_unit_scanned_packs_the_oldest_order_needing_it_and_prints_its_label(
    qtbot: QtBot, bench: Bench
) -> None:
    screen, wave = bench.screen, bench.wave
    assert wave is not None and wave.bulk_tote
    ok, said = scan(qtbot, bench, wave.bulk_tote)
    assert ok, said
    assert screen.batch is not None and screen.pages.currentWidget() is screen.single
    assert screen.single.counter.text() == "0 of 3 packed"
    bench.scale.put(weight_kg(1))  # the unit in its carton, on the scale
    qtbot.waitUntil(lambda: screen.order.weight.stable, timeout=8000)
    ok, said = scan(qtbot, bench, "CUP-1")
    assert ok, said
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 1, timeout=10_000)
    with bench.services.uow() as uow:
        s = uow.session
        oldest = s.scalars(
            select(Order.id).where(Order.id.in_(wave.order_ids)).order_by(Order.placed_at, Order.id)
        ).first()
        parcel = s.scalars(select(Parcel)).one()
        assert parcel.order_id == oldest and s.get_one(Order, oldest).status == "packed"
        tracking = parcel.tracking_number
    assert tracking in decoded(bench.printer.printed[0].payload)
    qtbot.waitUntil(lambda: screen.single.counter.text() == "1 of 3 packed", timeout=8000)
    assert tracking in screen.single.last.text()
    qtbot.waitUntil(lambda: screen.message.text() == f"Label printed: {tracking}", timeout=8000)
    assert screen.pages.currentWidget() is screen.single  # ready for the next unit
    # a unit no order of the batch needs: refused, nothing packed
    ok, said = scan(qtbot, bench, "BAG-1")
    assert not ok and bench.feedback.sounds.played[-1] == "error"
    ok, said = scan(qtbot, bench, "PEN-1")
    assert ok, said
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: screen.single.counter.text() == "2 of 3 packed", timeout=8000)
