"""What every list of drafts shares: the table of `DraftRow`s, the selection, the trash view,
and the Duplicate, Delete (to the trash) and Restore actions.

`DraftsListView` (DG Groups, BTMG) and the Generation area's `GeneratorListView` build their
own buttons and layout on it and say what a change means for them (`changed`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView, QWidget

from desktop.store import DraftRow, Store
from desktop.views.drafts_table_model import DraftsTableModel


def action_button(text: str, name: str, slot: Callable[[], object], tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.setAccessibleName(text.replace("&", "").rstrip("…"))
    b.clicked.connect(lambda _checked=False: slot())
    return b


class DraftsTableBase(QWidget):
    changed = Signal()  # a draft was added, copied, deleted or restored

    def __init__(self, store: Store, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.kind = kind
        self.showing_trash = False
        self.model = DraftsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Made by the subclass with action_button; checkable, it says which list is shown.
        self.trash_button: QPushButton

    def refresh(self) -> None:
        raise NotImplementedError

    def selected(self) -> DraftRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_id(self, draft_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == draft_id:
                self.table.selectRow(row)
                return True
        return False

    def toggle_trash(self) -> None:
        self.showing_trash = not self.showing_trash
        self.trash_button.setChecked(self.showing_trash)
        self.refresh()

    def duplicate_selected(self) -> DraftRow | None:
        row = self.selected()
        if row is None or self.showing_trash:
            return None
        copy = self.store.drafts.duplicate(row.id)
        self.prepare_copy(copy)
        self.refresh()
        self.select_id(copy.id)
        self.changed.emit()
        return copy

    def prepare_copy(self, copy: DraftRow) -> None:
        """What a copy of this kind must not keep from its original (nothing by default)."""

    def delete_selected(self) -> None:
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

    def restore_selected(self) -> None:
        row = self.selected()
        if row is None or not self.showing_trash:
            return
        restored = self.store.drafts.restore(row.id)
        self.showing_trash = False
        self.trash_button.setChecked(False)
        self.refresh()
        self.select_id(restored.id)
        self.changed.emit()
