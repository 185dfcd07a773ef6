"""The DGG registration wizard: General, Owner, Engineering, Fuels, Units, Documents, Review.

Every edit is autosaved (see DggSession); reopening a draft resumes on the page it was left
on. Finish checks every page: with anything blocking it goes to the first problem, otherwise
it saves all in one transaction and marks the draft "Ready to submit" (submission to the
registry is the sync work's job).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from desktop.models import dgg
from desktop.models.issues import blocking
from desktop.services.dgg import count
from desktop.store import Store
from desktop.store.outbox import ItemRow
from desktop.sync.item_state import draft_status
from desktop.sync.outbox import repository
from desktop.views.submit_panel import SubmitPanel
from desktop.views.sync_service import SyncService
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.pages.dgg_documents_page import DggDocumentsPage
from desktop.wizards.pages.dgg_engineering_page import DggEngineeringPage
from desktop.wizards.pages.dgg_fuels_page import DggFuelsPage
from desktop.wizards.pages.dgg_general_page import DggGeneralPage
from desktop.wizards.pages.dgg_owner_page import DggOwnerPage
from desktop.wizards.pages.dgg_page import DggPage
from desktop.wizards.pages.dgg_review_page import DggReviewPage
from desktop.wizards.pages.dgg_units_page import DggUnitsPage

PAGE_CLASSES: tuple[type[DggPage], ...] = (
    DggGeneralPage,
    DggOwnerPage,
    DggEngineeringPage,
    DggFuelsPage,
    DggUnitsPage,
    DggDocumentsPage,
    DggReviewPage,
)
assert tuple(c.key for c in PAGE_CLASSES) == dgg.PAGES


class DggWizard(QWizard):
    def __init__(
        self,
        store: Store,
        draft_id: int,
        parent: QWidget | None = None,
        *,
        sync_service: SyncService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dgg_wizard")
        self.draft_id = draft_id
        self.session = DggSession(store, draft_id, self)
        self.setWindowTitle(f"DGG registration — {self.session.name}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)  # Enter belongs to the fields
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Close")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.pages: list[DggPage] = []
        for page_id, cls in enumerate(PAGE_CLASSES):
            page = cls(self.session, self)
            self.setPage(page_id, page)
            self.pages.append(page)
        self.review.jump_requested.connect(self.jump_to)
        if sync_service is not None:
            panel = SubmitPanel(sync_service)
            panel.queued.connect(self._outbox_changed)
            self.review.attach_submit_panel(panel)
            sync_service.changed.connect(self._outbox_changed)
            sync_service.busy_changed.connect(self._outbox_changed)
        self._outbox_item: ItemRow | None = None
        self._build_side()
        if sync_service is not None:
            self._outbox_changed()
        self.session.saved.connect(self._saved)
        self.session.changed.connect(self._mark_nav)  # the step counts follow every edit
        for page in self.pages:
            page.load()

        # Resume where the user left off, through Next so that Back works from there.
        self._resuming = True
        target = self.page_id(self.session.page)
        self.restart()
        while self.currentId() < target:
            self.next()
        self._resuming = False
        self._last_id = self.currentId()
        self.currentIdChanged.connect(self._page_changed)
        self._mark_nav()

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_now)
        self.resize(1180, 780)

    # --- navigation ------------------------------------------------------------------------

    @property
    def review(self) -> DggReviewPage:
        page = self.pages[-1]
        assert isinstance(page, DggReviewPage)
        return page

    def page_id(self, key: str) -> int:
        return dgg.PAGES.index(key) if key in dgg.PAGES else 0

    def current(self) -> DggPage:
        return self.pages[max(self.currentId(), 0)]

    def goto_page(self, key: str) -> DggPage:
        target = self.page_id(key)
        while self.currentId() > target:
            self.back()
        while self.currentId() < target:
            self.next()
        return self.current()

    def jump_to(self, page: str, field: str, row: int | None) -> None:
        """Go to the page of an issue and put the focus on its field (or unit row)."""
        target = self.goto_page(page)
        target.focus_issue(field, row)

    def _page_changed(self, page_id: int) -> None:
        if self._resuming or page_id < 0:
            return
        if 0 <= self._last_id < len(self.pages):
            self.pages[self._last_id].save()
        self._last_id = page_id
        page = self.pages[page_id]
        page.refresh()
        focus = self.focusWidget()
        if focus is None or not focus.isVisible():
            # the focus was on the page just left: start at the top of this one
            page.focus_first()
        self.session.set_page(page.key)
        self._mark_nav()

    # --- side panel: where am I, and was it saved ------------------------------------------

    def _build_side(self) -> None:
        side = QWidget(self)
        side.setObjectName("dgg_wizard_side")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = QLabel("<b>Steps</b>", side)
        self.nav = QListWidget(side)
        self.nav.setObjectName("dgg_wizard_steps")
        self.nav.setAccessibleName("Wizard steps")
        self.nav.setFixedWidth(190)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget { background: transparent; }"
            "QListWidget::item { padding: 6px 4px; }"
            "QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 3px; }"
        )
        for key in dgg.PAGES:
            item = QListWidgetItem(dgg.PAGE_TITLES[key], self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.itemActivated.connect(self._nav_activated)
        self.nav.itemClicked.connect(self._nav_activated)
        self.status = QLabel(side)
        self.status.setObjectName("save_status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Save status")
        self.status.setMinimumHeight(3 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(heading)
        layout.addWidget(self.nav, 1)
        layout.addWidget(self.status)
        self.setSideWidget(side)
        self.status.setText(f"{self._status_line()}")

    def _status_line(self) -> str:
        """The draft's status as every view shows it: its submission's state while the outbox
        has it (desktop.sync.item_state), else the status saved with the draft. The item is
        read when the sync service says the outbox changed, never on a save (saves happen
        while the user types)."""
        return f"Status: {draft_status(self.session.status, self._outbox_item)}"

    def _outbox_changed(self, *_: object) -> None:
        found = repository(self.session.store).list(draft_id=self.session.draft_id)
        items = [i for i in found if i.kind == "dgg"]
        self._outbox_item = items[-1] if items else None
        lines = self.status.text().split("\n")
        lines[-1] = self._status_line()
        self.status.setText("\n".join(lines))

    def _nav_activated(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        self.goto_page(key)

    def _mark_nav(self) -> None:
        """Each step shows how many blocking issues it has; the current one is selected."""
        counts = count(self.session.issues())
        for n, key in enumerate(dgg.PAGES):
            item = self.nav.item(n)
            if item is None:  # the side panel is built after the pages load
                return
            count_ = counts.on_page(key)
            if key == dgg.REVIEW:
                count_ = counts.errors
            title = dgg.PAGE_TITLES[key]
            item.setText(f"{n + 1}. {title}" + (f"  ({count_})" if count_ else ""))
            item.setToolTip(
                f"{count_} issue{'s' if count_ != 1 else ''} to resolve" if count_ else "No issues"
            )
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(max(self.currentId(), 0))
        self.nav.blockSignals(False)

    def _saved(self, when: float) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(when))
        self.status.setText(f"Saved {stamp}\n{self._status_line()}")

    def save_now(self) -> None:
        """Ctrl+S: write the current page now and say so."""
        self.current().save()
        self.session.touch(immediate=True)
        self.status.setText(f"Saved\n{self._status_line()}")
        self._mark_nav()

    # --- finishing and closing -------------------------------------------------------------

    def accept(self) -> None:
        for page in self.pages:
            page.save()
        issues = self.session.finish()
        errors = blocking(issues)
        if errors:
            first = errors[0]
            page = self.pages[self.page_id(first.page or dgg.GENERAL)]
            page.reveal_all = True
            self.jump_to(first.page or dgg.GENERAL, first.field, first.row)
            self.status.setText(
                f"{len(errors)} issue{'s' if len(errors) != 1 else ''} block submission: "
                f"first on {dgg.PAGE_TITLES.get(first.page or '', 'General')}.\n"
                f"{self._status_line()}"
            )
            self._mark_nav()
            return
        self.status.setText(f"Saved\n{self._status_line()}")
        super().accept()

    def reject(self) -> None:
        self.current().save()
        self.session.flush()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.current().save()
        self.session.flush()
        super().closeEvent(event)
