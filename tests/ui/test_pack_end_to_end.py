"""Done when: an order goes to packed through the real pack screen in the real main window, driven
by the emulated serial scanner and scale over real ptys, its label printed by the emulated network
printer: from a tote of a picked wave, and (a shop without picking) from an allocated order. The
label the printer received is rendered and its tracking barcode decoded; the packing slip PDF is
read back. No mouse, no keyboard: the packer reads the screen, scans and weighs."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.config import Paths
from app.db.models import Order, PackException, Parcel
from app.devices.emulators import HAS_PTY
from app.labels.preview import render_png
from app.services import pack_after, packing, printing, stock
from tests.ui.pack_fixtures import CARTON, Bench, open_bench, weight_kg

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def picked(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, picked=True)


@pytest.fixture
def allocated(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, picked=False)


def scan(qtbot: QtBot, bench: Bench, text: str) -> tuple[bool, str]:
    """Scan with the emulated serial scanner and wait for the screen's answer."""
    with qtbot.waitSignal(bench.screen.answered, timeout=10_000) as answer:
        bench.scanner.scan(text)
    ok, said = answer.args
    return bool(ok), str(said)


def weigh(qtbot: QtBot, bench: Bench, kg: object, *, stable: bool = True) -> tuple[bool, str]:
    """Put the parcel on the emulated scale; the screen takes a stable weight by itself."""
    with qtbot.waitSignal(bench.screen.answered, timeout=15_000) as answer:
        bench.scale.put(kg, stable=stable)  # type: ignore[arg-type]
    ok, said = answer.args
    return bool(ok), str(said)


def decoded(payload: bytes) -> list[str]:
    png = render_png(payload, "zpl")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def slip_text(bench: Bench, job_id: int) -> str:
    payload = bench.services.run(printing.job_payload, bench.admin, job_id).payload
    pdf = pdfium.PdfDocument(payload)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def order_status(bench: Bench, order_id: int) -> str:
    with bench.services.uow() as uow:
        return uow.session.get_one(Order, order_id).status


def exceptions(bench: Bench) -> int:
    with bench.services.uow() as uow:
        return int(uow.session.scalar(select(func.count(PackException.id))) or 0)


def verify_all(qtbot: QtBot, bench: Bench) -> None:
    view = bench.screen.view
    assert view is not None
    for line in view.lines:
        for _ in range(line.qty - line.verified):
            ok, said = scan(qtbot, bench, line.sku)
            assert ok, said
    assert bench.screen.view is not None and bench.screen.view.all_verified
    if not bench.screen.view.parcels[-1].package_code:
        ok, said = scan(qtbot, bench, CARTON)  # the carton the packer took
        assert ok, said


def assert_labelled(qtbot: QtBot, bench: Bench, order_id: int) -> str:
    """The order is packed, its label at the printer carries its tracking number, the screen
    says so and waits for the next scan; returns the tracking number."""
    screen = bench.screen
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 1, timeout=10_000)
    with bench.services.uow() as uow:
        tracking = uow.session.scalars(
            select(Parcel.tracking_number).where(Parcel.order_id == order_id)
        ).one()
    assert tracking and tracking in decoded(bench.printer.printed[0].payload)
    assert order_status(bench, order_id) == "packed"
    qtbot.waitUntil(lambda: f"Label printed: {tracking}" in screen.waiting.last.text())
    assert screen.pages.currentWidget() is screen.waiting
    assert screen.waiting.prompt.text() == "Scan a tote, order or pick list"
    return tracking


