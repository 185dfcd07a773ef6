"""Step 27: review, then Submit (MECT's wording; here it writes the MECT entry sheet). Edits are
saved as you type, so MECT's Save Draft and Cancel are the wizard's autosave and Close. After
keying the sheet into MECT, 'Mark as entered in MECT' records the registration ID."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QWidget,
)

from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import Page
from desktop.models.btmg_sheet import entry_sheet
from desktop.models.issues import Issue, Severity
from desktop.models.planning import SEASONS
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


EMPTY = "<i>✖ empty</i>"  # the symbol says it; no colour that dark mode cannot read


class MarkEnteredDialog(QDialog):
    def __init__(self, parent: QWidget | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as entered in MECT")
        self.setObjectName("mark_entered_dialog")
        form = QFormLayout(self)
        form.addRow(QLabel("After you submitted in MECT, enter the registration ID MECT showed."))
        self.registration_id = QLineEdit()
        self.registration_id.setObjectName("mect_registration_id")
        self.registration_id.setAccessibleName("MECT registration ID")
        self.registration_id.setToolTip("The ID MECT gave the BTMG registration.")
        self.entered_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.entered_on.setObjectName("mect_entered_on")
        self.entered_on.setAccessibleName("Date entered in MECT")
        self.entered_on.setCalendarPopup(True)
        self.entered_on.setDisplayFormat("yyyy-MM-dd")
        self.entered_on.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow("MECT &registration ID *", self.registration_id)
        form.addRow("&Date entered *", self.entered_on)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        if not self.registration_id.text().strip():
            self.problem.setText("Enter the registration ID that MECT showed.")
            return
        super().accept()

    def value(self) -> tuple[str, date]:
        d = self.entered_on.date()
        return self.registration_id.text().strip(), date(d.year(), d.month(), d.day())


class BtmgReviewPage(BtmgPage):
    key = Page.REVIEW

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.issue_list = QListWidget()
        self.issue_list.setObjectName("issue_list")
        self.issue_list.setAccessibleName("Issues to fix")
        self.issue_list.setToolTip("Enter or double-click an issue to go to its field.")
        self.issue_list.itemActivated.connect(self._issue_activated)
        self.preview = QTextBrowser()
        self.preview.setObjectName("sheet_preview")
        self.preview.setAccessibleName("MECT entry sheet preview")
        self.preview.setToolTip("Click a MECT field to go to it.")
        self.preview.setOpenLinks(False)  # a field's link opens its step in the wizard
        self.preview.anchorClicked.connect(self._field_clicked)
        split.addWidget(self.issue_list)
        split.addWidget(self.preview)
        split.setSizes([110, 300])
        self.body.addWidget(split, 1)
        self.result = QLabel()
        self.result.setObjectName("sheet_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.result)
        row = QHBoxLayout()
        self.open_folder = QPushButton("&Open sheet folder")
        self.open_folder.setObjectName("open_sheet_folder")
        self.open_folder.clicked.connect(self._open_folder)
        self.mark_button = QPushButton("&Mark as entered in MECT…")
        self.mark_button.setObjectName("mark_entered")
        self.mark_button.setToolTip("After keying the sheet into MECT: record its registration ID.")
        self.mark_button.clicked.connect(self.open_mark_entered)
        row.addWidget(self.open_folder)
        row.addWidget(self.mark_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.dialog: MarkEnteredDialog | None = None
        self.written: list[Path] = []
        self._issues: list[Issue] = []
        self.listed: list[Issue] = []

    def field_widgets(self) -> list[QWidget]:
        return [self.issue_list]

    def load(self, enrollment: Enrollment) -> None:
        self.refresh()

    def write(self, enrollment: Enrollment) -> None:
        self.parse_problems = {}

    def show_issues(self, issues: list[Issue]) -> None:
        self._issues = issues
        self.issue_list.clear()
        self.listed = sorted(issues, key=lambda i: i.severity is not Severity.ERROR)
        for issue in self.listed:
            mark = "✖" if issue.blocking else "⚠"
            self.issue_list.addItem(QListWidgetItem(f"{mark} {issue.message}"))
        if not issues:
            self.issue_list.addItem("No issues: the enrollment is complete.")
        self.refresh()

    def _field_clicked(self, url: QUrl) -> None:
        """'step:18:fall' (from the preview): open that step, in that season."""
        _scheme, step, season = [*url.toString().split(":"), "", ""][:3]
        if step.isdigit():
            self.wiz.go_to_step(int(step), season or None)

    def _issue_activated(self, item: QListWidgetItem) -> None:
        row = self.issue_list.row(item)
        if 0 <= row < len(self.listed):
            self.wiz.go_to_issue(self.listed[row])

    def refresh(self) -> None:
        wiz = self.wiz
        e = wiz.enrollment
        errors = sum(1 for i in self._issues if i.blocking)
        row = wiz.store.drafts.get(wiz.draft_id)
        lines = [f"<b>{html.escape(row.name)}</b> · {e.year.name} · status {row.status}"]
        if e.mect_registration_id:
            lines.append(
                f"Entered in MECT on {e.mect_entered_on} as registration "
                f"<b>{html.escape(e.mect_registration_id)}</b>."
            )
        elif errors:
            lines.append(f"{errors} issue{'s' if errors != 1 else ''} to fix before Submit.")
        else:
            lines.append("Complete. <b>Submit</b> writes the MECT entry sheet (XLSX and PDF).")
        self.summary.setText("<br>".join(lines))
        sections = entry_sheet(
            e, wiz.generator_options, [d.filename for d in wiz.store.documents.list(row.id)]
        )
        parts = [
            "<table cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th width='6%' align='left'>Step</th><th width='36%' align='left'>MECT field</th>"
            "<th align='left'>Value to key in</th></tr>"
        ]
        band = self.palette().alternateBase().color().name()  # readable in both themes
        for section in sections:
            title = html.escape(section.title)
            season = next((s.value for s in SEASONS if section.title.startswith(s.label)), "")
            parts.append(f"<tr><td colspan='3' bgcolor='{band}'><b>{title}</b></td></tr>")
            for r in section.rows:
                value = html.escape(r.value).replace("\n", "<br>") or EMPTY
                label = f"<a href='step:{r.step}:{season}'>{html.escape(r.label)}</a>"
                parts.append(f"<tr><td>{r.step}</td><td>{label}</td><td>{value}</td></tr>")
        parts.append("</table>")
        self.preview.setHtml("".join(parts))
        self.mark_button.setEnabled(e.sheet_made_on is not None and not e.mect_registration_id)
        self.open_folder.setVisible(bool(self.written))

    def show_written(self, paths: list[Path]) -> None:
        self.written = paths
        names = " and ".join(str(p) for p in paths)
        self.result.setText(
            f"Entry sheet written: {names}. Key it into MECT, then mark it entered."
        )
        self.refresh()

    def show_problem(self, text: str) -> None:
        self.result.setText(f"<span style='color:#b00020'>{html.escape(text)}</span>")

    def _open_folder(self) -> None:
        if self.written:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written[0].parent)))

    def open_mark_entered(self) -> None:
        dialog = MarkEnteredDialog(self, self.wiz.today())
        dialog.accepted.connect(lambda: self.wiz.mark_entered(*dialog.value()))
        self.dialog = dialog
        dialog.open()
