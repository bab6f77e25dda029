"""Offline conflicts on screen: what a station did (in words), why the shared database refused
it (its English template translated, then filled), the payload in readable lines, and the
conflicts table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.services.sync_conflicts import ConflictView
from ui.models.waves import RowsModel
from ui.words import status_name

Index = QModelIndex | QPersistentModelIndex

#: the replayer's conflict sentences (app/offline/replay.py), for translation
REPLAY_MESSAGES = [
    QT_TRANSLATE_NOOP(
        "PackdeskError",
        "Order {order}: {action} was done on station {station} at {at} while the shared "
        "database was away, but the shared database refused it: {reason}",
    ),
    QT_TRANSLATE_NOOP(
        "PackdeskError",
        "Order {order}: {action} was accepted on station {station} at {at} while the shared "
        "database was away, but the shared database answered differently ({answer}). Check "
        "the order and its parcels.",
    ),
    QT_TRANSLATE_NOOP(
        "PackdeskError",
        "Order {order}: {action} done on station {station} at {at} was not applied, because "
        "an earlier action on the same order is a conflict. Settle that one first.",
    ),
]

#: values that are an order status, shown by the screens' names for them
_STATUS_KEYS = frozenset({"status", "current", "target"})


def action_name(action: str) -> str:
    """What a station did (a journal action, ``app/offline/actions.py``), in this language."""
    names = {
        "pack.open": QCoreApplication.translate("SyncConflicts", "opening the order for packing"),
        "pack.scan": QCoreApplication.translate("SyncConflicts", "scanning an item"),
        "pack.force_verify": QCoreApplication.translate(
            "SyncConflicts", "ticking an item off without a scan"
        ),
        "pack.weigh": QCoreApplication.translate("SyncConflicts", "weighing the parcel"),
        "pack.override_weight": QCoreApplication.translate(
            "SyncConflicts", "accepting a wrong weight"
        ),
        "pack.finish": QCoreApplication.translate(
            "SyncConflicts", "printing the label and finishing the parcel"
        ),
        "pack.release": QCoreApplication.translate("SyncConflicts", "putting the order back"),
        "pack.open_single": QCoreApplication.translate(
            "SyncConflicts", "opening a single-item batch"
        ),
        "pack.single_scan": QCoreApplication.translate(
            "SyncConflicts", "packing a single-item order"
        ),
    }
    return names.get(action, action)


def when(dt: datetime | None) -> str:
    """A time in the station's local time."""
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S") if dt is not None else "—"


def _word(text: str) -> str:
    return QCoreApplication.translate("PackdeskError", text)


def message_text(template: str, values: Mapping[str, Any], c: ConflictView | None = None) -> str:
    """A conflict's message in this language: the template translated, then filled with its
    values (words translated, statuses by their names, a nested {"template", "values"} message
    translated the same way, the action in words and the time in local time)."""
    filled: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping) and isinstance(value.get("template"), str):
            inner = value.get("values")
            filled[key] = message_text(
                value["template"], inner if isinstance(inner, Mapping) else {}
            )
        elif key in _STATUS_KEYS and isinstance(value, str):
            filled[key] = status_name(value)
        elif isinstance(value, str) and value:
            filled[key] = _word(value)
        else:
            filled[key] = value
    if c is not None:
        if "action" in filled:
            filled["action"] = action_name(c.action)
        if "at" in filled:
            filled["at"] = c.happened_at.astimezone().strftime("%H:%M:%S")
    try:
        return _word(template).format(**filled)
    except (KeyError, IndexError, ValueError):
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template


def conflict_text(c: ConflictView) -> str:
    return message_text(c.message, c.values, c)


def reason_text(c: ConflictView) -> str:
    """Why the server refused, short: the server's own reason when the conflict kept it apart
    (the value ``reason``), else the whole message."""
    reason = c.values.get("reason")
    if isinstance(reason, Mapping) and isinstance(reason.get("template"), str):
        inner = reason.get("values")
        return message_text(reason["template"], inner if isinstance(inner, Mapping) else {})
    if isinstance(reason, str) and reason:
        return _word(reason)
    return conflict_text(c)


def _key_name(key: str) -> str:
    names = {
        "args": QCoreApplication.translate("SyncConflicts", "What was sent"),
        "actor": QCoreApplication.translate("SyncConflicts", "Who"),
        "local": QCoreApplication.translate("SyncConflicts", "What the station answered"),
        "order": QCoreApplication.translate("SyncConflicts", "Order"),
        "status": QCoreApplication.translate("SyncConflicts", "Status"),
        "tracking": QCoreApplication.translate("SyncConflicts", "Tracking number"),
        "session_id": QCoreApplication.translate("SyncConflicts", "Pack session"),
        "weight_g": QCoreApplication.translate("SyncConflicts", "Weight (g)"),
    }
    return names.get(key, key.replace("_", " "))


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("SyncConflicts", "yes")
            if value
            else QCoreApplication.translate("SyncConflicts", "no")
        )
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        try:  # an ISO time as the station's local time
            return when(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def payload_lines(payload: Mapping[str, Any], depth: int = 0) -> list[str]:
    """The payload as indented "name: value" lines (lists of plain values on one line)."""
    out: list[str] = []
    pad = "    " * depth
    for key, value in payload.items():
        name = _key_name(str(key))
        if isinstance(value, Mapping):
            out.append(f"{pad}{name}:")
            out.extend(payload_lines(value, depth + 1) or [f"{pad}    —"])
        elif isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
            out.append(f"{pad}{name}:")
            for i, v in enumerate(value, 1):
                inner = v if isinstance(v, Mapping) else {str(i): v}
                out.extend(payload_lines(inner, depth + 1))
        elif isinstance(value, list):
            out.append(f"{pad}{name}: {', '.join(_scalar(v) for v in value) or '—'}")
        elif key == "status" and isinstance(value, str):
            out.append(f"{pad}{name}: {status_name(value)}")
        else:
            out.append(f"{pad}{name}: {_scalar(value)}")
    return out


def _state(c: ConflictView) -> str:
    if c.open:
        return QCoreApplication.translate("SyncConflicts", "Open")
    return QCoreApplication.translate("SyncConflicts", "Resolved by {user}").format(
        user=c.resolved_by or "—"
    )


class ConflictsModel(RowsModel[ConflictView]):
    """Conflicts, oldest action first; open ones tinted red."""

    def __init__(self) -> None:
        super().__init__(
            [
                (
                    QCoreApplication.translate("SyncConflicts", "When"),
                    lambda c: when(c.happened_at),
                ),
                (
                    QCoreApplication.translate("SyncConflicts", "Station"),
                    lambda c: c.station_code or f"#{c.station_id}",
                ),
                (
                    QCoreApplication.translate("SyncConflicts", "Order"),
                    lambda c: c.order_number or "—",
                ),
                (
                    QCoreApplication.translate("SyncConflicts", "What the station did"),
                    lambda c: action_name(c.action),
                ),
                (
                    QCoreApplication.translate("SyncConflicts", "Why the server refused"),
                    reason_text,
                ),
                (QCoreApplication.translate("SyncConflicts", "State"), _state),
            ]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor("#ffe0e0") if c.open else QColor("#eeeeee")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return conflict_text(c)
        return super().data(index, role)
