#!/usr/bin/env python3
"""Screenshots of the Layout screen: the demo warehouse with a route drawn (numbered stops, the
three lengths) and coloured by fill, and the problems of a bad layout file; English and
Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_layout.py

A throw-away demo database (300 orders, so some stock is reserved) and its supervisor.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QWidget  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import auth, demo_data  # noqa: E402
from tools import shot_kit  # noqa: E402
from tools.shot_kit import run_loop, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.layout import LayoutScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
#: a realistic pick list: pick faces in several aisles on both sides of the middle cross aisle,
#: and one reserve location
ROUTE = "P03-04-2A P07-15-1B P01-18-3C P10-02-1A P05-11-2B P12-07-4A P08-19-1C R02-05-2 P03-16-2A"


def settle(ms: int = 80) -> None:
    run_loop(ms)


def shot(widget: QWidget, name: str) -> None:
    shot_kit.shot(widget, OUT, ROOT, name)


def database() -> tuple[Services, Actor, Path]:
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-layout-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(demo_data.generate, orders=300, seed=7)
    user = next(u for u in demo_data.DEMO_USERS if u.username == "supervisor")
    actor = services.run(
        auth.login, user.username, user.password, services.station_id, services.station_code
    )
    return services, actor, tmp


def bad_file(tmp: Path) -> Path:
    path = tmp / "仓库布局.csv"
    path.write_text(
        "kind,code,x,y,y_from,y_to,name,colour,aisle,default\n"
        "aisle,01,2,,1.5,29.5,,,,\n"
        "aisle,02,five,,1.5,29.5,,,,\n"
        "aisle,03,8,,30,2,,,,\n"
        "aisle,03,11,,1.5,25,,,,\n"
        "cross_aisle,,,1.5,,,front,,,\n"
        "cross_aisle,,,29.5,,,back,,,\n"
        "depot,PACK,10,0,,,打包台,,,yes\n"
        "location,P01-01-1A,,35,,,,,01,\n"
        "location,P99-01-1A,,3,,,,,01,\n",
        encoding="utf-8",
    )
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    services, actor, tmp = database()
    ctx = UiContext(services, actor, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        screen = LayoutScreen(ctx)
        screen.resize(1500, 860)
        screen.show()
        screen.activated()
        wait(screen.loaded)
        screen.route_input.setText(ROUTE)
        screen.try_route()
        wait(screen.routed)
        shot(screen, f"layout_route_{lang}")
        screen.fill_button.setChecked(True)
        shot(screen, f"layout_fill_{lang}")
        screen.load_file(bad_file(tmp))
        wait(screen.file_loaded)
        shot(screen, f"layout_bad_file_{lang}")
        screen.close()
    services.close()


if __name__ == "__main__":
    main()
