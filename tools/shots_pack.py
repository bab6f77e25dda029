#!/usr/bin/env python3
"""Screenshots of the Pack screen in each state: waiting for a scan, verifying, a wrong item, a
weight stop, several parcels, the label printed (and single-unit mode when the station has it);
in English and Chinese, offscreen, into docs/screenshots/. The real main window, the emulated
scale and network printer, a picked wave of demo-like orders.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_pack.py
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Order, Parcel, Product  # noqa: E402
from app.devices.emulators import ScaleEmulator  # noqa: E402
from app.devices.emulators.printer import PrinterEmulator  # noqa: E402
from app.devices.station_config import (  # noqa: E402
    PrinterSettings,
    ScaleSettings,
    StationDevicesConfig,
)
from app.domain.users import Role  # noqa: E402
from app.services import auth, pack_after, scanning, stations  # noqa: E402
from tests.ui.pack_fixtures import CARTON, pick_wave, set_up_shipping, weight_kg  # noqa: E402
from tests.wave_fixtures import WaveSetup  # noqa: E402
from tools.shot_kit import ADMIN, PASSWORD, fresh_shop, run_loop, settle, wait  # noqa: E402
from tools.shots_pick import NAMES, product_picture  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.pack import PackScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def bench(
    app: QApplication, method: str
) -> tuple[Services, MainWindow, PackScreen, WaveSetup, ScaleEmulator, PrinterEmulator]:
    """A shop with a picked wave, the emulated scale and printer, a packer logged in."""
    services, admin, _ = fresh_shop()
    scale, printer = ScaleEmulator("mtsics", seed=3), PrinterEmulator("zpl")
    printer.start()
    wave = pick_wave(services, admin, method)
    set_up_shipping(services, admin)
    image = product_picture(services.paths.data_dir / "images")
    with services.uow() as uow:
        for sku, name in NAMES.items():
            values = {"name": name, "image_path": image if sku == "CUP-1" else ""}
            uow.session.execute(update(Product).where(Product.sku == sku).values(**values))
        uow.commit()
    config = StationDevicesConfig(
        scale=ScaleSettings(protocol="mtsics", port=scale.port, readings=2, timeout_s=2.0),
        printer=PrinterSettings(transport="tcp", address=printer.address, language="zpl"),
    )
    services.run(stations.save_station_devices, admin, services.station_id, config)
    services.run(
        auth.create_user, admin, "boss", Role.SUPERVISOR, "secret-pass-1", badge="B-1", pin="1234"
    )
    services.run(auth.create_user, admin, "packer1", Role.PACKER, "secret-pass-1")
    packer = services.run(
        auth.login, "packer1", "secret-pass-1", services.station_id, services.station_code
    )
    window = MainWindow(UiContext(services, packer, Bus()))
    window.resize(1600, 900)
    window.show()
    screen = window.current_screen()
    assert isinstance(screen, PackScreen)
    settle(app, 1.5)
    return services, window, screen, wave, scale, printer


def close(
    services: Services, window: MainWindow, scale: ScaleEmulator, printer: PrinterEmulator
) -> None:
    """The bench's window, devices and database closed."""
    window.close()
    scale.close()
    printer.stop()
    services.close()


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, window, screen, wave, scale, printer = bench(app, "cluster")

    def scan(text: str) -> None:
        screen.on_scan(services.run(scanning.classify, text))
        wait(screen.answered)
        run_loop(200)

    def put(kg: Decimal) -> None:
        scale.put(kg)
        wait(screen.answered)
        run_loop(300)

    def shot(name: str) -> None:
        run_loop(200)
        path = OUT / f"pack-{name}_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))

    shot("waiting")
    first, second = wave.order_ids[0], wave.order_ids[1]
    scan(wave.tote_codes[first])
    scan("CUP-1")
    shot("verifying")
    scan("BAG-1")
    shot("wrong-item")
    scan("CUP-1")
    scan("PEN-1")
    scan(CARTON)
    scale.put(weight_kg(6))
    run_loop(1500)
    scan("PD-CMD-READ")
    shot("weight-mismatch")
    scan("B-1")
    wait(screen.job_seen, 8000)
    shot("label-printed")
    # several parcels: the second order in two
    scale.clear()
    run_loop(600)
    scan(wave.tote_codes[second])
    scan("PEN-1")
    scan(CARTON)
    scale.put(weight_kg(1))
    run_loop(1200)
    scan("PD-CMD-NEXTPARCEL")  # weighs the first parcel, labels it, starts the second
    wait(screen.job_seen, 8000)
    scale.clear()
    scan("BAG-1")
    shot("several-parcels")
    close(services, window, scale, printer)
    voided_shot(app, lang)
    single_shots(app, lang)


def voided_shot(app: QApplication, lang: str) -> None:
    """The label waited for paper, the parcel was voided meanwhile: the worker does not draw
    it, and the screen says why it was not printed."""
    services, window, screen, wave, scale, printer = bench(app, "cluster")
    printer.set_state(paper_out=True)
    for text in (wave.tote_codes[wave.order_ids[0]], "CUP-1", "CUP-1", "PEN-1", CARTON):
        screen.on_scan(services.run(scanning.classify, text))
        wait(screen.answered)
    scale.put(weight_kg(6))
    run_loop(1500)
    for text in ("PD-CMD-READ", "B-1"):  # too heavy: the supervisor accepts it
        screen.on_scan(services.run(scanning.classify, text))
        wait(screen.answered)
    wait(screen.job_seen, 8000)  # waiting for paper
    admin = services.run(auth.login, ADMIN, PASSWORD, services.station_id, services.station_code)
    with services.uow() as uow:
        parcel = uow.session.scalars(
            select(Parcel.id).where(Parcel.order_id == wave.order_ids[0])
        ).one()
    services.run(pack_after.void_parcel, admin, parcel, "wrong carton")
    printer.set_state(paper_out=False)
    wait(screen.job_seen, 8000)  # not drawn: failed with the reason
    run_loop(300)
    path = OUT / f"pack-label-not-drawn_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
    close(services, window, scale, printer)


def single_shots(app: QApplication, lang: str) -> None:
    services, window, screen, wave, scale, printer = bench(app, "single_unit")
    screen.on_scan(services.run(scanning.classify, wave.bulk_tote))
    wait(screen.answered)
    scale.put(weight_kg(1))
    run_loop(1500)
    for sku in ("CUP-1", "CUP-1"):
        screen.on_scan(services.run(scanning.classify, sku))
        wait(screen.answered)
        wait(screen.job_seen, 8000)
        run_loop(300)
    path = OUT / f"pack-single-unit_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
    close(services, window, scale, printer)


def pickup_shots(app: QApplication, lang: str) -> None:
    """A pickup order packed: its shelf slot huge on the waiting page."""
    install_language(app, lang)
    services, window, screen, wave, scale, printer = bench(app, "cluster")
    first = wave.order_ids[0]
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == first).values(pickup=True))
        uow.commit()
    for text in (wave.tote_codes[first], "CUP-1", "CUP-1", "PEN-1"):
        screen.on_scan(services.run(scanning.classify, text))
        wait(screen.answered)
        run_loop(200)
    run_loop(600)
    path = OUT / f"pack-pickup-shelf_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
    close(services, window, scale, printer)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        if "pickup" not in sys.argv[1:]:
            shots(app, lang)
        pickup_shots(app, lang)


if __name__ == "__main__":
    main()
