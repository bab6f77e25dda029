"""Import orders from a file: choose it, check its format, encoding and columns (with a preview
of the first rows for a generic CSV or Excel file, saved as a column profile), import off the UI
thread with a progress bar and a Cancel button, and read the result with its row-numbered
problems. The file check and the lists of profiles and channels are fetched off the UI thread
too."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import import_profiles, order_intake, orders
from app.services.import_profiles import Mapping, Preview
from app.services.order_intake import ImportProblem, ImportProgress, ImportResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.screens.base import Screen

Index = QModelIndex | QPersistentModelIndex
OK_COLOUR, WARN_COLOUR, ERROR_COLOUR = "#1b5e20", "#8a5a00", "#b00020"

#: The importers' reasons (app/importers/records.py) and the mapping editor's field names
#: (app/importers/generic.py), here so Qt's translation tools find them; a test keeps them equal.
PROBLEM_TEXTS = (
    QT_TRANSLATE_NOOP("ImportProblem", "The order id is empty; this row was left out."),
    QT_TRANSLATE_NOOP("ImportProblem", "Order {order} has no item lines; it was left out."),
    QT_TRANSLATE_NOOP("ImportProblem", "The item has no SKU; order {order} was left out."),
    QT_TRANSLATE_NOOP(
        "ImportProblem", "The quantity {value!r} is not a whole number; order {order} was left out."
    ),
    QT_TRANSLATE_NOOP("ImportProblem", "The quantity is empty; order {order} was left out."),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "The order date {value!r} was not understood; the time of the import is used instead.",
    ),
    QT_TRANSLATE_NOOP("ImportProblem", "The amount {value!r} is not a number; 0 is used instead."),
    QT_TRANSLATE_NOOP(
        "ImportProblem", "Order {order} is already fulfilled in the channel; it was not imported."
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} was cancelled in the channel before it was fulfilled; it was not imported.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} was cancelled in the channel; it is cancelled here too (our number "
        "{number}) and its reserved stock is given back.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} was cancelled in the channel while it is {status} here (our number "
        "{number}): it is on hold now. Stop and put the items back, then cancel it.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} was refunded or voided in the channel before it was fulfilled; it was not "
        "imported.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "This item of order {order} is already fulfilled in the channel; it was left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "This item of order {order} was cancelled or refunded in the channel; it was left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "The items file of this Taobao order list ({file}) was not found next to it, so order "
        "{order} has its items from the titles, without SKUs: put ExportOrderDetailList beside "
        "the list and import again, or add the SKUs in Review.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "No item of order {order} needs shipping (gift cards, digital goods); it was not imported.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} appeared already at row {first}; an order's rows must be together. "
        "These rows were left out: sort the file by order and import it again.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "The items text {value!r} was not understood (write it like SKU-1*2; SKU-2*1); "
        "order {order} was left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "The {what} is longer than {limit} characters; order {order} was left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem", "Order {order} is in the file twice (first at row {first}); left out."
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "This row is not valid CSV ({reason}); the rows from here on were not read.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} changed in the channel, but here it is already {status} (our number "
        "{number}); it was not updated. Check it by hand.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} could not be saved ({reason}); it was left out. Import the file again.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Entry {position} of the file is not an order (it is {found}); it was left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem", "Order {position} of the file has no number and no id; it was left out."
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "This item of order {order} was refunded in the channel (nothing left to ship); it was "
        "left out.",
    ),
    QT_TRANSLATE_NOOP(
        "ImportProblem",
        "Order {order} is in the file again (first as order {first}: pages downloaded while "
        "orders came in overlap); the first copy was read.",
    ),
)
FIELD_TEXTS = (
    QT_TRANSLATE_NOOP("ImportField", "Order id"),
    QT_TRANSLATE_NOOP("ImportField", "SKU"),
    QT_TRANSLATE_NOOP("ImportField", "Quantity"),
    QT_TRANSLATE_NOOP("ImportField", "Items in one column (SKU*qty; ...)"),
    QT_TRANSLATE_NOOP("ImportField", "Item name"),
    QT_TRANSLATE_NOOP("ImportField", "Unit price"),
    QT_TRANSLATE_NOOP("ImportField", "Item line id"),
    QT_TRANSLATE_NOOP("ImportField", "Needs shipping (yes/no)"),
    QT_TRANSLATE_NOOP("ImportField", "Order date"),
    QT_TRANSLATE_NOOP("ImportField", "Currency"),
    QT_TRANSLATE_NOOP("ImportField", "Payment method"),
    QT_TRANSLATE_NOOP("ImportField", "Shipping method"),
    QT_TRANSLATE_NOOP("ImportField", "Order total"),
    QT_TRANSLATE_NOOP("ImportField", "Order or payment status"),
    QT_TRANSLATE_NOOP("ImportField", "Cancelled (yes/no or a date)"),
    QT_TRANSLATE_NOOP("ImportField", "Recipient name"),
    QT_TRANSLATE_NOOP("ImportField", "Phone"),
    QT_TRANSLATE_NOOP("ImportField", "Email"),
    QT_TRANSLATE_NOOP("ImportField", "Company"),
    QT_TRANSLATE_NOOP("ImportField", "Country"),
    QT_TRANSLATE_NOOP("ImportField", "Province / state"),
    QT_TRANSLATE_NOOP("ImportField", "City"),
    QT_TRANSLATE_NOOP("ImportField", "District"),
    QT_TRANSLATE_NOOP("ImportField", "Street address"),
    QT_TRANSLATE_NOOP("ImportField", "Address line 2"),
    QT_TRANSLATE_NOOP("ImportField", "Postal code"),
    QT_TRANSLATE_NOOP("ImportField", "Whole address in one column"),
    QT_TRANSLATE_NOOP("ImportField", "Note"),
)


def problem_text(p: ImportProblem) -> str:
    """An import problem in the current language (same values as the English one)."""
    template = QCoreApplication.translate("ImportProblem", p.template) if p.template else ""
    try:
        return template.format(**p.params) if template else p.reason
    except (KeyError, IndexError, ValueError):
        return p.reason


def kind_text(kind: str) -> str:
    return {
        "rejected": QCoreApplication.translate("ImportScreen", "Left out"),
        "skipped": QCoreApplication.translate("ImportScreen", "Skipped"),
        "warning": QCoreApplication.translate("ImportScreen", "Note"),
        "not_updated": QCoreApplication.translate("ImportScreen", "Not updated"),
    }.get(kind, kind)


class _TableModel(QAbstractTableModel):
    """A small read-only table of strings (the preview, the problems)."""

    def __init__(self, headers: list[str] | None = None) -> None:
        super().__init__()
        self._headers: list[str] = headers or []
        self._rows: list[list[str]] = []
        self._width = len(self._headers)
        #: the number shown beside the first row: 2 for a spreadsheet (the header is row 1),
        #: 1 for a JSON order list (orders are counted from 1)
        self.first_row = 2

    def set_rows(self, headers: list[str], rows: list[list[str]]) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._width = max([len(headers), *(len(r) for r in rows)]) if rows or headers else 0
        self._rows = [list(r) + [""] * (self._width - len(r)) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if section < len(self._headers) else ""
        return str(section + self.first_row)


class _Signals(QObject):
    progress = Signal(object)  # ImportProgress
    finished = Signal(object)  # ImportResult
    failed = Signal(object)  # PackdeskError
    crashed = Signal(object)  # any other exception: a bug, shown by the crash handler


class _ImportJob(QRunnable):
    """The import on a pool thread; progress and the result go back as signals."""

    def __init__(self, ctx: UiContext, kwargs: dict[str, Any], signals: _Signals) -> None:
        super().__init__()
        self.ctx, self.kwargs, self.signals = ctx, kwargs, signals
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = self.ctx.services.run(
                order_intake.import_file,
                self.ctx.actor,
                progress=self.signals.progress.emit,
                cancel=self.cancel.is_set,
                **self.kwargs,
            )
        except PackdeskError as exc:
            self.signals.failed.emit(exc)
            return
        except Exception as exc:  # a bug: the UI thread hands it to the crash handler
            self.signals.crashed.emit(exc)
            return
        self.signals.finished.emit(result)


class MappingEditor(QGroupBox):
    """Which column holds which field, for a generic CSV or Excel file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Columns"))
        self.setObjectName("mapping_editor")
        grid = QGridLayout(self)
        self.boxes: dict[str, QComboBox] = {}
        per_column = (len(import_profiles.FIELDS) + 2) // 3
        for i, f in enumerate(import_profiles.FIELDS):
            box = QComboBox()
            box.setObjectName(f"map_{f.key}")
            box.setMinimumWidth(140)
            self.boxes[f.key] = box
            row, col = i % per_column, (i // per_column) * 2
            label = QLabel(QCoreApplication.translate("ImportField", f.label))
            grid.addWidget(label, row, col)
            grid.addWidget(box, row, col + 1)
        self.default_country = QLineEdit("CN")
        self.default_country.setObjectName("default_country")
        self.default_country.setMaxLength(2)
        self.default_country.setFixedWidth(60)
        grid.addWidget(QLabel(self.tr("Country when none is given")), per_column, 0)
        grid.addWidget(self.default_country, per_column, 1)

    def set_headers(self, headers: list[str], chosen: dict[str, str]) -> None:
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("(not in the file)"), "")
            for h in headers:
                if h:
                    box.addItem(h, h)
            i = box.findData(chosen.get(key, ""))
            box.setCurrentIndex(max(i, 0))
            box.blockSignals(False)

    def mapping(self, encoding_name: str, sheet: str) -> Mapping:
        cols = {k: str(b.currentData()) for k, b in self.boxes.items() if b.currentData()}
        return Mapping(
            columns=cols,
            default_country=self.default_country.text().strip().upper() or "CN",
            encoding=encoding_name,
            sheet=sheet,
        )


