"""Translated names of domain values (statuses, roles) for display."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.domain.orders import OrderStatus
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


def role_name(role: Role) -> str:
    return {
        Role.ADMIN: QCoreApplication.translate("Words", "Administrator"),
        Role.SUPERVISOR: QCoreApplication.translate("Words", "Supervisor"),
        Role.PICKER: QCoreApplication.translate("Words", "Picker"),
        Role.PACKER: QCoreApplication.translate("Words", "Packer"),
        Role.SHIPPER: QCoreApplication.translate("Words", "Shipper"),
        Role.RETURNS_CLERK: QCoreApplication.translate("Words", "Returns clerk"),
    }[role]
