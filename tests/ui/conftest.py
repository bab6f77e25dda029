"""UI tests run the real screens on a real migrated SQLite file."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.domain.users import Actor
from app.services import auth
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language

#: how long a modal dialog may stay open in a test before it counts as forgotten (the tests that
#: answer one do it within a second)
FORGOTTEN_DIALOG_S = 30.0


@pytest.fixture(autouse=True)
def no_forgotten_dialog(qapp: QApplication) -> Iterator[None]:
    """Offscreen nobody clicks: a modal dialog a test did not expect would hold the run for
    ever. One still open after ``FORGOTTEN_DIALOG_S`` is closed and the test fails, naming it."""
    opened: dict[int, float] = {}
    forgotten: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            return
        since = opened.setdefault(id(box), time.monotonic())
        if time.monotonic() - since > FORGOTTEN_DIALOG_S:
            text = getattr(box, "text", lambda: "")()
            forgotten.append(f"{type(box).__name__} {box.windowTitle()!r}: {text}")
            box.done(0) if isinstance(box, QDialog) else box.close()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    assert not forgotten, f"a dialog nobody answered was left open: {forgotten}"


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
