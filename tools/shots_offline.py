#!/usr/bin/env python3
"""Screenshots of working through a database outage, in English and Chinese, offscreen, into
docs/screenshots/:

- ``pack-offline``: the Pack screen with an order in hand and the status bar saying "Offline
  since 10:42, 17 actions waiting" (the journal's state is given to the status bar as the
  station's ``Services.offline_state`` would give it; a real outage needs PostgreSQL and is
  tested in tests/ui/test_offline_outage.py);
- ``pack-offline-refused``: the same with the amber refusal of an order this station did not
  keep;
- ``sync-conflicts``: the supervisor's Offline conflicts screen with the example conflict
  (order PD-1042 was cancelled at the office while it was packed offline at PACK-03) and its
  detail, and the red "2 conflicts need a supervisor" in the status bar.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_offline.py
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app import __version__  # noqa: E402
from app.bootstrap import Services  # noqa: E402
from app.domain.users import Role  # noqa: E402
from app.offline.actions import NotKeptHere  # noqa: E402
from app.offline.replay import OFFLINE_MESSAGES  # noqa: E402
from app.offline.state import OfflineState  # noqa: E402
from app.services import auth, scanning, sync_conflicts  # noqa: E402
from app.services.pack_open import OrderCancelled  # noqa: E402
from tools.shot_kit import fresh_shop, run_loop, wait  # noqa: E402
from tools.shots_pack import bench  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.sync_conflicts import SyncConflictsScreen  # noqa: E402
from ui.widgets.offline_status import OfflineReading  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
#: the replayer's sentences (app/offline/replay.py)
REFUSED = (
    "Order {order}: {action} was done on station {station} at {at} while the shared database "
    "was away, but the shared database refused it: {reason}"
)
AFTER = (
    "Order {order}: {action} done on station {station} at {at} was not applied, because an "
    "earlier action on the same order is a conflict. Settle that one first."
)


def _today_at(hour: int, minute: int) -> datetime:
    local = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local.astimezone(UTC)


def _save(window: MainWindow, name: str, lang: str) -> None:
    run_loop(300)
    path = OUT / f"{name}_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))
    bar = window.statusBar()
    crop = OUT / f"{name}-status_{lang}.png"
    bar.grab().save(str(crop))
    print(crop.relative_to(ROOT))


def pack_shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, window, screen, wave, scale, printer = bench(app, "cluster")
    screen.on_scan(services.run(scanning.classify, wave.tote_codes[wave.order_ids[0]]))
    wait(screen.answered)
    screen.on_scan(services.run(scanning.classify, "CUP-1"))
    wait(screen.answered)
    state = OfflineState(offline=True, since=_today_at(10, 42), waiting=17, conflicts=0)
    services.offline_state = lambda: state  # type: ignore[method-assign]
    window._set_offline_state(False, OfflineReading(state))
    _save(window, "pack-offline", lang)
    screen._refused_call(NotKeptHere(text="TOTE-0031"))
    _save(window, "pack-offline-refused", lang)
    window.close()
    scale.close()
    printer.stop()
    services.close()


def record_examples(services: Services) -> None:
    """Order PD-1042 was cancelled at the office while it was packed offline at PACK-03."""
    pack03 = auth.ensure_station(services.uow(), "PACK-03", __version__)
    at = _today_at(10, 47)
    for key, action, template, seconds in (
        ("PACK-03:118", "pack.finish", REFUSED, 5),
        ("PACK-03:119", "pack.release", AFTER, 40),
        ("PACK-03:120", "pack.scan", OFFLINE_MESSAGES["too_old"], 50),
    ):
        happened = at + timedelta(seconds=seconds)
        refusal = OrderCancelled(order="PD-1042")
        with services.uow() as uow:
            sync_conflicts.record_conflict(
                uow,
                station_id=pack03,
                key=key,
                action=action,
                order_number="PD-1042",
                message=template,
                values={
                    "order": "PD-1042",
                    "action": action,
                    "station": "PACK-03",
                    "at": happened.strftime("%H:%M:%S"),
                    **(
                        {"reason": sync_conflicts.error_values(refusal)}
                        if template == REFUSED
                        else {}
                    ),
                    # the replay's own reason, kept as template and values too
                    **(
                        {
                            "days": 30,
                            "date": happened.strftime("%Y-%m-%d"),
                            "reason": {
                                "template": OFFLINE_MESSAGES["kept_too_long"],
                                "values": {"days": 30},
                            },
                        }
                        if template == OFFLINE_MESSAGES["too_old"]
                        else {}
                    ),
                },
                happened_at=happened,
                payload={
                    "args": [4107, "6901234567892"] if action == "pack.finish" else [4107],
                    "actor": {"username": "li.na", "role": "packer", "station": "PACK-03"},
                    "local": {
                        "ok": True,
                        "status": "packed" if action == "pack.finish" else "picked",
                        "order": "PD-1042",
                        "tracking": "YT7700012345" if action == "pack.finish" else "",
                    },
                },
            )
            uow.commit()


def conflict_shots(app: QApplication) -> None:
    services, admin, _ = fresh_shop()
    record_examples(services)
    services.run(auth.create_user, admin, "wang.fang", Role.SUPERVISOR, "secret-pass-1")
    boss = services.run(
        auth.login, "wang.fang", "secret-pass-1", services.station_id, services.station_code
    )
    ctx = UiContext(services, boss, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        window = MainWindow(ctx)
        window.resize(1500, 820)
        window.show()
        window._ping()
        wait(window._ping_signals.offline)
        window.open_conflicts()
        screen = window.current_screen()
        assert isinstance(screen, SyncConflictsScreen)
        wait(screen.loaded)
        screen.table.selectRow(0)
        _save(window, "sync-conflicts", lang)
        window.close()
    services.close()


def main() -> None:
    app = make_qapp()
    install_fonts(app)
    if "--conflicts" not in sys.argv:
        for lang in ("en", "zh_CN"):
            pack_shots(app, lang)
    conflict_shots(app)


if __name__ == "__main__":
    main()
