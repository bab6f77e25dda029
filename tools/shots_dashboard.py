#!/usr/bin/env python3
"""Screenshots of the Dashboard screen in English and Chinese, offscreen, into
docs/screenshots/: the demo warehouse after a simulated morning (tools/dashboard_morning.py:
waves picked and orders packed through the real services), read at 11:40 in Shanghai, with
cut-off times on two carriers.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_dashboard.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the warehouse's clock: cut-offs are read on it
os.environ["TZ"] = "Asia/Shanghai"
if hasattr(__import__("time"), "tzset"):
    __import__("time").tzset()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import handover  # noqa: E402
from tools.dashboard_morning import simulated_morning  # noqa: E402
from tools.shot_kit import settle, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.dashboard import DashboardScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def main() -> None:
    app = make_qapp([])
    install_fonts(app)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-dashboard-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'shop.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    now = datetime.combine(today, time(11, 40), SHANGHAI).astimezone(UTC)
    supervisor = simulated_morning(services, SHANGHAI, now, tmp)
    for carrier, cutoff in (("SF", "12:00"), ("ZTO", "16:30"), ("YTO", "17:00")):
        services.run(handover.set_cutoff, supervisor, carrier, cutoff)
    OUT.mkdir(parents=True, exist_ok=True)
    for language in ("en", "zh_CN"):
        install_language(app, language)
        screen = DashboardScreen(UiContext(services, supervisor, Bus()))
        screen.clock, screen.tz = (lambda: now), SHANGHAI
        screen.resize(1600, 1000)
        screen.show()
        screen.refresh()
        wait(screen.loaded)
        settle(app, 0.5)
        name = "dashboard_en" if language == "en" else "dashboard_zh"
        path = OUT / f"{name}.png"
        screen.grab().save(str(path))
        print(path.relative_to(ROOT))
        screen.close()
    services.close()


if __name__ == "__main__":
    main()
