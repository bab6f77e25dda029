"""The carrier handover manifest (交接单), an A4 PDF with reportlab.

On every page: the warehouse, the carrier, the day, the manifest number big with its Code 128
barcode (the driver's scanner reads it), and "page x of y". Then the parcels (tracking number,
order, parcel n of m, weight), the totals (parcels, weight) and the signature lines of the
warehouse's person handing over (交接人) and the carrier's driver (承运人签字). Text is set in
the shipped CJK font, so Chinese prints and the PDF's text can be searched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.labels.pdf import cjk_font
from app.labels.slip_canvas import NumberedCanvas

MARGIN = 15 * mm
HEADER_H = 34 * mm


@dataclass(frozen=True)
class ManifestLine:
    tracking: str
    order: str
    seq: int
    of: int
    weight_g: int | None


@dataclass(frozen=True)
class ManifestData:
    number: str
    carrier_code: str
    carrier_name: str
    #: the handover's day, YYYY-MM-DD
    day: str
    #: when it was closed, local time ("2026-12-06 17:42")
    closed_at: str
    closed_by: str
    warehouse: str
    lines: tuple[ManifestLine, ...]

    @property
    def weight_g(self) -> int:
        return sum(line.weight_g or 0 for line in self.lines)


def kg(grams: int | None) -> str:
    return "—" if grams is None else f"{grams / 1000:.3f}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=cjk_font(), fontSize=10, leading=13, wordWrap="CJK")
    return {
        "base": base,
        "big": ParagraphStyle("big", parent=base, fontSize=13, leading=17),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=22),
    }


def manifest_pdf(data: ManifestData) -> bytes:
    """The manifest as a PDF of as many pages as its parcels need."""
    st = _styles()
    story: list[Flowable] = [_parcels_table(data), Spacer(1, 5 * mm)]
    story.append(KeepTogether([_totals(data, st), Spacer(1, 8 * mm), _signatures(data, st)]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_H,
        bottomMargin=MARGIN + 6 * mm,
        title=f"Handover manifest {data.number}",
        creator="Packdesk",
        invariant=1,
    )
    header = partial(_header, data=data)
    doc.build(story, onFirstPage=header, onLaterPages=header, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def _header(canvas: Any, doc: Any, *, data: ManifestData) -> None:
    font = cjk_font()
    w, h = doc.pagesize
    top = h - MARGIN
    canvas.saveState()
    canvas.setFont(font, 16)
    canvas.drawString(MARGIN, top - 16, "Handover manifest 交接单")
    canvas.setFont(font, 11)
    canvas.drawString(
        MARGIN, top - 33, f"Carrier 承运商: {data.carrier_name} ({data.carrier_code})"
    )
    canvas.drawString(MARGIN, top - 48, f"Date 日期: {data.day}    {data.warehouse}")
    canvas.setFont(font, 9)
    canvas.drawString(MARGIN, top - 62, f"Closed 关闭: {data.closed_at}  {data.closed_by}")
    bar = Code128(data.number, barWidth=0.33 * mm, barHeight=14 * mm, humanReadable=False)
    bar.drawOn(canvas, w - MARGIN - bar.width, top - 16 * mm)
    canvas.setFont(font, 12)
    canvas.drawRightString(w - MARGIN, top - 16 * mm - 14, data.number)
    canvas.setStrokeColor(colors.black)
    canvas.line(MARGIN, top - HEADER_H + 4 * mm, w - MARGIN, top - HEADER_H + 4 * mm)
    canvas.restoreState()


def _parcels_table(data: ManifestData) -> Table:
    head = ["#", "Tracking 运单号", "Order 订单", "Parcel 包裹", "Weight 重量 kg"]
    rows: list[list[str]] = [head]
    for i, line in enumerate(data.lines, 1):
        rows.append(
            [str(i), line.tracking, line.order, f"{line.seq} / {line.of}", kg(line.weight_g)]
        )
    width = A4[0] - 2 * MARGIN
    table = Table(
        rows,
        colWidths=[12 * mm, 0.34 * width, 0.26 * width, 24 * mm, None],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), cjk_font(), 10),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#333333")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f0f0f0")]),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _totals(data: ManifestData, st: dict[str, ParagraphStyle]) -> Paragraph:
    text = (
        f"Parcels 件数: <b>{len(data.lines)}</b>&nbsp;&nbsp;&nbsp;&nbsp;"
        f"Total weight 总重量: <b>{kg(data.weight_g)} kg</b>"
    )
    return Paragraph(text, st["big"])


def _signatures(data: ManifestData, st: dict[str, ParagraphStyle]) -> Table:
    line = "_" * 28
    rows = [
        [
            Paragraph(f"Handed over by 交接人:<br/>{line}", st["sign"]),
            Paragraph(f"Carrier (driver) 承运人签字:<br/>{line}", st["sign"]),
        ],
        [
            Paragraph(f"Date, time 日期时间:<br/>{line}", st["sign"]),
            Paragraph(f"Vehicle, phone 车牌 / 电话:<br/>{line}", st["sign"]),
        ],
    ]
    width = A4[0] - 2 * MARGIN
    table = Table(rows, colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
