"""The packing slip (A4 or Letter PDF) and the pickup slip.

FOUNDATION STUB: a bare list of items until the documents helper's work is merged. The
dataclasses and signatures are fixed (fields may be added at the end with defaults).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

from app.labels.shipping import Party

PAPERS = {"A4": A4, "Letter": LETTER}


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


def packing_slip_pdf(data: SlipData, paper: str = "A4") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAPERS[paper])
    _, h = PAPERS[paper]
    y = h - 60
    c.drawString(50, y, f"Packing slip {data.order_number}")
    for line in data.lines:
        y -= 16
        c.drawString(50, y, f"{line.qty} x {line.sku} {line.name}")
    c.showPage()
    c.save()
    return buf.getvalue()


def pickup_slip_pdf(data: SlipData, paper: str = "A4") -> bytes:
    return packing_slip_pdf(data, paper)
