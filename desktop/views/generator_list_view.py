"""The generators list of the Generation area: a compact drafts list of kind "generator".

New makes a generator at once (no name dialog: the name is the first field of the form, which
gets the focus), From DGG… makes one from a DGG draft, Duplicate copies, Delete moves to the
trash, and Show trash lists deleted generators to restore them. The rows are the shared
`DraftsTableModel` with only the name and completeness shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.generator_draft import GeneratorDraft
from desktop.store import DraftRow, Store
from desktop.views.drafts_table_model import Col, DraftsTableModel


class GeneratorListView(QWidget):
    selected_changed = Signal(object)  # DraftRow | None
    new_requested = Signal()
    from_dgg_requested = Signal()
    changed = Signal()  # a generator was added, copied, deleted or restored

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.showing_trash = False
        self.setObjectName("generator_list")
        title = QLabel("<b>Generators</b>")
        self.model = DraftsTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("generators_table")
        self.table.setAccessibleName("Generators")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setColumnHidden(Col.STATUS, True)
        self.table.setColumnHidden(Col.EDITED, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Col.COMPLETENESS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection())

        self.new_button = self._button(
            "&New", "new_generator", self.new_requested.emit, "Register a new generator (Ctrl+N)"
        )
        self.dgg_button = self._button(
            "From &DGG…",
            "from_dgg",
            self.from_dgg_requested.emit,
            "Make a generator from a DG Group draft",
        )
        self.dup_button = self._button(
            "D&uplicate", "duplicate_generator", self.duplicate, "Copy the selected generator"
        )
        self.delete_button = self._button(
            "Delete", "delete_generator", self.delete, "Move the selected generator to the trash"
        )
        self.restore_button = self._button(
            "&Restore", "restore_generator", self.restore, "Bring the generator back from the trash"
        )
        self.trash_button = self._button(
            "Show trash", "generator_trash", self.toggle_trash, "Show deleted generators"
        )
        self.trash_button.setCheckable(True)
        grid = QGridLayout()
        grid.addWidget(self.new_button, 0, 0)
        grid.addWidget(self.dgg_button, 0, 1)
        grid.addWidget(self.dup_button, 1, 0)
        grid.addWidget(self.delete_button, 1, 1)
        grid.addWidget(self.restore_button, 2, 0)
        grid.addWidget(self.trash_button, 2, 1)
        self.empty = QLabel("No generators yet. Press New (Ctrl+N) or From DGG….")
        self.empty.setObjectName("generators_empty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete)
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], None], tip: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.setAccessibleName(text.replace("&", "").rstrip("…"))
        b.clicked.connect(lambda _checked=False: slot())
        return b

    # --- rows ----------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = self.store.list_drafts("generator", trashed=self.showing_trash)
        self.table.blockSignals(True)
        self.model.set_rows(sorted(rows, key=lambda r: r.name.casefold()))
        self.table.blockSignals(False)
        if keep is not None and self.select_id(keep):
            pass
        elif rows:
            self.table.selectRow(0)
        self.empty.setVisible(not rows)
        self.empty.setText(
            "The trash is empty."
            if self.showing_trash
            else "No generators yet. Press New (Ctrl+N) or From DGG…."
        )
        self._update_buttons()
        self._selection()

    def select_id(self, draft_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == draft_id:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> DraftRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection(self) -> None:
        self._update_buttons()
        row = self.selected()
        self.selected_changed.emit(None if self.showing_trash else row)

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        live = not self.showing_trash
        for b in (self.new_button, self.dgg_button):
            b.setEnabled(live)
        self.dup_button.setEnabled(has and live)
        self.delete_button.setEnabled(has and live)
        self.restore_button.setVisible(not live)
        self.restore_button.setEnabled(has and not live)
        self.trash_button.setText("Back to generators" if not live else "Show trash")

    # --- actions -------------------------------------------------------------------------------

    def duplicate(self) -> None:
        row = self.selected()
        if row is None or self.showing_trash:
            return
        copy = self.store.drafts.duplicate(row.id)
        try:
            draft = GeneratorDraft.from_payload(copy.payload)
        except ValueError:
            draft = None  # a newer document: copied as it is
        if draft is not None:
            # A copy is another generator: its own name, nothing uploaded, no ledger yet.
            draft.record["name"] = copy.name
            draft.workspace.uploaded.clear()
            self.store.drafts.save(copy.id, payload=draft.to_payload())
        self.refresh(copy.id)
        self.changed.emit()

    def delete(self) -> None:
        row = self.selected()
        if row is None or self.showing_trash:
            return
        self.store.drafts.trash(row.id)
        self.refresh()
        self.changed.emit()
        status = getattr(self.window(), "statusBar", None)
        if status is not None:
            status().showMessage(
                f"'{row.name}' moved to the trash. Show trash to restore it.", 8000
            )

    def restore(self) -> None:
        row = self.selected()
        if row is None or not self.showing_trash:
            return
        restored = self.store.drafts.restore(row.id)
        self.showing_trash = False
        self.trash_button.setChecked(False)
        self.refresh(restored.id)
        self.changed.emit()

    def toggle_trash(self) -> None:
        self.showing_trash = not self.showing_trash
        self.trash_button.setChecked(self.showing_trash)
        self.refresh()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
