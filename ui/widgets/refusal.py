"""A call the station refused because the shared database is away (``OfflineRefused``, from the
offline journal) is not the operator's mistake: the station screens show its reason in their
usual message area in amber, with the short error sound, instead of the red of a wrong scan."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from app.domain.errors import PackdeskError

AMBER = "#ffb300"
#: dark amber text, readable on the window's light background
AMBER_TEXT = "#8a5a00"
#: the offline journal's refusal (app/offline/actions.py); found by name so a screen does not
#: depend on the offline package being installed
OFFLINE_REFUSAL = "OfflineRefused"


def is_offline_refusal(exc: BaseException) -> bool:
    """Whether ``exc`` says "the shared database is away: this must wait" (or a subclass)."""
    return isinstance(exc, PackdeskError) and any(
        c.__name__ == OFFLINE_REFUSAL for c in type(exc).__mro__
    )


def say_offline(label: QLabel, text: str, feedback: Any | None, *, boxed: bool = False) -> None:
    """Show ``text`` in ``label`` in amber (``boxed``: on an amber box, as the pack station's
    message bar draws its errors) and play the error sound, without the red banner."""
    if boxed:
        label.setStyleSheet(
            f"QLabel {{ background: {AMBER}; color: #1a1a1a; font-weight: bold;"
            " padding: 6px 10px; border-radius: 6px; }"
        )
    else:
        label.setStyleSheet(f"QLabel {{ color: {AMBER_TEXT}; font-weight: bold; }}")
    label.setText(text)
    if feedback is not None:
        feedback.sounds.play("error")
