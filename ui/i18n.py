"""Language: Qt translators for Packdesk and Qt's own dialogs; operator errors and hold reasons
translated."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.domain.country_names import country_in
from app.domain.errors import PackdeskError
from app.domain.holds import HOLD_WORDS, HoldReason
from app.resources import resource
from ui.words import job_status_name, status_name

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
_installed: list[QTranslator] = []
#: the language installed last (country names in hold sentences follow it)
_current = ["en"]


def pick_language(setting: str) -> str:
    """The setting when given, else the system locale: Chinese locales get zh_CN."""
    if setting in LANGUAGES:
        return setting
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install_language(app: QCoreApplication, language: str) -> str:
    """Install translators for ``language`` (replacing earlier ones); returns the language."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    _current[0] = language
    if language == "en":
        return language
    ours = QTranslator(app)
    qm = resource("translations", f"packdesk_{language}.qm")
    if ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("translation %s could not be loaded; showing English", qm)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return language


def error_text(exc: PackdeskError) -> str:
    """The operator's message in the current language (same parameters as the English one)."""
    # translate() gives back the text itself when it has no translation, so every string
    # parameter can go through it: operator words ("view orders") get translated, data stays.
    params = {
        k: QCoreApplication.translate("PackdeskError", v) if isinstance(v, str) and v else v
        for k, v in exc.params.items()
    }
    # statuses by the names the screens show them with
    if isinstance(exc.params.get("status"), str):
        params["status"] = status_name(exc.params["status"])
    if isinstance(exc.params.get("job_status"), str):
        params["job_status"] = job_status_name(exc.params["job_status"])
    template = QCoreApplication.translate("PackdeskError", exc.template)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return exc.message


def hold_text(reason: str, template: str = "", params: Mapping[str, Any] | None = None) -> str:
    """A hold's sentence in the current language: its English template translated, with its
    values (words among them translated too, data left as it is). Without a template (a
    reviewer's own words, or a hold kept before templates were) it is ``reason`` as written."""
    if not template:
        return reason

    def value(v: Any) -> Any:
        if isinstance(v, list):
            return _hold_word(HOLD_WORDS["list_separator"]).join(str(value(x)) for x in v)
        return _hold_word(v) if isinstance(v, str) and v else v

    values = {k: value(v) for k, v in (params or {}).items()}
    if isinstance(values.get("country"), str):  # by its name in the screen's language
        values["country"] = country_in(values["country"], current_language())
    if isinstance(values.get("stage"), str):  # an order status, as the screens name it
        values["stage"] = status_name(values["stage"])
    try:
        return _hold_word(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return reason


def current_language() -> str:
    """The language the screens speak now ("en", "zh_CN")."""
    return _current[0]


def holds_text(holds: Iterable[HoldReason]) -> str:
    """An order's open holds in one line, in the current language."""
    return _hold_word(HOLD_WORDS["reason_separator"]).join(
        hold_text(h.reason, h.template, h.params) for h in holds
    )


def _hold_word(text: str) -> str:
    return QCoreApplication.translate("PackdeskError", text)


def translate_loose(context: str, text: str) -> str:
    """Translate ``text`` for module-level ``tr()`` helpers.

    pyside6-lupdate files a bare ``tr("...")`` call outside a class under the empty context,
    whatever context the helper passes at run time, so look there as well."""
    out = QCoreApplication.translate(context, text)
    return out if out != text else QCoreApplication.translate("", text)


def printer_status_text(text: str) -> str:
    """A printer's status in the current language: its sentences are translated one by one
    (a driver joins several problems with a space)."""
    from app.devices.printers import PRINTER_STATUS_WORDS

    for sentence in PRINTER_STATUS_WORDS.values():
        if sentence in text:
            text = text.replace(sentence, QCoreApplication.translate("PackdeskError", sentence))
    return text
