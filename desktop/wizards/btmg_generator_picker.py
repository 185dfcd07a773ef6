"""Step 18: pick a season's generators from the store, or add one on the spot."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from desktop.models.btmg import GeneratorOption
from desktop.models.fields import FieldSpec, ParseError, parse_capacity_mw
from desktop.wizards.btmg_form import Editor


class GeneratorPicker(Editor):
    """A checkable list (Space ticks the current generator); value = the ticked refs."""

    def __init__(self, spec: FieldSpec, context: str, fallback: Callable[[str], str]) -> None:
        widget = QListWidget()
        super().__init__(spec, widget, context)
        self.list = widget
        self.fallback = fallback
        self.list.setMinimumHeight(80)
        self.list.setMaximumHeight(130)
        self.list.itemChanged.connect(lambda _i: self._emit(False))

    def set_options(self, options: Mapping[str, GeneratorOption]) -> None:
        ticked = self.value()
        self._loading = True
        try:
            self.list.clear()
            for ref, opt in options.items():
                self._add(ref, opt.label)
            self._show(ticked)
        finally:
            self._loading = False

    def _add(self, ref: str, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, ref)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def _items(self) -> list[QListWidgetItem]:
        return [it for n in range(self.list.count()) if (it := self.list.item(n)) is not None]

    def value(self) -> Any:
        return tuple(
            str(it.data(Qt.ItemDataRole.UserRole))
            for it in self._items()
            if it.checkState() is Qt.CheckState.Checked
        )

    def _show(self, value: Any) -> None:
        wanted = list(value or ())
        known = {str(it.data(Qt.ItemDataRole.UserRole)): it for it in self._items()}
        for ref in wanted:
            if ref not in known:  # picked earlier, gone from the store since: still shown
                known[ref] = self._add(ref, self.fallback(ref))
        for ref, item in known.items():
            checked = ref in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def tick(self, ref: str) -> None:
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole) == ref:
                item.setCheckState(Qt.CheckState.Checked)
                self.list.setCurrentItem(item)


class AddGeneratorDialog(QDialog):
    """Name and capacity of a generator that is not in the store (kept inside this BTMG)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add generator")
        self.setObjectName("add_generator_dialog")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("generator_name")
        self.name.setAccessibleName("Generator name")
        self.name.setToolTip("The generator's name as it is reported (e.g. its GADS unit name).")
        self.capacity = QLineEdit()
        self.capacity.setObjectName("generator_capacity")
        self.capacity.setAccessibleName("Generator capacity")
        self.capacity.setPlaceholderText("e.g. 1.5 MW or 750 kW")
        self.capacity.setToolTip(
            "Capacity in MW (or kW with the unit), used to check the forecast."
        )
        form.addRow("&Name *", self.name)
        form.addRow("&Capacity *", self.capacity)
        self.problem = QLabel()
        self.problem.setObjectName("generator_problem")
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_value: tuple[str, float] | None = None

    def accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.problem.setText("A generator needs a name.")
            self.name.setFocus()
            return
        try:
            capacity = parse_capacity_mw(self.capacity.text())
        except ParseError as exc:
            self.problem.setText(str(exc))
            self.capacity.setFocus()
            return
        if capacity <= 0:
            self.problem.setText("The capacity must be above 0.")
            return
        self.result_value = (name, capacity)
        super().accept()
