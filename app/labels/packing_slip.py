"""The packing slip (A4 or Letter PDF) and the pickup slip, with reportlab.

The packing slip goes in the parcel: the shop's logo and name, the order number with its
barcode, the date, the channel's order id, the ship-to (masked after the channel's policy),
the parcel (n of m) with the tracking numbers, the items (SKU, name, lot and serials, quantity,
unit price, totals), the amount to collect on delivery, the customer's note and the return
instructions. A gift prints the gift message and no price anywhere. Many lines flow onto more
pages under a repeated heading, each page numbered "page x of y".

The pickup slip sticks on a parcel waiting on the pickup shelf: the order number big with its
barcode, the customer's name (masked), the shelf slot, the items.

Text is set in the shipped CJK font (WenQuanYi Micro Hei, embedded as a subset), so Chinese
prints and the PDF's text can be searched and copied.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, A6, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from app.labels.parties import Party, address_text, money_text, person_text, shown_party
from app.labels.pdf import cjk_font
from app.labels.slip_canvas import NumberedCanvas

log = logging.getLogger(__name__)

PAPERS = {"A4": A4, "Letter": LETTER, "A5": A5, "A6": A6}
MARGIN = 15 * mm
HEADER_H = 30 * mm


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    lot: str = ""
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlipData:
    order_number: str
    channel_order_id: str
    placed_on: str
    shop: Party
    recipient: Party
    lines: tuple[SlipLine, ...]
    currency: str = "CNY"
    customer_note: str = ""
    gift: bool = False
    gift_message: str = ""
    return_instructions: str = ""
    logo: bytes | None = None
    mask_policy: str = "ewaybill"
    #: "parcel 1 of 2" when the order ships in several parcels
    parcel_seq: int = 1
    parcel_count: int = 1
    tracking_numbers: tuple[str, ...] = ()
    cod_amount: Decimal | None = None
    #: the pickup shelf's slot the parcel waits in (pickup slip)
    pickup_slot: str = ""
    #: the carrier and service the parcel ships with ("" for a pickup order)
    carrier: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "head": ParagraphStyle("head", parent=base, fontSize=8, leading=10, textColor=colors.white),
        "h": ParagraphStyle("h", parent=base, fontSize=11, leading=14, spaceBefore=6),
        "big": ParagraphStyle("big", parent=base, fontSize=14, leading=18),
        "huge": ParagraphStyle("huge", parent=base, fontSize=30, leading=36),
        "right": ParagraphStyle("right", parent=base, alignment=2),
    }


def _cell(text: str, style: ParagraphStyle, longest: int) -> str | Paragraph:
    """A table cell: plain text when short (fast), a wrapping paragraph when longer."""
    return text if len(text) <= longest and "\n" not in text[:longest] else _p(text, style)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (order data is never markup)."""
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(safe.replace("\n", "<br/>"), style)


def packing_slip_pdf(data: SlipData, paper: str = "A4") -> bytes:
    """The packing slip as a PDF of as many pages as its lines need."""
    st = _styles()
    story: list[Flowable] = [_parties_table(data, st), Spacer(1, 4 * mm)]
    if data.gift:
        message = _boxed("Gift message 礼物留言", data.gift_message or "—", st, style=st["big"])
        story += [message, Spacer(1, 3 * mm)]
    story.append(_items_table(data, st))
    story += _after_items(data, st)
    header = partial(_header, data=data, kind="Packing slip 装箱单")
    return _build(paper, story, header, title=f"Packing slip {data.order_number}")


def pickup_slip_pdf(data: SlipData, paper: str = "A4") -> bytes:
    """The pickup slip: the order big with its barcode, the customer, the shelf slot, the items.
    Fits small paper too (A6, to stick on the parcel)."""
    st = _styles()
    width = PAPERS[paper][0] - 2 * _margin(paper)
    recipient = shown_party(data.recipient, data.mask_policy)
    number = ParagraphStyle("number", parent=st["huge"])
    number.fontSize = min(34.0, 0.92 * _fitting_size(data.order_number, width, number.fontName))
    number.leading = number.fontSize * 1.2
    story: list[Flowable] = [
        _p(data.order_number, number),
        _Barcode(data.order_number, height=15 * mm, width=width),
        Spacer(1, 3 * mm),
        _p(f"Customer 顾客: {recipient.name}", st["big"]),
        _p(recipient.phone, st["base"]),
    ]
    if data.pickup_slot:
        shelf = ParagraphStyle("shelf", parent=st["huge"], fontSize=26, leading=30)
        story.append(_boxed("Pickup shelf 自提货架", data.pickup_slot, st, style=shelf))
    story += [Spacer(1, 3 * mm), _items_table(data, st, prices=False, width=width)]
    if data.customer_note:
        story.append(_boxed("Customer note 买家留言", data.customer_note, st))
    header = partial(_small_header, data=data, kind="Pickup slip 自提单")
    return _build(paper, story, header, title=f"Pickup slip {data.order_number}", header_h=12 * mm)


