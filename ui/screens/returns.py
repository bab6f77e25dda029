"""Returns (售后): the returns clerk takes back a parcel that came back, by scans.

Scan the parcel's tracking number, the return label (``RT-<order number>``), the order number or
the channel's order id: the order's shipped lines appear with what already came back. Choose the
reason (a big button, or scan its card), scan each item that came back (its serial number for a
serial-tracked item; a quantity card first for several), then scan the shelf to restock it, or
QUARANTINE / WRITE OFF (cards or buttons). CONFIRM (or the button) finishes the return: the
order's history says what came back, and the order is returned once everything is back. The
large line in the middle always says what to scan next.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.domain.users import Permission, Role
from app.services import return_reasons, returns, returns_report, returns_scan
from app.services.return_reasons import ReasonInfo
from app.services.returns_scan import ReturnOutcome
from app.services.returns_state import LineView, ReturnView
from ui.context import UiContext
from ui.feedback import Feedback
from ui.i18n import current_language, error_text
from ui.models.returns import ReturnLinesModel, ReturnUnitsModel
from ui.screens.base import Screen
from ui.widgets.return_reasons import ReasonsDialog
from ui.widgets.sort_wall_parts import big_font
from ui.words import note_text, status_name


def outcome_text(out: ReturnOutcome) -> str:
    """The bench's answer in the current language, with its values."""
    params = dict(out.params)
    if isinstance(params.get("note"), str):  # the order's history note, in this language too
        params["note"] = note_text(params["note"])
    return error_text(PackdeskError(out.message, **params))


