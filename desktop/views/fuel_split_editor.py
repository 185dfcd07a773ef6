"""Multi-fuel generators: each month's split between fuels, in percent, totalling 100 %.

The registry holds a multi-fuel month as "Pending: Fuel Split" until its split is given and
totals 100 % (reference.md §2.7). The grid has one row per month and one column per fuel, and
a Total column that turns red while a month's split does not total 100 %; the sentence under
the grid says which months and by how much. Splits are kept in the draft's workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.fields import ParseError, parse_number
from desktop.models.generation import check_fuel_split, vintage_text
from desktop.models.issues import Issue, error

Index = QModelIndex | QPersistentModelIndex
Month = tuple[int, int]
ERROR_BACKGROUND = QColor(200, 40, 40, 70)


class FuelSplitTableModel(QAbstractTableModel):
    edited = Signal()
    problem = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.months: list[Month] = []
        self.fuels: tuple[str, ...] = ()
        self.splits: dict[Month, dict[str, float]] = {}

    def set_data(
        self, months: Sequence[Month], fuels: Sequence[str], splits: dict[Month, dict[str, float]]
    ) -> None:
        self.beginResetModel()
        self.months = list(months)
        self.fuels = tuple(fuels)
        self.splits = splits
        self.endResetModel()

    def total_column(self) -> int:
        return len(self.fuels) + 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.months)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fuels) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Month"
        if section == self.total_column():
            return "Total %"
        return f"{self.fuels[section - 1]} %" if 0 < section <= len(self.fuels) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and 0 < index.column() < self.total_column():
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def month_issues(self, month: Month) -> list[Issue]:
        split = self.splits.get(month)
        if not split:
            return []
        return check_fuel_split(split, self.fuels, vintage=vintage_text(*month))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.months):
            return None
        month = self.months[index.row()]
        split = self.splits.get(month) or {}
        col = index.column()
        if col == 0:
            return vintage_text(*month) if role == Qt.ItemDataRole.DisplayRole else None
        if col == self.total_column():
            total = sum(split.values())
            problems = self.month_issues(month)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{total:.2f}" if split else "—"
            if role == Qt.ItemDataRole.BackgroundRole and problems:
                return ERROR_BACKGROUND
            if role == Qt.ItemDataRole.ToolTipRole:
                if not split:
                    return "No split yet: the month stays Pending: Fuel Split"
                return "\n".join(p.message for p in problems) or "Totals 100 %"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        fuel = self.fuels[col - 1]
        pct = split.get(fuel)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if pct is None else f"{pct:g}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Share of {vintage_text(*month)} generation from {fuel}, in percent"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (0 < index.column() < self.total_column()):
            return False
        month = self.months[index.row()]
        fuel = self.fuels[index.column() - 1]
        text = str(value if value is not None else "").strip().rstrip("%").strip()
        split = dict(self.splits.get(month) or {})
        if not text:
            split.pop(fuel, None)
        else:
            try:
                pct = parse_number(text)
            except ParseError as exc:
                self.problem.emit(f"{vintage_text(*month)}, {fuel}: {exc} (a percentage)")
                return False
            if not 0 <= pct <= 100:
                self.problem.emit(
                    f"{vintage_text(*month)}, {fuel}: {pct:g} % is not between 0 and 100"
                )
                return False
            split[fuel] = pct
        if split:
            self.splits[month] = split
        else:
            self.splits.pop(month, None)
        row = index.row()
        self.dataChanged.emit(self.index(row, 1), self.index(row, self.total_column()))
        self.problem.emit("")
        self.edited.emit()
        return True

    def copy_first_to_all(self) -> bool:
        """Give every month the first month's split (a common case: a fixed fuel mix)."""
        if not self.months or not self.splits.get(self.months[0]):
            self.problem.emit("Enter the first month's split first, then copy it")
            return False
        first = dict(self.splits[self.months[0]])
        for month in self.months[1:]:
            self.splits[month] = dict(first)
        if self.months:
            self.dataChanged.emit(
                self.index(0, 1), self.index(len(self.months) - 1, self.total_column())
            )
        self.edited.emit()
        return True

    def issues(self) -> list[Issue]:
        """Every month's problem: a split that does not total 100 %, or no split at all."""
        out: list[Issue] = []
        for month in self.months:
            if not self.splits.get(month):
                out.append(error("fuel_split", f"{vintage_text(*month)}: no fuel split yet"))
            else:
                out += self.month_issues(month)
        return out


class FuelSplitEditor(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fuel_split_editor")
        self.model = FuelSplitTableModel(self)
        intro = QLabel(
            "A multi-fuel generator's month stays <b>Pending: Fuel Split</b> at the registry "
            "until its split is given. Enter each fuel's share in percent; each month must "
            "total 100 %."
        )
        intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("fuel_split")
        self.table.setAccessibleName("Fuel split per month")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.copy_button = QPushButton("&Copy the first month's split to every month")
        self.copy_button.setObjectName("copy_split")
        self.copy_button.setAccessibleName("Copy the first month's split to every month")
        self.copy_button.clicked.connect(lambda _c=False: self.model.copy_first_to_all())
        self.problem_label = QLabel()
        self.problem_label.setObjectName("fuel_split__issue")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.status_label = QLabel()
        self.status_label.setObjectName("fuel_split__status")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.status_label)
        self._last_problem = ""
        self.model.problem.connect(self._problem)
        self.model.edited.connect(self._edited)

    def set_data(
        self, months: Sequence[Month], fuels: Sequence[str], splits: dict[Month, dict[str, float]]
    ) -> None:
        self.model.set_data(months, fuels, splits)
        self._last_problem = ""
        self._show()

    def _problem(self, text: str) -> None:
        self._last_problem = text
        self._show()

    def _edited(self) -> None:
        self._show()
        self.edited.emit()

    def _show(self) -> None:
        issues = self.model.issues()
        wrong = [i.message for i in issues if "no fuel split" not in i.message]
        missing = len(issues) - len(wrong)
        lines = ([self._last_problem] if self._last_problem else []) + wrong[:6]
        if len(wrong) > 6:
            lines.append(f"… and {len(wrong) - 6} more months that do not total 100 %")
        self.problem_label.setText("\n".join(lines))
        self.problem_label.setVisible(bool(lines))
        done = len(self.model.months) - len(issues)
        self.status_label.setText(
            f"{done} of {len(self.model.months)} months have a split totalling 100 %"
            + (f"; {missing} have none yet." if missing else ".")
        )
