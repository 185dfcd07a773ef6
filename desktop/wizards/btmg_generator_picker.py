"""Step 18: pick a season's generators from the store (search, filter by type and capacity,
the chosen ones first), or add one on the spot."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.btmg import GeneratorOption
from desktop.models.fields import FieldSpec, ParseError, parse_capacity_mw
from desktop.wizards.btmg_form import Editor, FocusWatcher

TYPES = ("DGG", "DGG unit", "Generator", "Added here")  # GeneratorOption.source values
# (label, lowest MW inclusive, highest MW exclusive); None: no bound
CAPACITIES: tuple[tuple[str, float | None, float | None], ...] = (
    ("Any capacity", None, None),
    ("Under 100 kW", None, 0.1),
    ("100 kW – 1 MW", 0.1, 1.0),
    ("1 MW – 5 MW", 1.0, 5.0),
    ("5 MW and more", 5.0, None),
)
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
CAPACITY_ROLE = Qt.ItemDataRole.UserRole + 2


class GeneratorPicker(Editor):
    """Search, filters by type and capacity, and a checkable list with the ticked generators
    first (Space ticks the current one); value = the ticked refs.

    Issue 14: the list held every DGG unit (201 entries) in four rows with no search. The
    chosen ones move to the top when the list is filled or filtered, not while ticking, so
    the row under the keyboard does not jump away.
    """

    def __init__(self, spec: FieldSpec, context: str, fallback: Callable[[str], str]) -> None:
        box = QWidget()
        super().__init__(spec, box, context)
        self.fallback = fallback
        self.search = QLineEdit(box)
        self.search.setObjectName("generator_search")
        self.search.setAccessibleName(f"Search generators ({context})")
        self.search.setPlaceholderText("Search generators by name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.refilter())
        self.type_filter = QComboBox(box)
        self.type_filter.setObjectName("generator_type_filter")
        self.type_filter.setAccessibleName(f"Generator type ({context})")
        self.type_filter.addItem("Every type", None)
        for kind in TYPES:
            self.type_filter.addItem(kind, kind)
        self.type_filter.currentIndexChanged.connect(lambda _i: self.refilter())
        self.capacity_filter = QComboBox(box)
        self.capacity_filter.setObjectName("generator_capacity_filter")
        self.capacity_filter.setAccessibleName(f"Generator capacity ({context})")
        for label, _low, _high in CAPACITIES:
            self.capacity_filter.addItem(label)
        self.capacity_filter.currentIndexChanged.connect(lambda _i: self.refilter())
        self.list = QListWidget(box)
        # the list is the field's input: it carries the field key (tests, accessibility)
        box.setObjectName(f"{spec.key}_picker")
        self.list.setObjectName(spec.key)
        self.list.setAccessibleName(box.accessibleName())
        self.list.setAccessibleDescription(spec.help)
        self.list.setMinimumHeight(160)
        self.list.setUniformItemSizes(True)
        self.list.itemChanged.connect(lambda _i: self._ticked())
        self.shown = QLabel(box)
        self.shown.setObjectName("generator_count")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.type_filter, 1)
        filters.addWidget(self.capacity_filter, 1)
        filters.addWidget(self.shown)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        box.setFocusProxy(self.search)  # the row's label and mnemonic lead to the search
        # The page follows the focus of the search, the filters and the list alike.
        for child in (self.search, self.type_filter, self.capacity_filter, self.list):
            FocusWatcher(child).focused.connect(self.focus.focused)

    def set_options(self, options: Mapping[str, GeneratorOption]) -> None:
        ticked = self.value()
        self._loading = True
        try:
            self.list.clear()
            for ref, opt in options.items():
                self._add(ref, opt.label, opt.source, opt.capacity_mw)
            self._show(ticked)
        finally:
            self._loading = False

    def _add(
        self, ref: str, text: str, source: str = "", capacity: float | None = None
    ) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, ref)
        item.setData(SOURCE_ROLE, source)
        item.setData(CAPACITY_ROLE, -1.0 if capacity is None else float(capacity))
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
        self.chosen_first()
        self.apply_filter()
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def chosen_first(self) -> None:
        """Ticked generators at the top, each part in its own order (a stable move)."""
        items = self._items()
        order = sorted(
            range(len(items)), key=lambda n: items[n].checkState() is not Qt.CheckState.Checked
        )
        if order == list(range(len(items))):
            return
        current = self.list.currentItem()
        keep = [self.list.takeItem(0) for _ in range(len(items))]
        for n in order:
            self.list.addItem(keep[n])
        if current is not None:
            self.list.setCurrentItem(current)

    def refilter(self) -> None:
        self.chosen_first()
        self.apply_filter()

    def apply_filter(self) -> None:
        """Hide what the search and the filters leave out; ticked ones always stay shown."""
        words = self.search.text().casefold().split()
        kind = self.type_filter.currentData()
        _label, low, high = CAPACITIES[max(self.capacity_filter.currentIndex(), 0)]
        shown = 0
        items = self._items()
        for item in items:
            text = item.text().casefold()
            mw = float(item.data(CAPACITY_ROLE) or -1.0)
            fits = (
                all(w in text for w in words)
                and (kind is None or item.data(SOURCE_ROLE) == kind)
                and (low is None or mw >= low)
                and (high is None or 0 <= mw < high)
            )
            visible = fits or item.checkState() is Qt.CheckState.Checked
            item.setHidden(not visible)
            shown += visible
        ticked = len(self.value())
        self.shown.setText(
            f"{shown} of {len(items)} shown · {ticked} chosen"
            if shown != len(items)
            else f"{len(items)} generators · {ticked} chosen"
        )

    def _ticked(self) -> None:
        if self._loading:
            return
        self.apply_filter()  # the count of chosen ones
        self._emit(False)

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
