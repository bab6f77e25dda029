#!/usr/bin/env python3
"""Screenshots of the log-in dialog after too many failed tries (English and Chinese), offscreen,
into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_login.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import auth  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.login import LoginDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'shots.sqlite'}", station="pack-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        dialog = LoginDialog(services, lang)
        dialog.show()
        dialog.username.setText("packer1")
        for _ in range(5):  # the fifth closes log-in; in the second language it is still closed
            dialog.password.setText("a-wrong-guess")
            dialog._try_login()
            if "border" in dialog.error.styleSheet():
                break
        for _ in range(5):
            QApplication.processEvents()
        path = OUT / f"login_locked_{lang}.png"
        dialog.grab().save(str(path))
        print(path.relative_to(ROOT))
        dialog.close()
    services.close()


if __name__ == "__main__":
    main()
