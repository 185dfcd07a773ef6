"""What every DGG wizard page does: load from the session, show its issues, save back.

`DggPage` is the contract the wizard relies on; `DggFormPage` is a page made of field forms
(General, Owner, Engineering). A page never blocks "Next": drafts may be left incomplete.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.models import dgg
from desktop.models.fields import FieldKind, FieldSpec
from desktop.models.issues import Issue
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.form_builder import FieldForm

# Typing is saved after a pause; a pick from a list is saved at once.
_TYPED = (
    FieldKind.TEXT,
    FieldKind.EMAIL,
    FieldKind.PHONE,
    FieldKind.POSTAL,
    FieldKind.INT,
    FieldKind.DECIMAL,
    FieldKind.PERCENT,
    FieldKind.CAPACITY,
    FieldKind.DATE,
)


class DggPage(QWizardPage):
    key = ""

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(f"page_{self.key}")
        self.setTitle(dgg.PAGE_TITLES[self.key])
        self.reveal_all = False  # show "required" on untouched fields (after Finish or a jump)

    def load(self) -> None:
        """Fill the widgets from the session (when the wizard opens)."""

    def refresh(self) -> None:
        """Entering the page: other pages may have changed what it shows."""
        self.show_issues()

    def save(self) -> None:
        """Write the widgets into the session's group (no store access: the session saves)."""

    def issues(self) -> list[Issue]:
        return self.session.page_issues(self.key)

    def show_issues(self) -> None:
        """Show this page's issues inline."""

    def focus_issue(self, field: str, row: int | None) -> None:
        """Put the keyboard focus where the issue is."""

    def focus_first(self) -> None:
        """Put the keyboard focus on the page's first input."""
        self.focusNextChild()

    def validatePage(self) -> bool:
        self.save()
        self.session.flush()
        return True


class DggFormPage(DggPage):
    """A page of labelled fields in sections, in a scroll area."""

    sections: Sequence[tuple[str, Sequence[FieldSpec]]] = ()
    subtitle = ""

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setSubTitle(self.subtitle)
        self.form = FieldForm(self.sections, self)
        self.form.edited.connect(self._edited)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields only
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self.scroll_area)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 12, 0)
        across = QHBoxLayout()
        across.addWidget(self.form, 1)  # grows up to its maximum width, then the rest is margin
        across.addStretch(0)
        inner_layout.addLayout(across)
        inner_layout.addStretch(1)
        self.scroll_area.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.touched: set[str] = set()

    def load(self) -> None:
        self.form.set_record(self.session.group)
        self.after_load()
        self.show_issues()

    def after_load(self) -> None:
        """Subclasses update dependent widgets (visibility, derived values)."""

    def save(self) -> None:
        self.session.group.update(self.form.record())

    def _edited(self, key: str) -> None:
        self.touched.add(key)
        self.session.group[key] = self.form.editor(key).value()
        self.after_edit(key)
        # touch first: it tells the session the issues changed (and the steps recount)
        self.session.touch(immediate=self.form.editor(key).spec.kind not in _TYPED)
        self.show_issues()

    def after_edit(self, key: str) -> None:
        """Subclasses react to one field's change."""

    def show_issues(self) -> None:
        shown = [
            i
            for i in self.issues()
            if self.reveal_all or i.field in self.touched or not i.message.endswith(" is required")
        ]
        self.form.show_issues(shown)

    def focus_issue(self, field: str, row: int | None) -> None:
        self.reveal_all = True
        self.show_issues()
        editor = self.form.editors.get(field)
        if editor is None:
            return
        self.scroll_area.ensureWidgetVisible(editor.row, 0, 40)
        self.form.focus_field(field)
