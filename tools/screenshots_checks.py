#!/usr/bin/env python3
"""Screenshots of the check settings dialog (refused words per country and carrier), English
and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_checks.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QLabel  # noqa: E402

from app.domain.check_settings import CheckSettings  # noqa: E402
from app.domain.holds import hold  # noqa: E402
from tools.screenshots import shot  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.i18n import hold_text, install_language  # noqa: E402
from ui.screens.review import CheckSettingsDialog  # noqa: E402


def main() -> None:
    app = make_qapp()
    install_fonts(app)
    reasons = [
        hold(
            "missing_address",
            "address_parts_missing",
            parts=["state", "ZIP code"],
            country="United States (US)",
        ),
        hold(
            "bad_postal_code",
            "postal_code_form_example",
            postal_code="2012",
            country="Italy (IT)",
            example="00144",
        ),
        hold(
            "bad_postal_code",
            "postal_code_street",
            postal_code="Via Roma 12 20121 Milano",
            country="Italy (IT)",
        ),
    ]
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        dialog = CheckSettingsDialog(CheckSettings())
        dialog.resize(980, 560)
        shot(dialog, f"check_settings_{lang}")
        label = QLabel("\n".join(hold_text(r.reason, r.template, r.params) for r in reasons))
        label.setMargin(16)
        label.setMinimumSize(1150, 110)
        shot(label, f"address_holds_{lang}")


if __name__ == "__main__":
    main()
