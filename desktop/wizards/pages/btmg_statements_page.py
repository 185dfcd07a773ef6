"""Step 26: the statements to accept (texts from an editable list: verify against MECT)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.models import reference
from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import STATEMENTS_FIELD, STEPS, Page
from desktop.models.btmg_rules import statements
from desktop.models.issues import Issue
from desktop.wizards.btmg_form import FocusWatcher, IssueLabel
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


class StatementLabel(QLabel):
    """The statement's text, wrapped; clicking it ticks its box as a checkbox label would."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check
        self.setWordWrap(True)
        self.setBuddy(check)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.check.toggle()
        super().mouseReleaseEvent(event)


class BtmgStatementsPage(BtmgPage):
    key = Page.STATEMENTS

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        spec = STATEMENTS_FIELD
        self.group = QGroupBox(f"{STEPS['statements']} · {spec.display_label}")
        self.group.setObjectName(spec.key)
        self.group.setToolTip(spec.help)
        self.box = QVBoxLayout(self.group)
        self.body.addWidget(self.group)
        self.checks: list[QCheckBox] = []
        self.texts: list[str] = []
        self.row_widgets: list[QWidget] = []
        self.issue_label = IssueLabel(spec.key)
        self.body.addWidget(self.issue_label)
        note = QLabel(str(reference.load("mect_statements").get("note", "")))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.body.addWidget(note)
        self.body.addStretch(1)

    def _build(self) -> None:
        for row in self.row_widgets:
            row.deleteLater()
        self.checks, self.texts, self.row_widgets = [], [], []
        for n, text in enumerate(statements(), start=1):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            check = QCheckBox()
            label = StatementLabel(text, check)
            line.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(label, 1)
            check.setObjectName(f"statements.{n}")
            check.setAccessibleName(f"Statement {n}")
            check.setAccessibleDescription(text)
            check.setToolTip(STATEMENTS_FIELD.help)
            self.follow_focus(FocusWatcher(check), STEPS["statements"])
            check.toggled.connect(lambda _b: self.wiz.on_edited(self, False))
            self.box.addWidget(row)
            self.checks.append(check)
            self.texts.append(text)
            self.row_widgets.append(row)

    def load(self, enrollment: Enrollment) -> None:
        self._build()
        for check, text in zip(self.checks, self.texts, strict=True):
            check.blockSignals(True)
            check.setChecked(text in enrollment.statements_accepted)
            check.blockSignals(False)

    def write(self, enrollment: Enrollment) -> None:
        self.parse_problems = {}
        enrollment.statements_accepted = [
            t for c, t in zip(self.checks, self.texts, strict=True) if c.isChecked()
        ]

    def show_issues(self, issues: list[Issue]) -> None:
        self.issue_label.show_issues([i for i in issues if i.field == "statements"])

    def field_widgets(self) -> list[QWidget]:
        return list(self.checks)

    def focus_field(self, key: str) -> bool:
        first = next((c for c in self.checks if not c.isChecked()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
