"""The station card: the command barcodes (confirm, cancel, next, reprint, quantities) on one
label, so a station runs on scans alone. It is an ordinary ``Label``: it prints on the thermal
printer (ZPL/TSPL) and as a PDF (reportlab) for a laser printer.

Each barcode is Code 128 of the fixed text form of ``app.domain.scans`` (``PD-CMD-CONFIRM``,
``PD-CMD-QTY-5``...), with its meaning beside it in English and Chinese.
"""

from __future__ import annotations

from app.domain.scans import Command, command_text
from app.labels.model import Barcode, Box, Label, Symbology, Text, hline, label_size

#: what the card carries, top to bottom, and how it is captioned
CARD: tuple[tuple[Command, int | None, str, str], ...] = (
    (Command.CONFIRM, None, "Confirm", "确认"),
    (Command.CANCEL, None, "Cancel", "取消"),
    (Command.NEXT, None, "Next", "下一个"),
    (Command.REPRINT, None, "Reprint label", "重打面单"),
    (Command.QUANTITY, 2, "Quantity 2", "数量 2"),
    (Command.QUANTITY, 3, "Quantity 3", "数量 3"),
    (Command.QUANTITY, 5, "Quantity 5", "数量 5"),
    (Command.QUANTITY, 10, "Quantity 10", "数量 10"),
)
MARGIN_MM = 4.0
BAR_HEIGHT_MM = 10.0
MODULE_MM = 0.25  # 2 dots at 203 dpi, 3 at 300: wide enough for any handheld scanner


def station_card(size: str = "4x6in", dpi: int = 203, station: str = "") -> Label:
    """The command barcodes as one label of ``size``: captions beside the bars where the
    stock is wide enough, above them on narrow stock (76 mm)."""
    stock = label_size(size)
    width = stock.width_mm - 2 * MARGIN_MM
    title_mm = 17.0
    row_mm = min(16.0, (stock.height_mm - title_mm - MARGIN_MM) / len(CARD))
    bars_mm = 60.0  # Code 128 of PD-CMD-REPRINT at 0.25 mm, with its quiet zones
    beside = width - bars_mm >= 30.0
    elements: list[Text | Barcode | Box] = [
        Text(
            MARGIN_MM,
            MARGIN_MM,
            "Packdesk station commands",
            height_mm=4.5,
            bold=True,
            width_mm=width,
        ),
        Text(
            MARGIN_MM,
            MARGIN_MM + 6.0,
            f"工位指令 · Station {station}" if station else "工位指令 · Scan to act",
            height_mm=3.0,
            width_mm=width,
        ),
        hline(MARGIN_MM, title_mm - 2.5, width, 0.4),
    ]
    for i, (command, qty, english, chinese) in enumerate(CARD):
        y = title_mm + i * row_mm
        if beside:
            bar_y, bar_h = y, min(BAR_HEIGHT_MM, row_mm - 4.0)
            x = MARGIN_MM + bars_mm
            elements.append(
                Text(x, y + 0.5, english, height_mm=3.6, bold=True, width_mm=width - bars_mm)
            )
            elements.append(Text(x, y + 5.0, chinese, height_mm=3.6, width_mm=width - bars_mm))
        else:
            bar_y, bar_h = y + 4.2, row_mm - 5.5
            elements.append(
                Text(
                    MARGIN_MM, y, f"{english} / {chinese}", height_mm=3.2, bold=True, width_mm=width
                )
            )
        elements.append(
            Barcode(
                MARGIN_MM,
                bar_y,
                Symbology.CODE128,
                command_text(command, qty),
                module_mm=MODULE_MM,
                height_mm=bar_h,
                max_width_mm=min(width, bars_mm - 2.0),
            )
        )
    return Label(stock, dpi, tuple(elements), title="station card")
