"""Units: the group's units in a table, added and edited through the Add Unit dialog.

The table is a QTableView over a small model (dozens to a few hundred units here; the units
grid, opened from the spot left in the button row, is the tool for thousands).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from desktop.models import dgg
from desktop.models.dgg_rules import GROUP_MAX_MW, as_mw
from desktop.models.fields import format_mw
from desktop.models.issues import Issue, Severity
from desktop.models.units import new_uid
from desktop.views.add_unit_dialog import AddUnitDialog, unit_for_group
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.form_builder import SEVERITY_COLORS
from desktop.wizards.pages.dgg_page import DggPage

Index = QModelIndex | QPersistentModelIndex
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Unit name"),
    ("meter_id", "Meter ID"),
    ("city", "City"),
    ("capacity_mw", "Capacity (AC)"),
    ("cod", "COD"),
    ("customer_type", "Customer"),
    ("owned_by_org", "Owned"),
    ("unit_status", "Status"),
    ("", "Issues"),
)


class UnitsListModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units: list[dict[str, Any]] = []
        self.issues: dict[int, list[Issue]] = {}

    def set_units(self, units: list[dict[str, Any]], issues: list[Issue]) -> None:
        self.beginResetModel()
        self.units = units
        self.issues = {}
        for issue in issues:
            if issue.row is not None and issue.severity is not Severity.INFO:
                self.issues.setdefault(issue.row, []).append(issue)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unit = self.units[index.row()]
        key = COLUMNS[index.column()][0]
        issues = self.issues.get(index.row(), [])
        if role == Qt.ItemDataRole.DisplayRole:
            if not key:
                return _count(issues)
            return _cell(key, unit.get(key))
        if role == Qt.ItemDataRole.ToolTipRole and issues:
            return "\n".join(i.message for i in issues)
        if role == Qt.ItemDataRole.ForegroundRole and not key and issues:
            worst = min(issues, key=lambda i: list(Severity).index(i.severity))
            return QColor(SEVERITY_COLORS[worst.severity])
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "capacity_mw":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _count(issues: list[Issue]) -> str:
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = len(issues) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors > 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings > 1 else ''}")
    return ", ".join(parts) or "OK"


def _cell(key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if key == "capacity_mw":
        mw = as_mw(value)
        return format_mw(mw) if mw is not None else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class DggUnitsPage(DggPage):
    key = dgg.UNITS

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setSubTitle(
            "Every unit: at most 1 MW AC each and 1 MW AC for the active units together, all in "
            "the group's state or province, all with the group's fuel."
        )
        self.summary = QLabel(self)
        self.summary.setObjectName("units_summary")
        self.model = UnitsListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("units_table")
        self.table.setAccessibleName("Units")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 120, 100, 105, 85, 90, 60, 75)):
            self.table.setColumnWidth(column, width)
        # Enter or a double-click on a row (the view's "activated") opens it for editing.
        self.table.activated.connect(lambda _index: self.edit_unit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_row())

        self.add_button = self._button("&Add…", "add_unit", self.add_unit)
        self.edit_button = self._button("&Edit…", "edit_unit", self.edit_unit)
        self.duplicate_button = self._button("D&uplicate", "duplicate_unit", self.duplicate_unit)
        self.remove_button = self._button("&Remove", "remove_unit", self.remove_unit)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.duplicate_button):
            buttons.addWidget(button)
        buttons.addWidget(self.remove_button)
        self.extra_actions = QHBoxLayout()
        self.extra_actions.setObjectName("units_extra_actions")
        self.grid_button = self._button("Open units &grid…", "open_units_grid", self.open_grid)
        self.grid_button.setToolTip(
            "Edit many units at once in a spreadsheet-like grid: paste from Excel, fill down, "
            "undo, import and export CSV or XLSX"
        )
        self.grid_button.setAccessibleName("Open units grid")
        self.extra_actions.addWidget(self.grid_button)
        buttons.addLayout(self.extra_actions)
        buttons.addStretch(1)

        self.grid_dialog: QDialog | None = None
        self.row_issues = QLabel(self)
        self.row_issues.setObjectName("unit_row_issues")
        self.row_issues.setWordWrap(True)
        self.group_issue = QLabel(self)
        self.group_issue.setObjectName("units__issue")
        self.group_issue.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.group_issue)
        layout.addWidget(self.row_issues)

        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Insert), self.add_unit),
            (QKeySequence(Qt.Key.Key_Delete), self.remove_unit),
        ):
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        session.units_changed.connect(self._reload)

    def open_grid(self) -> None:
        """The grid in a modal window: while it is open it is the only writer of the units;
        the wizard takes them back from the store when it closes."""
        from desktop.views.units_grid_view import UnitsGridView  # noqa: PLC0415 - loaded on use

        self.session.flush()
        dialog = QDialog(self)
        dialog.setObjectName("units_grid_dialog")
        dialog.setWindowTitle(f"Units of {self.session.name} — Registry Desk")
        grid = UnitsGridView(self.session.store, self.session.draft_id, dialog)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(grid, 1)
        layout.addWidget(close)
        dialog.resize(1200, 720)
        self.grid_dialog = dialog
        try:
            dialog.exec()
        finally:
            grid.flush()
            self.grid_dialog = None
            self.session.reload_units()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- loading and showing ---------------------------------------------------------------

    def load(self) -> None:
        self._reload()

    def refresh(self) -> None:
        self._reload()

    def _reload(self) -> None:
        current = self.current_row()
        issues = self.issues()
        self.model.set_units(self.session.units, issues)
        count = len(self.session.units)
        if count and current is not None:
            self.select_row(min(current, count - 1))
        units = self.session.units
        total = dgg.derived_nameplate_mw(units)
        cod = dgg.derived_cod(units)
        active = sum(1 for u in units if u.get("unit_status") in (None, "Active"))
        text = (
            f"{count} unit{'s' if count != 1 else ''} · {active} active, "
            f"{format_mw(total)} of {format_mw(GROUP_MAX_MW)} AC"
        )
        if cod:
            text += f" · oldest COD {cod.isoformat()}"
        self.summary.setText(text if count else "No units yet: add the first one.")
        has_rows = count > 0
        for button in (self.edit_button, self.duplicate_button, self.remove_button):
            button.setEnabled(has_rows)
        self.show_issues()

    def show_issues(self) -> None:
        issues = self.issues()
        loose = [i for i in issues if i.row is None]
        self.group_issue.setVisible(bool(loose))
        if loose:
            self.group_issue.setText("\n".join(i.message for i in loose))
            self.group_issue.setStyleSheet(f"color: {SEVERITY_COLORS[loose[0].severity]};")
        self._show_row()

    def _show_row(self) -> None:
        row = self.current_row()
        mine = [i for i in self.issues() if row is not None and i.row == row]
        self.row_issues.setVisible(bool(mine))
        if mine and row is not None:
            worst = min(mine, key=lambda i: list(Severity).index(i.severity))
            name = self.session.units[row].get("name") or f"Unit {row + 1}"
            lines = [f"Unit {row + 1} ({name}):"] + [f"  • {i.message}" for i in mine]
            self.row_issues.setText("\n".join(lines))
            self.row_issues.setStyleSheet(f"color: {SEVERITY_COLORS[worst.severity]};")

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))

    def focus_issue(self, field: str, row: int | None) -> None:
        if row is not None and 0 <= row < len(self.session.units):
            self.select_row(row)
        self.table.setFocus()

    # --- actions ---------------------------------------------------------------------------

    def _dialog(self, unit: dict[str, Any], index: int | None, title: str) -> dict[str, Any] | None:
        dialog = AddUnitDialog(
            unit,
            self.session.group,
            self.session.units,
            index,
            title=title,
            today=self.session.today,
            parent=self,
        )
        if dialog.exec() != AddUnitDialog.DialogCode.Accepted:
            return None
        return dialog.unit()

    def add_unit(self) -> None:
        unit = self._dialog(unit_for_group(self.session.group), None, "Add Unit")
        if unit is None:
            return
        self.session.set_units([*self.session.units, unit], replaced=True)
        self.select_row(len(self.session.units) - 1)

    def edit_unit(self) -> None:
        row = self.current_row()
        if row is None:
            return
        name = self.session.units[row].get("name") or f"unit {row + 1}"
        unit = self._dialog(self.session.units[row], row, f"Edit Unit — {name}")
        if unit is None:
            return
        units = list(self.session.units)
        units[row] = unit
        self.session.set_units(units, replaced=True)
        self.select_row(row)

    def duplicate_unit(self) -> None:
        row = self.current_row()
        if row is None:
            return
        copy_ = copy.deepcopy(self.session.units[row])
        copy_.update(uid=new_uid(), meter_id=None, documents=None)
        copy_["name"] = f"{copy_.get('name') or 'Unit'} (copy)"
        units = list(self.session.units)
        units.insert(row + 1, copy_)
        self.session.set_units(units, replaced=True)
        self.select_row(row + 1)

    def remove_unit(self) -> None:
        row = self.current_row()
        if row is None:
            return
        units = list(self.session.units)
        del units[row]
        self.session.set_units(units, replaced=True)
        if units:
            self.select_row(min(row, len(units) - 1))
