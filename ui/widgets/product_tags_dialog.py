"""Products and their tags (the words shipping rules match), opened from the Shipping rules
screen: search by SKU, name or tag (or scan the product), pick one, type its tags, save.
Saving needs *change carriers, shipping rules and package types* and is audited."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import product_tags
from app.services.product_tags import ProductTags
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.waves import RowsModel

OK_STYLE = "color: #1b5e20; font-size: 14pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 14pt; font-weight: bold;"


def products_model() -> RowsModel[ProductTags]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("ProductTagsDialog", text)

    return RowsModel(
        [
            (tr("SKU"), lambda p: p.sku),
            (tr("Product"), lambda p: p.name),
            (tr("Tags"), lambda p: p.tags),
        ]
    )


class ProductTagsDialog(QDialog):
    """The products, their tags, and an editor for the chosen one's."""

    #: the list was (re)loaded
    loaded = Signal()
    #: a save finished (its message, and whether it worked)
    saved = Signal(str, bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: searches asked for: only the last one's answer is shown
        self._asked = 0
        self.setWindowTitle(self.tr("Products and their tags"))
        self.resize(820, 560)
        self.search = QLineEdit()
        self.search.setObjectName("product_search")
        self.search.setPlaceholderText(self.tr("Search SKU, name or tag (or scan the product)"))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.products = products_model()
        self.table = QTableView()
        self.table.setObjectName("product_tags_table")
        self.table.setModel(self.products)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.chosen = QLabel()
        self.tags = QLineEdit()
        self.tags.setObjectName("product_tags")
        self.tags.setPlaceholderText(self.tr("fragile, liquid, battery"))
        self.tags.returnPressed.connect(self.save)
        self.save_button = QPushButton(self.tr("Save tags"))
        self.save_button.setObjectName("save_tags")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Product"), self.chosen)
        form.addRow(self.tr("Tags (separated by commas)"), self.tags)
        form.addRow("", self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self._chosen()
        self.refresh()

    def current(self) -> ProductTags | None:
        idx = self.table.currentIndex()
        return self.products.rows[idx.row()] if idx.isValid() and self.products.rows else None

    def refresh(self, select_id: int | None = None) -> None:
        svc, actor, text = self.ctx.services, self.ctx.actor, self.search.text()
        self._asked += 1
        asked = self._asked
        run_in_background(
            self,
            lambda: svc.run(product_tags.list_product_tags, actor, text),
            lambda rows: self._show(rows, select_id) if asked == self._asked else None,
            self._failed,
        )

    def _show(self, rows: tuple[ProductTags, ...], select_id: int | None) -> None:
        keep = select_id if select_id is not None else getattr(self.current(), "product_id", None)
        self.products.set_rows(rows)
        row = next((i for i, p in enumerate(rows) if p.product_id == keep), 0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._chosen()
        self.loaded.emit()

    def _chosen(self) -> None:
        p = self.current()
        self.chosen.setText(f"{p.sku}  {p.name}" if p else self.tr("Choose a product above"))
        self.tags.setText(p.tags if p else "")
        self.tags.setEnabled(p is not None)
        self.save_button.setEnabled(p is not None)

    def save(self) -> None:
        p = self.current()
        if p is None:
            return
        svc, actor, tags = self.ctx.services, self.ctx.actor, self.tags.text()
        run_in_background(
            self,
            lambda: svc.run(product_tags.set_product_tags, actor, p.product_id, tags),
            self._saved,
            self._failed,
        )

    def _saved(self, p: ProductTags) -> None:
        text = self.tr("Tags of {sku} saved: {tags}").format(
            sku=p.sku, tags=p.tags or self.tr("none")
        )
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE)
        self.refresh(p.product_id)
        self.saved.emit(text, True)

    def _failed(self, exc: PackdeskError) -> None:
        self.message.setText(error_text(exc))
        self.message.setStyleSheet(ERROR_STYLE)
        self.saved.emit(error_text(exc), False)

    def look_up(self, text: str) -> None:
        """A scan in the dialog: list that product."""
        self.search.setText(text)
        self._debounce.stop()
        self.refresh()
