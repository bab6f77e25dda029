#!/usr/bin/env python3
"""Screenshots of the Pick screen in each state: the next task, a wrong scan, a short pick
waiting for its reason, and the batch done; in English and Chinese, offscreen, into
docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_pick.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import update  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Product  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import auth, scanning  # noqa: E402
from tests.wave_fixtures import build_wave  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.pick import PickScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
NAMES = {
    "CUP-1": "保温杯 500ml 星空蓝 Vacuum bottle",
    "PEN-1": "中性笔 0.5mm 黑色 12支装",
    "BAG-1": "帆布购物袋 米白",
}


def product_picture(folder: Path) -> str:
    """A simple drawing of a bottle, standing in for a catalogue photo."""
    pixmap = QPixmap(360, 360)
    pixmap.fill(QColor("white"))
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#1e3a8a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(120, 90, 120, 240), 30, 30)
    p.setBrush(QColor("#94a3b8"))
    p.drawRoundedRect(QRectF(135, 40, 90, 60), 12, 12)
    p.end()
    folder.mkdir(parents=True, exist_ok=True)
    pixmap.save(str(folder / "cup.png"))
    return "images/cup.png"


def shop() -> tuple[Services, Actor]:
    services, admin, _ = fresh_shop()
    build_wave(services, admin)
    image = product_picture(services.paths.data_dir / "images")
    with services.uow() as uow:
        for sku, name in NAMES.items():
            values = {"name": name, "image_path": image if sku == "CUP-1" else ""}
            uow.session.execute(update(Product).where(Product.sku == sku).values(**values))
        uow.commit()
    services.run(auth.create_user, admin, "picker1", Role.PICKER, "secret-pass-1")
    picker = services.run(
        auth.login, "picker1", "secret-pass-1", services.station_id, services.station_code
    )
    return services, picker


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, picker = shop()
    window = MainWindow(UiContext(services, picker, Bus()))
    window.resize(1600, 900)
    window.show()
    screen = window.screen(PickScreen)
    assert isinstance(screen, PickScreen)
    settle(app)

    def scan(text: str) -> None:
        screen.on_scan(services.run(scanning.classify, text))
        settle(app, 0.3)

    def shot(name: str) -> None:
        path = OUT / f"{name}_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))

    task = screen.view.task if screen.view else None
    assert task is not None
    scan(f"LOC-{task.location}")
    shot("pick_next_task")
    scan("LOC-C-03" if task.location != "C-03" else "LOC-A-01")
    shot("pick_wrong_scan")
    scan("PD-CMD-SHORT")
    shot("pick_short")
    scan("PD-CMD-CANCEL")
    while screen.view is not None and screen.view.task is not None:
        t = screen.view.task
        if t.step == "location":
            scan(f"LOC-{t.location}")
        scan(t.sku)
        if t.qty - t.qty_picked > 1:
            scan(f"PD-CMD-QTY-{t.qty - t.qty_picked}")
        scan(t.tote)
    shot("pick_batch_done")
    window.close()
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shots(app, lang)


if __name__ == "__main__":
    main()
