"""A section of the Settings screen: a heading, a plain explanation, its fields each with a
place for an error right under it, and what it takes to save it.

A section knows whether it was changed (its fields against what was loaded), checks its own
fields before anything is saved (``check``: field -> error), and gives the call that saves it
(``save_call``, built on the UI thread from the fields, run off it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services.settings_view import WarehouseSettings
from ui.i18n import error_text

ERROR_STYLE = "color: #b00020; font-weight: bold;"
#: a call that saves a section; runs on a worker thread
SaveCall = Callable[[Services, Actor], None]


class Section(QWidget):
    """One section; subclasses fill ``form`` and implement ``show_value`` and ``save_call``."""

    edited = Signal()

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._loading = False
        self._loaded: tuple[Any, ...] = ()
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        heading = QLabel(title)
        font = QFont(heading.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        heading.setFont(font)
        about = QLabel(explanation)
        about.setWordWrap(True)
        about.setStyleSheet("color: #444;")
        self.message = QLabel()
        self.message.setObjectName("section_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.box = QVBoxLayout(self)
        self.box.addWidget(heading)
        self.box.addWidget(about)
        self.box.addSpacing(8)
        self.box.addLayout(self.form)
        self.box.addWidget(self.message)
        self.box.addStretch(1)

    # --- fields ---------------------------------------------------------------------------
    def add_field(self, key: str, caption: str, widget: QWidget) -> QWidget:
        """A row of the form: ``caption``, ``widget`` and its error line under it."""
        self.form.addRow(caption, widget)
        label = self.field(key, widget, place=False)
        self.form.addRow("", label)
        return widget

    def field(self, key: str, widget: QWidget, *, place: bool = True) -> QLabel:
        """Register ``widget`` as field ``key``, with an error line right under it."""
        widget.setObjectName(key)
        label = QLabel()
        label.setObjectName(f"error_{key}")
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        if place:
            _put_under(widget, label)
        self.errors[key] = label
        self.fields[key] = widget
        return label

    def watch(self) -> None:
        """Follow every editable child: a change marks the section edited (call once built)."""
        for w in self._editables():
            if isinstance(w, QLineEdit | QPlainTextEdit):
                w.textChanged.connect(self._changed)
            elif isinstance(w, QSpinBox | QDoubleSpinBox):
                w.valueChanged.connect(self._changed)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._changed)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(self._changed)

    def _editables(self) -> list[QWidget]:
        kinds = (QLineEdit, QPlainTextEdit, QSpinBox, QDoubleSpinBox, QComboBox, QCheckBox)
        return [w for w in self.findChildren(QWidget) if isinstance(w, kinds)]

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    def snapshot(self) -> tuple[Any, ...]:
        """The state of every field (compared with the loaded one for unsaved changes)."""
        out: list[Any] = [self.extra_state()]
        for w in self._editables():
            if isinstance(w, QLineEdit):
                out.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                out.append(w.toPlainText())
            elif isinstance(w, QSpinBox | QDoubleSpinBox):
                out.append(w.value())
            elif isinstance(w, QComboBox):
                out.append(w.currentIndex())
            elif isinstance(w, QCheckBox):
                out.append(w.isChecked())
        return tuple(out)

    def extra_state(self) -> object:
        """State not held in a field (a chosen picture)."""
        return None

    # --- loading, checking, saving ----------------------------------------------------------
    def load(self, data: WarehouseSettings) -> None:
        self._loading = True
        try:
            self.show_value(data)
        finally:
            self._loading = False
        self.mark_saved()
        self.show_errors({})

    def mark_saved(self) -> None:
        self._loaded = self.snapshot()

    def dirty(self) -> bool:
        return bool(self._loaded) and self.snapshot() != self._loaded

    def refused_choice(self) -> bool:
        """A choice was refused and is still shown as wrong (a logo file that cannot be used):
        the section must be looked at before anything is saved."""
        return False

    def show_value(self, data: WarehouseSettings) -> None:
        raise NotImplementedError

    def check(self) -> dict[str, PackdeskError]:
        """Errors of the fields as filled in: field -> error (empty: all good)."""
        return {}

    def save_call(self) -> SaveCall:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, PackdeskError]) -> None:
        for key, label in self.errors.items():
            exc = errors.get(key)
            label.setText(error_text(exc) if exc else "")
            label.setVisible(exc is not None)
        rest = [e for k, e in errors.items() if k not in self.errors]
        self.show_message(error_text(rest[0]) if rest else "")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


def checked(errors: dict[str, PackdeskError], key: str, fn: Callable[[], object]) -> None:
    """Run one field's check; its error goes under ``key``."""
    try:
        fn()
    except PackdeskError as exc:
        errors[key] = exc


def _put_under(widget: QWidget, label: QLabel) -> None:
    """Put ``label`` right under ``widget`` in the layout that holds it."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(layout, QFormLayout):
        row = cast(tuple[int, object], layout.getWidgetPosition(widget))[0]
        if row >= 0:
            layout.insertRow(row + 1, "", label)
            return
    if isinstance(layout, QBoxLayout):
        i = layout.indexOf(widget)
        if i >= 0:
            layout.insertWidget(i + 1, label)
