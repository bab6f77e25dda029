"""What the screenshot tools share: letting the event loop run, and a fresh shop (a SQLite file in
a temporary folder with its first administrator logged in). Run the tools, not this module."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.domain.users import Actor
from app.services import auth

ADMIN, PASSWORD = "admin", "correct horse battery"


def settle(app: QApplication, seconds: float = 0.4) -> None:
    """Process events for ``seconds`` (background loads, repaints)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def fresh_shop() -> tuple[Services, Actor, Path]:
    """A new shop at station office-01 with its administrator logged in, and its folder."""
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'shop.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(auth.create_first_admin, ADMIN, PASSWORD)
    actor = services.run(auth.login, ADMIN, PASSWORD, services.station_id, services.station_code)
    return services, actor, tmp
