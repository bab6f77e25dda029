"""Smoke start: ``PACKDESK_SMOKE=1 packdesk`` starts the app as usual (settings, database,
migrations, fonts, language), closes it as soon as the log-in dialog is on screen, prints one
JSON line about it and exits 0; it exits 1 if the log-in dialog was never shown (the start
failed, or the first-start dialog asking for an administrator came instead).

Installers are checked with it (``packaging/smoke_bundle.py``), offscreen
(``QT_QPA_PLATFORM=offscreen``), where nobody could close a window.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

ENV = "PACKDESK_SMOKE"
#: plug-in groups whose entry points must load (from the bundle's package metadata)
PLUGIN_GROUPS = ("packdesk.carriers", "packdesk.channels")
#: the dialog whose showing makes the smoke start pass
LOGIN = "login"


def requested(env: dict[str, str] | None = None) -> bool:
    """True when the environment asks for a smoke start (``PACKDESK_SMOKE`` set, not "0")."""
    value = (os.environ if env is None else env).get(ENV, "")
    return value not in ("", "0")


class _CloseWhenShown(QObject):
    """Closes the dialog it watches once it has been shown (after the event loop ran once),
    then stops watching."""

    def __init__(self, run: SmokeRun, dialog: QDialog, name: str) -> None:
        super().__init__()
        self._run, self._dialog, self._name = run, dialog, name

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._dialog and event.type() == QEvent.Type.Show:
            self._dialog.removeEventFilter(self)
            self._run.shown(self._name, self._dialog)
            QTimer.singleShot(0, self._dialog.reject)
        return False


def loaded_plugins() -> dict[str, list[str]]:
    """Per plug-in group, the entry points that load; one that fails is listed as
    ``"name: error"``."""
    found: dict[str, list[str]] = {}
    for group in PLUGIN_GROUPS:
        names = found.setdefault(group, [])
        for ep in sorted(entry_points(group=group), key=lambda ep: ep.name):
            try:
                ep.load()
            except Exception as exc:  # a report, not a crash: any import error
                names.append(f"{ep.name}: {exc!r}")
            else:
                names.append(ep.name)
    return found


@dataclass
class SmokeRun:
    """What a smoke start saw: the dialogs shown (in order) and what went wrong."""

    dialogs: list[str] = field(default_factory=list)
    title: str = ""
    error: str = ""
    #: the filters, kept alive here (not children of the dialogs they watch)
    _watchers: list[_CloseWhenShown] = field(default_factory=list, repr=False)

    def watch(self, dialog: QDialog, name: str) -> None:
        watcher = _CloseWhenShown(self, dialog, name)
        self._watchers.append(watcher)
        dialog.installEventFilter(watcher)

    def shown(self, name: str, dialog: QDialog) -> None:
        self.dialogs.append(name)
        self.title = self.title or dialog.windowTitle()

    def failed(self, message: str) -> int:
        self.error = message
        return self.finish()

    @property
    def passed(self) -> bool:
        return LOGIN in self.dialogs and not self.error

    def report(self, language: str = "") -> dict[str, object]:
        app = QApplication.instance()
        fonts = app.font().families() if isinstance(app, QApplication) else []
        return {
            "smoke": "passed" if self.passed else "failed",
            "dialogs": list(self.dialogs),
            "title": self.title,
            "language": language,
            "fonts": fonts,
            "platform": QApplication.platformName(),
            "plugins": loaded_plugins(),
            "utf8_mode": bool(sys.flags.utf8_mode),
            "error": self.error,
        }

    def finish(self, language: str = "") -> int:
        """Print the report (one JSON line) and give the exit code."""
        # ASCII (\u escapes): a Windows console's code page cannot take every character
        print(json.dumps(self.report(language)), flush=True)
        if not self.passed and not self.error:
            print(
                "packdesk: smoke start failed: the log-in dialog was not shown"
                + (f" ({', '.join(self.dialogs)} instead)" if self.dialogs else ""),
                file=sys.stderr,
            )
        return 0 if self.passed else 1
