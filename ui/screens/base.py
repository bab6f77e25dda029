"""The base of every screen in the main window's navigation."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from app.domain.users import Permission, Role
from ui.context import UiContext


class Screen(QWidget):
    """A screen: one module under ui/screens, registered in ui/screens/__init__.py.

    Subclasses set ``permission`` (the screen is listed only for roles that have it; the services
    check again) and implement ``title()``. ``activated()`` is called when the screen is shown;
    station screens that take scans set ``takes_scans`` and get them through ``on_scan``.
    """

    permission: ClassVar[Permission] = Permission.VIEW_ORDERS
    takes_scans: ClassVar[bool] = False
    #: roles that see this screen first when they log in (a packer: the pack screen)
    first_for: ClassVar[frozenset[Role]] = frozenset()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    @classmethod
    def title(cls) -> str:
        raise NotImplementedError

    def activated(self) -> None:
        """Called each time the screen becomes the visible one."""

    def can_leave(self) -> bool:
        """False keeps the screen open (it has unsaved changes and the user chose to stay)."""
        return True

    def on_scan(self, event: object) -> None:
        """A scan for this screen (only when it is visible and ``takes_scans``)."""