def _margin(paper: str) -> float:
    return float(15 * mm if PAPERS[paper][0] > 150 * mm else 7 * mm)


def _fitting_size(text: str, width: float, font: str) -> float:
    """The font size at which ``text`` is ``width`` wide."""
    return width / max(1.0, float(stringWidth(text, font, 1.0)))


def _build(
    paper: str, story: list[Flowable], header: Any, *, title: str, header_h: float = HEADER_H
) -> bytes:
    size = PAPERS[paper]
    margin = _margin(paper)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + header_h,
        bottomMargin=margin + 6 * mm,
        title=title,
        creator="Packdesk",
        invariant=1,
    )
    doc.build(story, onFirstPage=header, onLaterPages=header, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def _header(canvas: Any, doc: Any, *, data: SlipData, kind: str) -> None:
    """On every page: logo, shop, what the document is, the order number and its barcode."""
    font = cjk_font()
    w, h = doc.pagesize
    top = h - MARGIN
    x = MARGIN
    canvas.saveState()
    if data.logo:
        x += _logo(canvas, data.logo, x, top) + 4 * mm
    canvas.setFont(font, 13)
    canvas.drawString(x, top - 13, data.shop.name)
    canvas.setFont(font, 9)
    canvas.drawString(x, top - 26, kind)
    canvas.setFont(font, 12)
    canvas.drawRightString(w - MARGIN, top - 12, f"Order 订单 {data.order_number}")
    bar = Code128(data.order_number, barWidth=0.3 * mm, barHeight=11 * mm, humanReadable=False)
    bar.drawOn(canvas, w - MARGIN - bar.width, top - 16 - 11 * mm)
    canvas.setLineWidth(0.6)
    y = h - MARGIN - HEADER_H + 3 * mm
    canvas.line(MARGIN, y, w - MARGIN, y)
    canvas.restoreState()


def _small_header(canvas: Any, doc: Any, *, data: SlipData, kind: str) -> None:
    """One line: the shop and what the document is (the order is the body's)."""
    font = cjk_font()
    w, h = doc.pagesize
    margin = doc.leftMargin
    top = h - margin
    canvas.saveState()
    canvas.setFont(font, 10)
    canvas.drawString(margin, top - 10, data.shop.name)
    canvas.drawRightString(w - margin, top - 10, kind)
    canvas.setLineWidth(0.6)
    canvas.line(margin, top - 16, w - margin, top - 16)
    canvas.restoreState()


@lru_cache(maxsize=8)
def _logo_reader(logo: bytes) -> ImageReader | None:
    """The shop's logo decoded once (every slip of the shop prints it)."""
    try:
        image = ImageReader(io.BytesIO(logo))
        image.getSize()
    except Exception:  # any unreadable picture: the slip prints without it
        log.warning("the shop logo could not be read; the slip prints without it")
        return None
    return image


def _logo(canvas: Any, logo: bytes, x: float, top: float) -> float:
    """The shop's logo at most 40 x 20 mm; a picture that cannot be read is left out."""
    image = _logo_reader(logo)
    if image is None:
        return 0.0
    iw, ih = image.getSize()
    scale = min(40 * mm / iw, 20 * mm / ih)
    w, h = iw * scale, ih * scale
    canvas.drawImage(image, x, top - h, w, h, mask="auto")
    return float(w)


def _parties_table(data: SlipData, st: dict[str, ParagraphStyle]) -> Table:
    recipient = shown_party(data.recipient, data.mask_policy)
    left = [
        _p("Ship to 收货人", st["small"]),
        _p(person_text(recipient), st["big"]),
        _p(address_text(recipient), st["base"]),
    ]
    facts = [
        ("Date 日期", data.placed_on),
        ("Channel order 平台单号", data.channel_order_id),
    ]
    if data.carrier:
        facts.append(("Carrier 承运商", data.carrier))
    seq, count = data.parcel_seq, data.parcel_count
    if count > 1:
        facts.append(("Parcel 包裹", f"Parcel {seq} of {count} · 第{seq}/{count}包"))
    if data.tracking_numbers:
        facts.append(("Tracking 运单号", "\n".join(data.tracking_numbers)))
    right = Table(
        [[k, _cell(v, st["base"], 28)] for k, v in facts],
        colWidths=[36 * mm, None],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONT", (0, 0), (0, -1), st["base"].fontName, 8),
                ("FONT", (1, 0), (1, -1), st["base"].fontName, 9.5, 12.5),
            ]
        ),
    )
    table = Table([[left, right]], colWidths=["50%", "50%"])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _items_table(
    data: SlipData, st: dict[str, ParagraphStyle], prices: bool = True, width: float = 0
) -> Table:
    """The items, the heading row repeated on every page; prices and totals unless a gift."""
    prices = prices and not data.gift
    head = ["SKU", "Item 商品", "Qty 数量"] + (["Unit price 单价", "Total 金额"] if prices else [])
    rows: list[list[Any]] = [head]
    total = Decimal(0)
    for line in data.lines:
        detail = [_p(line.name, st["base"])]
        if line.lot:
            detail.append(_p(f"Lot 批次: {line.lot}", st["small"]))
        if line.serials:
            detail.append(_p("Serials 序列号: " + ", ".join(line.serials), st["small"]))
        row: list[Any] = [_cell(line.sku, st["base"], 14), detail, str(line.qty)]
        if prices:
            amount = line.unit_price * line.qty
            total += amount
            row += [money_text(line.unit_price, data.currency), money_text(amount, data.currency)]
        rows.append(row)
    units = sum(line.qty for line in data.lines)
    foot: list[Any] = ["", f"{len(data.lines)} lines 行", str(units)]
    if prices:
        foot += ["Total 合计", money_text(total, data.currency)]
    rows.append(foot)
    widths: list[float | None] = [32 * mm, None, 18 * mm] + ([26 * mm, 28 * mm] if prices else [])
    if width and width < 120 * mm:  # small paper: a narrow SKU column
        widths = [width * 0.28, None, width * 0.2]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st["base"].fontName, 9.5, 12.5),
                ("FONT", (0, 0), (-1, 0), st["base"].fontName, 8, 10),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
            ]
        )
    )
    return table


