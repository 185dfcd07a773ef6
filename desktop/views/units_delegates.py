"""Cell editors chosen by the declared field kind.

Choice lists for enumerations, a calendar date editor, Yes/No lists, and a capacity editor that
accepts `7.6 kW` or `0.0076` (MW) and always shows which unit the typed number is read in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.models.fields import FieldKind, FieldSpec, ParseError, format_mw, parse_capacity_mw
from desktop.models.fields import resolve_choices as choices_of
from desktop.views.units_table_model import FIELDS, VALUE_ROLE, display_text

Index = QModelIndex | QPersistentModelIndex


class CapacityEditor(QWidget):
    """A line edit with a live reading of what was typed: '= 7.6 kW AC' or 'MW AC'."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("7.6 kW or 0.0076")
        self.edit.setObjectName(spec.key)
        self.edit.setAccessibleName(spec.label)
        self.edit.setToolTip(spec.help)
        self.unit = QLabel("MW AC", self)
        self.unit.setObjectName(f"{spec.key}_unit")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._show_reading)

    def _show_reading(self, text: str) -> None:
        if not text.strip():
            self.unit.setText("MW AC")
            return
        try:
            mw = parse_capacity_mw(text)
        except ParseError:
            self.unit.setText("? (7.6 kW or 0.0076)")
            return
        typed_unit = "w" in text.casefold()
        self.unit.setText(f"= {format_mw(mw)} AC" if typed_unit else f"MW AC = {format_mw(mw)}")

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.edit.selectAll()


class UnitsDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spec = FIELDS[index.column()]
        editor: QWidget
        if spec.kind is FieldKind.CHOICE:
            combo = QComboBox(parent)
            combo.addItem("")
            combo.addItems(list(choices_of(spec)))
            combo.setMaxVisibleItems(20)
            editor = combo
        elif spec.kind is FieldKind.BOOL:
            combo = QComboBox(parent)
            combo.addItems(["", "Yes", "No"])
            editor = combo
        elif spec.kind is FieldKind.DATE:
            date_edit = QDateEdit(parent)
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
            editor = date_edit
        elif spec.kind is FieldKind.CAPACITY:
            editor = CapacityEditor(spec, parent)
        else:
            editor = super().createEditor(parent, option, index)
        editor.setObjectName(spec.key)
        editor.setAccessibleName(spec.label)
        editor.setToolTip(spec.help)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        spec = FIELDS[index.column()]
        value = index.data(VALUE_ROLE)
        if isinstance(editor, QComboBox):
            text = display_text(spec, value)
            position = editor.findText(text)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QDateEdit):
            day = value if isinstance(value, date) else date.today()
            editor.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(editor, CapacityEditor):
            editor.set_text(display_text(spec, value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        value: Any
        if isinstance(editor, QComboBox):
            value = editor.currentText()
        elif isinstance(editor, QDateEdit):
            qd = editor.date()
            value = date(qd.year(), qd.month(), qd.day())
        elif isinstance(editor, CapacityEditor | QLineEdit):
            value = editor.text()
        else:
            super().setModelData(editor, model, index)
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect
        if isinstance(editor, CapacityEditor | QDateEdit):
            rect = rect.adjusted(0, 0, max(0, 230 - rect.width()), 0)
        editor.setGeometry(rect)
