"""The status bar's registry indicator: online or offline, what is queued, key problems.

It shows what the SyncService knows; the service checks reachability off the main thread
every 30 s and flushes queued work when the registry is back. Clicking it opens the outbox.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.views.sync_service import SyncService

DOT = "●"


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
        self._key_problem = ""
        service.online_changed.connect(self._state_changed)
        service.changed.connect(self.update_state)
        service.busy_changed.connect(self._state_changed)
        service.key_needed.connect(self._key_needed)
        self.update_state()

    def _state_changed(self, _value: bool) -> None:
        self.update_state()

    def _key_needed(self, reason: str) -> None:
        self._key_problem = reason
        self.update_state()

    def update_state(self) -> None:
        online = self.service.online
        queued = self.service.queued_count()
        if self.service.online and self._key_problem and not self.service.busy:
            reachability = self.service.last_reachability
            if reachability is not None and reachability.key_ok:
                self._key_problem = ""
        if self._key_problem:
            color, text = "#c62828", "Registry: API key needed"
        elif online is None:
            color, text = "#888888", "Registry: checking…"
        elif online:
            color, text = "#2e7d32", "Registry: online"
        else:
            color, text = "#8a6d00", "Registry: offline"
        if self.service.busy:
            text += " · sending"
        if queued:
            text += f" · {queued} queued"
        self.dot.setStyleSheet(f"color: {color};")
        self.label.setText(text)
        tip = self._key_problem or (
            "Queued work is sent automatically when the registry is reachable."
            if not online
            else f"Connected to the {self.service.target_name()}."
        )
        self.setToolTip(tip + " Click to open the outbox.")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
