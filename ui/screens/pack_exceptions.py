"""Pack exceptions (supervisors): parcels the weight gate stopped, waiting at the pack stations.

Each row is a parcel whose weight was outside its expectation: the order, the parcel, the station
and the packer, the weight expected and the weight on the scale, and how long it has waited.
A supervisor accepts a weight at the station itself by scanning their badge; here they either
mark it **repacked** (the packer repacks and weighs it again) or **void** the parcel (its units
are to be scanned again). The list is fetched off the UI thread, when the screen is shown and
every ``REFRESH_MS`` while it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import pack_exceptions
from app.services.pack_exceptions import OpenException
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.waves import RowsModel
from ui.screens.base import Screen

OK_STYLE = "color: #1b5e20; font-size: 16pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 16pt; font-weight: bold;"
#: the list is fetched again this often while the screen is shown
REFRESH_MS = 15_000


def age_text(seconds: int) -> str:
    """How long a parcel has waited: "45 s", "12 min", "2 h 05 min"."""
    if seconds < 60:
        return QCoreApplication.translate("PackExceptions", "{n} s").format(n=seconds)
    minutes = seconds // 60
    if minutes < 60:
        return QCoreApplication.translate("PackExceptions", "{n} min").format(n=minutes)
    return QCoreApplication.translate("PackExceptions", "{h} h {m:02d} min").format(
        h=minutes // 60, m=minutes % 60
    )


def _grams(g: int | None) -> str:
    return "—" if g is None else QCoreApplication.translate("PackExceptions", "{g} g").format(g=g)


def _difference(e: OpenException) -> str:
    if e.expected_g is None or e.actual_g is None:
        return "—"
    return QCoreApplication.translate("PackExceptions", "{d:+d} g").format(
        d=e.actual_g - e.expected_g
    )


def exceptions_model() -> RowsModel[OpenException]:
    return RowsModel(
        [
            (QCoreApplication.translate("PackExceptions", "Waiting"), lambda e: age_text(e.age_s)),
            (QCoreApplication.translate("PackExceptions", "Order"), lambda e: e.order_number),
            (QCoreApplication.translate("PackExceptions", "Parcel"), lambda e: e.parcel_seq or "—"),
            (QCoreApplication.translate("PackExceptions", "Station"), lambda e: e.station),
            (QCoreApplication.translate("PackExceptions", "Packer"), lambda e: e.packer),
            (
                QCoreApplication.translate("PackExceptions", "Expected"),
                lambda e: _grams(e.expected_g),
            ),
            (
                QCoreApplication.translate("PackExceptions", "On the scale"),
                lambda e: _grams(e.actual_g),
            ),
            (QCoreApplication.translate("PackExceptions", "Difference"), _difference),
        ]
    )


class PackExceptionsScreen(Screen):
    permission = Permission.OVERRIDE_WEIGHT
    #: the list was shown
    loaded = Signal()
    #: an action finished (its message, and whether it worked)
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("PackExceptionsScreen", "Pack exceptions")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("PackExceptionsScreen")
        self.model = exceptions_model()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        font = self.table.font()
        font.setPointSize(font.pointSize() + 4)
        self.table.setFont(font)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for key, text, slot in (
            ("repacked", self.tr("Repacked: weigh it again"), self.mark_repacked),
            ("void", self.tr("Void the parcel..."), self.void),
            ("refresh", self.tr("Refresh"), self.refresh),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.setMinimumHeight(44)
            b.clicked.connect(slot)
            bar.addWidget(b)
        hint = QLabel(
            self.tr(
                "Parcels stopped at the scale: no label was printed. To accept a weight, scan "
                "your badge at the station. Otherwise have it repacked, or void the parcel."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self._enable()

    # --- loading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.timer.start()
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.timer.stop()

    def refresh(self) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(pack_exceptions.open_exceptions, actor),
            self._show,
            self._failed,
        )

    def _show(self, rows: list[OpenException]) -> None:
        chosen = self.current()
        self.model.set_rows(rows)
        if len(rows) == 1:
            summary = self.tr("1 parcel waits for a supervisor")
        elif rows:
            summary = self.tr("{n} parcels wait for a supervisor").format(n=len(rows))
        else:
            summary = self.tr("No parcel is waiting")
        self.summary.setText(summary)
        row = next((i for i, e in enumerate(rows) if chosen and e.id == chosen.id), 0)
        if rows:
            self.table.selectRow(row)
        self._enable()
        self.loaded.emit()

    def current(self) -> OpenException | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def _enable(self) -> None:
        has = self.current() is not None
        self.buttons["repacked"].setEnabled(has)
        self.buttons["void"].setEnabled(has and self.ctx.actor.can(Permission.VOID_PARCELS))

    # --- actions -----------------------------------------------------------------------------
    def mark_repacked(self) -> None:
        row = self.current()
        if row is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        done = self.tr("Order {order}: to be repacked and weighed again at {station}.").format(
            order=row.order_number, station=row.station
        )
        self._act(lambda: s.run(pack_exceptions.resolve_exception, a, row.id, "repacked"), done)

    def void(self) -> None:
        row = self.current()
        if row is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Void the parcel"),
            self.tr("Why is parcel {seq} of order {order} voided?").format(
                seq=row.parcel_seq or "", order=row.order_number
            ),
        )
        if not ok:
            return
        self.void_with(row, reason)

    def void_with(self, row: OpenException, reason: str) -> None:
        s, a = self.ctx.services, self.ctx.actor
        done = self.tr(
            "Parcel {seq} of order {order} voided: its units are to be scanned again."
        ).format(seq=row.parcel_seq or "", order=row.order_number)
        self._act(
            lambda: s.run(pack_exceptions.resolve_exception, a, row.id, "voided", reason), done
        )

    def _act(self, fn: object, done: str) -> None:
        def ok(_: object) -> None:
            self._say(done, True)
            self.refresh()

        run_in_background(self, fn, ok, self._failed)  # type: ignore[arg-type]

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), False)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.acted.emit(text, ok)
