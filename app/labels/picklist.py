"""The printed pick list (reportlab, A4): one section per batch of a wave, so that paper and a
scanner alone are enough to work it.

Each section starts with the batch (its label, how it is picked, cart and tote, orders, lines,
units, the planned walk) and a small map of the route: aisles, cross aisles, the depot, the
walked line and the numbered stops. Then the tasks in route order, one row each: the stop
number; the location with its barcode; the SKU with its barcode, description, lot; the
quantity; the tote slot. Every page ends with the command barcodes (CONFIRM, SKIP, SHORT,
FULL TOTE) the pick screen understands.

Everything is drawn with the label model (``app.labels.model``) and its PDF renderer, so
barcodes have whole-dot modules and Chinese descriptions use the shipped font.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.domain.picking import REASON_CODES
from app.domain.scans import Command, command_text
from app.domain.waves import ShortReason
from app.labels import pdf
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
    vline,
)

A4 = LabelSize("A4", 210.0, 297.0)
DPI = 300
MARGIN = 10.0
WIDTH = A4.width_mm - 2 * MARGIN
ROW_MM = 31.0
FOOTER_MM = 58.0
MODULE_MM = 0.254  # 3 dots at 300 dpi: any laser, any handheld scanner
#: the barcodes at the foot of every page, with their captions: the commands, and the reasons
#: a short pick asks for, so that paper and a scanner are enough
COMMANDS: tuple[tuple[str, str], ...] = (
    (command_text(Command.CONFIRM), "CONFIRM / 确认"),
    (command_text(Command.SKIP), "SKIP / 跳过"),
    (command_text(Command.SHORT), "SHORT / 缺货"),
    (command_text(Command.FULL_TOTE), "FULL TOTE / 周转箱已满"),
    (REASON_CODES[ShortReason.EMPTY], "Short: EMPTY / 缺货原因：库位空"),
    (REASON_CODES[ShortReason.DAMAGED], "Short: DAMAGED / 缺货原因：破损"),
    (REASON_CODES[ShortReason.NOT_FOUND], "Short: NOT FOUND / 缺货原因：找不到"),
    (command_text(Command.CANCEL), "CANCEL / 取消"),
)
METHOD_CAPTIONS = {
    "cluster": "pick to tote / 按单拣货到周转箱",
    "single_unit": "single-unit orders, in bulk / 一单一品 汇总拣货",
    "pick_sort": "pick then sort / 先拣后播",
}


@dataclass(frozen=True)
class PickLine:
    #: the stop number printed: 1, 2, 3... in route order
    seq: int
    location: str
    location_barcode: str
    sku: str
    #: what to scan for the product (its first barcode, else the SKU)
    product_barcode: str
    name: str
    qty: int
    lot: str = ""
    #: the tote slot on the cart (pick to tote); None: the batch's bulk tote
    tote_slot: int | None = None
    tote_code: str = ""


@dataclass(frozen=True)
class RouteMap:
    """The layout and the walk in metres: aisles (code, x, y from, y to), cross aisles (y),
    the depot, the walked polyline and the stops (number, x, y)."""

    aisles: tuple[tuple[str, float, float, float], ...]
    cross_aisles: tuple[float, ...]
    depot: tuple[float, float]
    path: tuple[tuple[float, float], ...]
    stops: tuple[tuple[int, float, float], ...]
    length_m: float


@dataclass(frozen=True)
class BatchSheet:
    label: str
    method: str
    cart: str
    bulk_tote: str
    orders: int
    lines: tuple[PickLine, ...]
    route: RouteMap | None = None

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class PickListData:
    wave: str
    warehouse: str
    batches: tuple[BatchSheet, ...]


def rectilinear(
    path: tuple[tuple[float, float], ...], cross_aisles: tuple[float, ...]
) -> list[tuple[float, float]]:
    """The path with every slanted leg replaced by the walk on the aisle graph: along the
    aisle to the nearest useful cross aisle, across, and into the other aisle."""
    if not path:
        return []
    out = [path[0]]
    for a, b in itertools.pairwise(path):
        if a[0] != b[0] and a[1] != b[1] and cross_aisles:
            c = min(cross_aisles, key=lambda y: abs(a[1] - y) + abs(b[1] - y))
            out += [(a[0], c), (b[0], c)]
        out.append(b)
    return out


def _segment(a: tuple[float, float], b: tuple[float, float], t: float) -> Box | None:
    (x1, y1), (x2, y2) = a, b
    if abs(y1 - y2) < 0.01:
        return hline(min(x1, x2) - t / 2, y1 - t / 2, abs(x2 - x1) + t, t)
    if abs(x1 - x2) < 0.01:
        return vline(x1 - t / 2, min(y1, y2) - t / 2, abs(y2 - y1) + t, t)
    return None


def route_map(route: RouteMap, x: float, y: float, w: float, h: float) -> list[Element]:
    """The route drawn into the box (x, y, w, h) in millimetres; the front cross aisle at the
    bottom, as a picker at the depot sees the warehouse."""
    xs = [a[1] for a in route.aisles] + [route.depot[0]]
    ys = [a[2] for a in route.aisles] + [a[3] for a in route.aisles] + list(route.cross_aisles)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = 5.0
    scale = min((w - 2 * pad) / max(x1 - x0, 1.0), (h - 2 * pad - 4) / max(y1 - y0, 1.0))

    def at(px: float, py: float) -> tuple[float, float]:
        return x + pad + (px - x0) * scale, y + h - pad - (py - y0) * scale

    out: list[Element] = [Box(x, y, w, h, thickness_mm=0.3)]
    low, high = at(x0, min(route.cross_aisles))[1], at(x0, max(route.cross_aisles))[1]
    for code, ax, _, _ in route.aisles:
        px, _ = at(ax, 0)
        out.append(vline(px - 0.1, high, low - high, 0.2))
        out.append(Text(px - 3, y + 1.2, code, height_mm=2.2, width_mm=6, align=Align.CENTER))
    left, right = at(x0, 0)[0], at(x1, 0)[0]
    for cy in route.cross_aisles:
        py = at(0, cy)[1]
        out.append(hline(left, py - 0.1, right - left, 0.2))
    for a, b in itertools.pairwise(rectilinear(route.path, route.cross_aisles)):
        seg = _segment(at(*a), at(*b), 0.9)
        if seg is not None:
            out.append(seg)
    dx, dy = at(*route.depot)
    out.append(Box(dx - 2.2, dy - 2.2, 4.4, 4.4, filled=True))
    out.append(Text(dx + 2.8, dy + 1.2, "Depot 出发", height_mm=2.4))
    for number, sx, sy in route.stops:
        px, py = at(sx, sy)
        out.append(Box(px - 1.3, py - 1.3, 2.6, 2.6, filled=True))
        out.append(Text(px + 1.6, py - 1.6, str(number), height_mm=3.0, bold=True))
    return out


def _row(line: PickLine, y: float) -> list[Element]:
    tote = (
        [Text(172, y + 2, f"Tote {line.tote_slot}", height_mm=5.5, bold=True),
         Text(172, y + 10, f"周转箱 {line.tote_slot}", height_mm=3.5)]
        if line.tote_slot is not None
        else [Text(172, y + 2, "Bulk tote", height_mm=4.0, bold=True),
              Text(172, y + 8, "汇总箱", height_mm=3.5)]
    )  # fmt: skip
    if line.tote_code:
        tote.append(Text(172, y + 14, line.tote_code, height_mm=3.0, width_mm=28))
    lot = f"Lot 批次 {line.lot}" if line.lot else ""
    return [
        Text(MARGIN, y + 2, str(line.seq), height_mm=9.0, bold=True, width_mm=14),
        Text(25, y + 1.5, line.location, height_mm=5.0, bold=True, width_mm=52),
        Barcode(27, y + 9, Symbology.CODE128, line.location_barcode, module_mm=MODULE_MM,
                height_mm=11.0, max_width_mm=46),
        Text(80, y + 1.5, line.sku, height_mm=4.2, bold=True, width_mm=62),
        Barcode(82, y + 8, Symbology.CODE128, line.product_barcode, module_mm=MODULE_MM,
                height_mm=9.0, max_width_mm=56),
        Text(80, y + 19, line.name, height_mm=3.4, width_mm=62),
        Text(80, y + 24, lot, height_mm=3.2, width_mm=62),
        Text(145, y + 2, f"× {line.qty}", height_mm=8.0, bold=True, width_mm=25),
        Text(145, y + 13, f"{line.qty} 件", height_mm=3.5, width_mm=25),
        *tote,
        hline(MARGIN, y + ROW_MM - 1, WIDTH, 0.2),
    ]  # fmt: skip


def _footer(page: int, pages: int, label: str) -> list[Element]:
    top = A4.height_mm - MARGIN - FOOTER_MM
    out: list[Element] = [hline(MARGIN, top, WIDTH, 0.5)]
    for i, (code, caption) in enumerate(COMMANDS):
        x = MARGIN + (i % 2) * (WIDTH / 2) + 2
        y = top + 2 + (i // 2) * 13.5
        out.append(Text(x, y, caption, height_mm=3.0, bold=True, width_mm=WIDTH / 2 - 4))
        out.append(
            Barcode(x + 2, y + 4, Symbology.CODE128, code,
                    module_mm=MODULE_MM, height_mm=7.5, max_width_mm=WIDTH / 2 - 10)
        )  # fmt: skip
    out.append(
        Text(MARGIN, A4.height_mm - MARGIN - 3, f"{label} · {page}/{pages}", height_mm=2.6,
             width_mm=WIDTH, align=Align.RIGHT)
    )  # fmt: skip
    return out


def _header(data: PickListData, sheet: BatchSheet) -> tuple[list[Element], float]:
    """The batch's first-page header and the route map; returns where the rows start."""
    lines = [
        f"{METHOD_CAPTIONS.get(sheet.method, sheet.method)}",
        f"Orders 订单 {sheet.orders} · lines 行 {len(sheet.lines)} · units 件数 {sheet.units}",
        f"Cart 拣货车 {sheet.cart or '-'}" + (f" · tote 汇总箱 {sheet.bulk_tote}"
                                              if sheet.bulk_tote else ""),
        f"Warehouse 仓库 {data.warehouse} · wave 波次 {data.wave}",
    ]  # fmt: skip
    if sheet.route is not None:
        lines.append(f"Walk 路线 {sheet.route.length_m:.0f} m")
    out: list[Element] = [
        Text(MARGIN, MARGIN, f"Pick list 拣货单 {sheet.label}", height_mm=7.0, bold=True,
             width_mm=WIDTH),
        Barcode(MARGIN, MARGIN + 10, Symbology.CODE128, sheet.label, module_mm=MODULE_MM,
                height_mm=9.0, max_width_mm=60),
    ]  # fmt: skip
    for i, text in enumerate(lines):
        out.append(Text(MARGIN, MARGIN + 22 + i * 5.5, text, height_mm=3.6, width_mm=100))
    map_h = 62.0
    if sheet.route is not None:
        out += route_map(sheet.route, 115, MARGIN + 9, WIDTH - 105, map_h)
    return out, MARGIN + 12 + map_h


