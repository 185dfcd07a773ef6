"""The Generation area's "Closing within 30 days" box: months not yet uploaded whose upload
window closes soon, across every generator, soonest first. Activating a row asks for that
generator's preview (`generator_chosen`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class ClosingMonth:
    draft_id: int
    generator: str
    vintage: str  # "MM/YYYY"
    deadline: date
    days_left: int


class ClosingSoonPanel(QGroupBox):
    generator_chosen = Signal(int)  # the generator draft's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Closing within 30 days", parent)
        self.setToolTip("Months not yet uploaded whose upload window closes within 30 days")
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Generator", "Month", "Days left"])
        self.table = QTableView()
        self.table.setObjectName("closing_soon")
        self.table.setAccessibleName("Upload windows closing within 30 days")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self.choose)
        self.table.doubleClicked.connect(self.choose)
        self.empty = QLabel("No upload window closes within 30 days.")
        self.empty.setObjectName("closing_soon_empty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def show_months(self, months: list[ClosingMonth]) -> None:
        """Replace the rows: soonest deadline first, then by generator."""
        self.model.removeRows(0, self.model.rowCount())
        for m in sorted(months, key=lambda m: (m.deadline, m.generator)):
            items = [
                QStandardItem(m.generator),
                QStandardItem(m.vintage),
                QStandardItem(str(m.days_left)),
            ]
            items[0].setData(m.draft_id, Qt.ItemDataRole.UserRole)
            items[2].setData(m.deadline.isoformat(), Qt.ItemDataRole.UserRole)
            items[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = (
                f"{m.generator}: upload {m.vintage} by {m.deadline.isoformat()} "
                f"({m.days_left} days left)"
            )
            for item in items:
                item.setToolTip(tip)
            self.model.appendRow(items)
        self.table.setVisible(bool(months))
        self.empty.setVisible(not months)

    def choose(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        draft_id = self.model.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if isinstance(draft_id, int):
            self.generator_chosen.emit(draft_id)
