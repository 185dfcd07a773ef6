"""Deadline reminders: a tray notification for each incomplete BTMG draft within 14 days of a
deadline, at start-up and every hour after (each draft at most once a day)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop import messages
from desktop.store import Store
from desktop.views.btmg_deadlines_view import notify_due_drafts

HOUR_MS = 3_600_000


class Reminders(QObject):
    def __init__(
        self,
        store: Store,
        icon: QIcon,
        parent: QObject | None = None,
        *,
        clock: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.shown: set[tuple[int, date]] = set()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Registry Desk")
            self.tray.show()
        self.timer = QTimer(self)
        self.timer.setInterval(HOUR_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(2000, self.check)  # after the window has settled

    def check(self) -> list[str]:
        texts = notify_due_drafts(self.store, self.tray, clock=self.clock, already=self.shown)
        if self.tray is None:  # no system tray (some Linux desktops): the status bar instead
            for text in texts:
                messages.notice(text)
        return texts
