#!/usr/bin/env python3
"""Screenshots of the Waves screen: waves made by the demo's rules, one released and being
picked, the chosen batch's route on the map, the exceptions tab, and the carts dialog; English
and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_waves.py

A throw-away demo database (400 orders) and its supervisor.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Location, PickException, PickTask, WaveOrder  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import auth, demo_data, pick_claim, wave_plan, wave_release  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.wave_dialogs import CartsDialog  # noqa: E402
from ui.screens.waves import WavesScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(ms: int = 120) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()


def wait(signal: SignalInstance, ms: int = 20_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)
    settle()


def shot(widget: QWidget, name: str) -> None:
    widget.show()
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def _login(services: Services, name: str) -> Actor:
    user = next(u for u in demo_data.DEMO_USERS if u.username == name)
    return services.run(
        auth.login, user.username, user.password, services.station_id, services.station_code
    )


def database() -> tuple[Services, Actor]:
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-wave-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(demo_data.generate, orders=400, seed=7)
    boss = _login(services, "supervisor")
    made = services.run(wave_plan.create_waves, boss, rule="顺丰 16:30 SF cut-off")
    made += services.run(wave_plan.create_waves, boss, rule="先拣后播 pick then sort")
    made += services.run(wave_plan.create_waves, boss, rule="一单一品 single-unit")
    services.run(wave_release.release_wave, boss, made[0].number)
    claimed = services.run(pick_claim.get_work, _login(services, "picker1"))
    assert claimed is not None
    with services.uow() as uow:  # the picker's first tasks are done; one was short
        s = uow.session
        tasks = s.scalars(
            select(PickTask).where(PickTask.batch_id == claimed.batch_id).order_by(PickTask.seq)
        ).all()
        for t in tasks[:3]:
            t.status, t.qty_picked = "done", t.qty
        short = tasks[3]
        order_id = s.scalar(select(WaveOrder.order_id).where(WaveOrder.batch_id == short.batch_id))
        s.execute(
            insert(PickException),
            [
                {
                    "wave_id": claimed.wave_id,
                    "batch_id": claimed.batch_id,
                    "pick_task_id": short.id,
                    "order_id": order_id,
                    "product_id": short.product_id,
                    "location_id": s.scalar(
                        select(Location.id).where(Location.id == short.location_id)
                    ),
                    "qty_short": 1,
                    "reason": "not_found",
                    "outcome": "backordered",
                }
            ],
        )
        uow.commit()
    return services, boss


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    services, boss = database()
    ctx = UiContext(services, boss, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        screen = WavesScreen(ctx)
        screen.resize(1500, 900)
        screen.show()
        screen.activated()
        wait(screen.route_shown)
        screen.wave_table.selectRow(len(screen.waves.rows) - 1)  # the oldest: released
        wait(screen.route_shown)
        shot(screen, f"waves_route_{lang}")
        screen.tabs.setCurrentIndex(1)
        shot(screen, f"waves_exceptions_{lang}")
        dialog = CartsDialog(ctx, screen)
        dialog.table.selectRow(1)
        shot(dialog, f"waves_carts_{lang}")
        dialog.close()
        screen.close()
    services.close()


if __name__ == "__main__":
    main()
