"""Item model for the outbox: a snapshot of outbox items, newest first."""

from __future__ import annotations

import time
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.store.outbox import ItemRow
from desktop.sync.item_state import item_state
from desktop.views.drafts_table_model import relative_time
from desktop.views.snapshot_table_model import Index, SnapshotTableModel

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class Col(IntEnum):
    ITEM = 0
    STATUS = 1
    PROGRESS = 2
    ANSWER = 3
    UPDATED = 4


HEADERS = {
    Col.ITEM: "Submission",
    Col.STATUS: "Status",
    Col.PROGRESS: "Records sent",
    Col.ANSWER: "Registry's answer",
    Col.UPDATED: "Updated",
}
# Colours readable on light and dark palettes (text colour only); the words come from
# desktop.sync.item_state, which every view uses
STATUS_COLOR = {
    "queued": QColor("#8a6d00"),
    "sending": QColor("#1565c0"),
    "paused": QColor("#6a1b9a"),
    "accepted": QColor("#2e7d32"),
    "rejected": QColor("#c62828"),
    "failed": QColor("#c62828"),
    "interrupted": QColor("#8a6d00"),
}


class OutboxTableModel(SnapshotTableModel[ItemRow]):
    HEADERS = HEADERS

    def set_rows(self, rows: list[ItemRow]) -> None:
        """Replace the snapshot; same ids in the same order only repaint (keeps selection)."""
        rows = sorted(rows, key=lambda r: r.id, reverse=True)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(Col) - 1))
            return
        self.replace_rows(rows)

    def rows(self) -> list[ItemRow]:
        return list(self._rows)

    def row_of(self, item_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == item_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Col.ITEM:
                return r.title
            if col is Col.STATUS:
                return item_state(r).label
            if col is Col.PROGRESS:
                return f"{r.done} of {r.total}"
            if col is Col.ANSWER:
                if r.errors:
                    return f"{len(r.errors)} problem(s): {r.errors[0].get('message')}"
                return r.message
            return relative_time(r.updated_at)
        if role == Qt.ItemDataRole.ForegroundRole and col is Col.STATUS:
            return STATUS_COLOR.get(r.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Col.UPDATED:
                return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.updated_at))
            return r.message or None
        if role == ITEM_ROLE:
            return r
        return None
