#!/usr/bin/env python3
"""Screenshots of the Carriers screen: pools with one running low, loading a pool file with
refused rows, the voided numbers to report; English and Chinese, offscreen, into
docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_carriers.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.db.models import Carrier, CarrierService  # noqa: E402
from app.services import tracking_pool, tracking_void  # noqa: E402
from tools import shot_kit  # noqa: E402
from tools.shot_kit import fresh_shop, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.carriers import CarriersScreen, VoidedDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
W = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(prefix: str, serial: int) -> str:
    digits = f"{serial:08d}"
    r = 11 - sum(int(d) * w for d, w in zip(digits, W, strict=True)) % 11
    return f"{prefix}{digits}{0 if r == 10 else 5 if r == 11 else r}CN"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    services, actor, tmp = fresh_shop()
    with services.uow() as uow:
        s = uow.session
        for code, name, warn, services_ in (
            ("EMS", "中国邮政 EMS", 200, (("STD", "标准快递"),)),
            ("SF", "顺丰速运", 100, (("STD", "顺丰标快"), ("EXP", "顺丰特快"))),
        ):
            cid = s.execute(
                insert(Carrier).returning(Carrier.id),
                [{"code": code, "name": name, "plugin": "pool", "pool_low_warning": warn}],
            ).scalar_one()
            s.execute(
                insert(CarrierService),
                [{"carrier_id": cid, "code": c, "name": n} for c, n in services_],
            )
        uow.commit()
    ems = tmp / "ems-numbers.csv"
    ems.write_text("\n".join(s10("EA", i) for i in range(1, 121)) + "\n")
    services.run(tracking_pool.load_pool, actor, "EMS", ems, None)
    services.run(tracking_pool.load_pool, actor, "SF", "SF1400000000001,SF1400000000900", "STD")
    services.run(tracking_void.void_number, actor, "EMS", s10("EA", 7), "面单打印损坏")
    ctx = UiContext(services, actor, Bus())
    for n, lang in enumerate(("en", "zh_CN")):
        bad = tmp / f"新单号-{lang}.csv"
        fresh = [s10("EA", i) for i in range(200 + 10 * n, 206 + 10 * n)]
        bad.write_text("\n".join([*fresh, "EA000000016CN", s10("EA", 3)]) + "\n", "utf-8")
        install_language(app, lang)
        screen = CarriersScreen(ctx)
        screen.resize(1200, 560)
        screen.show()
        screen.activated()
        wait(screen.loaded)
        shot_kit.shot(screen, OUT, ROOT, f"carriers_{lang}")
        dialog = screen.open_load()
        dialog.set_path(bad)
        dialog.load_button.click()
        wait(dialog.loaded)
        shot_kit.shot(dialog, OUT, ROOT, f"carriers_load_{lang}")
        dialog.close()
        voided = VoidedDialog(ctx, services.run(tracking_void.voided_report), screen)
        shot_kit.shot(voided, OUT, ROOT, f"carriers_voided_{lang}")
        voided.close()
        screen.close()
    services.close()


if __name__ == "__main__":
    main()
