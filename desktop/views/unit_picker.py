"""A unit chooser with search, for lists of hundreds or thousands of units.

Closed, it is a plain combo box (Home, End, the arrow keys and the mnemonic work as on any
other). Opened (a click, Alt+Down, F4, or typing a letter or digit), it shows a search box
above the list: the list keeps the units whose name, meter ID or street address contain what
was typed (every word, in any order), and Enter picks the highlighted one. Issue 14 found a
201-entry list with no search.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 7
SHOWN_ROLE = Qt.ItemDataRole.UserRole + 8


def unit_search_text(unit: Mapping[str, Any]) -> str:
    parts = (unit.get("name"), unit.get("meter_id"), unit.get("street"), unit.get("city"))
    return " ".join(str(p) for p in parts if p not in (None, ""))


class UnitPicker(QComboBox):
    """Items are (label, uid); `extra` items (e.g. "The whole group", data None) come first."""

    picked = Signal(int)  # the index chosen in the search popup

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxVisibleItems(20)
        self.popup_frame: UnitSearchPopup | None = None

    def set_units(
        self,
        units: Sequence[Mapping[str, Any]],
        *,
        extra: Sequence[tuple[str, Any]] = (),
    ) -> None:
        """Fill the list (keeping the current choice when it is still there)."""
        current = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            for label, data in extra:
                self.addItem(label, data)
                self.setItemData(self.count() - 1, label, SEARCH_ROLE)
            for n, unit in enumerate(units):
                label = f"Unit {n + 1}: {unit.get('name') or 'unnamed'}"
                meter = unit.get("meter_id")
                if meter not in (None, ""):
                    label += f" ({meter})"
                self.addItem(label, unit.get("uid"))
                self.setItemData(self.count() - 1, f"{label} {unit_search_text(unit)}", SEARCH_ROLE)
                where = ", ".join(str(unit[k]) for k in ("street", "city") if unit.get(k))
                if where:  # the search list shows why a unit was found
                    self.setItemData(self.count() - 1, f"{label} — {where}", SHOWN_ROLE)
            found = self.findData(current)
            self.setCurrentIndex(max(found, 0))
        finally:
            self.blockSignals(False)
        self.currentIndexChanged.emit(self.currentIndex())

    def select_data(self, data: Any) -> None:
        self.setCurrentIndex(max(self.findData(data), 0))

    def showPopup(self) -> None:
        self.open_search("")

    def hidePopup(self) -> None:
        if self.popup_frame is not None:
            self.popup_frame.close()
        super().hidePopup()

    def open_search(self, text: str) -> UnitSearchPopup:
        popup = UnitSearchPopup(self)
        self.popup_frame = popup
        popup.search.setText(text)
        below = self.mapToGlobal(self.rect().bottomLeft())
        popup.resize(max(self.width(), 420), 360)
        popup.move(below)
        popup.show()
        popup.search.setFocus()
        return popup

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not (
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        if plain and text and text.isprintable() and not text.isspace():
            self.open_search(text)
            return
        super().keyPressEvent(event)


class UnitSearchPopup(QFrame):
    """The search box and the filtered list under a UnitPicker."""

    def __init__(self, picker: UnitPicker) -> None:
        super().__init__(picker, Qt.WindowType.Popup)
        self.setObjectName("unit_search_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.picker = picker
        self.items = QStandardItemModel(self)
        for n in range(picker.count()):
            item = QStandardItem(str(picker.itemData(n, SHOWN_ROLE) or picker.itemText(n)))
            item.setData(n, Qt.ItemDataRole.UserRole)
            item.setData(str(picker.itemData(n, SEARCH_ROLE) or picker.itemText(n)), SEARCH_ROLE)
            item.setEditable(False)
            self.items.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit(self)
        self.search.setObjectName("unit_search")
        self.search.setAccessibleName("Search units")
        self.search.setPlaceholderText("Search by name, meter ID or address")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._pick_current)
        self.search.installEventFilter(self)
        self.list = QListView(self)
        self.list.setObjectName("unit_search_results")
        self.list.setAccessibleName("Matching units")
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._pick)
        self.list.clicked.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self._filter("")
        current = self.proxy.mapFromSource(self.items.index(max(picker.currentIndex(), 0), 0))
        if current.isValid():
            self.list.setCurrentIndex(current)

    def _filter(self, text: str) -> None:
        # every word typed, in any order: "cedar 4149" finds "4149 Cedar St"
        pattern = "".join(f"(?=.*{re.escape(w)})" for w in text.split())
        self.proxy.setFilterRegularExpression(
            QRegularExpression(
                f"^{pattern}", QRegularExpression.PatternOption.CaseInsensitiveOption
            )
        )
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def matches(self) -> list[str]:
        return [str(self.proxy.index(r, 0).data()) for r in range(self.proxy.rowCount())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page Up/Down in the search box move in the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
                Qt.Key.Key_PageUp,
                Qt.Key.Key_PageDown,
            ):
                QCoreApplication.sendEvent(self.list, event)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _pick_current(self) -> None:
        self._pick(self.list.currentIndex())

    def _pick(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = int(self.proxy.mapToSource(index).data(Qt.ItemDataRole.UserRole))
        self.close()
        self.picker.setCurrentIndex(row)
        self.picker.picked.emit(row)
        self.picker.setFocus()
