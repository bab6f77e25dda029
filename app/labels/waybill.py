"""The shipping label's layout: fixed areas, one under the other, each text fitted to its area.

From the top (the 4x6 in layout, scaled to 100x150 mm and 76x130 mm):

- header: carrier, service;
- sorting: the carrier's sorting code printed big (大头笔) and the hub (集包地);
- tracking: the tracking barcode (the main one, widest and tallest), its number, and on a
  child parcel the master number (母单);
- recipient (收), masked after the channel's policy;
- sender (寄) and the return address (退);
- order: the order reference barcode (Code 128 of the order number), the date; parcel n of m
  ("1/2" on Chinese stock), the weight and the reprint mark (补打); cash on delivery
  (代收货款) as a black bar across the foot.

Every text is fitted (``fitting``): long addresses wrap and shrink inside their area.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from app.domain.privacy import MaskPolicy
from app.labels.fitting import fit_block, fit_line, fits_one_line
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
from app.labels.parties import (
    Party,
    address_text,
    money_text,
    person_text,
    shown_party,
    weight_text,
)

if TYPE_CHECKING:
    from app.labels.shipping import ShippingLabelData

MARGIN_MM = 3.0
#: the label sizes printed in the Chinese way ("1/2" rather than "1 of 2")
CHINESE_STOCK = frozenset({"100x150mm", "76x130mm"})
#: where each area's rule lies on the 4x6 in label (mm from the top; scaled to the size)
_RULES = {"header": 13.5, "sorting": 31.5, "tracking": 66.0, "recipient": 95.5, "sender": 118.5}
_AREAS = ("header", "sorting", "tracking", "recipient", "sender", "order")
_RULE_MM = 0.5


@dataclass(frozen=True)
class Area:
    """A rectangle of the label, in millimetres: its texts stay inside it."""

    name: str
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float

    @property
    def bottom_mm(self) -> float:
        return self.y_mm + self.height_mm


@dataclass(frozen=True)
class Frame:
    """What does not change within a batch (border, carrier, service, rules, tags, sender) and
    the areas the changing parts go in."""

    stock: LabelSize
    s: float  # vertical scale against the 4x6 in layout
    f: float  # type scale
    inner: float
    areas: dict[str, Area]
    elements: tuple[Element, ...]


def areas(size: str) -> dict[str, Area]:
    """The label's areas by name, top to bottom, between the rules and inside the border."""
    stock = label_size(size)
    w, h = stock.width_mm, stock.height_mm
    s = h / 152.4
    tops = [MARGIN_MM - 1.0] + [_RULES[a] * s + _RULE_MM for a in _AREAS[:-1]]
    bottoms = [_RULES[a] * s for a in _AREAS[:-1]] + [h - MARGIN_MM + 1.0]
    return {
        name: Area(name, MARGIN_MM - 1.0, top, w - 2 * MARGIN_MM + 2.0, bottom - top)
        for name, top, bottom in zip(_AREAS, tops, bottoms, strict=True)
    }


@lru_cache(maxsize=64)
def frame(carrier: str, service: str, sender: Party, size: str, dpi: int) -> Frame:
    stock = label_size(size)
    w, h = stock.width_mm, stock.height_mm
    s = h / 152.4
    f = min(s, w / 101.6)
    m = MARGIN_MM
    inner = w - 2 * m
    area = areas(size)
    carrier_w, service_w = inner * 0.6, inner * 0.38
    head = area["header"]
    carrier_text = fit_line(
        m, head.y_mm + 1, carrier, width_mm=carrier_w, size_mm=6.5 * f, min_mm=3, dpi=dpi, bold=True
    )
    service_text = fit_line(
        m + inner - service_w,
        head.y_mm + 1,
        service,
        width_mm=service_w,
        size_mm=5.5 * f,
        min_mm=3,
        dpi=dpi,
        bold=True,
        align=Align.CENTER,
        inverse=True,
    )
    border = Box(1.5, 1.5, w - 3, h - 3, 0.4)
    rules = tuple(hline(1.5, _RULES[a] * s, w - 3, _RULE_MM) for a in _AREAS[:-1])
    rec, snd = area["recipient"], area["sender"]
    to_tag = Text(m, rec.y_mm + 1.3 * s, "收 To", 4 * f, bold=True, inverse=True, width_mm=14)
    from_tag = Text(m, snd.y_mm + 0.8 * s, "寄 From", 3.2 * f, bold=True, inverse=True, width_mm=14)
    y = snd.y_mm + 0.5 * s
    sender_person = fit_line(
        m + 16, y, person_text(sender), width_mm=inner - 16, size_mm=4 * f, min_mm=2.5, dpi=dpi
    )
    y += 5.5 * s
    sender_address = fit_block(
        m,
        y,
        address_text(sender),
        width_mm=inner,
        height_mm=8.5 * s,
        size_mm=3.6 * f,
        min_mm=2.5,
        dpi=dpi,
    )
    elements: tuple[Element, ...] = (
        border,
        carrier_text,
        service_text,
        *rules,
        to_tag,
        from_tag,
        sender_person,
        sender_address,
    )
    return Frame(stock, s, f, inner, area, elements)


