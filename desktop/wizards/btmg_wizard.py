"""The BTMG enrollment wizard: MECT "Add BTMG" in MECT's order, with the step number visible.

Pages: Registration (steps 4–9), Documents (10), Capability and operator (11–14), Measurement (15),
Seasons (16–25), Statements (26), Review (27: Submit). Every edit is saved to the store as you
type (debounced), as in the DGG wizard; the draft reopens on the page it was left on. Close keeps
the edits; "Undo this session's edits" puts the draft back as it was when the wizard opened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget, QWizard

from desktop.commands import btmg as svc
from desktop.errors import KnownError
from desktop.models.btmg import GeneratorOption, new_local_generator
from desktop.models.btmg_deadlines import DONE_STATUSES
from desktop.models.btmg_fields import PAGE_STEPS, PAGE_TITLES, PAGES, STEPS, Page
from desktop.models.fields import format_mw
from desktop.models.issues import Issue, error
from desktop.models.planning import deadline_status
from desktop.wizards.pages.btmg_base_page import BtmgPage
from desktop.wizards.pages.btmg_capability_page import BtmgCapabilityPage
from desktop.wizards.pages.btmg_documents_page import BtmgDocumentsPage
from desktop.wizards.pages.btmg_measurement_page import BtmgMeasurementPage
from desktop.wizards.pages.btmg_registration_page import BtmgRegistrationPage
from desktop.wizards.pages.btmg_review_page import BtmgReviewPage
from desktop.wizards.pages.btmg_seasons_page import BtmgSeasonsPage
from desktop.wizards.pages.btmg_statements_page import BtmgStatementsPage
from desktop.wizards.step_sidebar import StepSidebar

if TYPE_CHECKING:  # the type only: views reach the store through desktop.commands
    from desktop.store import Store

TYPING_DEBOUNCE_MS = 400
# The sidebar's groups of MECT steps: (heading, pages).
STEP_GROUPS = (
    ("Registration · steps 4–15", (Page.REGISTRATION, Page.DOCUMENTS, Page.CAPABILITY,
                                   Page.MEASUREMENT)),
    ("Seasons · steps 16–25", (Page.SEASONS,)),
    ("Statements · step 26", (Page.STATEMENTS,)),
    ("Submit · step 27", (Page.REVIEW,)),
)  # fmt: skip
LAST_STEP = 27
UNDO_SESSION = QWizard.WizardButton.CustomButton1
SUBMIT = QWizard.WizardButton.CustomButton2


class BtmgWizard(QWizard):
    draft_saved = Signal(int)
    submitted = Signal(int)

    def __init__(
        self,
        store: Store,
        draft_id: int,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], date] = svc.today,
        sheets_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.draft_id = draft_id
        self.today = clock
        self.sheets_dir = sheets_dir or store.paths.root / "mect-sheets"
        self.setObjectName("btmg_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, False)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setButtonText(UNDO_SESSION, "Undo this session's &edits")
        # No Alt+C: the seasons' "Copy … to the other seasons" has it; Escape closes.
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.setButtonText(SUBMIT, "S&ubmit")
        # MECT's step 27 wording names the sheet action; here it writes the entry sheet.
        self.button(SUBMIT).setToolTip(
            "MECT step 27 (Submit): writes the MECT entry sheet (XLSX and PDF) to key in."
        )
        self.setButtonLayout(
            [
                UNDO_SESSION,
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                SUBMIT,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.customButtonClicked.connect(self._custom_clicked)
        self.resize(900, 700)

        row, self.enrollment = svc.load(store, draft_id, self.today())
        self._original = (row.payload, row.name, row.page, row.status)
        self._original_docs = {d.id for d in store.documents.list(draft_id)}
        self.changed = False
        self.issues: list[Issue] = []
        self.generator_options: dict[str, GeneratorOption] = svc.options_for(store, self.enrollment)

        self.pages: dict[Page, BtmgPage] = {}
        for cls in (
            BtmgRegistrationPage,
            BtmgDocumentsPage,
            BtmgCapabilityPage,
            BtmgMeasurementPage,
            BtmgSeasonsPage,
            BtmgStatementsPage,
            BtmgReviewPage,
        ):
            page: BtmgPage = cls(self)
            self.pages[page.key] = page
            self.setPage(PAGES.index(page.key), page)
        for page in self.pages.values():
            page.load(self.enrollment)

        self.side = StepSidebar("btmg_wizard", self)
        self.side.step_requested.connect(lambda key: self.show_page(Page(key)))
        self.setSideWidget(self.side)
        go_to = QShortcut(QKeySequence("Ctrl+G"), self)
        go_to.activated.connect(self.ask_step)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DEBOUNCE_MS)
        self._timer.timeout.connect(self.save_now)
        self.currentIdChanged.connect(self._page_changed)
        start = Page(row.page) if row.page in {p.value for p in PAGES} else Page.REGISTRATION
        self.setStartId(PAGES.index(start))
        self._refresh_issues()

    # --- autosave ------------------------------------------------------------------------------

    def on_edited(self, page: BtmgPage, typing: bool) -> None:
        page.write(self.enrollment)
        self.changed = True
        if typing:
            self._timer.start()
        else:
            self.save_now()

    def current_page_key(self) -> Page:
        # currentId(), not currentPage(): before the wizard starts the page is null (see
        # FocusWatcher on null pointers with PySide6 6.12).
        index = self.currentId()
        if 0 <= index < len(PAGES):
            return PAGES[index]
        page = self._original[2]
        return Page(page) if page in {p.value for p in PAGES} else Page.REGISTRATION

    def save_now(self) -> None:
        """One transaction: payload, name, issues, status and the page being shown."""
        self._timer.stop()
        try:
            self.issues = svc.save(
                self.store,
                self.draft_id,
                self.enrollment,
                page=self.current_page_key().value,
                on=self.today(),
            )
        except KnownError as exc:
            self.issues = [error("", str(exc))]
        self.changed = True
        self._refresh_issues(fresh=False)
        self.draft_saved.emit(self.draft_id)

    def _refresh_issues(self, *, fresh: bool = True) -> None:
        if fresh:
            row = self.store.drafts.get(self.draft_id)
            self.issues = svc.evaluate(self.store, row, self.enrollment, self.today())
        parse = [
            error(key, message)
            for page in self.pages.values()
            for key, message in page.parse_problems.items()
        ]
        shown = parse + [i for i in self.issues if i.field not in {p.field for p in parse}]
        row = self.store.drafts.get(self.draft_id)
        status = deadline_status(self.enrollment.year, self.today())
        done = row.status in DONE_STATUSES
        for page in self.pages.values():
            page.show_issues(shown)
            page.show_deadlines(status, done)
        capability = self.pages[Page.CAPABILITY]
        assert isinstance(capability, BtmgCapabilityPage)
        capability.refresh_hint(self.enrollment)
        self.setWindowTitle(f"BTMG enrollment — {row.name} · {status.year.name}")
        self._mark_steps(shown)
        self._update_buttons()

    def _mark_steps(self, issues: list[Issue]) -> None:
        """The sidebar: each page's live count of blocking issues; the current page selected."""
        counts = {page: 0 for page in PAGES}
        for issue in issues:
            if issue.blocking and issue.page in {p.value for p in PAGES}:
                counts[Page(issue.page)] += 1
            elif issue.blocking and issue.field in self.pages[Page.REGISTRATION].editors:
                counts[Page.REGISTRATION] += 1

        def title(page: Page) -> str:
            first, last = PAGE_STEPS[page]
            steps = f"{first}" if first == last else f"{first}–{last}"
            return f"{steps} · {PAGE_TITLES[page]}"

        self.side.set_steps(
            [
                (heading, [(p.value, title(p), counts[p]) for p in pages])
                for heading, pages in STEP_GROUPS
            ]
        )
        self.side.select(self.current_page_key().value)

    def _page_changed(self, _id: int) -> None:
        self._update_buttons()
        self.side.select(self.current_page_key().value)
        if self.currentId() < 0:
            return
        self.pages[self.current_page_key()].focus_first()
        if self._timer.isActive() or self.changed:
            self.save_now()
        else:  # only remember where the user is
            self.store.drafts.save(self.draft_id, page=self.current_page_key().value)

    def _update_buttons(self) -> None:
        on_review = self.current_page_key() is Page.REVIEW
        submit = self.button(SUBMIT)
        submit.setVisible(on_review)
        row = self.store.drafts.get(self.draft_id)
        submit.setEnabled(row.status not in DONE_STATUSES)

    # --- generators ----------------------------------------------------------------------------

    def generator_label(self, ref: str) -> str:
        snap = self.enrollment.generator_snapshot.get(ref, {})
        cap = snap.get("capacity_mw")
        shown = format_mw(float(cap)) if isinstance(cap, int | float) else "capacity unknown"
        return f"{snap.get('name', ref)} (no longer in the store, {shown})"

    def add_local_generator(self, name: str, capacity_mw: float) -> str:
        gen = new_local_generator(name, capacity_mw)
        self.enrollment.add_local_generator(gen)
        self.generator_options = svc.options_for(self.store, self.enrollment)
        self.save_now()
        return gen.ref

    # --- deadlines -----------------------------------------------------------------------------

    def move_to_next_year(self) -> None:
        self.enrollment.move_to_next_year()
        self.pages[Page.SEASONS].load(self.enrollment)
        self.save_now()

    # --- Submit / Undo / Close ----------------------------------------------------------

    def go_to_issue(self, issue: Issue) -> None:
        target = Page(issue.page) if issue.page in {p.value for p in PAGES} else None
        if target is None:
            return
        self.show_page(target)
        self.pages[target].focus_field(issue.field)

    def ask_step(self) -> QInputDialog:
        """Ctrl+G: go to a MECT step by its number."""
        dialog = QInputDialog(self)
        dialog.setObjectName("go_to_step")
        dialog.setWindowTitle("Go to step")
        dialog.setLabelText(f"MECT step number (1–{LAST_STEP}):")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, LAST_STEP)
        dialog.setIntValue(PAGE_STEPS[self.current_page_key()][0])
        dialog.intValueSelected.connect(self.go_to_step)
        dialog.open()
        return dialog

    def go_to_step(self, step: int, season: str | None = None) -> None:
        """Open the page of MECT step `step` and put the focus on that step's field (in
        `season`'s tab for steps 16–24)."""
        page = next(
            (p for p in PAGES if PAGE_STEPS[p][0] <= step <= PAGE_STEPS[p][1]), Page.REGISTRATION
        )
        self.show_page(page)
        key = next((k for k, n in STEPS.items() if n == step), None)
        if key is not None:
            self.pages[page].focus_field(f"{season}.{key}" if season else key)

    def show_page(self, target: Page) -> None:
        """Open any page. A wizard reopened on a later page has no history to go back through,
        so an earlier page it has not visited is reached by restarting there."""
        index = PAGES.index(target)
        if index < self.currentId() and index not in self.visitedIds():
            self.setStartId(index)
            self.restart()
        for _ in PAGES:
            if self.currentId() > index:
                self.back()
            elif self.currentId() < index:
                self.next()

    def _custom_clicked(self, which: int) -> None:
        if which == UNDO_SESSION.value:
            self.undo_session()
        elif which == SUBMIT.value:
            self.submit()

    def sheet_paths(self) -> list[Path]:
        row = self.store.drafts.get(self.draft_id)
        safe = re.sub(r"[^\w\- .]+", "_", row.name).strip() or f"btmg-{self.draft_id}"
        stem = f"{safe} - {self.enrollment.year.name} - MECT entry sheet"
        return [self.sheets_dir / f"{stem}.xlsx", self.sheets_dir / f"{stem}.pdf"]

    def submit(self) -> None:
        self.save_now()
        review = self.pages[Page.REVIEW]
        assert isinstance(review, BtmgReviewPage)
        first = next((i for i in self.issues if i.blocking), None)
        if first is not None:
            review.show_problem(
                f"Not submitted: {sum(i.blocking for i in self.issues)} issues to fix. "
                f"Taking you to the first: {first.message}."
            )
            self.go_to_issue(first)
            return
        try:
            self.sheets_dir.mkdir(parents=True, exist_ok=True)
            written = svc.submit(self.store, self.draft_id, self.sheet_paths(), self.today())
        except (KnownError, OSError) as exc:
            review.show_problem(f"The entry sheet was not written: {exc}")
            return
        _, self.enrollment = svc.load(self.store, self.draft_id, self.today())
        review.show_written(written)
        review.mark_button.setFocus()
        self.submitted.emit(self.draft_id)

    def mark_entered(self, registration_id: str, entered_on: date) -> None:
        review = self.pages[Page.REVIEW]
        assert isinstance(review, BtmgReviewPage)
        try:
            svc.mark_entered(self.store, self.draft_id, registration_id, entered_on, self.today())
        except KnownError as exc:
            review.show_problem(str(exc))
            return
        _, self.enrollment = svc.load(self.store, self.draft_id, self.today())
        self._refresh_issues()
        self.draft_saved.emit(self.draft_id)

    def reject(self) -> None:
        """Close: every edit is already saved; a debounced one still waiting is written now."""
        if self._timer.isActive():
            self.save_now()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._timer.isActive():
            self.save_now()
        super().closeEvent(event)

    def undo_session(self) -> None:
        """MECT's Cancel makes no changes: offer to put the draft back as it was opened."""
        self._timer.stop()
        if not self.changed:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Undo this session's edits",
            "Put the draft back as it was when you opened it? The edits made since then, "
            "and documents added, are removed.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("undo_session_dialog")
        box.button(QMessageBox.StandardButton.Discard).setText("&Undo the edits")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda result: self._discard() if result == QMessageBox.StandardButton.Discard else None
        )
        box.open()

    def _discard(self) -> None:
        payload, name, page, status = self._original
        # Read before the write transaction: every transaction here begins IMMEDIATE, so a read
        # on another connection inside it would wait for the lock it holds.
        added = [d.id for d in self.store.documents.list(self.draft_id)]
        with self.store.transaction() as conn:
            for doc_id in added:
                if doc_id not in self._original_docs:
                    self.store.documents.remove(doc_id, conn=conn)
            self.store.drafts.save(
                self.draft_id,
                payload=payload,
                name=name,
                page=page or "registration",
                status=status,
                conn=conn,
            )
        _, self.enrollment = svc.load(self.store, self.draft_id, self.today())
        svc.save(self.store, self.draft_id, self.enrollment, page=page or None, on=self.today())
        self.changed = False
        for each in self.pages.values():
            each.load(self.enrollment)
        self._refresh_issues()
        self.draft_saved.emit(self.draft_id)
