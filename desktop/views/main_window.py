"""The main window: a menu bar, a sidebar of areas (each a view in a stack), a status bar.

Quitting is one act: Ctrl+Q, closing the window or the session logging out closes every wizard
and grid (each writes its last edit), pauses the outbox between two records, and ends the
application (`closed` is connected to QApplication.quit by app.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop import __version__, messages
from desktop.config import Settings
from desktop.store import Store
from desktop.views.icons import app_icon

if TYPE_CHECKING:
    from desktop.views.sync_service import SyncService

# How long quitting waits for the record being sent (or a store write) to finish.
QUIT_WAIT_MS = 15_000

# On the sidebar only: an application-wide stylesheet would send every widget through Qt's
# stylesheet style, which cost a tenth of the start-up (bench/startup.py). Palette colours, so
# dark mode follows.
SIDEBAR_STYLE = """
QListWidget#sidebar { border: none; font-size: 11pt; padding-top: 8px; }
QListWidget#sidebar::item { padding: 9px 14px; border-radius: 4px; margin: 1px 6px; }
QListWidget#sidebar::item:selected {
    background: palette(highlight); color: palette(highlighted-text);
}
QListWidget#sidebar::item:hover:!selected { background: palette(alternate-base); }
"""


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    build: Callable[[], QWidget]


@dataclass(frozen=True)
class WindowHooks:
    """What the menus and quitting reach beyond the areas (areas.py makes them)."""

    open_windows: Callable[[], list[QWidget]]  # the wizards and units grids on screen
    sync: Callable[[], SyncService]  # made on first use
    sync_if_started: Callable[[], SyncService | None]


class MainWindow(QMainWindow):
    area_changed = Signal(str)
    closed = Signal()  # after everything was saved: the application may end

    def __init__(
        self,
        store: Store,
        settings: Settings,
        areas: list[Area],
        status_widgets: Callable[[], list[QWidget]] | None = None,
        hooks: WindowHooks | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.hooks = hooks
        self._closing = False
        self.store = store
        self.settings = settings
        self.setWindowTitle(f"Registry Desk — {store.paths.root}")
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)
        self.areas = areas
        self.views: dict[str, QWidget] = {}

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Areas")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setMaximumWidth(240)
        self.sidebar.setMinimumWidth(190)
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.stack = QStackedWidget()
        self.stack.setObjectName("area_stack")
        for i, area in enumerate(areas):
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setToolTip(f"{area.title} (Ctrl+{i + 1})")
            self.sidebar.addItem(item)
            # Each area is built the first time it is shown: start-up pays only for the first.
            self.stack.addWidget(QWidget())
        self.sidebar.currentRowChanged.connect(self._show_row)

        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        from desktop.views.window_menus import build_menus  # noqa: PLC0415 - keeps this short

        build_menus(self)
        self.statusBar().showMessage(f"Registry Desk {__version__} · drafts are saved as you type")
        last = settings.get("ui.last_area")
        keys = [a.key for a in areas]
        self.sidebar.setCurrentRow(keys.index(last) if last in keys else 0)
        messages.install(self.show_message)
        self.reminders: QObject | None = None
        self._after_first_paint: list[Callable[[], None]] = []
        # Reminders need the BTMG rules; loading them can wait until the window is up.
        QTimer.singleShot(1500, self._start_reminders)
        if status_widgets is not None:  # the online indicator loads the HTTP stack: later too
            QTimer.singleShot(800, lambda: self._add_status_widgets(status_widgets))

    def after_first_paint(self, work: Callable[[], None]) -> None:
        """Run `work` once the window has painted: start-up work the first screen can go without."""
        self._after_first_paint.append(work)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        while self._after_first_paint:
            QTimer.singleShot(0, self._after_first_paint.pop(0))

    def _add_status_widgets(self, make: Callable[[], list[QWidget]]) -> None:
        for widget in make():
            self.statusBar().addPermanentWidget(widget)
            fix = getattr(widget, "fix_requested", None)
            if fix is not None:  # "Add your API key…"
                fix.connect(self.show_connection)
            clicked = getattr(widget, "clicked", None)
            if clicked is not None:  # the registry indicator opens the outbox
                clicked.connect(lambda: self.show_area("outbox"))

    def start_new(self, area: str, method: str) -> None:
        """Open an area and start a new draft or generator there (Home, File › New)."""
        start = getattr(self.show_area(area), method, None)
        if callable(start):
            start()

    def show_connection(self) -> None:
        """Settings › Registry connection, scrolled into view."""
        show_section = getattr(self.show_area("settings"), "show_section", None)
        if callable(show_section):
            show_section("Registry connection")

    def _start_reminders(self) -> None:
        from desktop.views.reminders import Reminders  # noqa: PLC0415 - see __init__

        if self.reminders is None:
            self.reminders = Reminders(self.store, app_icon(), self)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.areas[row].key
        built = key in self.views
        view = self._view(row)
        self.stack.setCurrentIndex(row)
        refresh = getattr(view, "refresh", None)
        if built and callable(refresh):
            refresh()
        self.settings.values["ui.last_area"] = key
        self.area_changed.emit(key)

    def _view(self, row: int) -> QWidget:
        area = self.areas[row]
        if area.key not in self.views:
            view = area.build()
            self.views[area.key] = view
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, view)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            area_requested = getattr(view, "area_requested", None)
            if area_requested is not None:  # e.g. Home's shortcuts to the other areas
                area_requested.connect(self.show_area)
            new_requested = getattr(view, "new_requested", None)
            if new_requested is not None:  # Home's three jobs
                new_requested.connect(self.start_new)
            connection_requested = getattr(view, "connection_requested", None)
            if connection_requested is not None:
                connection_requested.connect(self.show_connection)
        return self.views[area.key]

    def show_area(self, key: str) -> QWidget:
        keys = [a.key for a in self.areas]
        self.sidebar.setCurrentRow(keys.index(key))
        return self._view(keys.index(key))

    def current_area(self) -> str:
        return self.areas[self.sidebar.currentRow()].key

    def save_now(self) -> None:
        """Every edit is already saved; Ctrl+S says so (and flushes a pending debounce)."""
        flush = getattr(self.stack.currentWidget(), "flush", None)
        if callable(flush):
            flush()
        self.statusBar().showMessage("Saved", 3000)

    def show_message(self, message: messages.Message) -> None:
        if message.level == "notice":
            self.statusBar().showMessage(message.text, 8000)
        elif message.level == "bug":
            from desktop.views.crash_dialog import show_crash  # noqa: PLC0415

            show_crash(message.text, message.details, self.store.paths.crash_reports)
        else:
            box = QMessageBox(
                QMessageBox.Icon.Critical if message.level == "error" else QMessageBox.Icon.Warning,
                "Registry Desk",
                message.text,
                parent=self,
            )
            if message.details:
                box.setDetailedText(message.details)
            box.exec()

    def quit_app(self) -> None:
        """File › Quit (Ctrl+Q): the same as closing the window."""
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
            return
        self._closing = True
        self._close_other_windows()
        for view in self.views.values():  # a debounced edit still waiting is written now
            flush = getattr(view, "flush", None)
            if callable(flush):
                flush()
        self._pause_outbox()
        self.settings.save()
        messages.install(None)
        super().closeEvent(event)
        self.closed.emit()

    def _close_other_windows(self) -> None:
        """Wizards, grids and dialogs close first; each saves its last edit as it closes."""
        others = list(self.hooks.open_windows()) if self.hooks is not None else []
        others += [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self and w.isVisible() and w not in others and w.isWindow()
        ]
        for window in others:
            window.close()

    def _pause_outbox(self) -> None:
        """Stop the sender at the next record boundary and wait for it (and any store write on
        the pool) to end, so nothing writes once the store closes."""
        sync = self.hooks.sync_if_started() if self.hooks is not None else None
        if sync is not None and sync.pause_for_quit():
            self.statusBar().showMessage(
                "Pausing the outbox: the record being sent finishes; the rest stays queued "
                "and is sent the next time Registry Desk is open."
            )
            self.repaint()
            deadline = time.monotonic() + QUIT_WAIT_MS / 1000
            while sync.busy and time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.02)
        QThreadPool.globalInstance().waitForDone(QUIT_WAIT_MS)
        QApplication.processEvents()  # the finished jobs' answers (a practice registry to stop)
