"""The shipping label (carrier waybill) and the printer test label, in the three sizes.

Recipient details are masked after the sales channel's policy (``ShippingLabelData.mask_policy``,
app.domain.privacy; China's e-waybill rule by default): the courier reads the tracking barcode,
not the phone number. The sender is the shop and is printed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.privacy import MaskPolicy
from app.labels import waybill
from app.labels.model import (
    Barcode,
    Box,
    Element,
    Label,
    Symbology,
    Text,
    hline,
    label_size,
)
from app.labels.parties import (
    Party,
    address_text,
    money_text,
    person_text,
    shown_party,
    weight_text,
)

__all__ = [
    "Party",
    "ShippingLabelData",
    "address_text",
    "money_text",
    "person_text",
    "shipping_label",
    "shown_party",
    "test_label",
    "weight_text",
]

MARGIN_MM = 3.0
QUIET_MM = 3.0


@dataclass(frozen=True)
class ShippingLabelData:
    carrier: str
    service: str
    tracking_number: str
    order_number: str
    sender: Party
    recipient: Party
    weight_grams: Decimal | None = None
    ship_date: date | None = None
    #: the sales channel's masking policy for the recipient: ewaybill | full_name | none
    mask_policy: str = MaskPolicy.EWAYBILL.value
    #: parcel n of m (an order in several parcels: 一单多包)
    parcel_seq: int = 1
    parcel_count: int = 1
    #: the first parcel's number when the carrier links parcels as master and children
    master_tracking: str = ""
    #: the carrier's routing code for the destination (大头笔) and the hub (集包地)
    sorting_code: str = ""
    hub: str = ""
    #: cash on delivery: the amount the courier collects (代收货款)
    cod_amount: Decimal | None = None
    currency: str = "CNY"
    #: the address parcels come back to (the shop's, when different from the sender)
    return_party: Party | None = None
    #: printed again (补打): the label says so
    reprint: bool = False


def shipping_label(
    data: ShippingLabelData, size: str = "4x6in", dpi: int = 203, *, mask: bool = True
) -> Label:
    """The carrier label (layout: ``app.labels.waybill``): carrier and service, the sorting code
    and hub, the tracking barcode (Code 128), the recipient (masked after ``data.mask_policy``;
    ``mask=False`` prints it whole), sender and return address, the order reference barcode,
    parcel n of m, weight, the reprint mark and the amount to collect on delivery."""
    return waybill.shipping_label(data, size, dpi, mask=mask)


def test_label(size: str = "4x6in", dpi: int = 203, printer: str = "", language: str = "") -> Label:
    """A label that shows a printer works: text in both languages, every barcode Packdesk
    prints, and a frame drawn to the label's edges to check the size and the alignment."""
    stock = label_size(size)
    w, h = stock.width_mm, stock.height_mm
    s = h / 152.4
    m = MARGIN_MM
    inner = w - 2 * m
    q = m + QUIET_MM  # 1D codes need a quiet zone of ten modules before the first bar
    setup = f"{stock.code} {dpi} dpi {language.upper()}".strip()
    els: list[Element] = [
        Box(0.5, 0.5, w - 1, h - 1, 0.5),
        Text(m, m, "Packdesk test label", 6 * s, bold=True),
        Text(m, m + 9 * s, "打印测试：中文地址显示正常", 5 * s, width_mm=inner),
        Text(m, m + 17 * s, setup, 4 * s),
        Text(m, m + 23 * s, printer or "", 3.5 * s, width_mm=inner),
        hline(m, m + 29 * s, inner),
        Barcode(
            q,
            m + 32 * s,
            Symbology.CODE128,
            "PACKDESK-TEST-128",
            height_mm=14 * s,
            module_mm=0.25,
            max_width_mm=inner - 2 * QUIET_MM,
        ),
        Barcode(
            q,
            m + 50 * s,
            Symbology.GS1_128,
            "(01)09501101530003(10)LOT42",
            height_mm=14 * s,
            module_mm=0.25,
            max_width_mm=inner - 2 * QUIET_MM,
        ),
        Barcode(q, m + 68 * s, Symbology.EAN13, "9501101530003", height_mm=14 * s, module_mm=0.33),
        Barcode(q, m + 88 * s, Symbology.QR, "Packdesk 测试 OK", module_mm=0.75),
        Barcode(
            m + inner * 0.36, m + 88 * s, Symbology.DATAMATRIX, "PACKDESK-TEST-DM", module_mm=0.75
        ),
        Barcode(
            m + inner * 0.68,
            m + 88 * s,
            Symbology.DATAMATRIX,
            "(01)09501101530003(17)301231",
            module_mm=0.625,
            gs1=True,
        ),
        hline(m, h - m - 12 * s, inner),
    ]
    # a ruler: one tick per 10 mm along the bottom edge
    for i in range(int(inner // 10) + 1):
        els.append(Box(m + i * 10, h - m - 10 * s, 0.4, 5 * s if i % 5 else 8 * s, filled=True))
    return Label(stock, dpi, tuple(els), title="test label")
