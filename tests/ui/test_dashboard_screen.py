"""The Dashboard screen: a supervisor sees the morning's figures in its big numbers and charts
(read back from the charts' bar sets), it reads them again by itself when the timer fires, and
"Export CSV" writes the figures on screen."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.services import handover, pack_after
from tests.dashboard_fixtures import NOW, SHANGHAI, Morning, morning
from ui.context import UiContext
from ui.i18n import install_language
from ui.screens import screen_classes
from ui.screens.dashboard import REFRESH_MS, DashboardScreen

HOURS = ["08:00", "09:00", "10:00", "11:00"]


def _screen(qtbot: QtBot, ui_ctx: UiContext) -> DashboardScreen:
    screen = DashboardScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1600, 950)
    screen.clock, screen.tz = (lambda: NOW), SHANGHAI
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=20_000):
        screen.activated()
    return screen


def test_the_dashboard_shows_the_mornings_figures_in_numbers_and_charts(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    m = morning(ui_ctx.services, ui_ctx.actor)
    ui_ctx.services.run(handover.set_cutoff, m.supervisor, "SF", "16:30")
    screen = _screen(qtbot, ui_ctx)

    assert screen.heading.text() == "Today 2026-12-01"
    assert [row[:3] for row in screen.cutoffs.rows] == [("SF Express", "16:30", "2")]
    assert screen.message.text() == "Updated at 11:30"
    tiles = {k: t.value.text() for k, t in screen.tiles.items()}
    assert tiles == {
        "open": "2",
        "packed": "2",
        "shipped": "0",
        "saving": "+0.0 %",
        "exceptions": "2",
        "returns": "0",
    }
    status = screen.charts["status"]
    assert (status.categories(), status.values()) == (["Packed"], {"Orders": [2.0]})
    packed = screen.charts["packed"]
    assert packed.categories() == HOURS
    assert packed.values() == {"PACK-02": [0, 0, 1, 0], "pack-01": [0, 1, 0, 0]}
    screen.by.setCurrentIndex(1)  # by packer
    assert packed.values() == {"packer-user": [0, 1, 1, 0]}
    assert packed.chart_.title() == "Orders packed per hour by packer"
    assert screen.charts["walk"].values() == {"Walked": [52, 0, 0, 0], "S-shape": [52, 0, 0, 0]}
    assert screen.charts["exceptions"].values() == {
        "Pack mis-scans": [0, 0, 1, 0],
        "Weight exceptions": [0, 0, 0, 0],
        "Pick refused scans": [1, 0, 0, 0],
    }
    assert screen.timer.interval() == REFRESH_MS and screen.timer.isActive()


def _void_pd2(ui_ctx: UiContext, m: Morning) -> None:
    ui_ctx.services.run(pack_after.void_parcel, m.supervisor, m.parcels["PD2"], "label smudged")


def test_the_timer_reads_the_figures_again_when_they_change(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    m = morning(ui_ctx.services, ui_ctx.actor)
    screen = _screen(qtbot, ui_ctx)
    assert screen.tiles["packed"].value.text() == "2"

    _void_pd2(ui_ctx, m)
    with qtbot.waitSignal(screen.loaded, timeout=20_000):
        screen.timer.timeout.emit()
    assert screen.tiles["packed"].value.text() == "1"
    assert screen.charts["packed"].values() == {"PACK-02": [0, 0, 1, 0]}
    assert screen.charts["status"].values() == {"Orders": [1.0, 1.0]}


def test_export_csv_writes_the_figures_on_screen(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    morning(ui_ctx.services, ui_ctx.actor)
    screen = _screen(qtbot, ui_ctx)
    path = tmp_path / "out" / "dashboard.csv"
    screen.export_to(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert screen.message.text() == f"{len(rows)} figures written to {path}"
    packed = {(r["hour"], r["label"]) for r in rows if r["panel"] == "packed_by_station"}
    assert packed == {("09:00", "pack-01"), ("10:00", "PACK-02")}


def test_supervisors_and_admins_see_the_dashboard_packers_do_not() -> None:
    assert DashboardScreen in screen_classes()
    from app.domain.users import ROLE_PERMISSIONS

    who = {r for r in Role if DashboardScreen.permission in ROLE_PERMISSIONS[r]}
    assert who == {Role.ADMIN, Role.SUPERVISOR}


def test_in_chinese_the_titles_axes_and_legends_are_chinese(
    qtbot: QtBot, ui_ctx: UiContext, qapp: QApplication
) -> None:
    morning(ui_ctx.services, ui_ctx.actor)
    install_language(qapp, "zh_CN")
    screen = _screen(qtbot, ui_ctx)
    assert screen.heading.text() == "今天 2026-12-01"
    assert screen.charts["packed"].chart_.title() == "每小时打包订单数（按工作台）"
    assert screen.charts["status"].categories() == ["已打包"]
    assert list(screen.charts["exceptions"].values()) == ["打包错扫", "重量异常", "拣货拒收扫描"]
    assert list(screen.charts["walk"].values()) == ["实际路程", "S 形路线"]
    assert screen.tiles["packed"].caption.text() == "今日已打包订单"
