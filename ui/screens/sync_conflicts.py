"""Offline conflicts (supervisors): actions that stations did while the shared database was away
and that the shared database refused when they were sent (an order cancelled at the office while
it was packed offline...). Nothing was overwritten: each waits here for a person.

A table of the conflicts (when, station, order, what the station did, why the server refused),
a detail pane with the whole message and what the station sent, a filter open/all, and
"Resolved..." asking for a note of what was done (audited)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import sync_conflicts
from app.services.sync_conflicts import ConflictView
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.sync_conflicts import (
    ConflictsModel,
    action_name,
    conflict_text,
    payload_lines,
    when,
)
from ui.screens.base import Screen

OK_STYLE = "color: #1b5e20; font-size: 15pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 15pt; font-weight: bold;"
#: what the bus says when conflicts may have changed (the status bar's count moved)
KINDS = frozenset({"sync_conflict", "order", "*"})


class SyncConflictsScreen(Screen):
    permission = Permission.RESOLVE_SYNC
    #: the list was shown
    loaded = Signal()
    #: an action finished (its message, and whether it worked)
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("SyncConflictsScreen", "Offline conflicts")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("SyncConflictsScreen")
        self.model = ConflictsModel()
        self.table = self._make_table()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.show_box = QComboBox()
        self.show_box.setObjectName("show")
        self.show_box.addItem(self.tr("Open conflicts"), True)
        self.show_box.addItem(self.tr("All conflicts"), False)
        self.show_box.setMinimumHeight(40)
        self.show_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.resolve_button = QPushButton(self.tr("Mark resolved..."))
        self.resolve_button.setObjectName("resolve")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        for b, slot in ((self.resolve_button, self.resolve), (self.refresh_button, self.refresh)):
            b.setMinimumHeight(44)
            b.clicked.connect(slot)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(QLabel(self.tr("Show:")))
        bar.addWidget(self.show_box)
        bar.addWidget(self.resolve_button)
        bar.addWidget(self.refresh_button)
        self.hint = QLabel(
            self.tr(
                "Actions done on a station while the shared database was away, which the shared "
                "database refused when they were sent. Nothing was overwritten. Check the order, "
                "put it right (unpack, put the items back, tell the customer...), then mark the "
                "conflict resolved with what was done."
            )
        )
        self.hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.empty = QLabel(
            self.tr("No conflicts: every action from offline stations was applied.")
        )
        self.empty.setObjectName("empty")
        self.empty.setStyleSheet("color: #1b5e20; font-size: 16pt; padding: 24px;")
        self.empty.setWordWrap(True)
        self.detail_title = QLabel()
        self.detail_title.setObjectName("detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("detail")
        self.detail.setReadOnly(True)
        font = QFont(self.detail.font())
        font.setPointSize(font.pointSize() + 2)
        self.detail.setFont(font)
        pane = QWidget()
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.detail_title)
        pane_layout.addWidget(self.detail, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.empty)
        layout.addWidget(self.splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        ctx.bus.changed.connect(self._changed)
        self._asked = 0
        self._show_current()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("conflicts")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)  # wraps
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(3, 200)
        font = table.font()
        font.setPointSize(font.pointSize() + 2)
        table.setFont(font)
        return table

    # --- loading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def _changed(self, kind: str, ids: list[int]) -> None:
        if kind in KINDS and self.isVisible() and not (kind == "sync_conflict" and ids):
            self.refresh()

    @property
    def open_only(self) -> bool:
        return bool(self.show_box.currentData())

    def refresh(self) -> None:
        s, a, open_only = self.ctx.services, self.ctx.actor, self.open_only
        self._asked += 1
        asked = self._asked
        run_in_background(
            self,
            lambda: s.run(sync_conflicts.list_conflicts, a, open_only=open_only),
            lambda rows: self._show(rows) if asked == self._asked else None,  # the latest only
            self._failed,
        )

    def _show(self, rows: tuple[ConflictView, ...]) -> None:
        chosen = self.current()
        self.model.set_rows(rows)
        waiting = sum(1 for c in rows if c.open)
        if waiting == 1:
            self.summary.setText(self.tr("1 conflict needs a supervisor"))
        elif waiting:
            self.summary.setText(self.tr("{n} conflicts need a supervisor").format(n=waiting))
        else:
            self.summary.setText(self.tr("No open conflict"))
        self.empty.setVisible(not rows)
        self.splitter.setVisible(bool(rows))
        if rows:
            row = next((i for i, c in enumerate(rows) if chosen and c.id == chosen.id), 0)
            self.table.selectRow(row)
        self.table.resizeRowsToContents()
        self._show_current()
        self.loaded.emit()

    def current(self) -> ConflictView | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def _show_current(self) -> None:
        c = self.current()
        self.resolve_button.setEnabled(c is not None and c.open)
        if c is None:
            self.detail_title.clear()
            self.detail.clear()
            return
        self.detail_title.setText(conflict_text(c))
        self.detail.setPlainText("\n".join(self.detail_lines(c)))

    def detail_lines(self, c: ConflictView) -> list[str]:
        """The detail pane: who, where, when, what, and what the station sent."""
        lines = [
            self.tr("Station: {station}").format(station=c.station_code or f"#{c.station_id}"),
            self.tr("Order: {order}").format(order=c.order_number or "—"),
            self.tr("Done offline at: {time}").format(time=when(c.happened_at)),
            self.tr("Refused at: {time}").format(time=when(c.created_at)),
            self.tr("What the station did: {action}").format(action=action_name(c.action)),
        ]
        if not c.open:
            lines.append(
                self.tr("Resolved by {user} at {time}: {note}").format(
                    user=c.resolved_by or "—", time=when(c.resolved_at), note=c.resolution_note
                )
            )
        lines += ["", self.tr("What the station sent:"), *payload_lines(c.payload, 1)]
        lines += ["", self.tr("Journal key: {key}").format(key=c.key)]
        return lines

    # --- actions -----------------------------------------------------------------------------
    def resolve(self) -> None:
        c = self.current()
        if c is None or not c.open:
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Resolve the conflict"),
            self.tr("Order {order} at {station}: what was done about it?").format(
                order=c.order_number or "—", station=c.station_code or f"#{c.station_id}"
            ),
        )
        if ok:
            self.resolve_with(c, note)

    def resolve_with(self, c: ConflictView, note: str) -> None:
        s, a = self.ctx.services, self.ctx.actor
        done = self.tr("Conflict of order {order} resolved ({note}).").format(
            order=c.order_number or "—", note=note.strip()
        )

        def ok(_: object) -> None:
            self._say(done, True)
            self.refresh()
            self.ctx.bus.notify("sync_conflict", [c.id])  # other screens; this one asked already

        run_in_background(
            self, lambda: s.run(sync_conflicts.resolve_conflict, a, c.id, note), ok, self._failed
        )

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), False)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.acted.emit(text, ok)
