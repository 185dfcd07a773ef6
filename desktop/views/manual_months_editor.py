"""Manual monthly entry: MWh per month, a year at a time, for generators without meter files."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.views.manual_months_table_model import ManualMonthsTableModel


class ManualMonthsEditor(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manual_months_editor")
        self.model = ManualMonthsTableModel(parent=self)
        intro = QLabel(
            "Type each month's generation in MWh (3 decimals, as the monthly upload carries "
            "it). Leave a month empty when there is nothing to report."
        )
        intro.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setObjectName("manual_year")
        self.year.setAccessibleName("Year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(self.model.set_year)
        year_label = QLabel("&Year")
        year_label.setBuddy(self.year)
        self.table = QTableView()
        self.table.setObjectName("manual_months")
        self.table.setAccessibleName("Monthly generation, MWh")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.problem = QLabel()
        self.problem.setObjectName("manual_months__issue")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.total = QLabel()
        self.total.setObjectName("manual_months__total")
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        self.model.problem.connect(self._problem)
        self.model.edited.connect(self._edited)
        self.model.modelReset.connect(self._show_total)

    def set_data(self, kwh: dict[tuple[int, int], int]) -> None:
        year = max((y for y, _m in kwh), default=date.today().year)
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self.model.set_data(kwh, year)
        self.problem.hide()

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _edited(self) -> None:
        self._show_total()
        self.edited.emit()

    def _show_total(self) -> None:
        y = self.model.year
        months = [k for k in self.model.kwh if k[0] == y]
        total = sum(self.model.kwh[k] for k in months) / 1000
        self.total.setText(f"{len(months)} months entered in {y}, {total:,.3f} MWh")
