"""Step 10: Add Document. Files are copied into the draft store with their SHA-256."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desktop.errors import KnownError
from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import DOCUMENTS_FIELD, STEPS, Page
from desktop.models.issues import Issue
from desktop.wizards.btmg_form import FocusWatcher, IssueLabel
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard

DOC_TYPES = (
    "One-line diagram",
    "Metering and telemetry description",
    "Generator test or operating data (GVTC)",
    "Contract or authorization",
    "Other",
)


class BtmgDocumentsPage(BtmgPage):
    key = Page.DOCUMENTS

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        spec = DOCUMENTS_FIELD
        form = QFormLayout()
        self.doc_type = QComboBox()
        self.doc_type.setObjectName("doc_type")
        self.doc_type.setEditable(True)
        self.doc_type.addItems(DOC_TYPES)
        self.doc_type.setAccessibleName("Document type")
        self.doc_type.setToolTip("What the next file you add is; type your own if none fits.")
        self.follow_focus(FocusWatcher(self.doc_type), STEPS["documents"])
        form.addRow("Document &type", self.doc_type)
        self.body.addLayout(form)

        self.list = QListWidget()
        self.list.setObjectName(spec.key)
        self.list.setAccessibleName(spec.label)
        self.list.setToolTip(spec.help)
        self.follow_focus(FocusWatcher(self.list), STEPS["documents"])
        label = QLabel(f"{STEPS['documents']} · {spec.label}")
        label.setBuddy(self.list)
        self.body.addWidget(label)
        self.list.setMaximumHeight(220)
        self.body.addWidget(self.list)
        self.issue_label = IssueLabel(spec.key)
        self.body.addWidget(self.issue_label)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add document…")
        self.add_button.setObjectName("add_document")
        self.add_button.setToolTip(spec.help)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setObjectName("remove_document")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.error_label = QLabel()
        self.error_label.setObjectName("documents_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.body.addWidget(self.error_label)
        self.body.addStretch(1)
        self.dialog: QFileDialog | None = None
        self.doc_ids: list[int] = []

    def choose_files(self) -> None:
        # Qt's own dialog, opened without blocking: keyboard users type a path and press Enter.
        dialog = QFileDialog(self, "Add documents")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda files: self.add_files([Path(f) for f in files]))
        self.dialog = dialog
        dialog.open()

    def add_files(self, paths: list[Path]) -> None:
        store = self.wiz.store
        doc_type = self.doc_type.currentText().strip() or "Other"
        try:
            with store.transaction() as conn:
                for path in paths:
                    store.documents.add(self.wiz.draft_id, path, doc_type, conn=conn)
        except KnownError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self.refresh()
        self.wiz.save_now()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0 or row >= len(self.doc_ids):
            return
        self.wiz.store.documents.remove(self.doc_ids[row])
        self.refresh()
        self.wiz.save_now()

    def refresh(self) -> None:
        self.list.clear()
        docs = self.wiz.store.documents.list(self.wiz.draft_id)
        self.doc_ids = [d.id for d in docs]
        for doc in docs:
            size = f"{doc.size / 1024:.0f} KB" if doc.size >= 1024 else f"{doc.size} bytes"
            item = QListWidgetItem(f"{doc.filename} · {doc.doc_type} · {size}")
            item.setToolTip(f"SHA-256 {doc.sha256}\nfrom {doc.original_path}")
            self.list.addItem(item)
        self.remove_button.setEnabled(self.list.count() > 0)

    def load(self, enrollment: Enrollment) -> None:
        self.refresh()

    def write(self, enrollment: Enrollment) -> None:
        self.parse_problems = {}

    def show_issues(self, issues: list[Issue]) -> None:
        self.issue_label.show_issues([i for i in issues if i.field == "documents"])

    def field_widgets(self) -> list[QWidget]:
        return [self.doc_type, self.list, self.add_button]

    def focus_field(self, key: str) -> bool:
        self.list.setFocus()
        return True
