#!/usr/bin/env python3
"""Screenshot of the Pack screen when the order on the bench is stopped elsewhere (the channel
cancelled it while it was packed: the office's import holds it): the live update shows it at once.
English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_live.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db.models import Order  # noqa: E402
from app.services import auth, scanning  # noqa: E402
from app.services.channel_cancel import hold_to_stop  # noqa: E402
from tools.shot_kit import ADMIN, PASSWORD, run_loop, wait  # noqa: E402
from tools.shots_pack import bench  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.i18n import install_language  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def shot(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, window, screen, wave, scale, printer = bench(app, "cluster")
    first = wave.order_ids[0]
    for text in (wave.tote_codes[first], "CUP-1"):
        screen.on_scan(services.run(scanning.classify, text))
        wait(screen.answered)
        run_loop(200)
    office = bootstrap(
        Settings(db_url=services.settings.db_url, station="office-01"), services.paths
    )
    admin = office.run(auth.login, ADMIN, PASSWORD, office.station_id)
    with office.uow() as uow:
        hold_to_stop(uow, admin, uow.session.get_one(Order, first))
        uow.commit()
    wait(screen.answered, 5000)
    run_loop(300)
    path = OUT / f"pack-stopped-elsewhere_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
    office.close()
    window.close()
    scale.close()
    printer.stop()
    services.close()


def main() -> int:
    app = make_qapp([])
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shot(app, lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
