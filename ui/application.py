"""Start the GUI: Qt application, fonts, language, crash handler, log-in loop, main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app import heap
from app.bootstrap import Services, bootstrap
from app.cli.common import CliContext
from app.config import update_settings_file
from app.domain.errors import PackdeskError
from app.resources import cjk_font_path
from app.services import auth
from ui.bus import Bus
from ui.context import UiContext
from ui.errors import CrashHandler
from ui.i18n import error_text, install_language, pick_language
from ui.login import FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.notice_sender import start_notice_sender, stop_notice_sender
from ui.smoke import LOGIN, SmokeRun, requested

log = logging.getLogger(__name__)


def install_fonts(app: QApplication) -> str | None:
    """Load the shipped CJK font and use it as the fallback for the UI font, so Chinese
    renders on machines without Chinese fonts."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("the CJK font %s could not be loaded", cjk_font_path())
        return None
    base = QFont(app.font())
    base.setFamilies([base.family(), families[0]])
    base.setPointSize(max(base.pointSize(), 11))
    app.setFont(base)
    return families[0]


def make_qapp(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("Packdesk")
    app.setOrganizationName("Packdesk")
    install_fonts(app)
    return app


def demo_hint() -> str:
    """The demo log-ins for the log-in screen, the heading in the current language."""
    from app.services import demo_data

    heading = QCoreApplication.translate("PackdeskError", demo_data.DEMO_WORDS["logins"])
    return "\n".join([heading, *demo_data.login_rows()])


def log_in(
    services: Services, language: str, demo: bool, smoke: SmokeRun | None = None
) -> tuple[UiContext | None, str]:
    """First-run admin, then the log-in dialog. Returns the context (None if the user quit).
    ``smoke``: each dialog closes as soon as it is shown (``ui.smoke``)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if services.run(auth.needs_first_admin):
        first = FirstAdminDialog(services)
        if smoke is not None:
            smoke.watch(first, "first_admin")
        if first.exec() != QDialog.DialogCode.Accepted:
            return None, language
    while True:
        dialog = LoginDialog(services, language, demo_hint() if demo else "")
        if smoke is not None:
            smoke.watch(dialog, LOGIN)
        changed: list[str] = []

        def _language(
            lang: str, dialog: LoginDialog = dialog, changed: list[str] = changed
        ) -> None:
            changed.append(lang)
            dialog.done(2)  # rebuild the dialog in the new language

        dialog.language_changed.connect(_language)
        result = dialog.exec()
        if changed:
            language = install_language(app, changed[-1])
            continue
        if result != QDialog.DialogCode.Accepted or dialog.actor is None:
            return None, language
        return UiContext(services, dialog.actor, Bus()), language


def run_app(cli: CliContext) -> int:
    app = make_qapp()
    settings = cli.settings
    CrashHandler(cli.paths.log_file).install()
    language = install_language(app, pick_language(settings.language))
    smoke = SmokeRun() if requested() else None
    try:
        # offline: a station on a shared database goes on packing through an outage
        services = bootstrap(settings, cli.paths, force_upgrade=cli.force_upgrade, offline=True)
    except PackdeskError as exc:
        if smoke is not None:  # nobody is there to close a message box
            return smoke.failed(exc.message)
        QMessageBox.critical(None, "Packdesk", error_text(exc))
        return 1
    cli._services = services  # closed by the CLI on exit
    try:
        if smoke is not None:
            log_in(services, language, cli.settings.demo, smoke)
            return smoke.finish(language)
        return _windows(app, cli, services, language)
    finally:
        stop_notice_sender()


def _windows(app: QApplication, cli: CliContext, services: Services, language: str) -> int:
    """Log-in, the main window, again after each log-out."""
    while True:
        ctx, chosen = log_in(services, language, cli.settings.demo)
        if chosen != language:
            language = chosen
            update_settings_file(cli.paths, language=chosen)
        if ctx is None:
            return 0
        window = MainWindow(ctx)
        window.logged_out.connect(app.quit)
        # customer notices go out in the background while the app runs (one sender a process)
        start_notice_sender(ctx)
        window.show()
        # what start-up made stays: the collector stops walking it, so no scan waits for that
        heap.settle()
        app.exec()
        if not window.logged_out_by_user:
            return 0
