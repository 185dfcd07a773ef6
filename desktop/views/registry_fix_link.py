"""The status bar's link to the fix when the registry refuses the key, or there is none:
"Add your API key…" opens Settings › Registry connection. Hidden while the key works."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop.views.sync_service import SyncService

TEXT = "<a href='fix'>Add your API key…</a>"


class RegistryFixLink(QLabel):
    fix_requested = Signal()

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(TEXT, parent)
        self.setObjectName("registry_fix_link")
        self.setAccessibleName("Add your API key")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.linkActivated.connect(lambda _link: self.fix_requested.emit())
        self.service = service
        service.key_needed.connect(self._key_needed)
        service.online_changed.connect(self._maybe_fixed)
        service.changed.connect(self._maybe_fixed)
        self.hide()

    def _key_needed(self, reason: str) -> None:
        self.setToolTip(f"{reason} Opens Settings › Registry connection.")
        self.show()

    def _maybe_fixed(self, *_args: object) -> None:
        reachability = self.service.last_reachability
        if reachability is not None and reachability.key_ok:
            self.hide()
