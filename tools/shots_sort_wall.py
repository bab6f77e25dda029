#!/usr/bin/env python3
"""Screenshots of the sort wall (mid-sort with a unit in hand, a slot just completed, a wrong
slot refused) in English and Chinese, and the first page of a pick list rendered to PNG;
offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_sort_wall.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.services import picklist, scanning  # noqa: E402
from tests.sort_wall_fixtures import CASE_EAN, CUP_EAN, TOTE, picked_sort_wave  # noqa: E402
from tests.wave_fixtures import build_wave  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.sort_wall import SortWallScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def scan(app: QApplication, screen: SortWallScreen, services: Services, text: str) -> None:
    screen.on_scan(services.run(scanning.classify, text))
    settle(app, 0.2)


def wall_shots(app: QApplication, lang: str) -> None:
    services, actor, _ = fresh_shop()
    picked_sort_wave(services, actor)
    screen = SortWallScreen(UiContext(services, actor, Bus()))
    screen.resize(1366, 800)
    screen.show()
    screen.activated()
    settle(app)
    scan(app, screen, services, TOTE)
    for code in (CUP_EAN, "WALL-01", CASE_EAN, "WALL-03", CUP_EAN):
        scan(app, screen, services, code)
    screen.feedback.banner.hide()
    screen.grab().save(str(OUT / f"sort_wall_mid_{lang}.png"))
    scan(app, screen, services, "WALL-01")  # a wrong slot: the cup goes to slot 2
    screen.grab().save(str(OUT / f"sort_wall_wrong_{lang}.png"))
    scan(app, screen, services, "WALL-02")
    scan(app, screen, services, CUP_EAN)
    scan(app, screen, services, "WALL-02")  # order 2 complete
    screen.grab().save(str(OUT / f"sort_wall_complete_{lang}.png"))
    screen.close()
    services.close()


def pick_list_page() -> None:
    services, actor, _ = fresh_shop()
    wave = build_wave(services, actor)
    with services.uow() as uow:
        from app.db.models import Wave

        number = uow.session.get_one(Wave, wave.wave_id).number
    document, _, _ = services.run(picklist.pick_list_document, actor, number)
    page = pdfium.PdfDocument(document)[0]
    page.render(scale=110 / 72).to_pil().save(str(OUT / "picklist_page.png"))
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        wall_shots(app, lang)
    pick_list_page()


if __name__ == "__main__":
    main()
