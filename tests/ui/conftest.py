"""UI tests run the real screens on a real migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.domain.users import Actor
from app.services import auth
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language


@pytest.fixture
def ui_services(sqlite_url: str, paths: Paths, qapp: QApplication) -> Iterator[Services]:
    install_fonts(qapp)
    install_language(qapp, "en")
    svc = bootstrap(Settings(db_url=sqlite_url, station="pack-01"), paths)
    yield svc
    QThreadPool.globalInstance().waitForDone(10_000)  # queries still running off the UI thread
    install_language(qapp, "en")
    svc.close()


@pytest.fixture
def ui_admin(ui_services: Services) -> Actor:
    ui_services.run(auth.create_first_admin, "admin", "correct-horse-9", ui_services.station_id)
    return ui_services.run(
        auth.login, "admin", "correct-horse-9", ui_services.station_id, ui_services.station_code
    )


@pytest.fixture
def ui_ctx(ui_services: Services, ui_admin: Actor) -> UiContext:
    return UiContext(ui_services, ui_admin, Bus())
