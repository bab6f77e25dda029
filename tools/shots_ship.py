#!/usr/bin/env python3
"""Screenshots of shipping (交接), in English and Chinese, offscreen, into docs/screenshots/:
the Ship screen while reconciling (one parcel scanned, one missing, the cut-off board amber), a
handover manifest's first page, and the carriers' cut-off times on the Carriers screen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_ship.py
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Carrier  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import handover  # noqa: E402
from tests.conftest import make_actor  # noqa: E402
from tests.handover_fixtures import ShipSetup, ship_ready  # noqa: E402
from tools.shot_kit import fresh_shop, settle, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.carriers import CarriersScreen  # noqa: E402
from ui.screens.ship import ShipScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def shop() -> tuple[Services, Actor, Actor, ShipSetup]:
    """Two orders packed for SF (its cut-off 20 minutes away), ZTO and YTO with cut-offs, and
    a shipper (the Ship screen scans PD1's parcel onto the day's handover)."""
    services, admin, _ = fresh_shop()
    setup = ship_ready(services, admin)
    with services.uow() as uow:
        uow.session.execute(
            insert(Carrier),
            [{"code": "ZTO", "name": "中通快递 ZTO"}, {"code": "YTO", "name": "圆通速递 YTO"}],
        )
        uow.commit()
    soon = (datetime.now() + timedelta(minutes=20)).strftime("%H:%M")
    past = (datetime.now() - timedelta(minutes=40)).strftime("%H:%M")
    later = (datetime.now() + timedelta(hours=3)).strftime("%H:%M")
    for code, at in (("SF", soon), ("ZTO", past), ("YTO", later)):
        services.run(handover.set_cutoff, admin, code, at)
    shipper = make_actor(services, admin, Role.SHIPPER, "li.na")
    return services, admin, shipper, setup


def ship_screen(
    app: QApplication, lang: str, services: Services, shipper: Actor, tracking: str
) -> None:
    window = MainWindow(UiContext(services, shipper, Bus()))
    window.resize(1400, 760)
    window.show()
    screen = window.screen(ShipScreen)
    assert isinstance(screen, ShipScreen)
    wait(screen.loaded)
    screen.picker.setCurrentIndex(screen.picker.findText("SF", flags=_contains()))
    wait(screen.loaded)
    scanned = services.run(handover.scan_parcel, shipper, tracking)  # as the scanner would
    screen._scanned(scanned)
    wait(screen.loaded)
    settle(app)
    _save(window, f"ship_{lang}")
    window.close()


def _contains():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchContains


def carriers(app: QApplication, lang: str, services: Services, admin: Actor) -> None:
    window = MainWindow(UiContext(services, admin, Bus()))
    window.resize(1200, 600)
    window.show()
    screen = window.screen(CarriersScreen)
    assert isinstance(screen, CarriersScreen)
    wait(screen.loaded)
    dialog = screen.open_cutoffs()
    dialog.resize(520, 300)
    settle(app)
    _save(dialog, f"carrier_cutoffs_{lang}")
    dialog.close()
    window.close()


def manifest(services: Services, shipper: Actor, setup: ShipSetup, tmp: Path) -> None:
    services.run(handover.scan_parcel, shipper, setup.tracking["PD2"])
    [row] = [r for r in services.run(handover.list_handovers, shipper) if r.status == "open"]
    closed = services.run(handover.close_handover, shipper, row.id, manifest_dir=tmp)
    page = pdfium.PdfDocument(closed.manifest_path)[0]
    path = OUT / "handover_manifest.png"
    page.render(scale=110 / 72).to_pil().save(path)
    print(path.relative_to(ROOT))


def _save(widget: object, name: str) -> None:
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    print(path.relative_to(ROOT))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        services, admin, shipper, setup = shop()
        ship_screen(app, lang, services, shipper, setup.tracking["PD1"])
        carriers(app, lang, services, admin)
        if lang == "en":
            manifest(services, shipper, setup, services.paths.data_dir / "manifests")
        services.close()


if __name__ == "__main__":
    main()