class ReturnsScreen(Screen):
    permission = Permission.RETURNS
    takes_scans = True
    first_for: ClassVar[frozenset[Role]] = frozenset({Role.RETURNS_CLERK})

    #: the screen handled a scan or an action (tests wait on it): the outcome, view or error
    updated = Signal(object)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ReturnsScreen", "Returns")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ReturnsScreen")
        self.view: ReturnView | None = None
        self.reason_code = ""
        self.next_qty = 1
        self.reasons: tuple[ReasonInfo, ...] = ()

        self.heading = QLabel()
        big_font(self.heading, 18)
        self.refund_button = QPushButton(self.tr("Refund note…"))
        self.refund_button.clicked.connect(self.save_refund_note)
        self.reasons_button = QPushButton(self.tr("Reasons…"))
        self.reasons_button.clicked.connect(self._edit_reasons)
        self.reasons_button.setVisible(ctx.can(Permission.MANAGE_SETTINGS))
        self.cancel_button = QPushButton(self.tr("Cancel this return"))
        self.cancel_button.clicked.connect(self.cancel_return)
        self.summary = QLabel()
        self.summary.setObjectName("returns_summary")
        big_font(self.summary, 13, bold=False)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.summary)
        for b in (self.refund_button, self.reasons_button, self.cancel_button):
            top.addWidget(b)

        self.instruction = QLabel()
        self.instruction.setObjectName("returns_instruction")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instruction.setWordWrap(True)
        big_font(self.instruction, 34)

        self.reason_row = QHBoxLayout()
        self.reason_group = QButtonGroup(self)
        self.reason_group.setExclusive(True)
        self.reason_group.idClicked.connect(self._reason_clicked)

        self.lines = QTableView()
        self.units = QTableView()
        self.lines_model = ReturnLinesModel()
        self.units_model = ReturnUnitsModel(self.reason_name)
        for table, model in ((self.lines, self.lines_model), (self.units, self.units_model)):
            table.setModel(model)
            big_font(table, 15, bold=False)
            table.verticalHeader().setVisible(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(
                1 if table is self.lines else 2, QHeaderView.ResizeMode.Stretch
            )
            table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        tables = QHBoxLayout()
        tables.addWidget(self.lines, 1)
        tables.addWidget(self.units, 1)

        self.qty = QSpinBox()
        self.qty.setRange(1, 9999)
        big_font(self.qty, 15)
        self.add_button = QPushButton(self.tr("Take back (chosen line)"))
        self.add_button.clicked.connect(self.add_typed)
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("shelf location"))
        big_font(self.location, 15, bold=False)
        self.restock_button = QPushButton(self.tr("Restock"))
        self.restock_button.clicked.connect(lambda: self.put_away("restock"))
        self.quarantine_button = QPushButton(self.tr("Quarantine"))
        self.quarantine_button.clicked.connect(lambda: self.put_away("quarantine"))
        self.write_off_button = QPushButton(self.tr("Write off (damaged)"))
        self.write_off_button.clicked.connect(lambda: self.put_away("write_off"))
        self.finish_button = QPushButton(self.tr("Finish return"))
        self.finish_button.clicked.connect(self.finish)
        actions = QHBoxLayout()
        for w in (
            self.qty,
            self.add_button,
            self.location,
            self.restock_button,
            self.quarantine_button,
            self.write_off_button,
            self.finish_button,
        ):
            if isinstance(w, QPushButton):
                big_font(w, 14)
                w.setMinimumHeight(44)
            actions.addWidget(w)

        # the scan's answer (green or red banner, sound) shows over the message area at the
        # bottom, never over what to scan next or the tables
        self.message_area = QWidget()
        self.message_area.setMinimumHeight(150)
        self.feedback = Feedback(self.message_area)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.instruction)
        layout.addLayout(self.reason_row)
        layout.addLayout(tables, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message_area)
        self._show(None)

    # --- data ---------------------------------------------------------------------------------

    def activated(self) -> None:
        svc = self.ctx.services
        try:
            self.reasons = svc.run(return_reasons.list_reasons)
            left_open = self.view or svc.run(returns.open_return_at, self.ctx.actor)
        except PackdeskError as exc:
            self.feedback.error(error_text(exc))
            return
        self._fill_reasons()
        self._show(left_open)
        self._refresh_summary()

    def reason_name(self, code: str) -> str:
        found = next((r for r in self.reasons if r.code == code), None)
        return found.name(current_language()) if found else code

    def _fill_reasons(self) -> None:
        for b in self.reason_group.buttons():
            self.reason_group.removeButton(b)
            b.deleteLater()
        for i, r in enumerate(self.reasons):
            b = QPushButton(r.name(current_language()))
            b.setCheckable(True)
            b.setMinimumHeight(48)
            big_font(b, 15)
            b.setStyleSheet("QPushButton:checked { background: #1565c0; color: white; }")
            self.reason_group.addButton(b, i)
            self.reason_row.addWidget(b)
        if self.reasons and self.reason_code not in {r.code for r in self.reasons}:
            self.reason_code = self.reasons[0].code
        self._check_reason()

    def _check_reason(self) -> None:
        for i, r in enumerate(self.reasons):
            button = self.reason_group.button(i)
            if button is not None:
                button.setChecked(r.code == self.reason_code)

    def _reason_clicked(self, index: int) -> None:
        self.reason_code = self.reasons[index].code

    def _refresh_summary(self) -> None:
        try:
            rows = self.ctx.services.run(
                returns_report.return_counts, self.ctx.actor, since=date.today()
            )
        except PackdeskError:
            return
        by_reason: dict[str, int] = {}
        for r in rows:
            by_reason[r.reason] = by_reason.get(r.reason, 0) + r.qty
        parts = ", ".join(f"{self.reason_name(k)} {v}" for k, v in by_reason.items())
        total = sum(by_reason.values())
        self.summary.setText(
            self.tr("Finished today: {units} units back").format(units=total)
            + (f" — {parts}" if parts else "")
        )

    # --- showing ------------------------------------------------------------------------------

    def _show(self, view: ReturnView | None) -> None:
        self.view = view
        self.lines_model.set_rows(view.lines if view else ())
        self.units_model.set_rows(view.units if view else ())
        self.cancel_button.setEnabled(view is not None)
        for b in (self.add_button, self.restock_button, self.quarantine_button):
            b.setEnabled(view is not None)
        self.write_off_button.setEnabled(view is not None)
        self.finish_button.setEnabled(view is not None)
        if view is None:
            self.heading.setText(self.tr("Returns"))
        else:
            status = status_name(view.order_status)
            if view.partly_returned:
                status = self.tr("{status}, partly returned").format(status=status)
            self.heading.setText(
                self.tr("Return {number} · order {order} · {channel} {external} · {status}").format(
                    number=view.number,
                    order=view.order_number,
                    channel=view.channel,
                    external=view.external_id,
                    status=status,
                )
            )
        self.instruction.setText(self._next_step(view))

    def _next_step(self, view: ReturnView | None) -> str:
        if view is None:
            return self.tr("Scan the returned parcel: tracking number, return label or order")
        if view.expects == "disposition":
            n = sum(u.qty for u in view.pending)
            skus = sorted({u.sku for u in view.pending})
            what = (
                f"{skus[0]} × {n}" if len(skus) == 1 else self.tr("{units} units").format(units=n)
            )
            return self.tr(
                "{what}: scan the shelf to restock it, or QUARANTINE / WRITE OFF"
            ).format(what=what)
        if view.expects == "finish":
            return self.tr("Everything is back and inspected: scan CONFIRM to finish")
        if self.next_qty > 1:
            return self.tr("Scan the item: it counts {qty} units").format(qty=self.next_qty)
        return self.tr("Scan each item that came back (reason: {reason})").format(
            reason=self.reason_name(self.reason_code)
        )

    # --- scans and actions --------------------------------------------------------------------

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        try:
            out = self.ctx.services.run(
                returns_scan.scan,
                self.ctx.actor,
                event.raw,
                return_id=self.view.return_id if self.view else None,
                reason_code=self.reason_code,
                qty=self.next_qty,
            )
        except PackdeskError as exc:  # not allowed any more, the database busy...
            self.feedback.error(error_text(exc))
            self.updated.emit(exc)
            return
        self.reason_code, self.next_qty = out.reason_code or self.reason_code, out.qty
        self._check_reason()
        if out.finished is not None:
            self._show(None)
            self._refresh_summary()
        elif out.view is not None or out.accepted:
            self._show(out.view)
        text = outcome_text(out)
        if out.accepted:
            self.feedback.ok(text)
        else:
            self.feedback.error(text)
        self.updated.emit(out)

    def _act(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = self.ctx.services.run(fn, self.ctx.actor, *args, **kwargs)
        except PackdeskError as exc:
            self.feedback.error(error_text(exc))
            self.updated.emit(exc)
            return None
        return result

    def add_typed(self) -> None:
        row = self._chosen_line()
        if self.view is None or row is None:
            self.feedback.error(self.tr("Choose the line that came back in the table first."))
            return
        view = self._act(
            returns.add_units,
            self.view.return_id,
            row.order_line_id,
            self.qty.value(),
            self.reason_code,
        )
        if view is not None:
            self._show(view)
            self.feedback.ok(
                self.tr("{qty} × {sku} taken back").format(qty=self.qty.value(), sku=row.sku)
            )
            self.updated.emit(view)

    def _chosen_line(self) -> LineView | None:
        rows = self.lines.selectionModel().selectedRows()
        if rows:
            row = self.lines_model.data(rows[0], Qt.ItemDataRole.UserRole)
            return row if isinstance(row, LineView) else None
        return None

    def put_away(self, how: str) -> None:
        if self.view is None:
            return
        location = self.location.text().strip() or None
        view = self._act(returns.inspect, self.view.return_id, how, location=location)
        if view is not None:
            self._show(view)
            self.feedback.ok(self.tr("Put away."))
            self.updated.emit(view)

    def finish(self) -> None:
        if self.view is None:
            return
        done = self._act(returns.finish_return, self.view.return_id)
        if done is not None:
            self._show(None)
            self._refresh_summary()
            self.feedback.ok(self.tr("Return {number} finished.").format(number=done.number))
            self.updated.emit(done)

    def cancel_return(self) -> None:
        if self.view is None:
            return
        number = self._act(returns.cancel_return, self.view.return_id)
        if number is not None:
            self._show(None)
            self.feedback.ok(self.tr("Return {number} cancelled.").format(number=number))
            self.updated.emit(number)

    def save_refund_note(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the refund note"), "refunds.csv", "CSV (*.csv)"
            )
            if not name:
                return None
            path = Path(name)
        rows = self._act(returns_report.refund_note)
        if rows is None:
            return None
        returns_report.write_refund_csv(rows, path)
        self.feedback.ok(self.tr("Refund note saved: {rows} lines").format(rows=len(rows)))
        return path

    def _edit_reasons(self) -> None:
        ReasonsDialog(self.ctx, self).exec()
        self.activated()
