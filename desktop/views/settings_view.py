"""Settings: where the data lives, backups and recovery; further sections are added by areas
(reference lists, registry connection) through `add_section`."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.store import Store
from desktop.store.files import list_backups
from desktop.views.theme import MODES, apply_theme


class SettingsView(QWidget):
    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_view")
        self.store = store
        self.settings = settings
        inner = QWidget()
        self.sections = QVBoxLayout(inner)
        self.sections.addWidget(QLabel("<h2>Settings</h2>"))
        self.sections.addWidget(self._appearance_section())
        self.sections.addWidget(self._data_section())
        self.sections.addWidget(self._backup_section())
        self.sections.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)

    def add_section(self, title: str, widget: QWidget) -> None:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(widget)
        self.sections.insertWidget(self.sections.count() - 1, box)

    def show_section(self, title: str) -> QGroupBox | None:
        """Scroll to a section (the Registry menu's Connection) and focus its first field."""
        for box in self.findChildren(QGroupBox):
            if box.title() == title:
                self.scroller.ensureWidgetVisible(box, 0, 0)
                box.focusNextChild()
                return box
        return None

    def _appearance_section(self) -> QGroupBox:
        box = QGroupBox("Appearance")
        row = QHBoxLayout(box)
        label = QLabel("&Theme:")
        self.theme = QComboBox()
        self.theme.setObjectName("ui.theme")
        self.theme.setAccessibleName("Theme")
        self.theme.setToolTip("Follow the system's light or dark setting, or choose one.")
        self.theme.addItems(MODES)
        self.theme.setCurrentText(str(self.settings.get("ui.theme")))
        self.theme.currentTextChanged.connect(self._theme_changed)
        label.setBuddy(self.theme)
        row.addWidget(label)
        row.addWidget(self.theme)
        row.addStretch(1)
        return box

    def _theme_changed(self, mode: str) -> None:
        self.settings.set("ui.theme", mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, mode)

    def _data_section(self) -> QGroupBox:
        box = QGroupBox("Data folder")
        layout = QVBoxLayout(box)
        path = QLabel(f"<tt>{self.store.paths.root}</tt>")
        path.setObjectName("data_folder")
        path.setToolTip(
            "Drafts, settings, backups and logs are kept here. Start with "
            "--data-dir to use another folder."
        )
        layout.addWidget(path)
        open_button = QPushButton("Open &folder")
        open_button.setObjectName("open_data_folder")
        open_button.setAccessibleName("Open data folder")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.paths.root)))
        )
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _backup_section(self) -> QGroupBox:
        box = QGroupBox("Backups and recovery")
        layout = QVBoxLayout(box)
        explain = QLabel(
            "Every edit is saved as you make it. In addition, a backup of the whole store is made "
            "when you quit and before the store's format is upgraded. Restoring replaces the "
            "current store (kept beside it as a '.damaged' file) and restarts Registry Desk."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        keep_row = QHBoxLayout()
        keep_label = QLabel("Backups to &keep:")
        self.keep = QSpinBox()
        self.keep.setObjectName("backups.keep")
        self.keep.setAccessibleName("Backups to keep")
        self.keep.setToolTip("How many backups made at exit are kept; older ones are deleted.")
        self.keep.setRange(1, 100)
        self.keep.setValue(int(self.settings.get("backups.keep")))
        self.keep.valueChanged.connect(lambda v: self.settings.set("backups.keep", v))
        keep_label.setBuddy(self.keep)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep)
        keep_row.addStretch(1)
        layout.addLayout(keep_row)
        self.backups = QListWidget()
        self.backups.setObjectName("backups_list")
        self.backups.setAccessibleName("Backups")
        self.backups.setMaximumHeight(160)
        layout.addWidget(self.backups)
        row = QHBoxLayout()
        now = QPushButton("&Back up now")
        now.setObjectName("backup_now")
        now.setAccessibleName("Back up now")
        now.clicked.connect(self.backup_now)
        self.restore = QPushButton("R&estore selected…")
        self.restore.setObjectName("restore_backup")
        self.restore.setAccessibleName("Restore selected backup")
        self.restore.clicked.connect(self.request_restore)
        row.addWidget(now)
        row.addWidget(self.restore)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh_backups()
        return box

    def refresh_backups(self) -> None:
        self.backups.clear()
        for path in list_backups(self.store.paths.backups):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(path.stat().st_mtime))
            item = QListWidgetItem(f"{stamp}   {path.name}   ({path.stat().st_size // 1024} KB)")
            item.setData(256, str(path))
            self.backups.addItem(item)
        self.restore.setEnabled(self.backups.count() > 0)
        if self.backups.count():
            self.backups.setCurrentRow(0)

    def backup_now(self) -> None:
        path = self.store.backup("manual")
        self.refresh_backups()
        self.window().statusBar().showMessage(f"Backup written: {path.name}", 6000)  # type: ignore[attr-defined]

    def request_restore(self) -> None:
        item = self.backups.currentItem()
        if item is None:
            return
        path = Path(item.data(256))
        answer = QMessageBox.question(
            self,
            "Restore backup",
            f"Replace the current drafts with the backup {path.name}?\n\n"
            "Registry Desk will close; start it again to continue with the restored drafts. "
            "The current store is kept beside it, not deleted.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.paths.restore_request.write_text(str(path), encoding="utf-8")
        self.window().close()
