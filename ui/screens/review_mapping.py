"""Review's side of product mappings: which line of the open order to map (the selected one when
it has no product, else the first such line), the map dialog, and the lines a mapping made shown
with the channel's listing they came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from app.bootstrap import Services
from app.domain.errors import NotFound, PackdeskError
from app.domain.users import Actor
from app.services import line_sources, listing_mappings
from app.services.line_sources import LineSource
from app.services.listing_mappings import LineListing, MapResult
from app.services.order_review import EditableOrder
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.widgets.map_listing import MapListingDialog
from ui.widgets.parts_editor import mapped_text

if TYPE_CHECKING:
    from ui.screens.review import OrderEditor


def source_text(src: LineSource) -> str:
    """ "“Tee 6-pack” × 1" (the channel's listing and its quantity) for a line a mapping made;
    "" for the others."""
    if not src.mapped or not src.listing:
        return ""
    return QCoreApplication.translate("Review", "“{listing}” × {qty}").format(
        listing=src.listing, qty=src.listing_qty
    )


def _listing_of(
    services: Services, actor: Actor, order_id: int, line_no: int | None
) -> LineListing:
    """The listing of line ``line_no`` (or of the first line without a product)."""
    sources = services.run(line_sources.line_sources, actor, order_id)
    unknown = [s for s in sources if not s.known]
    chosen = next((s for s in unknown if s.line_no == line_no), unknown[0] if unknown else None)
    if chosen is None:
        raise NotFound(what="Order line", key="")
    return services.run(listing_mappings.listing_of_line, actor, order_id, chosen.line_id)


class ReviewLineMapper(QObject):
    #: a mapping was saved: the message to show (re-checked, released, still held)
    mapped = Signal(str)
    problem = Signal(str)
    #: the map dialog opened (MapListingDialog)
    opened = Signal(object)
    #: the open order's line sources were shown
    sources_shown = Signal()

    def __init__(self, ctx: UiContext, editor: OrderEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor = editor
        self.order: EditableOrder | None = None
        self.dialog: MapListingDialog | None = None
        self._busy = False
        editor.map_button.clicked.connect(self.map_line)
        editor.map_link.linkActivated.connect(lambda _link: self.map_line())

    def load(self, order: EditableOrder) -> None:
        """Show where the open order's lines came from (off the UI thread)."""
        self.order = order
        services, actor, order_id = self.ctx.services, self.ctx.actor, order.id

        def show(sources: list[LineSource]) -> None:
            if self.order is None or self.order.id != order_id:
                return  # another order was opened meanwhile
            lines = self.editor.lines
            lines.set_sources({s.line_no: source_text(s) for s in sources if source_text(s)})
            self.sources_shown.emit()

        run_in_background(
            self,
            lambda: services.run(line_sources.line_sources, actor, order_id),
            show,
            lambda exc: self.problem.emit(error_text(exc)),
        )

    def map_line(self) -> None:
        """Ctrl+M, the button or the hold reason's link: open the map dialog for the line."""
        editor = self.editor
        order = editor.order
        if order is None or self._busy or not editor.map_button.isEnabled():
            return
        row = editor.lines_table.currentIndex().row()
        line_no = editor.lines.line_no(row)
        services, actor, order_id = self.ctx.services, self.ctx.actor, order.id
        self._busy = True

        def failed(exc: PackdeskError) -> None:
            self._busy = False
            self.problem.emit(error_text(exc))

        run_in_background(
            self, lambda: _listing_of(services, actor, order_id, line_no), self._open, failed
        )

    def _open(self, listing: LineListing) -> None:
        self._busy = False
        parent = self.parent()
        dialog = MapListingDialog(
            self.ctx, listing, parent if isinstance(parent, QWidget) else None
        )
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        dialog.parts.search.setFocus()
        self.opened.emit(dialog)

    def _saved(self, result: MapResult) -> None:
        self.ctx.bus.notify("mapping", [result.mapping.id])
        self.mapped.emit(mapped_text(result))
