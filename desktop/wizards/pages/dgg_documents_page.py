"""Documents: files attached per unit and per group, and the checklist of what each unit lacks.

Files are copied into the draft store with their SHA-256 (store.documents); a later change to
the original file is detected and shown. A folder (or many files) dropped on the page, or
chosen with "Attach a folder", is matched to the units by file name off the main thread; the
match preview (views/document_match_dialog.py) shows every match and what needs a decision, and
nothing is stored until it is accepted, then all in one transaction (docs/units.md). Several
units selected in the checklist get the same file (a group-wide interconnection agreement).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import tasks
from desktop.errors import KnownError
from desktop.exchange.document_matching import FileMatch, MatchPlan
from desktop.models import dgg, reference
from desktop.models.issues import Severity
from desktop.services.units import AttachResult, attach_documents, match_documents
from desktop.store.documents import DocumentRow
from desktop.views.document_match_dialog import DocumentMatchDialog
from desktop.views.snapshot_table_model import SnapshotTableModel
from desktop.views.unit_picker import UnitPicker
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.form_builder import SEVERITY_COLORS
from desktop.wizards.pages.dgg_page import DggPage

Index = QModelIndex | QPersistentModelIndex
GROUP_TARGET = "The whole group"
_OK, _MISSING, _NA = "✓", "missing", "—"


def unit_document_types() -> list[str]:
    return [
        str(e["value"])
        for e in reference.entries("dgg_document_types")
        if e.get("scope") in ("unit", "any")
    ]


def group_document_types() -> list[str]:
    return [
        str(e["value"])
        for e in reference.entries("dgg_document_types")
        if e.get("scope") in ("group", "any")
    ]


class ChecklistModel(QAbstractTableModel):
    """Rows: active units; columns: the required document types; cells: ✓ / missing / —."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dgg.ChecklistRow] = []
        self.types: list[str] = []

    def set_rows(self, rows: list[dgg.ChecklistRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.types = [
            str(e["value"])
            for e in reference.entries("dgg_document_types")
            if e.get("scope") == "unit" and e.get("required") in ("always", "not_owned")
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.types) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self.rows[section].row + 1)
        return "Unit" if section == 0 else self.types[section - 1]

    def cell(self, row: int, column: int) -> str:
        item = self.rows[row]
        if column == 0:
            return item.name
        doc_type = self.types[column - 1]
        if doc_type not in item.required:
            return _NA
        return _MISSING if doc_type in item.missing else _OK

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ForegroundRole and index.column() > 0:
            if text == _MISSING:
                return QColor(SEVERITY_COLORS[Severity.ERROR])
            if text == _OK:
                return QColor("#1e7b34")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() > 0 and text == _MISSING:
            return "Double-click or press Enter to attach this document"
        return None


ATTACHED_HEADERS = dict(
    enumerate(("File", "Document type", "Attached to", "Size", "Original file"))
)


class AttachedModel(SnapshotTableModel[DocumentRow]):
    """The attached files: name, type, what it is attached to, size, state of the original."""

    HEADERS = ATTACHED_HEADERS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targets: dict[str | None, str] = {}
        self.original: dict[int, bool | None] = {}

    def set_docs(
        self,
        docs: list[DocumentRow],
        targets: dict[str | None, str],
        original: dict[int, bool | None],
    ) -> None:
        self.targets, self.original = targets, original
        self.replace_rows(docs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.row_for_index(index)
        if doc is None:
            return None
        changed = self.original.get(doc.id)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return doc.filename
            if column == 1:
                return doc.doc_type
            if column == 2:
                return self.targets.get(doc.unit_uid, "(a removed unit)")
            if column == 3:
                return _size(doc.size)
            return {True: "changed since attached", False: "unchanged", None: "not found"}[changed]
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and changed:
            return QColor(SEVERITY_COLORS[Severity.WARNING])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{doc.original_path}\nSHA-256 {doc.sha256}"
        return None


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class DggDocumentsPage(DggPage):
    key = dgg.DOCUMENTS

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setSubTitle(
            "Each unit needs its Interconnection Agreement, Engineering Documents, Certificate of "
            "Completion and Ownership documents, and a Schedule A when your organization does "
            "not own it. Drop a folder of documents here to match every file to its unit by "
            "name, or attach files one type at a time."
        )
        self.setAcceptDrops(True)
        self.last_folder = Path.home()
        self.target = UnitPicker(self)
        self.target.setObjectName("document_target")
        self.target.setAccessibleName("Attach to")
        self.target.setToolTip(
            "The unit the document is for, or the whole group; type to search by name, meter "
            "ID or address"
        )
        self.target.currentIndexChanged.connect(self._fill_types)
        self.doc_type = QComboBox(self)
        self.doc_type.setObjectName("document_type")
        self.doc_type.setAccessibleName("Document type")
        self.doc_type.setToolTip("What the document is")
        self.attach_button = QPushButton("&Attach files…", self)
        self.attach_button.setObjectName("attach_document")
        self.attach_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("Attach a f&older…", self)
        self.folder_button.setObjectName("attach_folder")
        self.folder_button.setToolTip(
            "Match every file of a folder to its unit (meter ID, unit name or address in the "
            "file or folder name) and document type; you check the matches before they are "
            "stored"
        )
        self.folder_button.clicked.connect(self.choose_folder)
        self.multi_target = QLabel(self)
        self.multi_target.setObjectName("document_multi_target")
        self.multi_target.setVisible(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("documents_progress")
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self._job: tasks.Progress | None = None
        self._poller: tasks.ProgressPoller | None = None
        self.preview: DocumentMatchDialog | None = None
        chooser = QFormLayout()
        target_label = QLabel("Attach &to", self)
        target_label.setBuddy(self.target)
        type_label = QLabel("Document t&ype", self)
        type_label.setBuddy(self.doc_type)
        row = QHBoxLayout()
        row.addWidget(self.doc_type, 1)
        row.addWidget(self.attach_button)
        row.addWidget(self.folder_button)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.multi_target)
        chooser.addRow(target_label, target_row)
        chooser.addRow(type_label, row)

        self.checklist_model = ChecklistModel(self)
        self.checklist = QTableView(self)
        self.checklist.setObjectName("document_checklist")
        self.checklist.setAccessibleName("Document checklist per unit")
        self.checklist.setModel(self.checklist_model)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Several units at once (Shift/Ctrl): the next file goes to each of them.
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.checklist.verticalHeader().setDefaultSectionSize(22)
        header = self.checklist.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.checklist_model.modelReset.connect(
            lambda: header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        )
        self.checklist.activated.connect(self._checklist_activated)
        self.checklist.clicked.connect(self._checklist_clicked)
        self.checklist.selectionModel().selectionChanged.connect(
            lambda *_: self._show_multi_target()
        )

        self.attached_model = AttachedModel(self)
        self.attached = QTableView(self)
        self.attached.setObjectName("attached_documents")
        self.attached.setAccessibleName("Attached documents")
        self.attached.setModel(self.attached_model)
        self.attached.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attached.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attached.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attached.verticalHeader().setVisible(False)
        self.attached.verticalHeader().setDefaultSectionSize(22)
        self.attached.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((280, 190, 200, 60)):
            self.attached.setColumnWidth(column, width)
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.setObjectName("remove_document")
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_copy_button = QPushButton("&Save a copy…", self)
        self.save_copy_button.setObjectName("save_document_copy")
        self.save_copy_button.clicked.connect(self.save_copy)
        doc_buttons = QHBoxLayout()
        doc_buttons.addWidget(self.remove_button)
        doc_buttons.addWidget(self.save_copy_button)
        doc_buttons.addStretch(1)

        self.status = QLabel(self)
        self.status.setObjectName("documents__issue")
        self.status.setWordWrap(True)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel("<b>Checklist</b>", top))
        top_layout.addWidget(self.checklist)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("<b>Attached files</b>", bottom))
        bottom_layout.addWidget(self.attached)
        bottom_layout.addLayout(doc_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(chooser)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        session.documents_changed.connect(self.refresh)
        session.units_changed.connect(self._fill_targets)

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        self._fill_targets()
        self.refresh()

    def refresh(self) -> None:
        s = self.session
        self.checklist_model.set_rows(dgg.document_checklist(s.units, s.documents))
        targets: dict[str | None, str] = {None: GROUP_TARGET}
        for n, unit in enumerate(s.units):
            targets[str(unit.get("uid"))] = f"Unit {n + 1}: {unit.get('name') or 'unnamed'}"
        original = {d.id: s.store.documents.original_changed(d) for d in s.documents}
        self.attached_model.set_docs(list(s.documents), targets, original)
        has_docs = bool(s.documents)
        self.remove_button.setEnabled(has_docs)
        self.save_copy_button.setEnabled(has_docs)
        self.show_issues()

    def _fill_targets(self) -> None:
        self.target.blockSignals(True)
        self.target.set_units(self.session.units, extra=[(GROUP_TARGET, None)])
        self.target.blockSignals(False)
        self._fill_types()

    def _fill_types(self) -> None:
        current = self.doc_type.currentText()
        unit = self.target.currentData() is not None
        types = unit_document_types() if unit else group_document_types()
        self.doc_type.clear()
        self.doc_type.addItems(types)
        if current in types:
            self.doc_type.setCurrentText(current)

    def show_issues(self) -> None:
        issues = self.issues()
        changed = sum(1 for v in self.attached_model.original.values() if v)
        lines = []
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if errors:
            many = len(errors) > 1
            lines.append(f"{len(errors)} unit{'s lack' if many else ' lacks'} documents.")
        lines += [i.message for i in issues if i.severity is not Severity.ERROR]
        if changed:
            lines.append(
                f"{changed} original file{'s have' if changed > 1 else ' has'} changed since "
                "attaching: attach the new version if it should replace the stored copy."
            )
        color = SEVERITY_COLORS[Severity.ERROR if errors else Severity.WARNING]
        if not lines and self.session.units:
            lines, color = ["Every unit has its documents."], "#1e7b34"
        self.status.setText("\n".join(lines))
        self.status.setStyleSheet(f"color: {color};")
        self.status.setVisible(bool(lines))

    def focus_issue(self, field: str, row: int | None) -> None:
        for n, item in enumerate(self.checklist_model.rows):
            if item.row == row:
                missing = item.missing[0] if item.missing else None
                column = self.checklist_model.types.index(missing) + 1 if missing else 0
                self.checklist.setCurrentIndex(self.checklist_model.index(n, column))
                self._checklist_clicked(self.checklist.currentIndex())
                break
        self.checklist.setFocus()

    # --- attaching -------------------------------------------------------------------------

    def selected_unit_uids(self) -> list[str]:
        """The units selected in the checklist, in row order."""
        rows = sorted({i.row() for i in self.checklist.selectionModel().selectedIndexes()})
        return [self.checklist_model.rows[r].uid for r in rows]

    def attach_targets(self) -> list[str | None]:
        """Several units selected in the checklist, or the one chosen under "Attach to"."""
        selected = self.selected_unit_uids()
        if len(selected) > 1:
            return list(selected)
        return [self.target.currentData()]

    def _show_multi_target(self) -> None:
        selected = self.selected_unit_uids()
        many = len(selected) > 1
        self.target.setEnabled(not many)
        self.multi_target.setVisible(many)
        self.multi_target.setText(f"{len(selected)} units selected in the checklist")
        if many and self.doc_type.count() and self.target.currentData() is None:
            self.target.select_data(selected[0])  # unit document types, not the group's
        self.attach_button.setText(
            f"&Attach files to {len(selected)} units…" if many else "&Attach files…"
        )

    def _checklist_clicked(self, index: QModelIndex) -> None:
        """Selecting a cell chooses that unit and document type for the next attachment."""
        if not index.isValid():
            return
        item = self.checklist_model.rows[index.row()]
        self.target.select_data(item.uid)
        if index.column() > 0:
            self.doc_type.setCurrentText(self.checklist_model.types[index.column() - 1])

    def _checklist_activated(self, index: QModelIndex) -> None:
        self._checklist_clicked(index)
        if index.column() > 0:
            self.choose_files()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            f"Attach {self.doc_type.currentText()} — {self.target.currentText()}",
            str(self.last_folder),
            "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.doc *.docx *.xlsx *.csv *.txt);;"
            "All files (*)",
        )
        if paths:
            self.last_folder = Path(paths[0]).parent  # the next file is likely beside it
        self.attach([Path(p) for p in paths])

    def attach(self, paths: list[Path]) -> int:
        """Attach files with the chosen type to the chosen unit(s) or the group, in one
        transaction; returns the documents added."""
        if not paths:
            return 0
        try:
            return self.session.add_documents(
                paths, self.doc_type.currentText(), self.attach_targets()
            )
        except KnownError as exc:
            self._say(str(exc), Severity.ERROR)
            return 0

    def _say(self, text: str, severity: Severity) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {SEVERITY_COLORS[severity]};")
        self.status.setVisible(True)

    # --- a folder of documents -------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Attach a folder of documents", str(self.last_folder)
        )
        if folder:
            self.last_folder = Path(folder)
            self.start_matching([Path(folder)])

    def start_matching(self, paths: list[Path]) -> None:
        """Match the files off the main thread; the preview opens when it is done."""
        if self._job is not None:
            return
        self.session.flush()  # the matching reads the units from the store
        s = self.session

        @tasks.with_progress
        def job(progress: tasks.Progress) -> MatchPlan:
            return match_documents(s.store, s.draft_id, paths, progress=progress)

        self._start_job("Matching files…", job, self._matched)

    def _start_job(self, text: str, fn: Any, on_done: Any) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(text)
        self.progress.setVisible(True)
        self.folder_button.setEnabled(False)
        self._job = tasks.run(fn, on_done=on_done, on_error=self._job_failed)
        self._poller = tasks.ProgressPoller(self._job, 100, self)
        self._poller.changed.connect(self._show_progress)

    def _show_progress(self, done: int, total: int, text: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self.progress.setFormat(text)

    def _job_ended(self) -> None:
        if self._poller is not None:
            self._poller.stop()
        self._job = self._poller = None
        self.progress.setVisible(False)
        self.folder_button.setEnabled(True)

    def _job_failed(self, exc: BaseException, tb: str) -> None:
        self._job_ended()
        if isinstance(exc, KnownError):
            self._say(f"{exc} Nothing was attached.", Severity.ERROR)
            return
        from desktop import messages  # noqa: PLC0415 - only on a bug

        messages.bug(exc, tb)

    def _matched(self, plan: MatchPlan) -> None:
        self._job_ended()
        if not plan.matches:
            self._say("No documents were found there.", Severity.WARNING)
            return
        dialog = DocumentMatchDialog(plan, self.session.units, unit_document_types(), self)
        dialog.accepted.connect(lambda: self.store_matches(dialog.to_attach()))
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        self.preview = dialog
        dialog.open()

    def store_matches(self, matches: list[FileMatch]) -> None:
        """Store the accepted matches in one transaction, off the main thread."""
        s = self.session

        @tasks.with_progress
        def job(progress: tasks.Progress) -> AttachResult:
            return attach_documents(s.store, s.draft_id, matches, progress=progress)

        self._start_job("Storing documents…", job, self._stored)

    def _stored(self, result: AttachResult) -> None:
        self._job_ended()
        self.session.documents_attached()
        self._say(
            f"Attached {result.files:,} file{'s' * (result.files != 1)} "
            f"({result.documents:,} document{'s' * (result.documents != 1)}).",
            Severity.INFO,
        )

    def selected_document(self) -> DocumentRow | None:
        index = self.attached.currentIndex()
        if not index.isValid():
            return None
        return self.attached_model.row_at(index.row())

    def remove_selected(self) -> None:
        doc = self.selected_document()
        if doc is not None:
            self.session.remove_document(doc.id)

    def save_copy(self) -> None:
        doc = self.selected_document()
        if doc is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "Save a copy", str(Path.home() / doc.filename)
        )
        if target:
            self.session.store.documents.save_copy(doc.id, Path(target))

    # --- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Dropped files and folders are matched to the units and previewed."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.start_matching(paths)
            event.acceptProposedAction()
