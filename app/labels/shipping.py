"""The shipping label (carrier waybill) and the printer test label, in the three sizes.

Recipient details are masked after the sales channel's policy (``ShippingLabelData.mask_policy``,
app.domain.privacy; China's e-waybill rule by default): the courier reads the tracking barcode,
not the phone number. The sender is the shop and is printed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.domain.privacy import MaskPolicy, mask_recipient
from app.labels.layout import fit_height
from app.labels.model import (
    Align,
    Barcode,
    Box,
    Element,
    Label,
    LabelSize,
    Symbology,
    Text,
    hline,
    label_size,
)

MARGIN_MM = 3.0
QUIET_MM = 3.0


@dataclass(frozen=True)
class Party:
    """A sender or a recipient as printed on the label."""

    name: str
    phone: str = ""
    country: str = "CN"
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    street2: str = ""
    postal_code: str = ""
    company: str = ""


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


def shown_party(party: Party, policy: MaskPolicy | str | None) -> Party:
    """The party as the policy lets a label or slip print it."""
    r = mask_recipient(policy, party.name, party.phone, party.street, party.street2)
    return replace(party, name=r.name, phone=r.phone, street=r.street, street2=r.street2)


def address_text(party: Party) -> str:
    """One address, Chinese style (province first, no spaces) or Western style."""
    if party.country.upper() == "CN":
        return "".join([party.province, party.city, party.district, party.street, party.street2])
    parts = [
        party.street,
        party.street2,
        party.city,
        party.province,
        party.postal_code,
        party.country,
    ]
    return ", ".join(p for p in parts if p)


def person_text(party: Party) -> str:
    company = f" ({party.company})" if party.company else ""
    return f"{party.name}{company}  {party.phone}".strip()


def weight_text(grams: Decimal | None) -> str:
    if grams is None:
        return ""
    kg = (grams / Decimal(1000)).quantize(Decimal("0.01"))
    return f"{kg} kg"


def shipping_label(
    data: ShippingLabelData, size: str = "4x6in", dpi: int = 203, *, mask: bool = True
) -> Label:
    """The carrier label: carrier and service, tracking barcode (Code 128), recipient (masked
    after ``data.mask_policy``; ``mask=False`` prints it whole), sender, order number and
    weight."""
    fr = _frame(data.carrier, data.service, data.sender, size, dpi)
    stock, s, f, m, inner = fr.stock, fr.s, fr.f, MARGIN_MM, fr.inner
    els: list[Element] = list(fr.elements)  # border, carrier, service, rules, tags, sender
    # tracking number: the barcode the courier scans
    y = fr.y_tracking
    els.append(
        Barcode(
            m + 2,
            y,
            Symbology.CODE128,
            data.tracking_number,
            module_mm=0.375 if stock.width_mm > 90 else 0.25,
            height_mm=24 * s,
            max_width_mm=inner - 4,
        )
    )
    y += 25.5 * s
    els.append(
        Text(m, y, data.tracking_number, 5.5 * f, bold=True, width_mm=inner, align=Align.CENTER)
    )
    # recipient
    y = fr.y_recipient
    recipient = shown_party(data.recipient, data.mask_policy if mask else MaskPolicy.NONE)
    person = person_text(recipient)
    els.append(
        Text(
            m + 16,
            y,
            person,
            fit_height(person, inner - 16, 6.5 * f, 3.5, dpi),
            bold=True,
            width_mm=inner - 16,
        )
    )
    y += 9 * s
    address = address_text(recipient)
    els.append(Text(m, y, address, 5.5 * f, width_mm=inner, max_lines=3))
    # order number and weight
    y = fr.y_order
    els.append(Text(m, y, f"Order {data.order_number}", 4.5 * f, bold=True))
    els.append(
        Barcode(
            m + 2,
            y + 7 * s,
            Symbology.CODE128,
            data.order_number,
            module_mm=0.25,
            height_mm=13 * s,
            max_width_mm=inner * 0.6,
        )
    )
    right = m + inner * 0.66
    weight = weight_text(data.weight_grams)
    if weight:
        els.append(Text(right, y, weight, 6 * f, bold=True))
    if data.ship_date:
        els.append(Text(right, y + 9 * s, data.ship_date.isoformat(), 4 * f))
    return Label(
        stock,
        dpi,
        tuple(els),
        title=f"{data.carrier} {data.tracking_number}",
        template=fr.elements,
    )


@dataclass(frozen=True)
class _Frame:
    """The parts of a shipping label that do not change within a batch: the border, carrier
    and service, the rules, the tags and the sender; and where the changing parts go."""

    stock: LabelSize
    s: float  # vertical scale against the 4x6 in layout
    f: float  # type scale
    inner: float
    border: Box
    carrier: Text
    service: Text
    rules: tuple[Box, Box, Box, Box]
    to_tag: Text
    sender: tuple[Text, Text, Text]
    y_tracking: float
    y_recipient: float
    y_order: float
    #: the fixed parts in drawing order: every label of the batch starts with these objects
    elements: tuple[Element, ...] = ()


@lru_cache(maxsize=64)
def _frame(carrier: str, service: str, sender: Party, size: str, dpi: int) -> _Frame:
    stock = label_size(size)
    w, h = stock.width_mm, stock.height_mm
    s = h / 152.4
    f = min(s, w / 101.6)
    m = MARGIN_MM
    inner = w - 2 * m
    carrier_w, service_w = inner * 0.6, inner * 0.38
    carrier_text = Text(
        m,
        m,
        carrier,
        fit_height(carrier, carrier_w, 6.5 * f, 3, dpi),
        bold=True,
        width_mm=carrier_w,
    )
    service_text = Text(
        m + inner - service_w,
        m,
        service,
        fit_height(service, service_w, 5.5 * f, 3, dpi),
        bold=True,
        width_mm=service_w,
        align=Align.CENTER,
        inverse=True,
    )
    y_rule1 = m + 10 * s
    y_tracking = y_rule1 + 3 * s
    y_rule2 = y_tracking + 25.5 * s + 8.5 * s
    y_recipient = y_rule2 + 2.5 * s
    y_rule3 = y_recipient + 9 * s + 23 * s
    y_sender = y_rule3 + 2.5 * s
    y_rule4 = y_sender + 6.5 * s + 12 * s
    sender_parts = (
        Text(m, y_sender + 0.3 * s, "寄 From", 3.2 * f, bold=True, inverse=True, width_mm=14),
        Text(m + 16, y_sender, person_text(sender), 4 * f, width_mm=inner - 16),
        Text(
            m,
            y_sender + 6.5 * s,
            address_text(sender),
            4 * f,
            width_mm=inner,
            max_lines=2,
        ),
    )
    border = Box(1.5, 1.5, w - 3, h - 3, 0.4)
    rules = (
        hline(1.5, y_rule1, w - 3),
        hline(1.5, y_rule2, w - 3),
        hline(1.5, y_rule3, w - 3),
        hline(1.5, y_rule4, w - 3),
    )
    to_tag = Text(m, y_recipient + 0.8 * s, "收 To", 4 * f, bold=True, inverse=True, width_mm=14)
    return _Frame(
        stock,
        s,
        f,
        inner,
        border,
        carrier_text,
        service_text,
        rules,
        to_tag,
        sender_parts,
        y_tracking,
        y_recipient,
        y_rule4 + 3 * s,
        (border, carrier_text, service_text, *rules, to_tag, *sender_parts),
    )


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