class ImportScreen(Screen):
    permission = Permission.IMPORT_ORDERS

    #: emitted when an import's result is shown (tests and the screenshot tool wait for it)
    result_shown = Signal()
    #: emitted when the file check (format, encoding, first rows) is on screen, or its error
    preview_shown = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ImportScreen", "Import orders")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ImportScreen")
        self.path: Path | None = None
        self.preview: Preview | None = None
        self._profiles: dict[str, import_profiles.ProfileInfo] = {}
        self._job: _ImportJob | None = None
        #: counts file checks: the answer to an older one (another file, encoding) is dropped
        self._check = 0
        self._checking = False
        self._choices_loading = 0
        self._select_profile = ""  # chosen once the saved profiles arrive
        self._signals = _Signals(self)  # lives on the UI thread: its slots run there
        self._signals.progress.connect(self._progress)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.crashed.connect(self._crashed)

        self.file = QLineEdit()
        self.file.setObjectName("file")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("Choose the export file (.csv, .xlsx or .json)"))
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.clicked.connect(self.ask_file)
        self.format = QComboBox()
        self.format.setObjectName("format")
        self.format.addItem(self.tr("Find out from the file"), "")
        self.format.addItem("Shopify", "shopify")
        self.format.addItem(self.tr("WooCommerce (WebToffee export)"), "woocommerce")
        self.format.addItem(self.tr("WooCommerce (Advanced Order Export)"), "woocommerce_aoe")
        self.format.addItem(self.tr("WooCommerce (REST API, JSON)"), "woocommerce_rest")
        self.format.addItem(self.tr("Taobao / Tmall (千牛)"), "taobao")
        self.format.addItem(self.tr("JD (京东)"), "jd")
        self.format.addItem(self.tr("Pinduoduo (拼多多)"), "pinduoduo")
        self.format.addItem(self.tr("Douyin (抖店)"), "douyin")
        self.format.addItem(self.tr("CSV or Excel with chosen columns"), "csv")
        self.encoding = QComboBox()
        self.encoding.setObjectName("encoding")
        self.encoding.addItem(self.tr("Detect"), "")
        for enc in import_profiles.ENCODINGS:
            self.encoding.addItem(enc.upper(), enc)
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        self.profile.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.channel.setEditable(True)
        self.channel.setMinimumWidth(180)
        self.detected = QLabel()
        self.detected.setObjectName("detected")

        form = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.choose_button)
        form.addRow(self.tr("File"), file_row)
        opts = QHBoxLayout()
        opts.addWidget(QLabel(self.tr("Format")))
        opts.addWidget(self.format)
        opts.addWidget(QLabel(self.tr("Encoding")))
        opts.addWidget(self.encoding)
        opts.addWidget(QLabel(self.tr("Column profile")))
        opts.addWidget(self.profile)
        opts.addWidget(QLabel(self.tr("Sales channel")))
        opts.addWidget(self.channel)
        opts.addStretch(1)
        form.addRow(opts)
        form.addRow(self.detected)

        self.mapping = MappingEditor()
        self.profile_name = QLineEdit()
        self.profile_name.setObjectName("profile_name")
        self.profile_name.setPlaceholderText(self.tr("Name of the column profile"))
        self.save_profile_button = QPushButton(self.tr("Save columns as profile"))
        self.save_profile_button.setObjectName("save_profile")
        self.save_profile_button.clicked.connect(self.save_profile)
        save_row = QHBoxLayout()
        save_row.addWidget(self.profile_name, 1)
        save_row.addWidget(self.save_profile_button)
        self.preview_model = _TableModel()
        self.preview_table = self._table("preview_table", self.preview_model)
        self.generic = QWidget()
        gl = QVBoxLayout(self.generic)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addWidget(self.mapping)
        gl.addLayout(save_row)
        self.preview_label = QLabel(self.tr("The first rows of the file"))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.addLayout(form)
        tl.addWidget(self.generic)
        tl.addWidget(self.preview_label)
        tl.addWidget(self.preview_table, 1)

        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("progress_text")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.summary.setFont(font)
        self.problems_model = _TableModel()
        self.problems_table = self._table("problems_table", self.problems_model)
        self.problems_table.verticalHeader().setVisible(False)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        run_row = QHBoxLayout()
        run_row.addWidget(self.import_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        bl.addLayout(run_row)
        bl.addWidget(self.progress_text)
        bl.addWidget(self.summary)
        bl.addWidget(self.problems_table, 1)

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(bottom)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.problems_table.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)

        self.format.currentIndexChanged.connect(lambda _i: self._update_visibility())
        self.encoding.currentIndexChanged.connect(lambda _i: self.load_preview())
        self.profile.currentIndexChanged.connect(lambda _i: self._profile_chosen())
        self._update_visibility()

    def _table(self, name: str, model: QAbstractTableModel) -> QTableView:
        t = QTableView()
        t.setObjectName(name)
        t.setModel(model)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        vh = t.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        t.horizontalHeader().setStretchLastSection(True)
        return t

    # -- choosing ---------------------------------------------------------------------------
    def activated(self) -> None:
        self.reload_choices()

    @property
    def checking(self) -> bool:
        """A file check or the list of profiles and channels is on its way."""
        return self._checking or self._choices_loading > 0

    def reload_choices(self, select_profile: str = "") -> None:
        """Saved profiles and known channels, from the database (off the UI thread)."""
        services, actor = self.ctx.services, self.ctx.actor
        self._select_profile = select_profile or self._select_profile
        self._choices_loading += 1

        def fetch() -> tuple[list[import_profiles.ProfileInfo], list[tuple[int, str, str]]]:
            return (
                services.run(import_profiles.list_profiles, actor),
                services.run(orders.channels),
            )

        def failed(exc: PackdeskError) -> None:
            self._choices_loading -= 1
            self._show_error(exc)

        run_in_background(self, fetch, self._show_choices, failed, self._crashed_elsewhere)

    def _show_choices(
        self, found: tuple[list[import_profiles.ProfileInfo], list[tuple[int, str, str]]]
    ) -> None:
        self._choices_loading -= 1
        profiles, channels = found
        current = self._select_profile or self.profile.currentData()
        self._select_profile = ""
        self.profile.blockSignals(True)
        self.profile.clear()
        self.profile.addItem(self.tr("(columns from the header row)"), "")
        for p in profiles:
            self.profile.addItem(p.name, p.name)
        self.profile.setCurrentIndex(max(self.profile.findData(current), 0))
        self.profile.blockSignals(False)
        self._profiles = {p.name: p for p in profiles}
        text = self.channel.currentText()
        self.channel.clear()
        for _id, code, name in channels:
            self.channel.addItem(f"{name}", code)
        self.channel.setEditText(text)

    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the export file"),
            str(self.path.parent if self.path else Path.home()),
            self.file_filter(),
        )
        if path:
            self.set_file(Path(path))

    def file_filter(self) -> str:
        """The kinds of file the open dialog lists: exports as CSV, Excel or JSON."""
        return self.tr("Order exports (*.csv *.txt *.xlsx *.xlsm *.json);;All files (*)")

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file.setText(str(path))
        self.summary.clear()
        self.problems_model.set_rows([], [])
        self.problems_table.hide()
        self.progress.setValue(0)
        self.progress_text.clear()
        self.load_preview()
        self._give_room(to_result=False)

    def load_preview(self) -> None:
        """Check the file (format, encoding, first rows) off the UI thread: a big file or a slow
        network drive never freezes the window."""
        if self.path is None:
            return
        profile = self._profiles.get(str(self.profile.currentData() or ""))
        self._check += 1
        check, actor, path = self._check, self.ctx.actor, self.path
        encoding_name = str(self.encoding.currentData() or "")
        sheet = profile.mapping.sheet if profile else ""
        self._checking = True
        self.import_button.setEnabled(False)
        self.detected.setStyleSheet("")
        self.detected.setText(self.tr("Checking the file…"))
        run_in_background(
            self,
            lambda: import_profiles.preview_file(
                actor, path, encoding_name=encoding_name, sheet=sheet
            ),
            lambda p: self._preview_ready(check, p, profile),
            lambda exc: self._preview_failed(check, exc),
            self._crashed_elsewhere,
        )

    def _preview_failed(self, check: int, exc: PackdeskError) -> None:
        if check != self._check:
            return  # another file or encoding was chosen meanwhile
        self._checking = False
        self.preview = None
        self.preview_model.set_rows([], [])
        self.detected.setText(error_text(exc))
        self.detected.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.import_button.setEnabled(False)
        self.preview_shown.emit()

    def _preview_ready(
        self, check: int, p: Preview, profile: import_profiles.ProfileInfo | None
    ) -> None:
        if check != self._check:
            return
        self._checking = False
        self.preview = p
        json_list = p.detected_format == "woocommerce_rest"
        self.preview_model.first_row = 1 if json_list else 2
        self.preview_label.setText(
            self.tr("The first orders of the file")
            if json_list
            else self.tr("The first rows of the file")
        )
        self.preview_model.set_rows(p.headers, p.rows)
        self.preview_table.resizeColumnsToContents()
        chosen = profile.mapping.columns if profile else p.guessed
        self.mapping.set_headers(p.headers, chosen)
        if profile:
            self.mapping.default_country.setText(profile.mapping.default_country)
        self.detected.setStyleSheet("")
        self.detected.setText(self._detected_text(p))
        if not self.channel.currentText().strip():
            default = {
                "shopify": "Shopify",
                "woocommerce": "WooCommerce",
                "taobao": "Taobao",
                "taobao_items": "Taobao",
                "jd": "JD",
                "pinduoduo": "Pinduoduo",
                "douyin": "Douyin",
            }
            platform = "woocommerce" if p.detected_format.startswith("woo") else p.detected_format
            self.channel.setEditText(default.get(platform, ""))
        self.import_button.setEnabled(self._job is None)
        self._update_visibility()
        self.preview_shown.emit()

    def _crashed_elsewhere(self, exc: BaseException) -> None:
        self._checking = False
        self._choices_loading = 0
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def _detected_text(self, p: Preview) -> str:
        kinds = {
            "shopify": self.tr("a Shopify orders export"),
            "woocommerce": self.tr("a WooCommerce orders export"),
            "woocommerce_aoe": self.tr(
                "a WooCommerce export of Advanced Order Export (one row per product)"
            ),
            "woocommerce_rest": self.tr("a WooCommerce REST API order list (JSON)"),
            "csv": self.tr("a file with its own columns"),
            "taobao": self.tr("a Taobao / Tmall order list (its items file is read beside it)"),
            "taobao_items": self.tr(
                "the items file of a Taobao export (its order list is read beside it)"
            ),
            "jd": self.tr("a JD (京东) orders export"),
            "pinduoduo": self.tr("a Pinduoduo (拼多多) orders export"),
            "douyin": self.tr("a Douyin (抖店) orders export"),
        }
        what = kinds.get(p.detected_format, p.detected_format)
        if not p.encoding:
            return self.tr("This looks like {what} (Excel workbook).").format(what=what)
        how = {"BOM": self.tr("marked in the file"), "detected": self.tr("detected")}.get(
            p.encoding_how, self.tr("chosen")
        )
        return self.tr("This looks like {what}; text encoding {encoding} ({how}).").format(
            what=what, encoding=p.encoding.upper(), how=how
        )

    def _profile_chosen(self) -> None:
        name = str(self.profile.currentData() or "")
        if name:
            self.profile_name.setText(name)
            self.format.setCurrentIndex(self.format.findData("csv"))
            if not self.channel.currentText().strip():
                self.channel.setEditText(name)
        self.load_preview()

    def _is_generic(self) -> bool:
        fmt = str(self.format.currentData() or "")
        if fmt:
            return fmt == "csv"
        return self.preview is not None and self.preview.detected_format == "csv"

    def _update_visibility(self) -> None:
        generic = self._is_generic()
        self.generic.setVisible(generic)

    def save_profile(self) -> None:
        if self.path is None:
            return
        fmt = "xlsx" if self.path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
        try:
            info = self.ctx.services.run(
                import_profiles.save_profile,
                self.ctx.actor,
                self.profile_name.text(),
                self.mapping.mapping(str(self.encoding.currentData() or ""), ""),
                fmt,
            )
        except PackdeskError as exc:
            self._show_error(exc)
            return
        self.reload_choices(select_profile=info.name)
        self.progress_text.setStyleSheet(f"color: {OK_COLOUR};")
        self.progress_text.setText(
            self.tr("The columns were saved as the profile {name}.").format(name=info.name)
        )

    # -- importing ----------------------------------------------------------------------------
    def import_arguments(self) -> dict[str, Any]:
        """What the import is given, from the choices on screen."""
        assert self.path is not None
        kw: dict[str, Any] = {
            "path": self.path,
            "encoding": str(self.encoding.currentData() or ""),
            "channel": self.channel.currentText().strip() or None,
        }
        fmt = str(self.format.currentData() or "")
        if self._is_generic():
            excel = self.path.suffix.lower() in (".xlsx", ".xlsm")
            kw["fmt"] = "xlsx" if excel else "csv"
            kw["mapping"] = self.mapping.mapping(kw["encoding"], "")
            if not kw["channel"]:
                kw["channel"] = str(self.profile.currentData() or "") or None
        elif fmt:
            kw["fmt"] = fmt
        return kw

    def start_import(self) -> None:
        if self.path is None or self._job is not None or self._checking:
            return
        self._job = _ImportJob(self.ctx, self.import_arguments(), self._signals)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.choose_button.setEnabled(False)
        self.progress.setValue(0)
        self.summary.clear()
        self.problems_model.set_rows([], [])
        self.progress_text.setStyleSheet("")
        self.progress_text.setText(self.tr("Importing {file}…").format(file=self.path.name))
        QThreadPool.globalInstance().start(self._job)

    def cancel_import(self) -> None:
        if self._job is None:
            return
        self._job.cancel.set()
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(
            self.tr("Cancelling… the orders saved so far stay; the rest is not imported.")
        )

    @property
    def running(self) -> bool:
        return self._job is not None

    def _progress(self, p: ImportProgress) -> None:
        self.progress.setValue(int(p.fraction * 1000))
        if self._job is not None and self._job.cancel.is_set():
            return
        json_list = self.preview is not None and self.preview.detected_format == "woocommerce_rest"
        self.progress_text.setText(
            (
                self.tr(
                    "Order {row} of {total}: {imported} imported, {updated} updated, "
                    "{held} held, {rejected} left out."
                )
                if json_list
                else self.tr(
                    "Row {row} of about {total}: {imported} imported, {updated} updated, "
                    "{held} held, {rejected} left out."
                )
            ).format(
                row=p.rows_done,
                total=p.rows_total,
                imported=p.imported,
                updated=p.updated,
                held=p.held,
                rejected=p.rejected,
            )
        )

    def _done(self) -> None:
        self._job = None
        self.import_button.setEnabled(self.preview is not None and not self._checking)
        self.cancel_button.setEnabled(False)
        self.choose_button.setEnabled(True)

    def _finished(self, r: ImportResult) -> None:
        self._done()
        if not r.cancelled:
            self.progress.setValue(1000)
        self.show_result(r)
        if r.order_ids:
            self.ctx.bus.notify("order", list(r.order_ids))
        self.reload_choices()
        self.result_shown.emit()

    def _failed(self, exc: PackdeskError) -> None:
        self._done()
        self._show_error(exc)
        self.result_shown.emit()

    def _crashed(self, exc: BaseException) -> None:
        self._done()
        self.result_shown.emit()
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def show_result(self, r: ImportResult) -> None:
        counts = self.tr(
            "{imported} imported ({released} released, {held} held), {updated} updated, "
            "{unchanged} unchanged, {rejected} left out, {skipped} skipped."
        ).format(
            imported=r.imported,
            released=r.released,
            held=r.held,
            updated=r.updated,
            unchanged=r.unchanged,
            rejected=r.rejected,
            skipped=r.skipped,
        )
        lines = [counts]
        if r.cancelled:
            lines.insert(
                0,
                self.tr(
                    "Import cancelled. The orders saved before you cancelled stay; importing "
                    "the same file again adds the rest without doubles."
                ),
            )
        if r.held:
            lines.append(
                self.tr("Held orders wait in Review with their reasons: {n}.").format(n=r.held)
            )
        if r.channel_created:
            lines.append(
                self.tr("The sales channel {channel} was created.").format(channel=r.channel)
            )
        if r.not_updated == 1:
            lines.append(self.tr("1 changed order was not updated: it is being worked on."))
        elif r.not_updated:
            lines.append(
                self.tr("{n} changed orders were not updated: they are being worked on.").format(
                    n=r.not_updated
                )
            )
        colour = OK_COLOUR
        if r.cancelled or r.rejected or r.not_updated:
            colour = WARN_COLOUR
        self.summary.setStyleSheet(f"color: {colour};")
        self.summary.setText("\n".join(lines))
        self.progress_text.setStyleSheet("")
        if r.format == "woocommerce_rest":
            read = (
                self.tr("{file}: 1 order read into channel {channel}.")
                if r.rows == 1
                else self.tr("{file}: {rows} orders read into channel {channel}.")
            )
        else:
            read = (
                self.tr("{file}: 1 row read into channel {channel}.")
                if r.rows == 1
                else self.tr("{file}: {rows} rows read into channel {channel}.")
            )
        self.progress_text.setText(read.format(file=r.file, rows=r.rows, channel=r.channel))
        rows = [[str(p.row), kind_text(p.kind), p.order, problem_text(p)] for p in r.problems]
        if r.problems_total > len(r.problems):
            rows.append(
                [
                    "",
                    "",
                    "",
                    (
                        self.tr("…and 1 more problem (see the import log).")
                        if r.problems_total - len(r.problems) == 1
                        else self.tr("…and {n} more problems (see the import log).")
                    ).format(n=r.problems_total - len(r.problems)),
                ]
            )
        self.problems_model.set_rows(
            [
                self.tr("Order no.") if r.format == "woocommerce_rest" else self.tr("Row"),
                self.tr("What"),
                self.tr("Order"),
                self.tr("Reason"),
            ],
            rows,
        )
        self.problems_table.setVisible(bool(rows))
        self._give_room(to_result=bool(rows))
        for col, width in enumerate((84, 100, 140)):
            self.problems_table.setColumnWidth(col, width)

    def _give_room(self, *, to_result: bool) -> None:
        """The preview and the column editor get the room before an import, the report after."""
        total = max(sum(self.split.sizes()), 600)
        bottom = total * 5 // 9 if to_result else 4 * self.fontMetrics().height() + 40
        self.split.setSizes([total - bottom, bottom])

    def _show_error(self, exc: PackdeskError) -> None:
        self.summary.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.summary.setText(error_text(exc))
