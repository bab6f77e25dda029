"""What the screenshot tools share: letting the event loop run, and a fresh shop (a SQLite file in
a temporary folder with its first administrator logged in). Run the tools, not this module."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

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


def run_loop(ms: int = 60) -> None:
    """Run the event loop for ``ms`` milliseconds, then handle what is pending."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()


def wait(signal: SignalInstance, ms: int = 20_000) -> list[object]:
    """Run the event loop until ``signal`` (an answer from off the UI thread) comes."""
    got: list[object] = []
    loop = QEventLoop()

    def done(*args: object) -> None:
        got.extend(args)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    run_loop()
    return got


def shot(widget: QWidget, folder: Path, root: Path, name: str) -> None:
    """Show ``widget``, let it paint, save it as ``folder/name.png`` and print the path."""
    widget.show()
    run_loop()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(root))
