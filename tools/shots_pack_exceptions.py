#!/usr/bin/env python3
"""Screenshots of the Pack exceptions screen (supervisors): parcels stopped at the scale at two
stations, in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_pack_exceptions.py
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Station  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import pack_single  # noqa: E402
from tests.conftest import make_actor  # noqa: E402
from tests.pick_fixtures import BARCODES  # noqa: E402
from tests.single_fixtures import single_ready  # noqa: E402
from tools.shot_kit import fresh_shop, settle, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.pack_exceptions import PackExceptionsScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def shop() -> tuple[Services, Actor]:
    """Two parcels stopped at the scale, at two stations (a cup too heavy, a pen too heavy)."""
    services, admin, _ = fresh_shop()
    setup = single_ready(services, admin)
    with services.uow() as uow:
        sid = uow.session.execute(
            insert(Station).returning(Station.id), [{"code": "pack-02", "devices": {}}]
        ).scalar_one()
        uow.commit()
    other = replace(
        make_actor(services, admin, Role.PACKER, "wang.fang"),
        station_id=int(sid),
        station_code="pack-02",
    )
    for packer, sku, grams in ((setup.packer, "CUP-1", 905), (other, "PEN-1", 95)):
        out = services.run(pack_single.single_scan, packer, setup.batch_id, BARCODES[sku], grams)
        assert out.kind == "weight_stopped", out.message
    return services, setup.supervisor


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, supervisor = shop()
    window = MainWindow(UiContext(services, supervisor, Bus()))
    window.resize(1400, 700)
    window.show()
    screen = window.screen(PackExceptionsScreen)
    assert isinstance(screen, PackExceptionsScreen)
    if not screen.model.rows:
        wait(screen.loaded)
    settle(app)
    path = OUT / f"pack_exceptions_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
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
