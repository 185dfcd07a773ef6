"""Forms made from field declarations: one editor per FieldSpec, issues shown under each field.

    form = FieldForm([("Owner", OWNER_FIELDS[:8]), ("Operator", ...)])   # or a flat spec list
    form.set_record(record)          # fills the editors; emits nothing
    form.edited.connect(on_edit)     # (key) after every user change, keystroke by keystroke
    record = form.record()           # typed values; text that cannot be read stays as text
    form.show_issues(issues)         # on each field's reserved line (✖ errors, ⚠ warnings)
    form.focus_field("owner_city")   # scrolls to and focuses the editor

Editors by kind: text-like kinds a QLineEdit; numbers a QLineEdit with the unit beside it;
CAPACITY a QLineEdit that shows what it read ("7.6 kW = 0.0076 MW AC"); DATE a QLineEdit that
may stay empty, with a calendar button; BOOL a Yes/No combo that may stay unanswered;
CHOICE a combo (first item empty); MULTI_CHOICE a list of check boxes. Each field's message line
is reserved (MessageLine), so messages never move the form.
Every input's objectName is its field key, its accessible name its label, its tooltip the help.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from desktop.models.fields import (
    FieldKind,
    FieldSpec,
    ParseError,
    format_mw,
    format_value,
    parse_value,
    resolve_choices,
)
from desktop.models.issues import Issue, Severity
from desktop.wizards.message_line import COLORS, MessageLine

# The light theme's colours, for pages that colour their own labels (see message_line.py).
SEVERITY_COLORS = {severity: light for severity, (light, _dark) in COLORS.items()}
_TEXT_KINDS = (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL)
_NO_ANSWER = "—"


class FieldEditor(QObject):
    """One field: its input widget, its row (input + unit + issue label) and its value."""

    edited = Signal(str)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.row = QWidget(parent)
        self.row.setObjectName(f"{spec.key}__row")
        outer = QVBoxLayout(self.row)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(6)
        outer.addLayout(line)
        self.input = self._make_input()
        self.input.setObjectName(spec.key)
        self.input.setAccessibleName(spec.label)
        self.input.setToolTip(spec.help)
        self.input.setAccessibleDescription(spec.help)
        line.addWidget(self.input, 1)
        self.unit_label: QLabel | None = None
        if spec.unit or spec.kind is FieldKind.CAPACITY:
            self.unit_label = QLabel(spec.unit, self.row)
            self.unit_label.setObjectName(f"{spec.key}__unit")
            self.unit_label.setMinimumWidth(60)
            line.addWidget(self.unit_label)
        self.extra: QToolButton | None = None
        if spec.kind is FieldKind.DATE:
            self.extra = self._calendar_button()
            line.addWidget(self.extra)
        self.issue_label = MessageLine(self.row)
        self.issue_label.setObjectName(f"{spec.key}__issue")
        outer.addWidget(self.issue_label)
        self._loading = False

    # --- widgets per kind ------------------------------------------------------------------

    def _make_input(self) -> QWidget:
        kind = self.spec.kind
        if kind is FieldKind.BOOL:
            combo = QComboBox(self.row)
            combo.addItems([_NO_ANSWER, "Yes", "No"])
            combo.currentIndexChanged.connect(self._changed)
            return combo
        if kind is FieldKind.CHOICE:
            combo = QComboBox(self.row)
            combo.addItem(_NO_ANSWER)
            combo.addItems(list(resolve_choices(self.spec)))
            combo.setMaxVisibleItems(15)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(self._changed)
            return combo
        if kind is FieldKind.MULTI_CHOICE:
            box = QListWidget(self.row)
            for choice in resolve_choices(self.spec):
                item = QListWidgetItem(choice, box)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            box.setTextElideMode(Qt.TextElideMode.ElideRight)
            rows = min(max(box.count(), 3), 8)
            box.setFixedHeight(rows * box.sizeHintForRow(0) + 2 * box.frameWidth() + 2)
            box.itemChanged.connect(self._changed)
            return box
        edit = QLineEdit(self.row)
        edit.setClearButtonEnabled(kind in _TEXT_KINDS)
        if self.spec.max_length:
            edit.setMaxLength(self.spec.max_length + 50)  # room to paste, then say it is too long
        placeholder = {
            FieldKind.DATE: "YYYY-MM-DD",
            FieldKind.CAPACITY: "e.g. 7.6 kW",
            FieldKind.EMAIL: "name@example.com",
            FieldKind.PHONE: "651-555-0100",
        }.get(kind)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._changed)
        return edit

    def _calendar_button(self) -> QToolButton:
        button = QToolButton(self.row)
        button.setText("…")
        button.setObjectName(f"{self.spec.key}__calendar")
        button.setAccessibleName(f"Pick {self.spec.label} from a calendar")
        button.setToolTip("Pick a date from a calendar")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text field is the keyboard way
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        calendar = QCalendarWidget(menu)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        button.setMenu(menu)

        def picked(day: QDate) -> None:
            assert isinstance(self.input, QLineEdit)
            self.input.setText(day.toString("yyyy-MM-dd"))
            menu.hide()
            self._changed()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        return button

    def set_choices(self, choices: Sequence[str]) -> None:
        """Offer other choices (a fuel source list that follows the fuel type); keeps the value."""
        combo = self.input
        if not isinstance(combo, QComboBox):
            return
        current = self.text()
        self._loading = True
        try:
            combo.clear()
            combo.addItem(_NO_ANSWER)
            combo.addItems(list(choices))
            self._set(current or None)
        finally:
            self._loading = False

    # --- values ----------------------------------------------------------------------------

    def _changed(self, *_: object) -> None:
        self._show_reading()
        if not self._loading:
            self.edited.emit(self.spec.key)

    def _show_reading(self) -> None:
        """Capacity fields say what they read, so 7.6 vs 7.6 kW is never a surprise."""
        if self.spec.kind is not FieldKind.CAPACITY or self.unit_label is None:
            return
        assert isinstance(self.input, QLineEdit)
        text = self.input.text().strip()
        reading = self.spec.unit
        if text:
            try:
                mw = parse_value(self.spec, text)
            except ParseError:
                reading = "?"
            else:
                reading = f"= {format_mw(mw)}" if mw is not None else reading
                if mw is not None and abs(mw) < 1.0:
                    reading += f" ({mw:.6f}".rstrip("0").rstrip(".") + " MW AC)"
                elif mw is not None:
                    reading += " AC"
        self.unit_label.setText(reading)

    def text(self) -> str:
        w = self.input
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QComboBox):
            return "" if w.currentIndex() <= 0 else w.currentText()
        assert isinstance(w, QListWidget)
        return "; ".join(
            w.item(i).text()
            for i in range(w.count())
            if w.item(i).checkState() == Qt.CheckState.Checked
        )

    def value(self) -> Any:
        """The typed value; text that cannot be read is returned as text (rules report it)."""
        if self.spec.kind is FieldKind.MULTI_CHOICE:
            assert isinstance(self.input, QListWidget)
            return tuple(
                self.input.item(i).text()
                for i in range(self.input.count())
                if self.input.item(i).checkState() == Qt.CheckState.Checked
            )
        text = self.text()
        try:
            return parse_value(self.spec, text)
        except ParseError:
            return text.strip()

    def parse_problem(self) -> str | None:
        """What is wrong with the typed text, or None when it reads (or is empty)."""
        if self.spec.kind is FieldKind.MULTI_CHOICE:
            return None
        try:
            parse_value(self.spec, self.text())
        except ParseError as exc:
            return f"{self.spec.label}: {exc}"
        return None

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._set(value)
            self._show_reading()
        finally:
            self._loading = False

    def _set(self, value: Any) -> None:
        w = self.input
        if isinstance(w, QListWidget):
            chosen = set(value or ())
            for i in range(w.count()):
                item = w.item(i)
                item.setCheckState(
                    Qt.CheckState.Checked if item.text() in chosen else Qt.CheckState.Unchecked
                )
            for extra in sorted(chosen - {w.item(i).text() for i in range(w.count())}):
                item = QListWidgetItem(str(extra), w)  # a value no longer listed is kept, shown
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            for i in range(w.count()):  # show the first ticked item, not just the list's top
                if w.item(i).checkState() == Qt.CheckState.Checked:
                    w.scrollToItem(w.item(i), QListWidget.ScrollHint.PositionAtTop)
                    break
            return
        if isinstance(w, QComboBox):
            if value is None or value == "":
                w.setCurrentIndex(0)
                return
            text = ("Yes" if value else "No") if isinstance(value, bool) else str(value)
            index = w.findText(text, Qt.MatchFlag.MatchFixedString)
            if index < 0:
                w.addItem(text)  # a value from an older list: show it; the rules flag it
                index = w.count() - 1
            w.setCurrentIndex(index)
            return
        assert isinstance(w, QLineEdit)
        if value is None:
            w.setText("")
        elif isinstance(value, str):
            w.setText(value)
        elif self.spec.kind is FieldKind.CAPACITY:
            w.setText(format_mw(float(value)))
        else:
            w.setText(format_value(self.spec, value))

    # --- issues ----------------------------------------------------------------------------

    def show_issues(self, issues: Sequence[Issue]) -> None:
        if not issues:
            self.issue_label.show_message("")
            self.input.setAccessibleDescription(self.spec.help)
            self.input.setProperty("severity", "")
            self._restyle()
            return
        worst = min(issues, key=lambda i: list(Severity).index(i.severity))
        text = "\n".join(i.message for i in issues)
        self.issue_label.show_message(text, worst.severity)
        self.input.setAccessibleDescription(f"{text}. {self.spec.help}")
        self.input.setProperty("severity", worst.severity.value)
        self._restyle()

    def _restyle(self) -> None:
        style = self.input.style()
        style.unpolish(self.input)
        style.polish(self.input)


class FieldForm(QWidget):
    """A form of FieldEditors in labelled rows, optionally in titled sections."""

    edited = Signal(str)

    def __init__(
        self,
        specs: Sequence[FieldSpec] | Sequence[tuple[str, Sequence[FieldSpec]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        flat = bool(specs) and isinstance(specs[0], FieldSpec)
        sections: list[tuple[str, Sequence[FieldSpec]]] = (
            [("", specs)] if flat else list(specs)  # type: ignore[list-item,arg-type]
        )
        for title, section_specs in sections:
            host: QWidget = QGroupBox(title, self) if title else QWidget(self)
            form = QFormLayout(host)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            if not title:
                form.setContentsMargins(0, 0, 0, 0)
            for spec in section_specs:
                self._add_row(form, spec, host)
            layout.addWidget(host)
        layout.addStretch(1)
        # One label column across sections, so the fields line up down the whole form.
        width = max((label.sizeHint().width() for label in self.labels.values()), default=0)
        for label in self.labels.values():
            label.setMinimumWidth(width)
        self.setMaximumWidth(width + 620)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _add_row(self, form: QFormLayout, spec: FieldSpec, host: QWidget) -> None:
        editor = FieldEditor(spec, host)
        label = QLabel(spec.display_label, host)
        label.setObjectName(f"{spec.key}__label")
        label.setBuddy(editor.input)
        label.setToolTip(spec.help)
        if isinstance(editor.input, QListWidget):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        else:
            # as tall as its input, so the text sits level with it (the message line is below)
            label.setMinimumHeight(editor.input.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label, editor.row)
        editor.edited.connect(self.edited)
        self.editors[spec.key] = editor
        self.labels[spec.key] = label

    # --- record ----------------------------------------------------------------------------

    def editor(self, key: str) -> FieldEditor:
        return self.editors[key]

    def set_record(self, record: Mapping[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(record.get(key))

    def record(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def parse_problems(self) -> dict[str, str]:
        """Texts that cannot be read as their field's kind, by key."""
        out: dict[str, str] = {}
        for key, editor in self.editors.items():
            problem = editor.parse_problem()
            if problem:
                out[key] = problem
        return out

    def show_issues(self, issues: Iterable[Issue]) -> None:
        """Show each issue under its field (record-level issues only: row is None)."""
        by_key: dict[str, list[Issue]] = {}
        for issue in issues:
            if issue.row is None and issue.field in self.editors:
                by_key.setdefault(issue.field, []).append(issue)
        for key, editor in self.editors.items():
            editor.show_issues(by_key.get(key, []))

    def focus_field(self, key: str) -> bool:
        editor = self.editors.get(key)
        if editor is None:
            return False
        editor.input.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(editor.input, QLineEdit):
            editor.input.selectAll()
        return True

    def set_visible_field(self, key: str, visible: bool) -> None:
        """Hide or show a field and its label (conditional fields)."""
        self.editors[key].row.setVisible(visible)
        self.labels[key].setVisible(visible)
