"""The demo warehouse's layout: read from ``resources/layouts/demo.toml`` (twelve pick aisles,
four reserve aisles, a front, a middle and a back cross aisle, the pack benches as the default
depot) and written as rows for the layout tables."""

from __future__ import annotations

from app.importers import layout_file
from app.importers.layout_file import LayoutFile
from app.resources import resource
from app.services.layout_load import layout_rows


def demo_layout() -> LayoutFile:
    """The demo layout file, read and checked (a problem in it is a bug of the demo)."""
    layout = layout_file.read(resource("layouts", "demo.toml"))
    if layout.problems:
        raise RuntimeError(f"the demo layout has problems: {[p.reason for p in layout.problems]}")
    return layout


__all__ = ["demo_layout", "layout_rows"]
