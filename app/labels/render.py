"""Render a label in a printer's language."""

from __future__ import annotations

from typing import Literal

from app.domain.errors import ValidationError
from app.labels import pdf, tspl, zpl
from app.labels.model import Label

Language = Literal["zpl", "tspl", "pdf"]
LANGUAGES: tuple[Language, ...] = ("zpl", "tspl", "pdf")


def render(label: Label, language: str, copies: int = 1, *, compact: bool = False) -> bytes:
    """The bytes a printer speaking ``language`` prints ``label`` from; ``compact``: fewer
    bytes at more work, for slow links (ZPL only; the others are compact already)."""
    if language == "zpl":
        return zpl.render(label, copies, compact=compact)
    if language == "tspl":
        return tspl.render(label, copies)
    if language == "pdf":
        return pdf.render(label, copies)
    raise ValidationError(
        "Unknown printer language {language!r}. Choose ZPL, TSPL or PDF in the device settings.",
        language=language,
    )