def test_a_picked_tote_is_verified_weighed_and_labelled_with_the_scanner_and_scale_alone(
    qtbot: QtBot, picked: Bench
) -> None:
    bench, screen = picked, picked.screen
    assert bench.wave is not None
    order_id = bench.wave.order_ids[0]  # CUP-1 x2, PEN-1 x1
    ok, said = scan(qtbot, bench, bench.wave.tote_codes[order_id])
    assert ok, said
    view = screen.view
    assert view is not None and view.order_id == order_id
    assert screen.pages.currentWidget() is screen.order
    assert view.order_number in screen.order.order.text()
    assert screen.prompt.text() == "Scan the next item"
    assert screen.order.lines_model.rowCount() == 2
    # an item of another order of the wave: red, the error sound, nothing else changes
    before = exceptions(bench)
    ok, said = scan(qtbot, bench, "BAG-1")
    assert not ok and screen.last is not None and screen.last.refusal == "other_order"
    assert bench.feedback.sounds.played[-1] == "error"
    assert screen.view is not None and screen.view.verified == 0
    assert exceptions(bench) == before + 1
    assert "Suggested carton: Box M" in screen.order.carton.text()
    verify_all(qtbot, bench)
    assert bench.feedback.sounds.played[-1] == "ok"
    # one too many
    ok, said = scan(qtbot, bench, "CUP-1")
    assert not ok and screen.last is not None and screen.last.refusal == "over_scan"
    assert screen.view is not None and screen.view.verified == 3
    assert screen.order.carton.text().startswith("Carton: Box M (scanned)")
    assert screen.prompt.text() == "Put the parcel on the scale"
    ok, said = weigh(qtbot, bench, weight_kg(3))
    assert ok, said
    tracking = assert_labelled(qtbot, bench, order_id)
    outcome = screen.last
    assert outcome is not None and outcome.slip_job_id is not None
    text = slip_text(bench, outcome.slip_job_id)
    assert outcome.view.order_number in text and "CUP-1" in text and "PEN-1" in text
    assert tracking
    assert bench.services.run(stock.check_stock_invariants) == []


def test_an_allocated_order_with_no_picking_is_packed_from_its_order_number(
    qtbot: QtBot, allocated: Bench
) -> None:
    bench, screen = allocated, allocated.screen
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    # a wrong item: not in this order nor any other
    ok, said = scan(qtbot, bench, number)
    assert ok, said
    ok, said = scan(qtbot, bench, "NO-SUCH-THING")
    assert not ok
    assert screen.view is not None and screen.view.verified == 0
    verify_all(qtbot, bench)
    ok, said = weigh(qtbot, bench, weight_kg(3))
    assert ok, said
    assert_labelled(qtbot, bench, order_id)
    outcome = screen.last
    assert outcome is not None and outcome.slip_job_id is not None
    assert number in slip_text(bench, outcome.slip_job_id)
    assert bench.services.run(stock.check_stock_invariants) == []


def test_an_unstable_scale_is_not_taken_and_says_so_until_the_parcel_is_still(
    qtbot: QtBot, allocated: Bench
) -> None:
    bench, screen = allocated, allocated.screen
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    assert scan(qtbot, bench, number)[0]
    verify_all(qtbot, bench)
    bench.scale.put(weight_kg(3), stable=False)
    panel = screen.order.weight
    qtbot.waitUntil(lambda: "Moving" in panel.state.text(), timeout=8000)
    ok, said = scan(qtbot, bench, "PD-CMD-READ")  # take it now: the scale does not settle
    assert not ok and "did not settle" in said
    assert order_status(bench, order_id) == "packing" and bench.printer.printed == []
    with qtbot.waitSignal(screen.answered, timeout=15_000):
        bench.scale.settle()
    assert_labelled(qtbot, bench, order_id)


def test_a_parcel_outside_the_expected_weight_stops_until_a_supervisor_scans_a_badge(
    qtbot: QtBot, allocated: Bench
) -> None:
    from app.domain.users import Role
    from app.services import auth

    bench, screen = allocated, allocated.screen
    bench.services.run(
        auth.create_user,
        bench.admin,
        "boss",
        Role.SUPERVISOR,
        "secret-pass-1",
        badge="BADGE-BOSS",
        pin="4321",
    )
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    assert scan(qtbot, bench, number)[0]
    verify_all(qtbot, bench)
    bench.scale.put(weight_kg(6))  # far too heavy: not taken by itself
    qtbot.waitUntil(lambda: screen.order.weight.stable, timeout=8000)
    ok, said = scan(qtbot, bench, "PD-CMD-READ")
    assert not ok and screen.verdict is not None
    assert screen.order.centre.currentWidget() is screen.order.mismatch
    assert "no label printed" in screen.order.mismatch.title.text()
    assert "Supervisor" in screen.prompt.text()
    assert order_status(bench, order_id) == "packing"
    ok, said = scan(qtbot, bench, "BADGE-BOSS")
    assert ok, said
    assert_labelled(qtbot, bench, order_id)  # the first label the printer ever received


