"""Product mappings: which channel listing (its SKU, listing or variant id, or title) stands for
which products and how many units of each, for lines that come without a SKU we know. Lists,
filters, adds, changes and deletes them, and imports a CSV or Excel table of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.importers import mapping_file
from app.services import listing_mappings, orders
from app.services.listing_mappings import ListingMapping, MappingImportResult, MapResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.mappings import MappingsTableModel, parts_text
from ui.screens.base import Screen
from ui.widgets.mapping_dialog import MappingDialog
from ui.widgets.mapping_import import MappingImportDialog
from ui.widgets.parts_editor import ERROR_COLOUR, OK_COLOUR, mapped_text

FILTER_DELAY_MS = 250


class MappingsScreen(Screen):
    permission = Permission.EDIT_ORDERS

    #: the list answered (tests and screenshots wait for it)
    loaded = Signal()
    #: the table was written to a file (its path)
    exported = Signal(object)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("MappingsScreen", "Product mappings")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("MappingsScreen")
        self.model = MappingsTableModel()
        self.dialog: MappingDialog | None = None
        self.confirm: QMessageBox | None = None
        self.import_dialog: MappingImportDialog | None = None
        self._channels: list[tuple[int, str, str]] = []
        self._generation = 0
        self._loaded = False

        self.explain = QLabel(
            self.tr(
                "An imported line without a SKU, or with a SKU that is no product, is matched "
                "here: the channel's SKU, listing or variant id, or listing title stands for the "
                "products below (a 6-pack: 6 units; a kit: several products). Mapping a line in "
                "Review adds a row here; every later import uses it."
            )
        )
        self.explain.setObjectName("explain")
        self.explain.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter: listing, SKU or product name"))
        self.count = QLabel()
        self.count.setObjectName("count")
        font = QFont(self.count.font())
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.count.setFont(font)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setObjectName("add")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("edit")
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("delete")
        self.import_button = QPushButton(self.tr("Import CSV/XLSX…"))
        self.import_button.setObjectName("import")
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("export")
        self.export_button.setToolTip(
            self.tr("Save the table as a CSV or Excel file that imports back the same")
        )
        self.import_hint = QLabel(
            self.tr(
                "A file to import has the columns channel (blank: every channel), match (sku, "
                "listing_id or title), listing, sku and units; a kit is several rows with the "
                "same listing."
            )
        )
        self.import_hint.setObjectName("import_hint")
        self.import_hint.setWordWrap(True)
        self.import_hint.setStyleSheet("color: #555555;")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        mfont = QFont(self.message.font())
        mfont.setPointSize(mfont.pointSize() + 1)
        mfont.setBold(True)
        self.message.setFont(mfont)

        self.table = QTableView()
        self.table.setObjectName("mappings_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(MappingsTableModel.PRODUCTS, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 170), (1, 160), (2, 260), (4, 130)):
            self.table.setColumnWidth(col, width)

        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.import_hint)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.filter.textChanged.connect(lambda _t: self._timer.start())
        self.filter.returnPressed.connect(self.reload)
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.ask_delete)
        self.import_button.clicked.connect(self.ask_import_file)
        self.export_button.clicked.connect(self.ask_export_file)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            opens = QShortcut(QKeySequence(key), self.table, self.edit_current)
            opens.setContext(Qt.ShortcutContext.WidgetShortcut)
        deletes = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        deletes.setContext(Qt.ShortcutContext.WidgetShortcut)
        deletes.activated.connect(self.ask_delete)
        QShortcut(QKeySequence("Ctrl+F"), self, self.filter.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.open_editor(None))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        self.model.modelReset.connect(self._buttons)
        ctx.bus.changed.connect(self._on_changed)
        self._buttons()

    # -- the list -------------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._loaded:
            self.reload()
        self.table.setFocus()

    def reload(self, select_id: int | None = None) -> None:
        self._timer.stop()
        self._loaded = True
        self._generation += 1
        generation, services, actor = self._generation, self.ctx.services, self.ctx.actor
        search = self.filter.text().strip()

        def fetch() -> tuple[list[ListingMapping], list[tuple[int, str, str]]]:
            found = services.run(listing_mappings.list_mappings, actor, search)
            return found, services.run(orders.channels)

        run_in_background(
            self,
            fetch,
            lambda got: self._show(generation, got, select_id),
            lambda exc: self._say(error_text(exc), ok=False),
        )

    def _show(
        self,
        generation: int,
        got: tuple[list[ListingMapping], list[tuple[int, str, str]]],
        select_id: int | None,
    ) -> None:
        if generation != self._generation:
            return  # a later filter's answer is on its way
        rows, self._channels = got
        current = self.current()
        self.model.set_mappings(rows)
        n = len(rows)
        self.count.setText(self.tr("1 mapping") if n == 1 else self.tr("{n} mappings").format(n=n))
        keep = select_id if select_id is not None else (current.id if current else None)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and n:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self.loaded.emit()

    def _on_changed(self, kind: str, _ids: list[int]) -> None:
        if kind == "mapping" and self._loaded:
            self.reload()

    def current(self) -> ListingMapping | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.mapping(rows[0].row()) if rows else None

    def _buttons(self) -> None:
        one = self.current() is not None
        self.edit_button.setEnabled(one)
        self.delete_button.setEnabled(one)

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(f"color: {OK_COLOUR if ok else ERROR_COLOUR};")
        self.message.setText(text)

    # -- add, edit, delete ----------------------------------------------------------------------
    def edit_current(self) -> None:
        m = self.current()
        if m is not None:
            self.open_editor(m)

    def open_editor(self, mapping: ListingMapping | None) -> MappingDialog:
        dialog = MappingDialog(self.ctx, self._channels, mapping, self)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, result: MapResult) -> None:
        self._say(mapped_text(result))
        self.ctx.bus.notify("order")  # orders were re-checked and may have left Review
        self.reload(select_id=result.mapping.id)

    def ask_delete(self) -> None:
        m = self.current()
        if m is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete the mapping?"),
            self.tr(
                "Delete the mapping of “{listing}” to {products}? Lines with this listing in "
                "later imports will be held until someone maps them again."
            ).format(listing=m.match_text, products=parts_text(m)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.accepted.connect(lambda: self.delete(m))
        self.confirm = box
        box.open()

    def delete(self, m: ListingMapping) -> None:
        services, actor = self.ctx.services, self.ctx.actor

        def done(_r: Any) -> None:
            self._say(
                self.tr("The mapping of “{listing}” was deleted.").format(listing=m.match_text)
            )
            self.reload()

        run_in_background(
            self,
            lambda: services.run(listing_mappings.delete_mapping, actor, m.id),
            done,
            lambda exc: self._say(error_text(exc), ok=False),
        )

    # -- import ---------------------------------------------------------------------------------
    def ask_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the mappings file"),
            str(Path.home()),
            self.tr("Mapping tables (*.csv *.txt *.xlsx *.xlsm);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        self.import_button.setEnabled(False)
        self._say(self.tr("Importing {file}…").format(file=path.name))
        services, actor = self.ctx.services, self.ctx.actor

        def failed(exc: PackdeskError) -> None:
            self.import_button.setEnabled(True)
            self._say(error_text(exc), ok=False)

        run_in_background(
            self,
            lambda: services.run(listing_mappings.import_mappings, actor, path),
            lambda r: self._imported(path, r),
            failed,
        )

    def ask_export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the mappings as"),
            str(Path.home() / "mappings.xlsx"),
            self.tr("Excel (*.xlsx);;CSV (*.csv)"),
        )
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        """Write the whole table to ``path`` (.xlsx: Excel, else CSV), off the UI thread."""
        services, actor = self.ctx.services, self.ctx.actor

        def write() -> int:
            rows = services.run(listing_mappings.export_rows, actor)
            mapping_file.write(path, rows)
            return len({tuple(r[:3]) for r in rows[1:]})

        def done(n: int) -> None:
            self._say(self.tr("{n} mappings written to {file}.").format(n=n, file=str(path)))
            self.exported.emit(path)

        def failed(exc: PackdeskError) -> None:
            self._say(error_text(exc), ok=False)

        def crashed(exc: BaseException) -> None:
            if isinstance(exc, OSError):  # a folder we may not write to, a full disk
                self._say(
                    self.tr("{file} could not be written: {reason}").format(
                        file=str(path), reason=exc.strerror or str(exc)
                    ),
                    ok=False,
                )
                return
            sys.excepthook(type(exc), exc, exc.__traceback__)

        run_in_background(self, write, done, failed, crashed)

    def _imported(self, path: Path, result: MappingImportResult) -> None:
        self.import_button.setEnabled(True)
        dialog = MappingImportDialog(path, result, self)
        self.import_dialog = dialog
        self._say(dialog.counts.text(), ok=not result.problems)
        self.ctx.bus.notify("order")
        self.reload()
        dialog.open()
