#!/usr/bin/env python3
"""Screenshots of the Settings screen (each section, a field error) and the About dialog;
English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_settings.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.db.models import Carrier, Channel  # noqa: E402
from app.services import handover_cutoffs, settings_logo  # noqa: E402
from tools import shot_kit  # noqa: E402
from tools.shot_kit import fresh_shop, run_loop, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.settings import SettingsScreen  # noqa: E402
from ui.widgets.about import AboutDialog  # noqa: E402
from ui.widgets.settings_sections import CutoffsSection  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
NAMES = ("allocation", "checks", "masking", "retention", "cutoffs", "mail", "shop", "packing")


def _logo() -> bytes:
    picture = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle((6, 6, 354, 114), 18, fill="#0d47a1")
    draw.ellipse((24, 24, 96, 96), fill="#ffca28")
    draw.rectangle((120, 48, 330, 72), fill="white")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    services, actor, _tmp = fresh_shop()
    with services.uow() as uow:
        uow.session.execute(
            insert(Carrier),
            [{"code": "SF", "name": "顺丰速运"}, {"code": "ZTO", "name": "中通快递"}],
        )
        uow.session.execute(
            insert(Channel),
            [{"code": "tmall", "name": "天猫"}, {"code": "b2b", "name": "B2B orders"}],
        )
        uow.commit()
    services.run(handover_cutoffs.set_cutoff, actor, "SF", "17:30")
    services.run(settings_logo.set_shop_logo, actor, _logo(), "shop-logo.png")
    ctx = UiContext(services, actor, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        screen = SettingsScreen(ctx)
        screen.resize(1200, 760)
        screen.show()
        screen.activated()
        wait(screen.loaded)
        for i, name in enumerate(NAMES):
            screen.list.setCurrentRow(i)
            run_loop()
            shot_kit.shot(screen, OUT, ROOT, f"settings_{name}_{lang}")
        cutoffs = next(s for s in screen.sections if isinstance(s, CutoffsSection))
        cutoffs.edits["ZTO"].setText("25:70")
        screen.save()
        run_loop()
        shot_kit.shot(screen, OUT, ROOT, f"settings_field_error_{lang}")
        screen.close()
        about = AboutDialog(services)
        about.show()
        wait(about.parts_loaded)
        for _ in range(20):
            run_loop(100)
            if "(" in about.schema.text() or "（" in about.schema.text():
                break
        row = next(i for i, p in enumerate(about.parts) if p.name == "SQLAlchemy")
        about.table.selectRow(row)
        run_loop()
        shot_kit.shot(about, OUT, ROOT, f"about_{lang}")
        about.close()
    services.close()


if __name__ == "__main__":
    main()
