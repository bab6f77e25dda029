"""The pack screen's parts on their own: the live weight panel, the typed weight's number pad,
the weight stop, the calls that run one after another off the UI thread, and which screen a
packer sees first."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.devices.scales import ScaleReading
from app.domain.errors import PackdeskError, ValidationError
from app.domain.users import Role
from app.services.packing import WeightVerdict
from tests.conftest import make_actor
from ui.bus import Bus
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.pack import PackScreen
from ui.screens.pick import PickScreen
from ui.widgets.pack_dialogs import TypedWeightDialog
from ui.widgets.pack_parts import MismatchPanel
from ui.widgets.pack_runner import SerialCalls
from ui.widgets.pack_weight import WeightPanel


def test_the_weight_panel_shows_the_scale_live_and_knows_a_stable_weight_in_range(
    qtbot: QtBot,
) -> None:
    panel = WeightPanel()
    qtbot.addWidget(panel)
    panel.show_expectation(1000, 1100)
    assert panel.expected.text() == "Expected 1.000 kg to 1.100 kg"
    panel.show_reading(ScaleReading(Decimal("1.052"), "kg", stable=False))
    assert panel.weight.text() == "1.052 kg" and "Moving" in panel.state.text()
    assert not panel.inside(1000, 1100)  # moving: not taken
    panel.show_reading(ScaleReading(Decimal("1052"), "g", stable=True))
    assert panel.state.text() == "Stable" and panel.inside(1000, 1100)
    assert not panel.inside(1060, 1100)
    panel.show_reading(ScaleReading(Decimal(0), "kg", stable=False, overload=True))
    assert panel.weight.text() == "-" and "overloaded" in panel.state.text()
    assert not panel.inside(1000, 1100)


def test_the_typed_weight_number_pad_gives_grams_and_refuses_nothing_typed(qtbot: QtBot) -> None:
    dialog = TypedWeightDialog()
    qtbot.addWidget(dialog)
    assert dialog.grams is None
    for key in ("1", ".", "2", "5", "9", "⌫", "6"):
        dialog.press(key)
    assert dialog.edit.text() == "1.256" and dialog.grams == 1256


def test_the_weight_stop_shows_both_weights_and_what_to_do(qtbot: QtBot) -> None:
    panel = MismatchPanel()
    qtbot.addWidget(panel)
    panel.show_verdict(WeightVerdict(False, 1070, 1017, 1124, 2380, "over", 0))
    assert "too heavy" in panel.title.text() and "no label printed" in panel.title.text()
    assert panel.expected.text() == "Expected 1.017 kg to 1.124 kg"
    assert panel.actual.text() == "Scale: 2.380 kg"
    assert "badge" in panel.todo.text()


def test_calls_run_off_the_ui_thread_one_after_another_in_the_order_they_came(
    qtbot: QtBot, qapp: QApplication
) -> None:
    calls = SerialCalls()
    ran: list[tuple[int, bool]] = []
    answers: list[object] = []
    main = threading.get_ident()

    def work(n: int, delay: float) -> int:
        time.sleep(delay)
        ran.append((n, threading.get_ident() == main))
        if n == 2:
            raise ValidationError("Refused {n}.", n=n)
        return n

    with qtbot.waitSignal(calls.idle, timeout=5000):
        for n, delay in ((1, 0.15), (2, 0.0), (3, 0.0)):
            calls.call(lambda n=n, d=delay: work(n, d), answers.append, answers.append)
    assert [n for n, _ in ran] == [1, 2, 3]  # the slow first call was not overtaken
    assert not any(on_main for _, on_main in ran)
    assert answers[0] == 1 and isinstance(answers[1], PackdeskError) and answers[2] == 3


def test_a_packer_sees_the_pack_screen_first_and_a_picker_keeps_the_usual_order(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    svc = ui_ctx.services
    packer = make_actor(svc, ui_ctx.actor, Role.PACKER, "packer1")
    window = MainWindow(UiContext(svc, packer, Bus()))
    qtbot.addWidget(window)
    assert window.current_screen().__class__ is PackScreen
    assert window.nav.item(0).text() == "Pack"
    picker = make_actor(svc, ui_ctx.actor, Role.PICKER, "picker1")
    other = MainWindow(UiContext(svc, picker, Bus()))
    qtbot.addWidget(other)
    assert other.nav.item(0).text() == "Orders" and PickScreen in other._classes
    window.close()
    other.close()
