"""The outbox table: one row per notice, its status in colour."""

from __future__ import annotations

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

from app.services.notice_outbox import NoticeRow
from ui.i18n import hold_text
from ui.models.waves import RowsModel

Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    "sent": "#1b5e20",
    "waiting": "#8a5a00",
    "sending": "#8a5a00",
    "failed": "#b00020",
    "cancelled": "#555555",
}


#: the reasons written in app/ that are not errors (hold_text translates them in this context)
REASONS = (
    QT_TRANSLATE_NOOP("PackdeskError", "opted out (customer)"),
    QT_TRANSLATE_NOOP("PackdeskError", "opted out (channel)"),
    QT_TRANSLATE_NOOP("PackdeskError", "cancelled by {user}"),
    QT_TRANSLATE_NOOP("PackdeskError", "personal data purged"),
)


def status_name(status: str) -> str:
    return {
        "sent": QCoreApplication.translate("Outbox", "sent"),
        "waiting": QCoreApplication.translate("Outbox", "waiting"),
        "sending": QCoreApplication.translate("Outbox", "sending"),
        "failed": QCoreApplication.translate("Outbox", "failed"),
        "cancelled": QCoreApplication.translate("Outbox", "cancelled"),
    }.get(status, status)


def kind_name(kind: str) -> str:
    return {
        "shipped": QCoreApplication.translate("Outbox", "shipped"),
        "delivered": QCoreApplication.translate("Outbox", "delivered"),
    }.get(kind, kind)


def language_name(language: str) -> str:
    return {
        "en": QCoreApplication.translate("Outbox", "English"),
        "zh": QCoreApplication.translate("Outbox", "Chinese"),
    }.get(language, language)


def _local(at: datetime | None) -> str:
    return "" if at is None else at.astimezone().strftime("%m-%d %H:%M")


def when_text(r: NoticeRow) -> str:
    """When it was sent, or when it is tried next."""
    if r.status == "sent":
        return _local(r.sent_at)
    if r.status == "waiting" and r.next_attempt_at is not None and r.attempts:
        return QCoreApplication.translate("Outbox", "next try {time}").format(
            time=_local(r.next_attempt_at)
        )
    return _local(r.created_at)


def reason_text(r: NoticeRow) -> str:
    """Why it failed, waits again or was cancelled, in the screen's language."""
    return hold_text(r.reason, r.reason_template, r.reason_params)


class NoticesModel(RowsModel[NoticeRow]):
    def __init__(self) -> None:
        super().__init__(
            [
                (QCoreApplication.translate("Outbox", "Status"), lambda r: status_name(r.status)),
                (QCoreApplication.translate("Outbox", "Order"), lambda r: r.order_number),
                (QCoreApplication.translate("Outbox", "Notice"), lambda r: kind_name(r.kind)),
                (
                    QCoreApplication.translate("Outbox", "Language"),
                    lambda r: language_name(r.language),
                ),
                (QCoreApplication.translate("Outbox", "To"), lambda r: r.to),
                (QCoreApplication.translate("Outbox", "Tries"), lambda r: r.attempts),
                (QCoreApplication.translate("Outbox", "When"), when_text),
                (QCoreApplication.translate("Outbox", "Reason"), reason_text),
            ]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOURS.get(self.rows[index.row()].status, "#000000"))
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole and index.column() == 7:
            return reason_text(self.rows[index.row()])
        return super().data(index, role)
