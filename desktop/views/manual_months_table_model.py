"""Item model of the manual monthly entry grid: the twelve months of one year, MWh each.

Values are kept as whole kWh (a monthly upload carries MWh to 3 decimals), in the dict the
generator draft's workspace holds, so an edit is saved as it is typed. An empty cell means no
entry for that month. Text that is not a non-negative number is refused with a sentence
(`problem`), and the cell keeps its old value.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.models.fields import ParseError, parse_number
from desktop.models.generator import MONTH_NAMES

Index = QModelIndex | QPersistentModelIndex
MAX_MONTH_MWH = 1_000_000.0  # far above any generator a month; catches a kWh typed as MWh


class Col(IntEnum):
    MONTH = 0
    MWH = 1


class ManualMonthsTableModel(QAbstractTableModel):
    edited = Signal()  # after a value was stored
    problem = Signal(str)  # a sentence about text that was refused ("" when the last edit was fine)

    def __init__(self, kwh: dict[tuple[int, int], int] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.kwh: dict[tuple[int, int], int] = kwh if kwh is not None else {}
        self.year = 2025

    def set_data(self, kwh: dict[tuple[int, int], int], year: int) -> None:
        self.beginResetModel()
        self.kwh = kwh
        self.year = year
        self.endResetModel()

    def set_year(self, year: int) -> None:
        self.beginResetModel()
        self.year = year
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else 12

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return ("Month", "Generation (MWh)")[section] if 0 <= section < 2 else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == Col.MWH:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < 12:
            return None
        month = index.row() + 1
        kwh = self.kwh.get((self.year, month))
        if index.column() == Col.MONTH:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{MONTH_NAMES[month - 1]} {self.year}"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if kwh is None else f"{kwh / 1000:,.3f}"
        if role == Qt.ItemDataRole.EditRole:
            return "" if kwh is None else f"{kwh / 1000:.3f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"MWh generated in {MONTH_NAMES[month - 1]} {self.year}; empty = no entry"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            amount = "no entry" if kwh is None else f"{kwh / 1000:.3f} MWh"
            return f"{MONTH_NAMES[month - 1]} {self.year}: {amount}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != Col.MWH:
            return False
        key = (self.year, index.row() + 1)
        where = f"{MONTH_NAMES[index.row()]} {self.year}"
        text = str(value if value is not None else "").strip()
        if not text:
            if key in self.kwh:
                del self.kwh[key]
                self.dataChanged.emit(index, index)
                self.edited.emit()
            self.problem.emit("")
            return True
        try:
            mwh = parse_number(text.removesuffix("MWh").strip())
        except ParseError as exc:
            self.problem.emit(f"{where}: {exc} (MWh expected)")
            return False
        if mwh < 0:
            self.problem.emit(f"{where}: {mwh:g} MWh is negative; generation is 0 or more")
            return False
        if mwh > MAX_MONTH_MWH:
            self.problem.emit(
                f"{where}: {mwh:,.0f} MWh is more than any generator makes in a month"
            )
            return False
        self.kwh[key] = round(mwh * 1000)
        self.dataChanged.emit(index, index)
        self.problem.emit("")
        self.edited.emit()
        return True
