"""Roles and permissions. Permissions are checked in the services, not only in the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from app.domain.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    PICKER = "picker"
    PACKER = "packer"
    SHIPPER = "shipper"
    RETURNS_CLERK = "returns_clerk"


class Permission(StrEnum):
    VIEW_ORDERS = "view_orders"
    EDIT_ORDERS = "edit_orders"
    IMPORT_ORDERS = "import_orders"
    RELEASE_ORDERS = "release_orders"
    CANCEL_ORDERS = "cancel_orders"
    ALLOCATE = "allocate"
    PLAN_WAVES = "plan_waves"
    PICK = "pick"
    PACK = "pack"
    SHIP = "ship"
    RETURNS = "returns"
    ADJUST_STOCK = "adjust_stock"
    PRINT_LABELS = "print_labels"
    REPRINT = "reprint"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"
    MANAGE_DEVICES = "manage_devices"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_USERS = "manage_users"
    #: pack station: tick a line off without scanning it (an item without a barcode)
    FORCE_VERIFY = "force_verify"
    #: pack station: ship what was scanned, the rest to the backorder policy
    SHIP_PARTIAL = "ship_partial"
    #: accept a parcel the weight gate stopped (a supervisor's badge at the station)
    OVERRIDE_WEIGHT = "override_weight"
    #: unpack a packed parcel or void its label
    VOID_PARCELS = "void_parcels"
    #: carriers, services, tracking-number pools, shipping rules, package types
    MANAGE_SHIPPING = "manage_shipping"
    #: the customer notices' outbox: retry, cancel, opt customers and channels out
    MANAGE_NOTICES = "manage_notices"
    #: reopen a closed carrier handover (its orders back to packed)
    REOPEN_HANDOVER = "reopen_handover"
    #: resolve the delivery exceptions queue (lost, damaged, returned, no scan for N days)
    RESOLVE_DELIVERY = "resolve_delivery"
    #: the KPI dashboard: the whole warehouse's figures of the day (supervisors, admins)
    VIEW_DASHBOARD = "view_dashboard"
    #: see and resolve the conflicts of offline stations' journals (supervisors, admins)
    RESOLVE_SYNC = "resolve_sync"


P = Permission
_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _ALL,
    Role.SUPERVISOR: _ALL - {P.MANAGE_USERS},
    Role.PICKER: frozenset({P.VIEW_ORDERS, P.PICK}),
    Role.PACKER: frozenset({P.VIEW_ORDERS, P.PACK, P.PRINT_LABELS, P.REPRINT, P.MANAGE_DEVICES}),
    Role.SHIPPER: frozenset({P.VIEW_ORDERS, P.SHIP, P.PRINT_LABELS, P.REPRINT, P.MANAGE_DEVICES}),
    Role.RETURNS_CLERK: frozenset({P.VIEW_ORDERS, P.RETURNS, P.ADJUST_STOCK}),
}

#: Words the operator reads in a permission error ("may not <action>").
ACTION_WORDS: dict[Permission, str] = {
    P.VIEW_ORDERS: "view orders",
    P.EDIT_ORDERS: "edit orders",
    P.IMPORT_ORDERS: "import orders",
    P.RELEASE_ORDERS: "release or hold orders",
    P.CANCEL_ORDERS: "cancel orders",
    P.ALLOCATE: "allocate stock",
    P.PLAN_WAVES: "plan waves",
    P.PICK: "pick",
    P.PACK: "pack",
    P.SHIP: "ship parcels",
    P.RETURNS: "handle returns",
    P.ADJUST_STOCK: "adjust stock",
    P.PRINT_LABELS: "print labels",
    P.REPRINT: "reprint labels",
    P.REVEAL_PERSONAL_DATA: "see customers' personal data",
    P.MANAGE_DEVICES: "change station devices",
    P.MANAGE_SETTINGS: "change settings",
    P.MANAGE_USERS: "manage users",
    P.FORCE_VERIFY: "tick items off without scanning them",
    P.SHIP_PARTIAL: "ship an order partly",
    P.OVERRIDE_WEIGHT: "accept a parcel whose weight is wrong",
    P.VOID_PARCELS: "unpack parcels or void labels",
    P.MANAGE_SHIPPING: "change carriers, shipping rules and package types",
    P.MANAGE_NOTICES: "manage customer notices",
    P.REOPEN_HANDOVER: "reopen a closed carrier handover",
    P.RESOLVE_DELIVERY: "resolve delivery exceptions",
    P.VIEW_DASHBOARD: "see the dashboard",
    P.RESOLVE_SYNC: "resolve conflicts of offline stations",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, and at which station: passed to every service that changes something."""

    user_id: int | None
    username: str
    role: Role
    station_id: int | None = None
    station_code: str = ""

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                user=self.username, role=self.role.value, action=ACTION_WORDS[permission]
            )


#: The actor of start-up tasks (migrations, demo data). It has no user row, so
#: ``UnitOfWork.require`` keeps its role as given; the command line acts as a named user or the
#: station operator instead (app.cli.identity).
SYSTEM = Actor(user_id=None, username="system", role=Role.ADMIN)


def check_password_strength(password: str) -> None:
    """A first admin password must not be trivial."""
    from app.domain.errors import ValidationError

    if len(password) < 8:
        raise ValidationError("The password must have at least 8 characters.")
    if password.isdigit() or password.lower() in {"password", "12345678", "packdesk"}:
        raise ValidationError("This password is too easy to guess. Choose another one.")


def check_pin(pin: str) -> None:
    from app.domain.errors import ValidationError

    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("A PIN is 4 to 8 digits.")
    if len(set(pin)) == 1:
        raise ValidationError("A PIN of one digit repeated is too easy to guess. Choose another.")


#: failed log-ins allowed before each further try must wait
FREE_LOGIN_FAILURES = 5
FIRST_LOCKOUT = timedelta(seconds=30)
LONGEST_LOCKOUT = timedelta(minutes=15)


def lockout_wait(failures: int) -> timedelta:
    """How long log-in stays closed after ``failures`` failed tries in a row: nothing for the
    first four, then 30 s, 1 min, 2 min ... doubling up to 15 min."""
    if failures < FREE_LOGIN_FAILURES:
        return timedelta(0)
    doublings: int = min(failures - FREE_LOGIN_FAILURES, 10)
    wait: timedelta = FIRST_LOCKOUT * (1 << doublings)
    return min(wait, LONGEST_LOCKOUT)


def wait_text(wait: timedelta) -> str:
    """``m:ss``, rounded up to the second (the log-in message's waiting time)."""
    seconds = max(0, -int(-wait.total_seconds() // 1))
    return f"{seconds // 60}:{seconds % 60:02d}"
