"""The handover manifest (交接单) rendered for real: its text read back out of the PDF, in both
languages, and its manifest-number barcode decoded from the rendered first page."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp

from app.labels.manifest import ManifestData, ManifestLine, manifest_pdf


def _data(n: int) -> ManifestData:
    lines = tuple(
        ManifestLine(f"SF{i:010d}", f"PD{i // 2 + 1}", i % 2 + 1, 2, 1000 + i) for i in range(n)
    )
    return ManifestData(
        "HO-20261206-SF-1", "SF", "顺丰速运 SF Express", "2026-12-06", "2026-12-06 17:42",
        "张伟", "茶杯小店", lines,
    )  # fmt: skip


def _pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in doc]


def test_the_manifest_lists_every_parcel_with_totals_signatures_and_page_numbers() -> None:
    data = _data(60)
    pdf = manifest_pdf(data)
    pages = _pages(pdf)
    assert len(pages) >= 2
    text = "\n".join(pages)
    for line in data.lines:
        assert line.tracking in text
    assert "交接单" in pages[0] and "顺丰速运 SF Express" in pages[0] and "2026-12-06" in pages[0]
    assert "HO-20261206-SF-1" in pages[-1]  # the header repeats on every page
    assert "PD1" in pages[0] and "1 / 2" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0] and f"第 {len(pages)}/{len(pages)} 页" in pages[-1]
    total_kg = f"{sum(1000 + i for i in range(60)) / 1000:.3f}"
    assert "60" in pages[-1] and total_kg in pages[-1]
    assert "交接人" in pages[-1] and "承运人签字" in pages[-1]


def test_the_manifest_number_barcode_decodes_from_the_printed_page() -> None:
    pdf = manifest_pdf(_data(3))
    image = pdfium.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    found = [(r.text, r.format.name) for r in zxingcpp.read_barcodes(image)]
    assert ("HO-20261206-SF-1", "Code128") in found