def _pages(data: PickListData, sheet: BatchSheet) -> list[list[Element]]:
    pages: list[list[Element]] = []
    elements, y = _header(data, sheet)
    bottom = A4.height_mm - MARGIN - FOOTER_MM
    elements.append(hline(MARGIN, y - 2, WIDTH, 0.5))
    for line in sheet.lines:
        if y + ROW_MM > bottom:
            pages.append(elements)
            elements = [
                Text(MARGIN, MARGIN, f"Pick list 拣货单 {sheet.label}", height_mm=5.0,
                     bold=True, width_mm=WIDTH),
                hline(MARGIN, MARGIN + 8, WIDTH, 0.5),
            ]  # fmt: skip
            y = MARGIN + 10
        elements += _row(line, y)
        y += ROW_MM
    pages.append(elements)
    return pages


def pick_list_pages(data: PickListData) -> list[Label]:
    """Every page of the pick list: the batches one after the other, each from a new page."""
    out: list[Label] = []
    for sheet in data.batches:
        pages = _pages(data, sheet)
        for n, elements in enumerate(pages, start=1):
            elements = elements + _footer(n, len(pages), sheet.label)
            out.append(Label(A4, DPI, tuple(elements), title=f"pick list {sheet.label}"))
    return out


def pick_list_pdf(data: PickListData) -> tuple[bytes, int]:
    """The pick list as one PDF, and its number of pages."""
    pages = pick_list_pages(data)
    return pdf.render_many(pages), len(pages)
