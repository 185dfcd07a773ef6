"""Documents: files attached per unit and per group, and the checklist of what each unit lacks.

Files are copied into the draft store with their SHA-256 (store.documents); a later change to
the original file is detected and shown. Files can be dropped onto the page.
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
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.models import dgg, reference
from desktop.models.issues import Severity
from desktop.store.documents import DocumentRow
from desktop.views.snapshot_table_model import SnapshotTableModel
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
            "not own it. Drop files here or use Attach."
        )
        self.setAcceptDrops(True)
        self.last_folder = Path.home()
        self.target = QComboBox(self)
        self.target.setObjectName("document_target")
        self.target.setAccessibleName("Attach to")
        self.target.setToolTip("The unit the document is for, or the whole group")
        self.target.currentIndexChanged.connect(self._fill_types)
        self.doc_type = QComboBox(self)
        self.doc_type.setObjectName("document_type")
        self.doc_type.setAccessibleName("Document type")
        self.doc_type.setToolTip("What the document is")
        self.attach_button = QPushButton("&Attach files…", self)
        self.attach_button.setObjectName("attach_document")
        self.attach_button.clicked.connect(self.choose_files)
        chooser = QFormLayout()
        target_label = QLabel("Attach &to", self)
        target_label.setBuddy(self.target)
        type_label = QLabel("Document t&ype", self)
        type_label.setBuddy(self.doc_type)
        row = QHBoxLayout()
        row.addWidget(self.doc_type, 1)
        row.addWidget(self.attach_button)
        chooser.addRow(target_label, self.target)
        chooser.addRow(type_label, row)

        self.checklist_model = ChecklistModel(self)
        self.checklist = QTableView(self)
        self.checklist.setObjectName("document_checklist")
        self.checklist.setAccessibleName("Document checklist per unit")
        self.checklist.setModel(self.checklist_model)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklist.verticalHeader().setDefaultSectionSize(22)
        header = self.checklist.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.checklist_model.modelReset.connect(
            lambda: header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        )
        self.checklist.activated.connect(self._checklist_activated)
        self.checklist.clicked.connect(self._checklist_clicked)

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
        current = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItem(GROUP_TARGET, None)
        for n, unit in enumerate(self.session.units):
            self.target.addItem(f"Unit {n + 1}: {unit.get('name') or 'unnamed'}", unit.get("uid"))
        index = self.target.findData(current)
        self.target.setCurrentIndex(max(index, 0))
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

    def _checklist_clicked(self, index: QModelIndex) -> None:
        """Selecting a cell chooses that unit and document type for the next attachment."""
        if not index.isValid():
            return
        item = self.checklist_model.rows[index.row()]
        self.target.setCurrentIndex(max(self.target.findData(item.uid), 0))
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

    def attach(self, paths: list[Path]) -> list[DocumentRow]:
        """Attach files with the chosen type to the chosen unit (or the group)."""
        added: list[DocumentRow] = []
        problems: list[str] = []
        for path in paths:
            try:
                added.append(
                    self.session.add_document(
                        path, self.doc_type.currentText(), self.target.currentData()
                    )
                )
            except KnownError as exc:
                problems.append(str(exc))
        if problems:
            self.status.setText("\n".join(problems))
            self.status.setStyleSheet(f"color: {SEVERITY_COLORS[Severity.ERROR]};")
            self.status.setVisible(True)
        return added

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
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.attach(paths)
            event.acceptProposedAction()
