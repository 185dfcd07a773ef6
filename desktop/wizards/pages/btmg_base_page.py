"""What every BTMG wizard page shares: the MECT step banner, the deadline line and the
late-for-this-Planning-Year banner, plus the load / write / show-issues contract.

A page loads its fields from the enrollment, writes them back when the user edits (the wizard
autosaves), and shows the issues located on its fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import PAGE_STEPS, PAGE_TITLES, TOTAL_STEPS, Page, step_caption
from desktop.models.issues import Issue, error
from desktop.models.planning import DeadlineStatus
from desktop.wizards.btmg_form import Editor, FieldRow, FocusWatcher, parse_into

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


def page_subtitle(page: Page) -> str:
    first, last = PAGE_STEPS[page]
    steps = f"Step {first}" if first == last else f"Steps {first}–{last}"
    return f"{steps} of {TOTAL_STEPS} · {PAGE_TITLES[page]}"


class BtmgPage(QWizardPage):
    key: Page

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName(f"page_{self.key.value}")
        self.setTitle(PAGE_TITLES[self.key])
        self.setSubTitle(page_subtitle(self.key))
        self.editors: dict[str, Editor] = {}
        self.rows: dict[str, FieldRow] = {}
        self.parse_problems: dict[str, str] = {}

        outer = QVBoxLayout(self)
        self.step_banner = QLabel()
        self.step_banner.setObjectName("step_banner")
        self.step_banner.setStyleSheet("font-weight: bold;")
        self.step_banner.setAccessibleName("Current MECT step")
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("deadline_line")
        self.deadline_line.setWordWrap(True)
        self.deadline_line.setStyleSheet("padding: 2px 0 6px 0;")  # palette text: both themes
        self.deadline_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.step_banner)
        outer.addWidget(self.deadline_line)

        self.late_banner = QFrame()
        self.late_banner.setObjectName("late_banner")
        # Its own dark text on its pale background, so the banner reads in the dark theme too.
        self.late_banner.setStyleSheet(
            "QFrame#late_banner { background: #fde7e9; }"
            " QFrame#late_banner QLabel { color: #3b0a0f; }"
        )
        late_row = QHBoxLayout(self.late_banner)
        self.late_text = QLabel()
        self.late_text.setWordWrap(True)
        self.move_button = QPushButton()
        self.move_button.setObjectName("move_to_next_year")
        self.move_button.clicked.connect(self.wiz.move_to_next_year)
        late_row.addWidget(self.late_text, 1)
        late_row.addWidget(self.move_button)
        self.late_banner.hide()
        outer.addWidget(self.late_banner)

        # The fields scroll rather than squeeze: a squeezed form draws its rows over each other
        # (a message line over the Generators list) at small window sizes or large text.
        body_host = QWidget()
        body_host.setObjectName("page_body")
        self.body = QVBoxLayout(body_host)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("page_scroller")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields only
        self.scroller.setWidget(body_host)
        outer.addWidget(self.scroller, 1)
        self.show_step(PAGE_STEPS[self.key][0])

    # --- shared behaviour ----------------------------------------------------------------------

    def show_step(self, step: int, context: str = "") -> None:
        caption = step_caption(step)
        self.step_banner.setText(f"{caption} ({context})" if context else caption)

    def show_deadlines(self, status: DeadlineStatus, submitted: bool) -> None:
        if submitted:
            self.deadline_line.setText(f"{status.year.name} · entered in MECT")
        else:
            self.deadline_line.setText(status.text if not status.late else status.year.name)
        late = status.late and not submitted
        self.late_banner.setVisible(late)
        # Disabled when hidden: QWizard gives a new page's focus to its first enabled input,
        # visible or not.
        self.move_button.setEnabled(late)
        if late:
            self.late_text.setText(status.text)
            self.move_button.setText(f"Mo&ve to {status.year.next().name}")

    def connect_editor(self, editor: Editor) -> None:
        self.editors[editor.spec.key] = editor
        editor.edited.connect(lambda typing: self.wiz.on_edited(self, typing))
        self.follow_focus(editor.focus, editor.step, editor.context)

    def follow_focus(self, watcher: FocusWatcher, step: int, context: str = "") -> None:
        """Show 'Step N of 27 · …' while the watched input has the focus."""
        watcher.focused.connect(lambda: self.show_step(step, context))

    def issues_for(self, issues: list[Issue], key: str) -> list[Issue]:
        found = [i for i in issues if i.field == key]
        if key in self.parse_problems:
            found.insert(0, error(key, self.parse_problems[key]))
        return found

    def focus_field(self, key: str) -> bool:
        editor = self.editors.get(key)
        if editor is None:
            return False
        editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroller.ensureWidgetVisible(editor.widget)
        return True

    def focus_first(self) -> None:
        """Put the keyboard on the page's first input (the next MECT step)."""
        for widget in self.field_widgets():
            if widget.isEnabled():
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def field_widgets(self) -> list[QWidget]:
        return [e.widget for e in self.editors.values()]

    # --- what each page provides ---------------------------------------------------------------

    def load(self, enrollment: Enrollment) -> None:
        for key, editor in self.editors.items():
            editor.set_value(enrollment.values.get(key))

    def write(self, enrollment: Enrollment) -> None:
        self.parse_problems = parse_into(self.editors, enrollment.values)

    def show_issues(self, issues: list[Issue]) -> None:
        for key, row in self.rows.items():
            row.issues.show_issues(self.issues_for(issues, key))
