"""A pack bench in the real main window: the emulated serial scanner and scale on real ptys and
the emulated network label printer on loopback TCP; a shop with weights, a carton, a carrier
with a pool of tracking numbers and a rule; and orders to pack, picked into totes by the real
pick services or allocated with no picking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, update

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import (
    Carrier,
    CarrierService,
    PackageType,
    Product,
    ShippingRule,
    TrackingNumber,
)
from app.devices.emulators import ScaleEmulator, ScannerEmulator
from app.devices.emulators.printer import PrinterEmulator
from app.devices.station_config import (
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    StationDevicesConfig,
)
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor, Role
from app.services import auth, pack_settings, pick_claim, picking, scanning, stations
from tests.conftest import make_actor
from tests.wave_fixtures import WaveSetup, allocated_orders, build_wave
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.feedback import Feedback
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.pack import PackScreen

#: every product weighs this much; the carton's tare is TARE_G
ITEM_G = 250
TARE_G = 120
CARTON = "PKG-BOX-M"
POOL = tuple(f"SF{n:010d}" for n in range(1, 9))


@dataclass
class Bench:
    window: MainWindow
    screen: PackScreen
    scanner: ScannerEmulator
    scale: ScaleEmulator
    printer: PrinterEmulator
    feedback: Feedback
    services: Services
    admin: Actor
    packer: Actor
    wave: WaveSetup | None = None
    order_ids: list[int] = field(default_factory=list)


def set_up_shipping(services: Services, admin: Actor, pool: tuple[str, ...] = POOL) -> None:
    """Weights on every product, one carton, SF Express with a pool and a rule choosing it,
    and the shop as sender."""
    with services.uow() as uow:
        s = uow.session
        s.execute(update(Product).values(weight_g=ITEM_G, length_mm=100, width_mm=80, height_mm=60))
        s.execute(
            insert(PackageType),
            [
                {
                    "code": "BOX-M",
                    "name": "Box M",
                    "kind": "box",
                    "barcode": CARTON,
                    "inner_length_mm": 300,
                    "inner_width_mm": 200,
                    "inner_height_mm": 150,
                    "tare_g": TARE_G,
                    "max_weight_g": 10_000,
                }
            ],
        )
        carrier = s.execute(
            insert(Carrier).returning(Carrier.id),
            [{"code": "SF", "name": "SF Express", "plugin": "pool", "pool_low_warning": 3}],
        ).scalar_one()
        service = s.execute(
            insert(CarrierService).returning(CarrierService.id),
            [{"carrier_id": carrier, "code": "STD", "name": "Standard"}],
        ).scalar_one()
        if pool:
            s.execute(
                insert(TrackingNumber),
                [{"carrier_id": carrier, "carrier_service_id": service, "number": n} for n in pool],
            )
        s.execute(
            insert(ShippingRule),
            [
                {
                    "position": 1,
                    "name": "Everything by SF",
                    "conditions": {},
                    "action": "set",
                    "carrier_service_id": service,
                    "stop": True,
                }
            ],
        )
        uow.commit()
    settings = PackSettings(
        sender_name="小店 Little Shop", sender_city="深圳市", sender_phone="075512345678"
    )
    services.run(pack_settings.save_pack_settings, admin, settings)


def pick_wave(services: Services, admin: Actor, method: str = "cluster") -> WaveSetup:
    """A released wave picked to the end into its totes by the real pick services."""
    wave = build_wave(services, admin, method=method)
    picker = make_actor(services, admin, Role.PICKER, "picker1")
    claimed = services.run(pick_claim.get_work, picker)
    assert claimed is not None
    view = services.run(picking.pick_view, picker, claimed.batch_id)
    while view.task is not None:
        task = view.task
        texts = [f"LOC-{task.location}", task.sku]
        if task.qty > 1:
            texts.append(f"PD-CMD-QTY-{task.qty}")
        texts.append(task.tote)
        for text in texts:
            event = services.run(scanning.classify, text)
            result = services.run(picking.pick_scan, picker, claimed.batch_id, event)
            assert result.accepted, (text, result.template)
        view = result.view
    return wave


@dataclass
class Rig:
    scanner: ScannerEmulator
    scale: ScaleEmulator
    printer: PrinterEmulator


def open_bench(
    qtbot: QtBot,
    qapp: QApplication,
    db_url: str,
    paths: Paths,
    *,
    picked: bool = True,
    method: str = "cluster",
    pool: tuple[str, ...] = POOL,
    language: str = "en",
) -> Iterator[Bench]:
    """The bench, logged in as a packer, the main window open on the pack screen."""
    install_fonts(qapp)
    install_language(qapp, language)
    services = bootstrap(Settings(db_url=db_url, station="pack-01"), paths)
    rig = Rig(ScannerEmulator(), ScaleEmulator("mtsics", seed=7), PrinterEmulator("zpl"))
    rig.printer.start()
    try:
        services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
        admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
        wave = pick_wave(services, admin, method) if picked else None
        order_ids = list(wave.order_ids) if wave else []
        if wave is None:
            stocked = allocated_orders(services, admin, [[("CUP-1", 2), ("PEN-1", 1)]])
            order_ids = stocked.order_ids
        set_up_shipping(services, admin, pool)
        config = StationDevicesConfig(
            scanner=ScannerSettings(mode="serial", port=rig.scanner.port),
            scale=ScaleSettings(protocol="mtsics", port=rig.scale.port, readings=2, timeout_s=2.0),
            printer=PrinterSettings(transport="tcp", address=rig.printer.address, language="zpl"),
        )
        services.run(stations.save_station_devices, admin, services.station_id, config)
        packer = make_actor(services, admin, Role.PACKER, "packer1")
        ctx = UiContext(services, packer, Bus())
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        feedback = ctx.devices["feedback"]
        station = ctx.devices["station"]
        qtbot.waitUntil(lambda: station.states["scanner"][1] == "Scanner: ready", timeout=8000)
        screen = window.current_screen()
        assert isinstance(screen, PackScreen) and isinstance(feedback, Feedback)
        yield Bench(
            window,
            screen,
            rig.scanner,
            rig.scale,
            rig.printer,
            feedback,
            services,
            admin,
            packer,
            wave,
            order_ids,
        )
        window.close()
    finally:
        rig.scanner.close()
        rig.scale.close()
        rig.printer.stop()
        QThreadPool.globalInstance().waitForDone(10_000)
        services.close()


def weight_kg(units: int) -> Decimal:
    """What a parcel of ``units`` items in the carton weighs on the scale."""
    return Decimal(units * ITEM_G + TARE_G) / 1000
