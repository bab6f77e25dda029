"""The Ship screen's tables: the parcels missing from the handover, and the cut-off board (its
rows amber when the cut-off is under 30 minutes away, red once it has passed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.handover import time_left_text
from app.services.handover_cutoffs import CutoffRow
from app.services.handover_views import MissingParcel
from ui.models.waves import RowsModel

Index = QModelIndex | QPersistentModelIndex
AMBER = "#ffe08a"
RED = "#f4b4b4"


def missing_model() -> RowsModel[MissingParcel]:
    def earlier(m: MissingParcel) -> str:
        at = m.labelled_at.astimezone() if m.labelled_at is not None else None
        when = f"{at:%m-%d %H:%M}" if at is not None else ""
        return (
            QCoreApplication.translate("ShipScreen", "{when} (earlier day)").format(when=when)
            if m.earlier
            else when
        )

    return RowsModel(
        [
            (QCoreApplication.translate("ShipScreen", "Tracking"), lambda m: m.tracking),
            (QCoreApplication.translate("ShipScreen", "Order"), lambda m: m.order_number),
            (QCoreApplication.translate("ShipScreen", "Station"), lambda m: m.station or "—"),
            (QCoreApplication.translate("ShipScreen", "Packer"), lambda m: m.packer or "—"),
            (QCoreApplication.translate("ShipScreen", "Packed"), earlier),
        ]
    )


class CutoffModel(RowsModel[CutoffRow]):
    """The cut-off board, coloured by urgency."""

    def __init__(self) -> None:
        super().__init__(
            [
                (QCoreApplication.translate("ShipScreen", "Carrier"), lambda r: r.carrier_name),
                (
                    QCoreApplication.translate("ShipScreen", "Waiting"),
                    lambda r: r.packed_not_handed,
                ),
                (QCoreApplication.translate("ShipScreen", "Cut-off"), lambda r: r.cutoff or "—"),
                (
                    QCoreApplication.translate("ShipScreen", "Time left"),
                    lambda r: time_left_text(r.seconds_left) or "—",
                ),
            ]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole:
            colour = {"soon": AMBER, "late": RED}.get(self.rows[index.row()].urgency)
            return QBrush(QColor(colour)) if colour else None
        return super().data(index, role)
