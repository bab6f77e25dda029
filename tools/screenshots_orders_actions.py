#!/usr/bin/env python3
"""Screenshots of the Orders screen's filters, bulk actions and the detail with reserved stock,
in English, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_orders_actions.py

Uses a throw-away demo warehouse: the newest orders are selected and allocated with the bulk
action (released ones are allocated, or held when short of stock; the others are refused with
the reason), then the detail of an allocated order and the list filtered by a hold reason.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QItemSelectionModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import auth, demo_data  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(app: QApplication, seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def shot(app: QApplication, widget: QWidget, name: str) -> Path:
    widget.show()
    settle(app)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))
    return path


def select_rows(screen: OrdersScreen, rows: range) -> None:
    sel = screen.table.selectionModel()
    sel.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        sel.select(screen.model.index(r, 0), flags)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    install_language(app, "en")
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(demo_data.generate, orders=600, seed=11)
    user = next(u for u in demo_data.DEMO_USERS if u.role == "supervisor")
    actor = services.run(
        auth.login, user.username, user.password, services.station_id, services.station_code
    )
    window = MainWindow(UiContext(services, actor, Bus()))
    window.resize(1500, 900)
    screen = window.screen(OrdersScreen)
    assert isinstance(screen, OrdersScreen)
    settle(app)

    # the newest dozen orders selected (released, held and new ones) and allocated in one go:
    # the released ones are, the others are refused with the reason
    select_rows(screen, range(min(12, screen.model.rowCount())))
    settle(app)
    shot(app, window, "orders_bulk_selected_en")
    screen.action_bar.allocate_button.click()
    deadline = time.monotonic() + 30
    while not screen.action_bar.details.isVisible() and time.monotonic() < deadline:
        settle(app, 0.05)
    shot(app, window, "orders_bulk_allocated_en")

    # an allocated order's detail: where its stock is reserved
    screen.status.setCurrentIndex(screen.status.findData("allocated"))
    settle(app)
    dialog = screen.open_detail(0)
    dialog.resize(1100, 860)
    shot(app, dialog, "order_detail_allocations_en")
    dialog.close()

    # the list narrowed to one hold reason, and a held order's hold history
    screen.status.setCurrentIndex(0)
    screen.hold_reason.setCurrentIndex(screen.hold_reason.findData("bad_phone"))
    settle(app)
    screen.table.selectRow(0)
    shot(app, window, "orders_hold_filter_en")
    dialog = screen.open_detail(0)
    dialog.resize(1100, 860)
    shot(app, dialog, "order_detail_holds_en")
    dialog.close()
    # merge suggestions, and the split dialog of one order
    screen.hold_reason.setCurrentIndex(0)
    settle(app)
    suggestions = screen.action_bar.open_merge_suggestions()
    if suggestions is not None:
        shot(app, suggestions, "orders_merge_suggestions_en")
        suggestions.close()
    screen.status.setCurrentIndex(screen.status.findData("released"))
    settle(app)
    rows = [r for r in range(screen.model.rowCount()) if int(screen.model.index(r, 6).data()) > 1]
    if rows:
        screen.table.selectRow(rows[0])
        split = screen.action_bar.open_split()
        if split is not None:
            split.spins[1].setValue(1)
            shot(app, split, "order_split_en")
            split.close()
    services.close()


if __name__ == "__main__":
    main()
