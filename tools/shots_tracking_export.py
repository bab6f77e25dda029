#!/usr/bin/env python3
"""Screenshots of the Export tracking dialog after an export (a Taobao shop's shipped order
written to its bulk-ship sheet), in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_tracking_export.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402

from app.db.models import Channel  # noqa: E402
from tests.shipped_fixtures import shipped_pd2  # noqa: E402
from tools.shot_kit import fresh_shop, settle, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.widgets.tracking_export import TrackingExportDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    app = make_qapp([])
    install_fonts(app)
    OUT.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        services, admin, _ = fresh_shop()
        shipped_pd2(services, admin, platform="taobao")
        with services.uow() as uow:
            uow.session.execute(
                update(Channel).where(Channel.code == "shop").values(name="淘宝 · 悦享生活旗舰店")
            )
            uow.commit()
        dialog = TrackingExportDialog(UiContext(services, admin, Bus()))
        dialog.show()
        settle(app)
        dialog.export_button.click()
        wait(dialog.exported)
        settle(app)
        path = OUT / f"tracking_export_{lang}.png"
        dialog.grab().save(str(path))
        print(path)
        dialog.close()
        services.close()


if __name__ == "__main__":
    main()
