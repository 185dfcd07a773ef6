"""The generators list of the Generation area: a compact drafts list of kind "generator".

New makes a generator at once (no name dialog: the name is the first field of the form, which
gets the focus), From DGG… makes one from a DGG draft, Duplicate copies, Delete moves to the
trash, and Show trash lists deleted generators to restore them. The rows are the shared
`DraftsTableModel` with only the name and completeness shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from desktop.models.generator_draft import GeneratorDraft
from desktop.store import DraftRow, Store
from desktop.views.drafts_table_base import DraftsTableBase, action_button
from desktop.views.drafts_table_model import Col


class GeneratorListView(DraftsTableBase):
    selected_changed = Signal(object)  # DraftRow | None
    new_requested = Signal()
    from_dgg_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, "generator", parent)
        self.setObjectName("generator_list")
        title = QLabel("<b>Generators</b>")
        self.table.setObjectName("generators_table")
        self.table.setAccessibleName("Generators")
        self.table.setColumnHidden(Col.STATUS, True)
        self.table.setColumnHidden(Col.EDITED, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Col.COMPLETENESS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection())

        self.new_button = action_button(
            "&New", "new_generator", self.new_requested.emit, "Register a new generator (Ctrl+N)"
        )
        self.dgg_button = action_button(
            "From &DGG…",
            "from_dgg",
            self.from_dgg_requested.emit,
            "Make a generator from a DG Group draft",
        )
        self.dup_button = action_button(
            "D&uplicate",
            "duplicate_generator",
            self.duplicate_selected,
            "Copy the selected generator",
        )
        self.delete_button = action_button(
            "Delete",
            "delete_generator",
            self.delete_selected,
            "Move the selected generator to the trash",
        )
        self.restore_button = action_button(
            "&Restore",
            "restore_generator",
            self.restore_selected,
            "Bring the generator back from the trash",
        )
        self.trash_button = action_button(
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
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        self.refresh()

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

    def prepare_copy(self, copy: DraftRow) -> None:
        try:
            draft = GeneratorDraft.from_payload(copy.payload)
        except ValueError:
            return  # a newer document: copied as it is
        # A copy is another generator: its own name, nothing uploaded, no ledger yet.
        draft.record["name"] = copy.name
        draft.workspace.uploaded.clear()
        self.store.drafts.save(copy.id, payload=draft.to_payload())

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
