"""Showing errors: operator errors as written; anything else is a bug with a crash dialog that
names the log file."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import PackdeskError
from ui.i18n import error_text, translate_loose

log = logging.getLogger("packdesk.ui")


def tr(text: str) -> str:
    return translate_loose("Errors", text)


def show_error(parent: QWidget | None, exc: PackdeskError, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or tr("Cannot do that"), error_text(exc))


class CrashHandler:
    """sys.excepthook for the GUI: operator errors get a message box, bugs the crash dialog."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.shown = 0

    def install(self) -> None:
        sys.excepthook = self

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, PackdeskError):
            log.info("operator error: %s", exc.message)
            show_error(QApplication.activeWindow(), exc)
            return
        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        self.shown += 1
        if QApplication.instance() is None:
            return
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("Packdesk ran into a bug"))
        box.setText(
            tr(
                "Something unexpected went wrong. Your saved work is safe; what you were "
                "doing just now may not have been saved."
            )
        )
        box.setInformativeText(
            tr(
                "The details are in the log file:\n{path}\nPlease send it with a bug report."
            ).format(path=self.log_file)
        )
        box.setDetailedText("".join(traceback.format_exception_only(exc_type, exc)))
        box.exec()