def shipping_label(data: ShippingLabelData, size: str, dpi: int, *, mask: bool) -> Label:
    fr = frame(data.carrier, data.service, data.sender, size, dpi)
    els: list[Element] = list(fr.elements)
    els += _sorting(data, fr, dpi)
    els += _tracking(data, fr, dpi)
    els += _recipient(data, fr, dpi, mask)
    els += _return(data, fr, dpi)
    els += _order(data, fr, dpi)
    return Label(
        fr.stock,
        dpi,
        tuple(els),
        title=f"{data.carrier} {data.tracking_number}",
        template=fr.elements,
    )


def _sorting(data: ShippingLabelData, fr: Frame, dpi: int) -> list[Element]:
    """The sorting code as big as it fits (大头笔), the hub beside it (集包地)."""
    area, m, s, f, inner = fr.areas["sorting"], MARGIN_MM, fr.s, fr.f, fr.inner
    out: list[Element] = []
    code_w = inner * 0.62 if data.hub else inner
    room = area.height_mm - 1.5 * s
    if data.sorting_code:
        y, size = area.y_mm + 0.75 * s, min(13.0 * f, room / 1.25)
        # on one line down to a readable size, else wrapped: a sorting code is never cut short
        code = fit_line(
            m, y, data.sorting_code, width_mm=code_w, size_mm=size, min_mm=6 * f, dpi=dpi, bold=True
        )
        if not fits_one_line(code, dpi):
            code = fit_block(
                m,
                y,
                data.sorting_code,
                width_mm=code_w,
                height_mm=room,
                size_mm=size,
                min_mm=3,
                dpi=dpi,
                bold=True,
            )
        out.append(code)
    if data.hub:
        x = m + inner * 0.64
        tag = Text(x, area.y_mm + 0.75 * s, "集包地 Hub", 3 * f, bold=True, width_mm=inner * 0.36)
        y = area.y_mm + 5 * s
        hub = fit_block(
            x,
            y,
            data.hub,
            width_mm=inner * 0.36,
            height_mm=area.bottom_mm - y - 0.5,
            size_mm=6.5 * f,
            min_mm=2.5,
            dpi=dpi,
            bold=True,
        )
        out += [tag, hub]
    return out


def _tracking(data: ShippingLabelData, fr: Frame, dpi: int) -> list[Element]:
    area, m, s, f, inner = fr.areas["tracking"], MARGIN_MM, fr.s, fr.f, fr.inner
    y = area.y_mm + 1.5 * s
    out: list[Element] = [
        Barcode(
            m + 2,
            y,
            Symbology.CODE128,
            data.tracking_number,
            module_mm=0.375 if fr.stock.width_mm > 90 else 0.25,
            height_mm=20 * s,
            max_width_mm=inner - 4,
        )
    ]
    y += 21 * s
    out.append(
        fit_line(
            m,
            y,
            data.tracking_number,
            width_mm=inner,
            size_mm=5 * f,
            min_mm=2.5,
            dpi=dpi,
            bold=True,
            align=Align.CENTER,
        )
    )
    master = data.master_tracking
    if master and master != data.tracking_number:
        y += 6.5 * s
        text = f"母单 Master {master}"
        out.append(
            fit_line(
                m, y, text, width_mm=inner, size_mm=3.3 * f, min_mm=2.5, dpi=dpi, align=Align.CENTER
            )
        )
    return out


