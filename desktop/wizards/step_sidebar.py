"""The wizards' step sidebar: the steps in groups, each with its live count of blocking issues,
the current one selected, and a save line underneath. Enter or a click opens a step."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

# The same look as the DGG wizard's steps (dgg_wizard.py): palette colours, so dark mode follows.
STEPS_STYLE = (
    "QListWidget { background: transparent; }"
    "QListWidget::item { padding: 6px 4px; }"
    "QListWidget::item:selected { background: palette(highlight);"
    " color: palette(highlighted-text); border-radius: 3px; }"
)
KEY = Qt.ItemDataRole.UserRole


class StepSidebar(QWidget):
    step_requested = Signal(str)  # the key of the step (page) to open

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_side")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.nav = QListWidget(self)
        self.nav.setObjectName(f"{name}_steps")
        self.nav.setAccessibleName("Wizard steps")
        self.nav.setFixedWidth(230)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setStyleSheet(STEPS_STYLE)
        self.nav.setWordWrap(True)
        self.nav.itemActivated.connect(self._activated)
        self.nav.itemClicked.connect(self._activated)
        heading = QLabel("<b>Steps</b>", self)
        heading.setBuddy(self.nav)
        self.status = QLabel(self)
        self.status.setObjectName("save_status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Save status")
        self.status.setMinimumHeight(3 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(heading)
        layout.addWidget(self.nav, 1)
        layout.addWidget(self.status)

    def set_steps(self, groups: Sequence[tuple[str, Sequence[tuple[str, str, int]]]]) -> None:
        """(group heading, [(key, title, blocking issues)]) in order; keeps the selection."""
        current = self.current_key()
        self.nav.blockSignals(True)
        self.nav.clear()
        for heading, steps in groups:
            group = QListWidgetItem(heading, self.nav)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: readable, not a step to open
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for key, title, count in steps:
                text = title + (f"  ({count})" if count else "")
                item = QListWidgetItem(text, self.nav)
                item.setData(KEY, key)
                item.setToolTip(
                    f"{count} issue{'s' if count != 1 else ''} to resolve" if count else "No issues"
                )
        self.nav.blockSignals(False)
        if current:
            self.select(current)

    def select(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(KEY) == key:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
                return

    def current_key(self) -> str | None:
        item = self.nav.currentItem()
        key = None if item is None else item.data(KEY)
        return str(key) if key else None

    def item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(KEY) == key:
                return self.nav.item(row)
        return None

    def _activated(self, item: QListWidgetItem) -> None:
        key = item.data(KEY)
        if key:
            self.step_requested.emit(key)