def packed_with_paper_out(qtbot: QtBot, bench: Bench) -> int:
    """The bench's order packed while the printer is out of paper: the screen says its label
    waits. Returns the order's id."""
    screen = bench.screen
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    bench.printer.set_state(paper_out=True)
    assert scan(qtbot, bench, number)[0]
    verify_all(qtbot, bench)
    with qtbot.waitSignal(screen.answered, timeout=15_000):
        bench.scale.put(weight_kg(3))
    qtbot.waitUntil(lambda: "Label not printed yet" in screen.waiting.last.text(), timeout=10_000)
    return order_id


def test_a_printer_out_of_paper_keeps_the_label_waiting_and_prints_it_when_paper_is_back(
    qtbot: QtBot, allocated: Bench
) -> None:
    bench, screen = allocated, allocated.screen
    order_id = packed_with_paper_out(qtbot, bench)
    assert "paper" in screen.waiting.last.text().lower()
    assert order_status(bench, order_id) == "packed" and bench.printer.printed == []
    bench.printer.set_state(paper_out=False)
    assert_labelled(qtbot, bench, order_id)


def test_a_parcel_voided_while_its_label_waited_for_paper_is_not_printed_and_the_screen_says_so(
    qtbot: QtBot, allocated: Bench
) -> None:
    bench, screen = allocated, allocated.screen
    order_id = packed_with_paper_out(qtbot, bench)
    with bench.services.uow() as uow:
        parcel_id = uow.session.scalars(select(Parcel.id).where(Parcel.order_id == order_id)).one()
    bench.services.run(pack_after.void_parcel, bench.admin, parcel_id, "wrong carton")
    bench.printer.set_state(paper_out=False)
    qtbot.waitUntil(lambda: "Label not printed:" in screen.waiting.last.text(), timeout=10_000)
    said = screen.waiting.last.text()
    assert "voided before its label printed" in said and "when the printer is ready" not in said
    # the paper is back and the worker has been through the queue: nothing reached the printer
    [row] = [
        j for j in bench.services.run(printing.list_jobs, bench.admin) if j.kind == "shipping_label"
    ]
    assert row.status == "failed" and row.undrawn and row.next_attempt_at is None
    assert bench.printer.printed == []


def test_an_empty_pool_refuses_the_label_loses_nothing_and_a_retry_after_loading_prints(
    qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths
) -> None:
    from sqlalchemy import insert

    from app.db.models import Carrier, TrackingNumber

    for bench in open_bench(qtbot, qapp, db_url, paths, picked=False, pool=()):
        screen = bench.screen
        [order_id] = bench.order_ids
        with bench.services.uow() as uow:
            number = uow.session.get_one(Order, order_id).number
        assert scan(qtbot, bench, number)[0]
        verify_all(qtbot, bench)
        ok, said = weigh(qtbot, bench, weight_kg(3))
        assert not ok and "No tracking numbers are left" in said
        assert screen.prompt.text() == "No label yet: scan READ to try again"
        assert order_status(bench, order_id) == "packing"
        view = bench.services.run(packing.resume, bench.packer)
        assert view is not None and view.all_verified  # nothing lost
        with bench.services.uow() as uow:
            carrier = uow.session.scalars(select(Carrier.id)).one()
            uow.session.execute(
                insert(TrackingNumber), [{"carrier_id": carrier, "number": "SF0000000099"}]
            )
            uow.commit()
        ok, said = scan(qtbot, bench, "PD-CMD-READ")
        assert ok, said
        assert assert_labelled(qtbot, bench, order_id) == "SF0000000099"
