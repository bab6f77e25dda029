"""Table models of the Waves screen: waves, a wave's batches, pick exceptions, the orders waiting
for a wave, carts and wave rules. Each shows a list of service DTOs; the screen fetches them off
the UI thread and hands them over with ``set_rows``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.services.carts import CartInfo
from app.services.wave_exceptions import ExceptionRow
from app.services.wave_plan import WaveSummary
from app.services.wave_rules import WaveRuleInfo
from app.services.wave_views import BatchRow, WaitingOrder

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def wave_status_name(status: str) -> str:
    names = {
        "planned": QCoreApplication.translate("Waves", "Planned"),
        "released": QCoreApplication.translate("Waves", "Released"),
        "ready": QCoreApplication.translate("Waves", "Ready"),
        "picking": QCoreApplication.translate("Waves", "Picking"),
        "picked": QCoreApplication.translate("Waves", "Picked"),
        "cancelled": QCoreApplication.translate("Waves", "Cancelled"),
    }
    return names.get(status, status)


def method_name(method: str) -> str:
    names = {
        "cluster": QCoreApplication.translate("Waves", "Pick to tote"),
        "single_unit": QCoreApplication.translate("Waves", "Single-unit orders"),
        "pick_sort": QCoreApplication.translate("Waves", "Pick then sort"),
    }
    return names.get(method, method)


def unit_kind_name(kind: str) -> str:
    names = {
        "any": QCoreApplication.translate("Waves", "Any"),
        "single": QCoreApplication.translate("Waves", "One unit"),
        "multi": QCoreApplication.translate("Waves", "Several units"),
    }
    return names.get(kind, kind)


def short_reason_name(reason: str) -> str:
    names = {
        "empty": QCoreApplication.translate("Waves", "Empty"),
        "damaged": QCoreApplication.translate("Waves", "Damaged"),
        "not_found": QCoreApplication.translate("Waves", "Not found"),
    }
    return names.get(reason, reason)


def outcome_name(outcome: str) -> str:
    names = {
        "backordered": QCoreApplication.translate("Waves", "Backordered"),
        "held": QCoreApplication.translate("Waves", "Order held"),
        "cancelled_line": QCoreApplication.translate("Waves", "Line cancelled"),
    }
    return names.get(outcome, outcome)


def _metres(m: float) -> str:
    return QCoreApplication.translate("Waves", "{m} m").format(m=f"{m:.0f}")


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of DTOs, one column per (header, cell) pair."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]]) -> None:
        super().__init__()
        self.rows: list[T] = []
        self._headers = [h for h, _ in columns]
        self._cells = [c for _, c in columns]

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._cells[index.column()](self.rows[index.row()]))
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


def _progress(done: int, total: int) -> str:
    if not total:
        return "—"
    return f"{done}/{total} ({100 * done // total}%)"


def waves_model() -> RowsModel[WaveSummary]:
    return RowsModel(
        [
            (QCoreApplication.translate("Waves", "Wave"), lambda w: w.number),
            (QCoreApplication.translate("Waves", "Status"), lambda w: wave_status_name(w.status)),
            (QCoreApplication.translate("Waves", "Method"), lambda w: method_name(w.pick_method)),
            (QCoreApplication.translate("Waves", "Priority"), lambda w: w.priority),
            (QCoreApplication.translate("Waves", "Orders"), lambda w: w.orders),
            (QCoreApplication.translate("Waves", "Batches"), lambda w: w.batches),
            (QCoreApplication.translate("Waves", "Planned walk"), lambda w: _metres(w.planned_m)),
            (
                QCoreApplication.translate("Waves", "Progress"),
                lambda w: _progress(w.tasks_done, w.tasks),
            ),
        ]
    )


def _picker(b: BatchRow) -> str:
    return b.claimed_by or (f"→ {b.assigned_to}" if b.assigned_to else "")


def batches_model() -> RowsModel[BatchRow]:
    return RowsModel(
        [
            (QCoreApplication.translate("Waves", "Batch"), lambda b: b.label),
            (QCoreApplication.translate("Waves", "Status"), lambda b: wave_status_name(b.status)),
            (QCoreApplication.translate("Waves", "Orders"), lambda b: b.orders),
            (
                QCoreApplication.translate("Waves", "Tasks done"),
                lambda b: _progress(b.tasks_done, b.tasks),
            ),
            (QCoreApplication.translate("Waves", "Planned walk"), lambda b: _metres(b.planned_m)),
            (
                QCoreApplication.translate("Waves", "Picker"),
                lambda b: b.claimed_by or (f"→ {b.assigned_to}" if b.assigned_to else ""),
            ),
        ]
    )


def exceptions_model() -> RowsModel[ExceptionRow]:
    return RowsModel(
        [
            (
                QCoreApplication.translate("Waves", "When"),
                lambda e: e.created_at.strftime("%m-%d %H:%M"),
            ),
            (QCoreApplication.translate("Waves", "Batch"), lambda e: e.batch),
            (QCoreApplication.translate("Waves", "Order"), lambda e: e.order),
            (QCoreApplication.translate("Waves", "SKU"), lambda e: e.sku),
            (QCoreApplication.translate("Waves", "Location"), lambda e: e.location),
            (QCoreApplication.translate("Waves", "Short"), lambda e: e.qty_short),
            (QCoreApplication.translate("Waves", "Reason"), lambda e: short_reason_name(e.reason)),
            (
                QCoreApplication.translate("Waves", "What happened"),
                lambda e: outcome_name(e.outcome),
            ),
        ]
    )


def waiting_model() -> RowsModel[WaitingOrder]:
    return RowsModel(
        [
            (QCoreApplication.translate("Waves", "Order"), lambda o: o.number),
            (QCoreApplication.translate("Waves", "Priority"), lambda o: o.priority),
            (QCoreApplication.translate("Waves", "Channel"), lambda o: o.channel),
            (QCoreApplication.translate("Waves", "Units"), lambda o: o.units),
            (
                QCoreApplication.translate("Waves", "Placed"),
                lambda o: o.placed_at.strftime("%m-%d %H:%M"),
            ),
        ]
    )


def carts_model() -> RowsModel[CartInfo]:
    def limit(v: int) -> str:
        return str(v) if v else "—"

    return RowsModel(
        [
            (QCoreApplication.translate("Waves", "Code"), lambda c: c.code),
            (QCoreApplication.translate("Waves", "Name"), lambda c: c.name),
            (QCoreApplication.translate("Waves", "Tote slots"), lambda c: c.tote_slots),
            (QCoreApplication.translate("Waves", "Most orders"), lambda c: limit(c.max_orders)),
            (QCoreApplication.translate("Waves", "Most lines"), lambda c: limit(c.max_lines)),
            (
                QCoreApplication.translate("Waves", "Most weight (g)"),
                lambda c: limit(c.max_weight_g),
            ),
            (
                QCoreApplication.translate("Waves", "Most volume (cm³)"),
                lambda c: limit(c.max_volume_cm3),
            ),
        ]
    )


def rules_model() -> RowsModel[WaveRuleInfo]:
    return RowsModel(
        [
            (QCoreApplication.translate("Waves", "Name"), lambda r: r.name),
            (QCoreApplication.translate("Waves", "Carrier"), lambda r: r.carrier),
            (QCoreApplication.translate("Waves", "Cut-off"), lambda r: r.cutoff),
            (
                QCoreApplication.translate("Waves", "Priority"),
                lambda r: "" if r.priority is None else r.priority,
            ),
            (QCoreApplication.translate("Waves", "Channel"), lambda r: r.channel),
            (QCoreApplication.translate("Waves", "Zone"), lambda r: r.zone),
            (QCoreApplication.translate("Waves", "Orders"), lambda r: unit_kind_name(r.unit_kind)),
            (QCoreApplication.translate("Waves", "Method"), lambda r: method_name(r.pick_method)),
            (QCoreApplication.translate("Waves", "Cart"), lambda r: r.cart),
            (QCoreApplication.translate("Waves", "Most orders"), lambda r: r.max_orders or "—"),
        ]
    )
