"""Item model for a drafts list: a snapshot of DraftRows, sorted inside the model."""

from __future__ import annotations

import time
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt

from desktop.store import DraftRow
from desktop.views.snapshot_table_model import Index, SnapshotTableModel


class Col(IntEnum):
    NAME = 0
    STATUS = 1
    COMPLETENESS = 2
    EDITED = 3


HEADERS = {
    Col.NAME: "Name",
    Col.STATUS: "Status",
    Col.COMPLETENESS: "Completeness",
    Col.EDITED: "Last edited",
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


def relative_time(ts: float, now: float | None = None) -> str:
    delta = (now or time.time()) - ts
    if delta < 60:
        return "just now"
    if delta < 3600:
        return f"{int(delta // 60)} min ago"
    if delta < 86400:
        return f"{int(delta // 3600)} h ago"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


class DraftsTableModel(SnapshotTableModel[DraftRow]):
    HEADERS = HEADERS

    def set_rows(self, rows: list[DraftRow]) -> None:
        self.replace_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row_for_index(index)
        if r is None:
            return None
        col = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Col.NAME:
                return r.name
            if col is Col.STATUS:
                return r.status + (f" · registry: {r.registry_status}" if r.registry_status else "")
            if col is Col.COMPLETENESS:
                return r.issue_summary or "Not checked yet"
            return relative_time(r.updated_at)
        if role == SORT_ROLE:
            return _sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return time.strftime("Last edited %Y-%m-%d %H:%M:%S", time.localtime(r.updated_at))
        if role == ROW_ROLE:
            return r
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        key_col = Col(column)
        self._rows.sort(
            key=lambda r: _sort_key(r, key_col), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self.layoutChanged.emit()


def _sort_key(r: DraftRow, col: Col) -> Any:
    return {
        Col.NAME: r.name.casefold(),
        Col.STATUS: r.status,
        Col.COMPLETENESS: r.issue_count,
        Col.EDITED: r.updated_at,
    }[col]
