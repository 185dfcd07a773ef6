"""Input widgets derived from BTMG field declarations, with inline issues and the MECT step.

Each editor's widget carries the field key as objectName, the label as accessible name, the
help text as tooltip and its MECT step number as the "mect_step" property (the page banner shows
'Step N of 27 · Label' for the focused input). Text edits report `edited(True)` (debounced by
the wizard); choices and checkboxes report `edited(False)` (saved at once).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.models.btmg_fields import STEPS
from desktop.models.fields import FieldKind, FieldSpec, ParseError, format_value, parse_value
from desktop.models.fields import resolve_choices as choices_of
from desktop.models.issues import Issue, Severity
from desktop.wizards.message_line import MessageLine

EMPTY_CHOICE = "— choose —"


class FocusWatcher(QObject):
    """Tells when its widget gets the keyboard focus (the page then shows that MECT step).

    An event filter rather than QApplication.focusChanged: with PySide6 6.12 on Python 3.11 every
    null pointer or invalid QVariant handed from Qt to Python drops a reference to None (see
    docs/btmg.md), and focusChanged carries a null widget whenever focus enters or leaves.
    """

    focused = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit()
        return False


class Editor(QObject):
    """One declared field's input; `value()` raises ParseError for text it cannot read."""

    edited = Signal(bool)  # True: typing (debounce); False: a discrete change (save now)

    def __init__(self, spec: FieldSpec, widget: QWidget, context: str = "") -> None:
        super().__init__(widget)
        self.spec = spec
        self.widget = widget
        self.context = context
        self.step = STEPS.get(spec.key, 0)
        self._loading = False
        widget.setObjectName(spec.key)
        name = f"{spec.label} ({context})" if context else spec.label
        widget.setAccessibleName(name)
        widget.setAccessibleDescription(spec.help)
        widget.setToolTip(spec.help)
        self.focus = FocusWatcher(widget)

    def _emit(self, typing: bool) -> None:
        if not self._loading:
            self.edited.emit(typing)

    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False


class LineEditor(Editor):
    def __init__(self, spec: FieldSpec, context: str = "") -> None:
        widget = QLineEdit()
        super().__init__(spec, widget, context)
        self.line = widget
        if spec.max_length:
            self.line.setMaxLength(spec.max_length)
        if spec.unit:
            self.line.setPlaceholderText(spec.unit)
        self.line.textEdited.connect(lambda _t: self._emit(True))

    def value(self) -> Any:
        return parse_value(self.spec, self.line.text())

    def _show(self, value: Any) -> None:
        if value is None:
            self.line.setText("")
        elif self.spec.kind in (FieldKind.DECIMAL, FieldKind.PERCENT):
            self.line.setText(f"{float(value):g}")
        else:
            self.line.setText(format_value(self.spec, value))


class TextAreaEditor(Editor):
    def __init__(self, spec: FieldSpec, context: str = "") -> None:
        widget = QPlainTextEdit()
        super().__init__(spec, widget, context)
        self.area = widget
        self.area.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.area.setFixedHeight(70)
        self.area.textChanged.connect(lambda: self._emit(True))

    def value(self) -> Any:
        return parse_value(self.spec, self.area.toPlainText())

    def _show(self, value: Any) -> None:
        self.area.setPlainText(value or "")


