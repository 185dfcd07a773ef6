"""The status bar's registry indicator: online or offline, what is queued, key problems.

It shows the SyncService's one RegistryState (desktop/sync/registry_state.py: the key, the
registry's last answer, the outbox), which changes on every check, every answer while sending,
Test connection and every change of target. Clicking it opens the outbox.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.views.sync_service import SyncService

DOT = "●"
COLORS = {"key": "#c62828", "checking": "#888888", "online": "#2e7d32", "offline": "#8a6d00"}


class OnlineIndicator(QWidget):
    clicked = Signal()

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("online_indicator")
        self.setAccessibleName("Registry connection")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.service = service
        self.dot = QLabel(DOT)
        self.label = QLabel()
        self.label.setObjectName("online_indicator_text")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        service.state_changed.connect(self.update_state)
        service.online_changed.connect(self._state_changed)
        service.changed.connect(self.update_state)
        service.busy_changed.connect(self._state_changed)
        self.update_state()

    def _state_changed(self, _value: bool) -> None:
        self.update_state()

    def update_state(self) -> None:
        """Everything shown comes from the service's one RegistryState."""
        state = self.service.state()
        self.dot.setStyleSheet(f"color: {COLORS[state.level]};")
        self.label.setText(state.text)
        self.setToolTip(state.tip + " Click to open the outbox.")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
