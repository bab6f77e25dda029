"""Single-unit mode at the pack screen (一单一品, 扫描即打): the station works a picked single-unit
batch; every unit scanned packs the oldest order of the batch that needs it and its label prints
at once. The page shows the batch, a big counter, the last label, and the orders left per SKU."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.domain.errors import NotFound
from app.services import pack_single_batch, packing
from app.services.pack_single_batch import NotSingleUnitBatch, SingleUnitView
from app.services.packing import PackView
from ui.feedback import OK_COLOUR
from ui.widgets.pack_parts import PROMPT_COLOUR, big_label


def open_any(services: object, actor: object, text: str) -> SingleUnitView | PackView:
    """What a scan at a waiting station opens: a single-unit batch (its bulk tote or pick list),
    else an order (tote, order number, pick list, channel order id). Runs off the UI thread."""
    run = services.run  # type: ignore[attr-defined]
    try:
        view: SingleUnitView = run(pack_single_batch.open_single_unit, actor, text)
        return view
    except NotFound:
        pass
    except NotSingleUnitBatch as exc:
        if exc.params.get("why") != pack_single_batch.WHY_WORDS["method"]:
            raise
    order: PackView = run(packing.open_for_packing, actor, text)
    return order


class SinglePage(QWidget):
    """The batch being worked, unit by unit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = big_label(28, "single_title")
        self.counter = big_label(72, "single_counter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = big_label(44, "single_prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 24px;"
            " border-radius: 12px; }"
        )
        self.last = big_label(32, "single_last")
        self.last.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.last.setStyleSheet(f"QLabel {{ color: {OK_COLOUR}; }}")
        self.skus = QLabel()
        self.skus.setObjectName("single_skus")
        font = self.skus.font()
        font.setPointSize(16)
        self.skus.setFont(font)
        self.skus.setFrameShape(QFrame.Shape.StyledPanel)
        self.skus.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.counter)
        layout.addWidget(self.prompt)
        layout.addSpacing(12)
        layout.addWidget(self.last)
        layout.addWidget(self.skus, 1)

    def show_batch(self, view: SingleUnitView) -> None:
        self.title.setText(
            self.tr("Single-unit batch {batch} · tote {tote}").format(
                batch=view.batch, tote=view.tote or "-"
            )
        )
        self.counter.setText(
            self.tr("{packed} of {orders} packed").format(packed=view.packed, orders=view.orders)
        )
        self.prompt.setText(self.tr("Scan the next unit: its label prints at once"))
        if view.last is not None:
            self.last.setText(
                self.tr("Last label: {tracking} (order {order})").format(
                    tracking=view.last.tracking_number or "-", order=view.last.order_number
                )
            )
        else:
            self.last.setText("")
        lines = [
            self.tr("{sku}  {name}: {n} orders left").format(
                sku=s.sku, name=s.name, n=s.orders_left
            )
            for s in view.skus[:8]
        ]
        self.skus.setText("\n".join(lines) or self.tr("Every order of the batch is packed."))
