#!/usr/bin/env python3
"""Screenshots of the station device screen and the demo emulator panel, offscreen, into
docs/screenshots/ (English; ``--lang zh_CN`` for Chinese).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_devices.py

A throw-away demo warehouse in demo mode: the emulated scanner scans real barcodes of it, a
parcel goes on the emulated scale, a test label is printed and opened as an image.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.labels import pdf  # noqa: E402
from app.labels.station_card import station_card  # noqa: E402
from app.services import auth, demo_data  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.emulator_panel import SAMPLE_KIND_ROLE, EmulatorPanel  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.devices import DevicesScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def pump(app: QApplication, until: Callable[[], bool] | None = None, seconds: float = 0.3) -> None:
    deadline = time.monotonic() + (10 if until else seconds)
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            return
        time.sleep(0.01)
    if until is not None:
        raise SystemExit("timed out waiting for the devices")


def shot(widget: QWidget, name: str) -> None:
    widget.show()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="en", choices=["en", "zh_CN"])
    lang = ap.parse_args().lang
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    install_language(app, lang)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-dev-"))
    paths = Paths(tmp / "c", tmp / "d", tmp / "l")
    settings = Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="pack-01", demo=True)
    services = bootstrap(settings, paths)
    services.run(demo_data.generate, orders=100, seed=7)
    admin = demo_data.DEMO_USERS[0]
    actor = services.run(auth.login, admin.username, admin.password, services.station_id, "pack-01")
    ctx = UiContext(services, actor, Bus())
    window = MainWindow(ctx)  # demo mode: starts the emulators and the panel
    window.resize(1400, 1000)
    window.show()
    screen = window.screen(DevicesScreen)
    assert isinstance(screen, DevicesScreen)
    panel = ctx.devices["emulator_panel"]
    assert isinstance(panel, EmulatorPanel)
    station = window.station_devices
    pump(app, lambda: station.states.get("scanner", (False,))[0])
    pump(app, lambda: station.states.get("printer", (False,))[0])

    def scan(kind: str, nth: int = 0) -> None:
        found = [
            i
            for i in range(panel.samples.count())
            if panel.samples.itemData(i, SAMPLE_KIND_ROLE) == kind
        ]
        panel.samples.setCurrentIndex(found[nth])
        panel.scan_sample()
        pump(app, seconds=0.25)

    for kind, nth in (("location", 0), ("product", 0), ("gs1", 0), ("command", 1), ("tracking", 0)):
        scan(kind, nth)
    panel.demo.scale.put("1.285")
    screen.read_weight()
    pump(app, lambda: screen.weight.text().endswith("kg"))
    screen.print_test_label()
    pump(app, lambda: panel.jobs.count() == 1)
    scan("unknown")
    pump(app, lambda: len(station.recent_scans) == 6)
    pump(app, seconds=1.2)  # the live weight is polled once a second
    shot(window, f"devices_feedback_error_{lang}")
    ctx.devices["feedback"].banner.hide()
    shot(window, f"devices_screen_{lang}")
    shot(panel, f"emulator_panel_{lang}")
    panel.open_label()
    pump(app, lambda: bool(panel.dialogs))
    dialog = panel.dialogs[0]
    dialog.resize(700, 1000)
    pump(app, seconds=0.2)
    shot(dialog, f"printed_label_{lang}")
    panel.paper_out.setChecked(True)
    pump(app, lambda: station.states["printer"][1] == "Printer: not ready" or lang != "en")
    pump(app, seconds=0.5)
    ctx.devices["feedback"].banner.hide()
    shot(window, f"devices_paper_out_{lang}")
    window.close()
    services.close()
    card_path = OUT / "station_card.png"
    card = pdfium.PdfDocument(pdf.render(station_card("100x150mm", 203, "pack-01")))[0]
    card.render(scale=203 / 72).to_pil().save(card_path)
    print(card_path.relative_to(ROOT))


if __name__ == "__main__":
    main()
