"""The match preview: every dropped file, the unit and document type it was matched to, and
what needs a decision, before anything is stored.

Rows that did not match, or matched more than one unit or type, are listed first and in
colour. Select rows (Shift/Ctrl for several), choose a unit (searchable) and a type, press
Apply; "Leave out" keeps a file out. Only matched rows are attached when the dialog is
accepted; the page then stores them in one transaction (desktop/services/units.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.exchange.document_matching import FileMatch, MatchPlan, MatchStatus, unit_labels
from desktop.views.snapshot_table_model import SnapshotTableModel
from desktop.views.unit_picker import UnitPicker

Index = QModelIndex | QPersistentModelIndex
LEAVE_OUT = "(leave out)"


class Col(IntEnum):
    STATUS = 0
    FILE = 1
    UNIT = 2
    TYPE = 3
    WHY = 4


_STATUS_TEXT = {
    MatchStatus.MATCHED: "Matched",
    MatchStatus.AMBIGUOUS: "Ambiguous",
    MatchStatus.UNMATCHED: "Not matched",
}
_STATUS_COLOR = {
    MatchStatus.MATCHED: "#1e7b34",
    MatchStatus.AMBIGUOUS: "#9a6700",
    MatchStatus.UNMATCHED: "#b00020",
}
MATCH_HEADERS = {
    Col.STATUS: "Status",
    Col.FILE: "File",
    Col.UNIT: "Unit",
    Col.TYPE: "Document type",
    Col.WHY: "Why",
}
_ORDER = {MatchStatus.UNMATCHED: 0, MatchStatus.AMBIGUOUS: 1, MatchStatus.MATCHED: 2}


class MatchTableModel(SnapshotTableModel[int]):
    """Rows are indexes into `matches` (those the filter shows); corrections replace entries."""

    HEADERS = MATCH_HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matches: list[FileMatch] = []
        self.labels: Mapping[str, str] = {}
        self.attention_only = False

    def set_plan(self, plan: MatchPlan, labels: Mapping[str, str]) -> None:
        self.matches, self.labels = list(plan.matches), labels
        self.refilter()

    def refilter(self) -> None:
        shown = [
            n
            for n, m in enumerate(self.matches)
            if not self.attention_only or m.status is not MatchStatus.MATCHED
        ]
        shown.sort(key=lambda n: _ORDER[self.matches[n].status])  # stable: found order kept
        self.replace_rows(shown)

    def match_at(self, row: int) -> FileMatch:
        return self.matches[self.row_at(row)]

    def correct(self, rows: Sequence[int], unit_uids: Sequence[str], doc_type: str | None) -> None:
        """The user's choice for these rows; the row order stays until the filter changes."""
        for row in rows:
            n = self.row_at(row)
            self.matches[n] = self.matches[n].corrected(unit_uids, doc_type)
        if rows:
            self.dataChanged.emit(
                self.index(min(rows), 0), self.index(max(rows), len(self.HEADERS) - 1)
            )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        n = self.row_for_index(index)
        if n is None:
            return None
        m = self.matches[n]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Col.STATUS:
                return _STATUS_TEXT[m.status]
            if column == Col.FILE:
                return m.file.shown
            if column == Col.UNIT:
                uids = m.unit_uids or m.unit_candidates
                text = "; ".join(self.labels.get(u, u) for u in uids)
                return f"one of: {text}" if m.unit_candidates else text or "—"
            if column == Col.TYPE:
                return m.doc_type or " or ".join(m.type_candidates) or "—"
            return m.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == Col.STATUS:
            return QColor(_STATUS_COLOR[m.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{m.file.path}\n{m.reason}"
        return None


class DocumentMatchDialog(QDialog):
    def __init__(
        self,
        plan: MatchPlan,
        units: Sequence[Mapping[str, Any]],
        doc_types: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("document_match_dialog")
        self.setWindowTitle(f"Match {len(plan.matches):,} documents to units")
        self.model = MatchTableModel(self)
        self.model.set_plan(plan, unit_labels(units))

        self.summary = QLabel(self)
        self.summary.setObjectName("match_summary")
        self.summary.setWordWrap(True)
        self.show_filter = QComboBox(self)
        self.show_filter.setObjectName("match_filter")
        self.show_filter.setAccessibleName("Show")
        self.show_filter.addItems(["Every file", "Only files that need a decision"])
        self.show_filter.currentIndexChanged.connect(self._filter_changed)
        show_label = QLabel("S&how", self)
        show_label.setBuddy(self.show_filter)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(show_label)
        top.addWidget(self.show_filter)

        self.table = QTableView(self)
        self.table.setObjectName("match_table")
        self.table.setAccessibleName("Files and their matches")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # names end in the type word
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((Col.STATUS, 95), (Col.FILE, 330), (Col.UNIT, 290), (Col.TYPE, 180)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.unit = UnitPicker(self)
        self.unit.setObjectName("match_unit")
        self.unit.setAccessibleName("Unit for the selected files")
        self.unit.set_units(units, extra=[(LEAVE_OUT, None)])
        self.doc_type = QComboBox(self)
        self.doc_type.setObjectName("match_type")
        self.doc_type.setAccessibleName("Document type for the selected files")
        self.doc_type.addItems(list(doc_types))
        self.apply_button = QPushButton("A&pply to selected", self)
        self.apply_button.setObjectName("match_apply")
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply_to_selected)
        unit_label = QLabel("&Unit", self)
        unit_label.setBuddy(self.unit)
        type_label = QLabel("&Type", self)
        type_label.setBuddy(self.doc_type)
        fix = QHBoxLayout()
        fix.addWidget(unit_label)
        fix.addWidget(self.unit, 3)
        fix.addWidget(type_label)
        fix.addWidget(self.doc_type, 2)
        fix.addWidget(self.apply_button)

        self.buttons = QDialogButtonBox(self)
        self.attach_button = self.buttons.addButton(
            "Attach", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.attach_button.setObjectName("match_attach")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(fix)
        layout.addWidget(self.buttons)
        self.resize(1100, 640)
        if not plan.complete:
            self.show_filter.setCurrentIndex(1)
        self._update_summary()
        self._selection_changed()

    # --- what the page reads -----------------------------------------------------------

    def matches(self) -> list[FileMatch]:
        return list(self.model.matches)

    def to_attach(self) -> list[FileMatch]:
        return [m for m in self.model.matches if m.status is MatchStatus.MATCHED]

    # --- corrections -------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def select_rows(self, rows: Sequence[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in rows:
            self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def apply_to_selected(self) -> None:
        rows = self.selected_rows()
        uid = self.unit.currentData()
        uids = [str(uid)] if uid is not None else []
        self.model.correct(rows, uids, self.doc_type.currentText() if uids else None)
        self._update_summary()

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        self.apply_button.setEnabled(bool(rows))
        if len(rows) == 1:  # start from what the row has, or its first candidate
            m = self.model.match_at(rows[0])
            uids = m.unit_uids or m.unit_candidates
            if uids:
                self.unit.select_data(uids[0])
            doc_type = m.doc_type or (m.type_candidates[0] if m.type_candidates else None)
            if doc_type:
                self.doc_type.setCurrentText(doc_type)

    def _filter_changed(self, index: int) -> None:
        self.model.attention_only = index == 1
        self.model.refilter()

    def _update_summary(self) -> None:
        counts = {s: 0 for s in MatchStatus}
        for m in self.model.matches:
            counts[m.status] += 1
        attach = self.to_attach()
        documents = sum(len(m.unit_uids) for m in attach)
        left = len(self.model.matches) - len(attach)
        text = (
            f"{len(self.model.matches):,} files: {counts[MatchStatus.MATCHED]:,} matched, "
            f"{counts[MatchStatus.UNMATCHED]:,} not matched, "
            f"{counts[MatchStatus.AMBIGUOUS]:,} ambiguous."
        )
        if left:
            text += (
                f" {left:,} will be left out unless you choose their unit and type below "
                "(select rows, choose, Apply)."
            )
        self.summary.setText(text)
        self.attach_button.setText(f"&Attach {documents:,} document{'s' * (documents != 1)}")
        self.attach_button.setEnabled(bool(attach))
