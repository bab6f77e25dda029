"""Carrier labels made elsewhere: attached to their orders (one file, or a folder named by order
number) and printed as they are on the station's label printer."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import AuditEntry, OrderLabel
from app.domain.errors import ValidationError
from app.domain.users import Actor
from app.labels.attached import detect_format, printer_payload
from app.labels.preview import render_preview
from app.services import order_labels
from tests.factories import add_orders

ZPL_LABEL = b"^XA^FO50,50^BCN,100,Y,N,N^FDYT7000000000001^FS^XZ\n"


def pdf_label(tracking: str) -> bytes:
    """A 100 x 150 mm carrier label as a carrier's system makes it: a Code 128 of the number."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(100 * mm, 150 * mm))
    c.setFont("Helvetica-Bold", 14)
    c.drawString(8 * mm, 135 * mm, "CARRIER EXPRESS")
    code128.Code128(tracking, barWidth=0.4 * mm, barHeight=25 * mm).drawOn(c, 6 * mm, 90 * mm)
    c.drawString(8 * mm, 80 * mm, tracking)
    c.showPage()
    c.save()
    return buf.getvalue()


def decoded(payload: bytes, language: str) -> set[str]:
    preview = render_preview(payload, language, 203)
    return {
        r.text
        for png in preview.labels
        for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    }


def test_a_pdf_label_is_drawn_for_zpl_and_tspl_printers_and_its_barcode_still_scans() -> None:
    pdf = pdf_label("SF1234567890123")
    for language in ("zpl", "tspl"):
        payload = printer_payload("pdf", pdf, language, 203, "100x150mm")
        assert decoded(payload, language) == {"SF1234567890123"}
    # a system printer gets the file itself
    assert printer_payload("pdf", pdf, "pdf", 203, "100x150mm") == pdf


def test_a_zpl_label_goes_to_a_zpl_printer_byte_for_byte_and_is_refused_by_a_tspl_one() -> None:
    assert printer_payload("zpl", ZPL_LABEL, "zpl", 203, "4x6in") == ZPL_LABEL
    with pytest.raises(ValidationError) as caught:
        printer_payload("zpl", ZPL_LABEL, "tspl", 203, "4x6in")
    assert "speaks TSPL" in str(caught.value)


def test_the_format_comes_from_the_content_not_the_name() -> None:
    assert detect_format(pdf_label("X1"), "label.zpl") == "pdf"
    assert detect_format(b"\r\n" + ZPL_LABEL, "label.pdf") == "zpl"
    with pytest.raises(ValidationError) as caught:
        detect_format(b"PK\x03\x04 a zip file", "labels.zip")
    assert "labels.zip" in str(caught.value)


def test_a_label_file_is_attached_to_its_order_once_and_audited(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 1, status="allocated")
    pdf = pdf_label("SF1234567890123")
    first = services.run(
        order_labels.attach_label, admin, "PD00000001", "sf.pdf", pdf, "SF1234567890123"
    )
    again = services.run(order_labels.attach_label, admin, "PD00000001", "copy.pdf", pdf)

    assert (first.format, first.seq, first.duplicate) == ("pdf", 1, False)
    assert again.duplicate and again.id == first.id
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count(OrderLabel.id))) == 1
        assert (
            uow.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "order.label_attach")
            )
            == 1
        )
        label = order_labels.next_label(
            uow.session, uow.session.scalar(select(OrderLabel.order_id))
        )
        assert label is not None and label.tracking_number == "SF1234567890123"
    with pytest.raises(ValidationError):
        services.run(order_labels.attach_label, admin, "PD404", "x.pdf", pdf)


def test_a_folder_of_labels_named_by_order_number_is_attached_with_each_problem_reported(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_orders(services, 2, status="allocated")
    (tmp_path / "PD00000001.pdf").write_bytes(pdf_label("SF1000000000001"))
    (tmp_path / "PD00000001-2.pdf").write_bytes(pdf_label("SF1000000000002"))
    (tmp_path / "PD00000002.zpl").write_bytes(ZPL_LABEL)
    (tmp_path / "PD00000002-copy.zpl").write_bytes(ZPL_LABEL)  # not an order: reported
    (tmp_path / "PD00000099.pdf").write_bytes(pdf_label("SF1000000000099"))
    (tmp_path / "PD00000001.txt").write_bytes(b"hello")
    (tmp_path / "notes.docx").write_bytes(b"ignored: not a label file type")

    report = services.run(order_labels.attach_folder, admin, tmp_path)

    assert sorted(a.filename for a in report.attached) == [
        "PD00000001-2.pdf",
        "PD00000001.pdf",
        "PD00000002.zpl",
    ]
    problems = dict(report.errors)
    assert set(problems) == {"PD00000002-copy.zpl", "PD00000099.pdf", "PD00000001.txt"}
    assert "no order PD00000099" in problems["PD00000099.pdf"]
    assert "neither a PDF nor a ZPL" in problems["PD00000001.txt"]

    again = services.run(order_labels.attach_folder, admin, tmp_path)
    assert not again.attached and len(again.skipped) == 3


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    yield svc
    svc.close()


def test_the_command_line_attaches_a_file_and_a_folder_with_stable_json_keys(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_orders(shop, 2, status="allocated")
    one = tmp_path / "one.pdf"
    one.write_bytes(pdf_label("SF1000000000001"))
    url = str(shop.engine.url)

    assert main(["--db", url, "labels", "attach", "PD00000001", str(one), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "order": "PD00000001",
        "file": "one.pdf",
        "format": "pdf",
        "parcel": 1,
        "duplicate": False,
    }
    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "PD00000002.zpl").write_bytes(ZPL_LABEL)
    (folder / "PD00000077.zpl").write_bytes(ZPL_LABEL)
    assert main(["--db", url, "labels", "attach-folder", str(folder), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"attached", "skipped", "errors"}
    assert [a["order"] for a in out["attached"]] == ["PD00000002"]
    assert out["errors"][0]["file"] == "PD00000077.zpl"
    assert set(out["errors"][0]) == {"file", "reason"}
    assert main(["--db", url, "labels", "attach", "PD00000404", str(one)]) == 2