class ChoiceEditor(Editor):
    """A dropdown; `editable` lets the user type a value that is not (yet) in the list."""

    def __init__(
        self, spec: FieldSpec, context: str = "", *, editable: bool = False, labels: bool = False
    ) -> None:
        widget = QComboBox()
        super().__init__(spec, widget, context)
        self.combo = widget
        self.editable = editable
        self.combo.setEditable(editable)
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        if editable:
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = self.combo.lineEdit()
            assert line is not None
            line.setPlaceholderText("type or pick")
            line.textEdited.connect(lambda _t: self._emit(True))
        self.combo.activated.connect(lambda _i: self._emit(False))
        self.set_options([(c, c) for c in choices_of(spec)])

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """(value, shown text) pairs; the current value is kept when it is still offered."""
        current = self._current()
        self._loading = True
        try:
            self.combo.clear()
            if not self.editable:
                self.combo.addItem(EMPTY_CHOICE, "")
            for value, text in options:
                self.combo.addItem(text, value)
            self._show(current)
        finally:
            self._loading = False

    def _current(self) -> str | None:
        # Every item carries str data ("" for the empty choice): Qt never hands back an
        # invalid QVariant here (see FocusWatcher for why that matters).
        if self.editable:
            text = self.combo.currentText().strip()
            index = self.combo.findText(text)
            if index >= 0 and self.combo.itemData(index):
                return str(self.combo.itemData(index))
            return text or None
        if self.combo.currentIndex() < 0:
            return None
        data = self.combo.currentData()
        return str(data) if data else None

    def value(self) -> Any:
        current = self._current()
        if current is None:
            return None
        return (
            current if self.spec.kind is not FieldKind.CHOICE else parse_value(self.spec, current)
        )

    def _show(self, value: Any) -> None:
        if value is None:
            self.combo.setCurrentIndex(0 if not self.editable else -1)
            if self.editable:
                self.combo.setEditText("")
            return
        index = self.combo.findData(value)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        elif self.editable:
            self.combo.setEditText(str(value))
        else:  # a value no longer in the list stays visible so the check can name it
            self.combo.addItem(f"{value} (not in the list)", value)
            self.combo.setCurrentIndex(self.combo.count() - 1)


class CheckEditor(Editor):
    def __init__(self, spec: FieldSpec, context: str = "") -> None:
        # The row's label names the step ("9 · CPNode override"); the box says what ticking means.
        widget = QCheckBox("Yes")
        super().__init__(spec, widget, context)
        self.box = widget
        self.box.toggled.connect(lambda _b: self._emit(False))

    def value(self) -> Any:
        return self.box.isChecked()

    def _show(self, value: Any) -> None:
        self.box.setChecked(bool(value))


def make_editor(spec: FieldSpec, context: str = "") -> Editor:
    kind = spec.kind
    if kind is FieldKind.BOOL:
        return CheckEditor(spec, context)
    if kind is FieldKind.CHOICE:
        return ChoiceEditor(spec, context)
    if kind is FieldKind.TEXT and spec.choice_list:
        return ChoiceEditor(spec, context, editable=True)
    if kind is FieldKind.TEXT and (spec.max_length or 0) > 500:
        return TextAreaEditor(spec, context)
    return LineEditor(spec, context)


class IssueLabel(MessageLine):
    """The problems of one field, on its reserved line under the field."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.setObjectName(f"{key}__issues")

    def show_issues(self, issues: list[Issue]) -> None:
        if not issues:
            self.show_message("")
            return
        worst = min(issues, key=lambda i: 0 if i.severity is Severity.ERROR else 1)
        self.show_message("\n".join(i.message for i in issues), worst.severity)


class FieldRow(QWidget):
    """The editor with its issue line below it (one form row)."""

    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor
        self.issues = IssueLabel(editor.spec.key)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor.widget)
        box.addWidget(self.issues)


def add_row(form: QFormLayout, editor: Editor) -> FieldRow:
    """A form row labelled 'N · Label *' (N = MECT step) with the label as the input's buddy."""
    row = FieldRow(editor)
    spec = editor.spec
    step = STEPS.get(spec.key)
    text = f"{step} · {spec.display_label}" if step else spec.display_label
    if spec.unit and spec.kind not in (FieldKind.CAPACITY, FieldKind.BOOL):
        text = text.replace(spec.label, f"{spec.label} ({spec.unit})", 1)
    label = QLabel(text)
    label.setBuddy(editor.widget)
    label.setToolTip(spec.help)
    form.addRow(label, row)
    return row


def parse_into(editors: dict[str, Editor], target: dict[str, Any]) -> dict[str, str]:
    """Write every readable value into `target`; return the parse problems by field key."""
    problems: dict[str, str] = {}
    for key, editor in editors.items():
        try:
            target[key] = editor.value()
        except ParseError as exc:
            target[key] = None
            problems[key] = f"{editor.spec.label}: {exc}"
    return problems