def _recipient(data: ShippingLabelData, fr: Frame, dpi: int, mask: bool) -> list[Element]:
    area, m, s, f, inner = fr.areas["recipient"], MARGIN_MM, fr.s, fr.f, fr.inner
    recipient = shown_party(data.recipient, data.mask_policy if mask else MaskPolicy.NONE)
    y = area.y_mm + 0.5 * s
    # one line as big as it fits; a long name with its company on two smaller lines
    person = fit_block(
        m + 16,
        y,
        person_text(recipient),
        width_mm=inner - 16,
        height_mm=8 * s,
        size_mm=6.5 * f,
        min_mm=2.8,
        dpi=dpi,
        bold=True,
    )
    y += 8.5 * s
    address = fit_block(
        m,
        y,
        address_text(recipient),
        width_mm=inner,
        height_mm=area.bottom_mm - y - 0.5,
        size_mm=5.5 * f,
        min_mm=2.5,
        dpi=dpi,
    )
    return [person, address]


def _return(data: ShippingLabelData, fr: Frame, dpi: int) -> list[Element]:
    """The return address (退), under the sender's, when it is not the sender's."""
    party = data.return_party
    if party is None or party == data.sender:
        return []
    area, m, s, f, inner = fr.areas["sender"], MARGIN_MM, fr.s, fr.f, fr.inner
    y = area.y_mm + 15 * s
    text = f"退 Return: {person_text(party)}  {address_text(party)}"
    return [
        fit_block(
            m,
            y,
            text,
            width_mm=inner,
            height_mm=area.bottom_mm - y - 0.3,
            size_mm=3.2 * f,
            min_mm=2.2,
            dpi=dpi,
        )
    ]


def parcel_text(seq: int, count: int, size: str) -> str:
    """Parcel n of m: "1/2" on Chinese stock, "1 of 2" otherwise ("" for a lone parcel); a
    ``count`` of 0 is not known yet (more parcels may follow): "1/?" or "Parcel 1"."""
    if count == 0:
        return f"{seq}/?" if size in CHINESE_STOCK else f"Parcel {seq}"
    if count <= 1:
        return ""
    return f"{seq}/{count}" if size in CHINESE_STOCK else f"Parcel {seq} of {count}"


def _order(data: ShippingLabelData, fr: Frame, dpi: int) -> list[Element]:
    area, m, s, f, inner = fr.areas["order"], MARGIN_MM, fr.s, fr.f, fr.inner
    left_w, right_x, right_w = inner * 0.6, m + inner * 0.63, inner * 0.37
    y = area.y_mm + 1 * s
    out: list[Element] = [
        fit_line(
            m,
            y,
            f"Order {data.order_number}",
            width_mm=left_w,
            size_mm=4 * f,
            min_mm=2.5,
            dpi=dpi,
            bold=True,
        ),
        Barcode(
            m + 2,
            y + 5.5 * s,
            Symbology.CODE128,
            data.order_number,
            module_mm=0.25,
            height_mm=10 * s,
            max_width_mm=left_w - 2,
        ),
    ]
    if data.ship_date:
        out.append(Text(m, y + 16.5 * s, data.ship_date.isoformat(), 3.5 * f, width_mm=left_w))
    parcels = parcel_text(data.parcel_seq, data.parcel_count, fr.stock.code)
    ry = y
    if parcels:
        big = 8 * f if fr.stock.code in CHINESE_STOCK else 5.5 * f
        part = fit_line(
            right_x, ry, parcels, width_mm=right_w, size_mm=big, min_mm=3, dpi=dpi, bold=True
        )
        out.append(part)
        ry += big * 1.25
    weight = weight_text(data.weight_grams)
    if weight:
        out.append(
            fit_line(
                right_x, ry, weight, width_mm=right_w, size_mm=5 * f, min_mm=3, dpi=dpi, bold=True
            )
        )
    if data.reprint:
        out.append(
            Text(
                right_x,
                y + 16.5 * s,
                "补打 REPRINT",
                4 * f,
                bold=True,
                width_mm=right_w,
                align=Align.CENTER,
                inverse=True,
            )
        )
    if data.cod_amount is not None:
        out.append(_cod(data, fr, dpi, area))
    return out


def _cod(data: ShippingLabelData, fr: Frame, dpi: int, area: Area) -> Text:
    """Cash on delivery: the amount to collect, white on a black bar across the foot."""
    text = f"代收货款 COD {money_text(data.cod_amount or Decimal(0), data.currency)}"
    y = area.y_mm + 23.5 * fr.s
    return fit_block(
        MARGIN_MM,
        y,
        text,
        width_mm=fr.inner,
        height_mm=area.bottom_mm - y - 0.5,
        size_mm=6 * fr.f,
        min_mm=3,
        dpi=dpi,
        bold=True,
        align=Align.CENTER,
        inverse=True,
        max_lines=1,
    )
