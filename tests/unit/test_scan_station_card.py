"""The station card's command barcodes decode to the commands they are captioned with, in PDF
and as the thermal printer would print them (ZPL, TSPL), on every label size."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from app.domain.scans import parse_command
from app.labels import pdf, render
from app.labels.preview import render_png
from app.labels.station_card import CARD, station_card


def _decoded(image: Image.Image) -> list[tuple[str, str]]:
    return sorted((r.text, r.symbology_identifier) for r in zxingcpp.read_barcodes(image))


def _expected() -> list[tuple[str, str]]:
    from app.domain.scans import command_text

    return sorted((command_text(c, q), "]C0") for c, q, _, _ in CARD)


@pytest.mark.parametrize("size", ["4x6in", "100x150mm", "76x130mm"])
@pytest.mark.parametrize("dpi", [203, 300])
def test_every_command_barcode_on_the_pdf_card_decodes_to_its_command(size: str, dpi: int) -> None:
    card = station_card(size, dpi, "pack-01")
    page = pdfium.PdfDocument(pdf.render(card))[0]
    found = _decoded(page.render(scale=dpi / 72).to_pil())
    assert found == _expected()
    assert {parse_command(text) for text, _ in found} == {(c, q) for c, q, _, _ in CARD}


@pytest.mark.parametrize("language", ["zpl", "tspl"])
def test_the_card_printed_on_a_thermal_printer_scans_the_same(language: str) -> None:
    card = station_card("100x150mm", 203)
    image = Image.open(io.BytesIO(render_png(render.render(card, language), language)))
    assert _decoded(image) == _expected()