def _after_items(data: SlipData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 4 * mm)]
    if data.cod_amount is not None and not data.gift:  # a gift shows no amount at all
        amount = money_text(data.cod_amount, data.currency)
        out.append(_boxed("Cash on delivery 代收货款", amount, st, style=st["big"]))
    if data.customer_note:
        out.append(_boxed("Customer note 买家留言", data.customer_note, st))
    if data.return_instructions:
        out.append(_boxed("Returns 退货说明", data.return_instructions, st))
    return out


def _boxed(
    title: str, text: str, st: dict[str, ParagraphStyle], style: ParagraphStyle | None = None
) -> Flowable:
    table = Table([[title], [_p(text, style or st["base"])]], colWidths=["100%"])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("FONT", (0, 0), (-1, 0), st["base"].fontName, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
            ]
        )
    )
    return KeepTogether([Spacer(1, 2 * mm), table])


class _Barcode(Flowable):  # type: ignore[misc]
    """A Code 128 barcode as a flowable (the order number on the pickup slip)."""

    def __init__(self, value: str, height: float, width: float) -> None:
        super().__init__()
        bar = 0.4 * mm
        self.code = Code128(value, barWidth=bar, barHeight=height, humanReadable=False)
        if self.code.width > width:  # narrower bars, in whole tenths of a millimetre
            bar = max(0.2 * mm, int(bar * width / self.code.width / (0.1 * mm)) * 0.1 * mm)
            self.code = Code128(value, barWidth=bar, barHeight=height, humanReadable=False)
        self.width, self.height = self.code.width, height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.code.drawOn(self.canv, 0, 0)
