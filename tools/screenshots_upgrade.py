#!/usr/bin/env python3
"""Screenshots of the start-up messages about database upgrades, in English and Chinese, offscreen,
into docs/screenshots/ (the same box ``ui.application.run_app`` shows when start-up fails).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_upgrade.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app import __version__  # noqa: E402
from app.domain.errors import (  # noqa: E402
    MigrationFailedLocal,
    OlderStationsOnline,
    PackdeskError,
    UpgradeInProgress,
)
from ui.application import make_qapp  # noqa: E402
from ui.i18n import error_text, install_language  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

EXAMPLES: dict[str, PackdeskError] = {
    "upgrade_older_stations": OlderStationsOnline(
        version=__version__,
        minutes=10,
        stations="pack-02 (0.0.9), ship-01 (?)",
    ),
    "upgrade_waiting": UpgradeInProgress(holder="pack-01, 192.168.1.21", seconds=120),
    "upgrade_failed": MigrationFailedLocal(
        revision="0009_totes",
        reason="(sqlite3.IntegrityError) UNIQUE constraint failed: totes.code",
        backup=r"C:\Users\pack\AppData\Local\Packdesk\packdesk.before-0008_hardening-"
        r"20261206-051200-123456.sqlite",
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        for name, exc in EXAMPLES.items():
            box = QMessageBox(QMessageBox.Icon.Critical, "Packdesk", error_text(exc))
            box.show()
            for _ in range(5):
                QApplication.processEvents()
            path = OUT / f"{name}_{lang}.png"
            box.grab().save(str(path))
            print(path.relative_to(ROOT))
            box.close()


if __name__ == "__main__":
    main()
