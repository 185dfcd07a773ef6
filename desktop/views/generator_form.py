"""The generator's fields, made from their declarations (`GENERATOR_FIELDS`) by the form
builder the wizards use: every input named by its field key, labelled, with its help as tooltip,
issues shown under the field as you type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.models.generator import CURVE_KEYS, GENERATOR_FIELDS
from desktop.models.issues import Issue
from desktop.wizards.form_builder import FieldForm

_BY_KEY = {f.key: f for f in GENERATOR_FIELDS}
SECTIONS = (
    (
        "Generator",
        ("kind", "name", "mrets_id", "reporting_unit_id", "reporting_entity", "registration_date"),
    ),
    ("Capacity and fuels", ("nameplate_mw", "capacity_factor", "max_annual_energy_mwh", "fuels")),
    ("Time", ("time_zone", "standard_time")),
    ("Validation curve (optional: all twelve months, or none)", CURVE_KEYS),
)


class GeneratorForm(QWidget):
    """`edited(key)` after every change; `record()` gives the typed values."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generator_form")
        sections = [(title, [_BY_KEY[k] for k in keys]) for title, keys in SECTIONS]
        self.form = FieldForm(sections)
        self.form.edited.connect(self.edited)
        self.summary = QLabel()
        self.summary.setObjectName("generator_form__summary")
        self.summary.setWordWrap(True)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.summary)
        inner_layout.addWidget(self.form)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.scroller = scroll
        self.setFocusProxy(self.form.editor("name").input)

    def set_record(self, record: Mapping[str, Any]) -> None:
        self.form.set_record(record)
        fuels = self.form.editor("fuels").input
        if isinstance(fuels, QListWidget):  # show the chosen fuels, not the top of the list
            checked = [
                fuels.item(i)
                for i in range(fuels.count())
                if fuels.item(i).checkState() == Qt.CheckState.Checked
            ]
            if checked:
                fuels.scrollToItem(checked[0], QAbstractItemView.ScrollHint.PositionAtTop)

    def record(self) -> dict[str, Any]:
        return self.form.record()

    def show_issues(self, issues: Iterable[Issue]) -> None:
        items = list(issues)
        self.form.show_issues(items)
        errors = [i for i in items if i.blocking and i.field in self.form.editors]
        if errors:
            self.summary.setText(
                f"<b>{len(errors)} field(s) to complete</b> before the preview and the upload: "
                + "; ".join(i.message for i in errors[:3])
                + ("…" if len(errors) > 3 else "")
            )
            self.summary.setStyleSheet("color: #b3261e;")
        else:
            self.summary.setText("The generator's fields are complete.")
            self.summary.setStyleSheet("")

    def focus_field(self, key: str) -> bool:
        ok = self.form.focus_field(key)
        if ok:
            self.scroller.ensureWidgetVisible(self.form.editor(key).input)
        return ok

    def input(self, key: str) -> QWidget:
        return self.form.editor(key).input


def focus_first(form: GeneratorForm) -> None:
    form.input("name").setFocus(Qt.FocusReason.ShortcutFocusReason)
