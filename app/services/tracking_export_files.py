"""Writing a tracking sheet to disk: CSV (UTF-8; with a BOM for the generic format, which
Excel then opens with Chinese intact) or XLSX (ids and numbers as text, so a spreadsheet never
turns a 19-digit order id into 2E+18)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from app.domain.tracking_export import XLSX, Sheet


def write_sheet(sheet: Sheet, path: Path, *, bom: bool = False) -> None:
    """Write the sheet next to ``path`` first and move it into place, so a half-written file is
    never left under the name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if sheet.file_type == XLSX:
        _xlsx(sheet, tmp)
    else:
        with tmp.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(sheet.headers)
            w.writerows(sheet.rows)
    os.replace(tmp, path)


def _xlsx(sheet: Sheet, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(list(sheet.headers))
    for row in sheet.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "@"
            cells.append(cell)
        ws.append(cells)
    with path.open("wb") as f:
        wb.save(f)
