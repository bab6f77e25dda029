"""The package types table: code, name, kind, inner size, tare, maximum weight, barcode, state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.services.carton_check import CartonTrial
from app.services.package_types import PackageTypeInfo

Index = QModelIndex | QPersistentModelIndex


def kind_name(kind: str) -> str:
    words = {
        "box": QCoreApplication.translate("PackageTypes", "Box"),
        "polybag": QCoreApplication.translate("PackageTypes", "Polybag"),
        "envelope": QCoreApplication.translate("PackageTypes", "Envelope"),
    }
    return words.get(kind, kind)


def size_text(p: PackageTypeInfo) -> str:
    if p.flexible:
        return QCoreApplication.translate("PackageTypes", "no fixed size")
    return f"{p.length_mm} × {p.width_mm} × {p.height_mm} mm"


def grams_text(g: int, zero: str = "") -> str:
    if not g:
        return zero
    return f"{g / 1000:g} kg" if g >= 1000 else f"{g} g"


class PackageTypesModel(QAbstractTableModel):
    CODE, NAME, KIND, SIZE, TARE, MAX, BARCODE, STATE = range(8)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PackageTypeInfo] = []
        self._headers = (
            self.tr("Code"),
            self.tr("Name"),
            self.tr("Kind"),
            self.tr("Inner size (L × W × H)"),
            self.tr("Tare"),
            self.tr("Max. weight"),
            self.tr("Barcode"),
            self.tr("In use"),
        )

    def set_rows(self, rows: list[PackageTypeInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, package_type_id: int) -> int:
        return next((i for i, p in enumerate(self.rows) if p.id == package_type_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and not p.active:
            return QColor("#757575")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (self.TARE, self.MAX):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            p.code,
            p.name,
            kind_name(p.kind),
            size_text(p),
            grams_text(p.tare_g, "0 g"),
            grams_text(p.max_weight_g, self.tr("no limit")),
            p.barcode or self.tr("(its code)"),
            self.tr("yes") if p.active else self.tr("no"),
        )[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


def suggestion_text(code: str | None, name: str, unknown_size_units: int) -> str:
    """ "Suggested: BOX-S 3号纸箱" (or "No package holds these items"), with "sizes unknown for N
    items" when some units had no size (they were counted by weight only)."""
    if code is None:
        text = QCoreApplication.translate(
            "PackageTypes", "No package holds these items: scan one from the carton card."
        )
    else:
        text = QCoreApplication.translate("PackageTypes", "Suggested: {package}").format(
            package=f"{code} {name}".strip()
        )
    if unknown_size_units:
        text += " · " + QCoreApplication.translate(
            "PackageTypes", "sizes unknown for {n} items"
        ).format(n=unknown_size_units)
    return text


def trial_text(t: CartonTrial) -> str:
    """What "try on an order" found, in a few lines of rich text."""
    units = sum(i.qty for i in t.items)
    lines = [
        "<b>"
        + QCoreApplication.translate("PackageTypes", "{order}: {units} units, {weight}").format(
            order=t.order_number, units=units, weight=grams_text(t.items_g, "0 g")
        )
        + "</b>",
        "<b style='font-size:15pt'>"
        + suggestion_text(t.package_code, t.package_name, t.unknown_size_units)
        + "</b>",
    ]
    if t.package_code is not None and all(t.package_size):
        lines.append("{} × {} × {} mm".format(*t.package_size))
    expected = QCoreApplication.translate(
        "PackageTypes", "Expected weight {expected} g ({low} to {high} g)"
    ).format(expected=t.expected_g, low=t.low_g, high=t.high_g)
    if t.history_n:
        expected += " · " + QCoreApplication.translate(
            "PackageTypes", "learned from {n} earlier parcels"
        ).format(n=t.history_n)
    lines.append(expected)
    return "<br>".join(lines)
