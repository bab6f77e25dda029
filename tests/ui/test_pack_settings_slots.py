"""The packing settings form edits the pickup shelf's slots and keeps them when saved again."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.pack_settings import PackSettings
from ui.widgets.pack_settings_form import PackSettingsForm


def test_the_pickup_shelf_slots_are_edited_in_the_packing_settings_and_kept_on_saving(
    qtbot: QtBot,
) -> None:
    form = PackSettingsForm()
    qtbot.addWidget(form)
    form.set_value(PackSettings(pickup_slots="X-1..X-3, COUNTER", sender_name="Shop"))
    assert form.pickup_slots.text() == "X-1..X-3, COUNTER"
    assert form.value().pickup_slots == "X-1..X-3, COUNTER"
    form.pickup_slots.setText("Z-01..Z-20")
    assert form.value().pickup_slots == "Z-01..Z-20"
