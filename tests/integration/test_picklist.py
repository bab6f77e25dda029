"""The printed pick list, on SQLite and PostgreSQL: rendered to PNG and read back with a barcode
decoder (every location, product and command barcode), its text (Chinese descriptions in the
shipped font, route order, quantities, lots), and ``packdesk picklist WAVE --pdf FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import insert, update

from app.bootstrap import Services
from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.db.models import LayoutAisle, LayoutCrossAisle, LayoutDepot, PickTask, Wave
from app.domain.errors import NotFound
from app.domain.scans import Command, command_text
from app.domain.users import Actor
from app.labels.model import Box
from app.labels.picklist import RouteMap, rectilinear, route_map
from app.services import picklist
from tests.sort_wall_fixtures import CASE_EAN, CUP_EAN, TEA_EAN, PickedWave, picked_sort_wave

COMMANDS = {
    command_text(c)
    for c in (Command.CONFIRM, Command.SKIP, Command.SHORT, Command.FULL_TOTE, Command.CANCEL)
} | {"PD-REASON-EMPTY", "PD-REASON-DAMAGED", "PD-REASON-NOTFOUND"}


@pytest.fixture
def wave(services: Services, admin: Actor) -> PickedWave:
    picked = picked_sort_wave(services, admin)
    with services.uow() as uow:  # a single-block layout: aisles A and B, front and back
        s = uow.session
        wid = picked.warehouse_id
        s.execute(
            insert(LayoutAisle),
            [
                {"warehouse_id": wid, "code": "A", "x": 2.0, "y_from": 0.0, "y_to": 20.0},
                {"warehouse_id": wid, "code": "B", "x": 6.0, "y_from": 0.0, "y_to": 20.0},
            ],
        )
        s.execute(
            insert(LayoutCrossAisle),
            [{"warehouse_id": wid, "y": 0.0, "name": "front"}, {"warehouse_id": wid, "y": 20.0}],
        )
        s.execute(
            insert(LayoutDepot),
            [{"warehouse_id": wid, "code": "PACK", "x": 0.0, "y": 0.0, "is_default": True}],
        )
        uow.commit()
    return picked


def decoded_pages(data: bytes) -> list[set[str]]:
    doc = pdfium.PdfDocument(data)
    return [
        {r.text for r in zxingcpp.read_barcodes(page.render(scale=300 / 72).to_pil().convert("L"))}
        for page in doc
    ]


def test_every_location_product_and_command_barcode_on_the_pick_list_decodes(
    services: Services, wave: PickedWave, admin: Actor
) -> None:
    document, data, pages = services.run(picklist.pick_list_document, admin, "W000001")
    assert pages == 1 and [b.label for b in data.batches] == ["W000001-1"]
    sheet = data.batches[0]
    assert [(ln.seq, ln.location, ln.sku, ln.qty, ln.lot) for ln in sheet.lines] == [
        (1, "A-01", "CUP-500", 4, ""),
        (2, "B-02", "CASE-01", 1, ""),
        (3, "A-03", "TEA-01", 1, "L1"),
    ]
    assert sheet.route is not None and [s[0] for s in sheet.route.stops] == [1, 2, 3]
    found = decoded_pages(document)[0]
    assert {"LOC-A-01", "LOC-B-02", "LOC-A-03"} <= found
    assert {CUP_EAN, CASE_EAN, TEA_EAN} <= found
    assert found >= COMMANDS
    assert "W000001-1" in found
    text = pdfium.PdfDocument(document)[0].get_textpage().get_text_range()
    assert "保温杯 500ml" in text and "龙井茶 250g" in text and "L1" in text
    assert b"WenQuanYiMicroHei" in document  # the Chinese is in the shipped font


def test_a_long_batch_runs_over_pages_with_the_commands_on_every_page(
    services: Services, wave: PickedWave, admin: Actor
) -> None:
    with services.uow() as uow:  # twelve more stops at the first location
        task = uow.session.get_one(PickTask, 1)
        for n in range(12):
            uow.session.add(
                PickTask(batch_id=task.batch_id, seq=10 + n, location_id=task.location_id,
                         product_id=task.product_id, qty=1 + n)
            )  # fmt: skip
        uow.commit()
    document, data, pages = services.run(picklist.pick_list_document, admin, "W000001")
    assert pages == 3 and len(data.batches[0].lines) == 15
    for found in decoded_pages(document):
        assert found >= COMMANDS


def test_the_route_map_walks_along_aisles_and_cross_aisles_only() -> None:
    path = rectilinear(((0.0, 0.0), (2.0, 5.0), (6.0, 18.0), (0.0, 0.0)), (0.0, 20.0))
    assert path == [
        (0.0, 0.0), (0.0, 0.0), (2.0, 0.0), (2.0, 5.0), (2.0, 20.0), (6.0, 20.0), (6.0, 18.0),
        (6.0, 0.0), (0.0, 0.0), (0.0, 0.0),
    ]  # fmt: skip
    route = RouteMap((("A", 2.0, 0.0, 20.0),), (0.0, 20.0), (0.0, 0.0), tuple(path), (), 40.0)
    boxes = [e for e in route_map(route, 10, 10, 80, 60) if isinstance(e, Box)]
    assert all(b.x_mm >= 10 - 1 and b.x_mm + b.width_mm <= 90 + 1 for b in boxes)


def test_an_unknown_or_unreleased_wave_has_no_pick_list(
    services: Services, wave: PickedWave, admin: Actor
) -> None:
    with pytest.raises(NotFound):
        services.run(picklist.pick_list, admin, "W999999")
    with services.uow() as uow:
        uow.session.execute(update(Wave).values(status="planned"))
        uow.commit()
    with pytest.raises(picklist.WaveNotReleased, match="Release the wave first"):
        services.run(picklist.pick_list, admin, "W000001")


def test_the_picklist_command_writes_the_pdf_and_says_so_in_json(
    services: Services,
    wave: PickedWave,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.setenv("PACKDESK_PASSWORD", "correct-horse-9")
    db = ["--db", services.settings.db_url, "--user", "admin"]
    target = tmp_path / "W000001.pdf"
    assert main([*db, "picklist", "W000001", "--pdf", str(target), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "wave": "W000001",
        "pdf": str(target),
        "pages": 1,
        "batches": [
            {"batch": "W000001-1", "method": "pick_sort", "orders": 3, "lines": 3, "units": 6}
        ],
    }
    assert len(pdfium.PdfDocument(target.read_bytes())) == 1
    assert main([*db, "picklist", "W404", "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "Wave W404 was not found" in capsys.readouterr().err
    with services.uow() as uow:
        uow.session.execute(update(Wave).values(status="planned"))
        uow.commit()
    assert main([*db, "picklist", "W000001", "--pdf", str(tmp_path / "y.pdf")]) == 2
    err = capsys.readouterr().err
    assert "not released" in err and "Traceback" not in err
    assert not (tmp_path / "y.pdf").exists()


def test_a_released_cluster_wave_prints_its_tote_slots_and_numbers_its_rows_from_one(
    services: Services, admin: Actor
) -> None:
    from tests.wave_fixtures import build_wave

    built = build_wave(services, admin)
    with services.uow() as uow:
        number = uow.session.get_one(Wave, built.wave_id).number
    document, data, _ = services.run(picklist.pick_list_document, admin, number)
    lines = data.batches[0].lines
    assert [ln.seq for ln in lines] == list(range(1, len(lines) + 1))
    assert all(ln.tote_slot is not None and ln.tote_code for ln in lines)
    assert data.batches[0].method == "cluster"
    pages = decoded_pages(document)
    found = set().union(*pages)
    assert {ln.location_barcode for ln in lines} <= found
    assert {ln.product_barcode for ln in lines} <= found
    assert all(page >= COMMANDS for page in pages)
