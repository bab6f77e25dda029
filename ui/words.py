"""Translated names of domain values (statuses, roles, hold reasons) and the system's status
notes, for display."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from app.domain.check_settings import RULES
from app.domain.holds import HOLD_WORDS
from app.domain.orders import STATUS_NOTE_MESSAGES, OrderStatus
from app.domain.users import Role


def status_name(status: str) -> str:
    names = {
        OrderStatus.NEW: QCoreApplication.translate("Words", "New"),
        OrderStatus.ON_HOLD: QCoreApplication.translate("Words", "On hold"),
        OrderStatus.RELEASED: QCoreApplication.translate("Words", "Released"),
        OrderStatus.ALLOCATED: QCoreApplication.translate("Words", "Allocated"),
        OrderStatus.PICKING: QCoreApplication.translate("Words", "Picking"),
        OrderStatus.PICKED: QCoreApplication.translate("Words", "Picked"),
        OrderStatus.PACKING: QCoreApplication.translate("Words", "Packing"),
        OrderStatus.PACKED: QCoreApplication.translate("Words", "Packed"),
        OrderStatus.SHIPPED: QCoreApplication.translate("Words", "Shipped"),
        OrderStatus.DELIVERED: QCoreApplication.translate("Words", "Delivered"),
        OrderStatus.CANCELLED: QCoreApplication.translate("Words", "Cancelled"),
        OrderStatus.RETURNED: QCoreApplication.translate("Words", "Returned"),
    }
    try:
        return names[OrderStatus(status)]
    except ValueError:
        return status


def status_in_sentence(status: str) -> str:
    """An order status inside a sentence: as the screens name it in another language, the
    stored word ("picking") in English."""
    name = status_name(status)
    return status if name == status.replace("_", " ").capitalize() else name


def job_status_name(status: str) -> str:
    """A print job's status for display."""
    names = {
        "queued": QCoreApplication.translate("Words", "Queued"),
        "sending": QCoreApplication.translate("Words", "Sending"),
        "waiting": QCoreApplication.translate("Words", "Waiting for the printer"),
        "sent": QCoreApplication.translate("Words", "Printed"),
        "failed": QCoreApplication.translate("Words", "Failed"),
        "cancelled": QCoreApplication.translate("Words", "Cancelled"),
    }
    return names.get(status, status)


def payment_name(status: str) -> str:
    """A channel's payment status in the current language (as given when it is not a known
    one)."""
    return QCoreApplication.translate("PackdeskError", status) if status else ""


def role_name(role: Role) -> str:
    return {
        Role.ADMIN: QCoreApplication.translate("Words", "Administrator"),
        Role.SUPERVISOR: QCoreApplication.translate("Words", "Supervisor"),
        Role.PICKER: QCoreApplication.translate("Words", "Picker"),
        Role.PACKER: QCoreApplication.translate("Words", "Packer"),
        Role.SHIPPER: QCoreApplication.translate("Words", "Shipper"),
        Role.RETURNS_CLERK: QCoreApplication.translate("Words", "Returns clerk"),
    }[role]


def hold_code_names() -> dict[str, str]:
    """Hold reason codes (the check rules' and allocation's) with their names for filters."""
    names = {
        "missing_address": QCoreApplication.translate("HoldReasons", "Address incomplete"),
        "bad_phone": QCoreApplication.translate("HoldReasons", "Phone number not valid"),
        "bad_postal_code": QCoreApplication.translate(
            "HoldReasons", "Postal code of the wrong form"
        ),
        "unknown_sku": QCoreApplication.translate("HoldReasons", "Unknown SKU"),
        "no_sku": QCoreApplication.translate("HoldReasons", "No SKU"),
        "partly_fulfilled": QCoreApplication.translate(
            "HoldReasons", "Partly fulfilled in the channel"
        ),
        "bad_quantity": QCoreApplication.translate("HoldReasons", "Zero or negative quantity"),
        "large_quantity": QCoreApplication.translate("HoldReasons", "Unusually large quantity"),
        "duplicate": QCoreApplication.translate("HoldReasons", "Suspected duplicate"),
        "cancelled": QCoreApplication.translate("HoldReasons", "Cancelled in the channel"),
        "unpaid": QCoreApplication.translate("HoldReasons", "Not paid"),
        "refunded": QCoreApplication.translate("HoldReasons", "Refunded in the channel"),
        "refused_address": QCoreApplication.translate("HoldReasons", "Address a carrier refuses"),
        "short_stock": QCoreApplication.translate("HoldReasons", "Not enough stock"),
        "manual": QCoreApplication.translate("HoldReasons", "Held by a reviewer"),
        "too_long": QCoreApplication.translate("HoldReasons", "Address part too long"),
        "cancelled_stop": QCoreApplication.translate(
            "HoldReasons", "Cancelled in the channel: stop and put back"
        ),
    }
    # a rule added later still shows, in English until it is translated
    return {**{code: label for code, label in RULES.items()}, **names}


def hold_reason_filter(all_text: str) -> QComboBox:
    """A filter of the hold reasons by name: ``all_text`` (no filter) first, data the code."""
    box = QComboBox()
    box.setObjectName("hold_filter")
    box.addItem(all_text, None)
    for code, label in sorted(hold_code_names().items(), key=lambda kv: kv[1]):
        box.addItem(label, code)
    return box


def note_text(note: str) -> str:
    """A status-history note in the current language: the system's notes are found again by
    their template (``STATUS_NOTE_MESSAGES``) and translated with their values; anything else
    (a reviewer's own words) is shown as written."""
    for template, pattern in _note_patterns():
        m = pattern.fullmatch(note)
        if m is None:
            continue
        values = {k: _note_value(k, v) for k, v in m.groupdict().items()}
        try:
            return QCoreApplication.translate("PackdeskError", template).format(**values)
        except (KeyError, IndexError, ValueError):
            return note
    return note


def _note_value(name: str, value: str) -> str:
    if name == "why":
        return note_text(value)
    if name == "stage":
        return status_in_sentence(value)
    if name == "codes":
        names = hold_code_names()
        sep = QCoreApplication.translate("PackdeskError", HOLD_WORDS["list_separator"])
        return sep.join(names.get(code, code) for code in value.split(", "))
    if name == "reasons":  # a return's reasons (REASON_WORDS), each in the screen's language
        sep = QCoreApplication.translate("PackdeskError", HOLD_WORDS["list_separator"])
        return sep.join(QCoreApplication.translate("PackdeskError", r) for r in value.split(", "))
    return value


@lru_cache(maxsize=1)
def _note_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each note template as a pattern, the ones without values first, then the longest
    fixed text first (``checks: all pass`` before ``{why}: {codes}``)."""
    out = []
    for template in STATUS_NOTE_MESSAGES.values():
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)
        )
        out.append((template, re.compile(regex, re.DOTALL)))
    return sorted(out, key=lambda tp: (tp[1].groups > 0, -len(re.sub(r"\{\w+\}", "", tp[0]))))
