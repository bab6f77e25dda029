"""A reportlab canvas that numbers pages "page x of y": pages are kept until the document
is complete, then each is finished with its number and the count."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.labels.pdf import cjk_font

FOOT_MM = 15


class NumberedCanvas(Canvas):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._page_number(count)
            super().showPage()
        super().save()

    def _page_number(self, count: int) -> None:
        width, _ = self._pagesize
        n = self._pageNumber
        self.setFont(cjk_font(), 8)
        self.drawRightString(
            width - FOOT_MM * mm, FOOT_MM * mm - 4, f"Page {n} of {count} · 第 {n}/{count} 页"
        )
