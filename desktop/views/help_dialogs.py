"""Help: the bundled user guide, keyboard shortcuts, "What's this page?", About, and the
folder of crash reports to attach to a problem report.

The guide is docs/*.md shipped with the application (beside the package in a checkout, inside
the bundle in a frozen build); QTextBrowser renders its Markdown and screenshots offline.
"""

from __future__ import annotations

import platform
import re
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import PySide6
from PySide6.QtCore import Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeySequence,
    QPixmap,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

GUIDE = "user-guide.md"
# The guide's section for each area and window (headings of docs/user-guide.md).
SECTIONS = {
    "home": "The main window",
    "dgg": "Registering a Distributed Generation Group",
    "dgg_wizard": "Registering a Distributed Generation Group",
    "units_grid": "Bulk-editing units",
    "generation": "Building a generation upload",
    "btmg": "Drafting a BTMG enrollment",
    "btmg_wizard": "Drafting a BTMG enrollment",
    "outbox": "Connecting to the registry",
    "settings": "Settings",
}
# Keys that are not in the menus: the wizards' and the grid's own.
OTHER_KEYS = (
    ("Alt+N / Alt+B", "Next / Back in a wizard"),
    ("Ctrl+G", "BTMG wizard: go to a MECT step by its number"),
    ("Ctrl+N", "New draft in the list on screen"),
    ("Enter", "Open the selected draft"),
    ("Delete", "Move the selected draft to the trash"),
    ("F8", "Units grid: next cell with an issue"),
    ("Ctrl+D", "Units grid: fill down"),
    ("Ctrl+Z / Ctrl+Y", "Units grid: undo / redo any edit"),
)


def guide_dir() -> Path:
    """docs/ beside the package in a checkout, `_docs` in a wheel, `docs` in a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "docs"] if frozen else []
    candidates += [
        Path(__file__).resolve().parents[2] / "docs",
        Path(__file__).resolve().parents[1] / "_docs",
    ]
    for candidate in candidates:
        if (candidate / GUIDE).is_file():
            return candidate
    return candidates[-1]


def section_text(heading: str) -> str:
    """The Markdown under `heading` in the guide, without its pictures."""
    text = (guide_dir() / GUIDE).read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    body = match.group(1) if match else ""
    return re.sub(r"!\[[^\]]*\]\([^)]*\)\n?", "", body).strip()


def section_for(window: MainWindow) -> str:
    """The guide's section for what is in front of the user: the active wizard or grid, or
    the main window's area."""
    active = QApplication.activeWindow()
    if active is not None and active is not window:
        name = active.objectName()
        if name in SECTIONS:
            return SECTIONS[name]
        if active.findChild(QWidget, "units_grid") is not None or name == "units_grid_view":
            return SECTIONS["units_grid"]
    return SECTIONS.get(window.current_area() if window.areas else "home", SECTIONS["home"])


class GuideBrowser(QTextBrowser):
    """Shows the guide's screenshots no wider than the page, so nothing scrolls sideways."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        resource = super().loadResource(kind, name)
        if kind == QTextDocument.ResourceType.ImageResource.value and isinstance(
            resource, QImage | QPixmap
        ):
            image = resource.toImage() if isinstance(resource, QPixmap) else resource
            widest = max(self.viewport().width() - 120, 320)  # room for a list indent
            if image.width() > widest:
                return image.scaledToWidth(widest, Qt.TransformationMode.SmoothTransformation)
            return image
        return resource


class GuideWindow(QDialog):
    """The user guide, with a search box; links to the other guides open in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user_guide")
        self.setWindowTitle("Registry Desk — User guide")
        self.resize(900, 700)
        self.browser = GuideBrowser()
        self.browser.setObjectName("guide_text")
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(guide_dir())])
        self.find_box = QLineEdit()
        self.find_box.setObjectName("guide_find")
        self.find_box.setAccessibleName("Find in the guide")
        self.find_box.setPlaceholderText("Find in the guide (Enter for the next match)")
        self.find_box.returnPressed.connect(lambda: self.find_text(self.find_box.text()))
        back = QPushButton("&Back")
        back.setObjectName("guide_back")
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        home = QPushButton("&Contents")
        home.setObjectName("guide_home")
        home.clicked.connect(self.go_home)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addWidget(home)
        row.addWidget(self.find_box, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(close)
        self.go_home()

    def go_home(self) -> None:
        self.browser.setSource(QUrl.fromLocalFile(str(guide_dir() / GUIDE)))

    def find_text(self, text: str) -> bool:
        if not text:
            return False
        if self.browser.find(text):
            return True
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)  # wrap around
        return self.browser.find(text)

    def _scroll_to(self, position: int) -> None:
        document = self.browser.document()
        block = document.findBlock(position)
        top = document.documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top))

    def show_section(self, heading: str) -> bool:
        """Scroll so that the section's heading is at the top."""
        if self.browser.source().fileName() != GUIDE:
            self.go_home()
        found = self.browser.document().find(heading, 0, QTextDocument.FindFlag.FindCaseSensitively)
        if found.isNull():
            return False
        self.browser.setTextCursor(found)
        self._scroll_to(found.block().position())
        # Once the window has its size the layout is final: scroll again then.
        QTimer.singleShot(0, lambda: self._scroll_to(found.block().position()))
        return True


_guide: list[GuideWindow] = []


def open_guide(parent: QWidget, heading: str | None = None) -> GuideWindow:
    """Show the guide (one window, reused) at `heading`."""
    if not _guide:
        _guide.append(GuideWindow(parent))
    guide = _guide[0]
    guide.show()
    guide.raise_()
    guide.activateWindow()
    if heading:
        guide.show_section(heading)
    return guide


def close_guide() -> None:
    while _guide:
        _guide.pop().close()


def whats_this_page(window: MainWindow) -> QMessageBox:
    heading = section_for(window)
    box = QMessageBox(QMessageBox.Icon.Information, heading, "", parent=window)
    box.setObjectName("whats_this_page")
    box.setTextFormat(Qt.TextFormat.MarkdownText)
    box.setText(section_text(heading) or "This page has no notes in the guide yet.")
    more = box.addButton("Open the &guide", QMessageBox.ButtonRole.HelpRole)
    box.addButton(QMessageBox.StandardButton.Close)
    more.clicked.connect(lambda: open_guide(window, heading))
    box.open()
    return box


def shortcuts_text(window: MainWindow) -> str:
    rows: list[tuple[str, str]] = []
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                title = menu.title().replace("&", "")
                rows.append((keys, f"{title} › {action.text().replace('&', '')}"))
    rows += OTHER_KEYS
    lines = ["| Keys | Does |", "|---|---|"]
    lines += [f"| {keys} | {what} |" for keys, what in rows]
    return "\n".join(lines)


def show_shortcuts(window: MainWindow) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", "", parent=window)
    box.setObjectName("keyboard_shortcuts")
    box.setTextFormat(Qt.TextFormat.MarkdownText)
    box.setText(shortcuts_text(window))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def about_text(data_folder: Path) -> str:
    return (
        f"**Registry Desk {__version__}**\n\n"
        "Prepares M-RETS Distributed Generation Group registrations and generation uploads, "
        "and MISO BTMG enrollments for MECT, offline.\n\n"
        f"- Python {platform.python_version()}\n"
        f"- Qt {qVersion()}, PySide6 {PySide6.__version__}\n"
        f"- SQLite {sqlite3.sqlite_version}\n"
        f"- {platform.system()} {platform.release()}\n\n"
        f"Data folder: `{data_folder}`"
    )


def show_about(window: MainWindow) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About Registry Desk", "", parent=window)
    box.setObjectName("about")
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.MarkdownText)
    box.setText(about_text(window.store.paths.root))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def report_problem(window: MainWindow) -> Path:
    """Open the crash-report folder: the newest report is the one to attach."""
    folder = window.store.paths.crash_reports
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    window.statusBar().showMessage(
        f"Crash reports are in {folder}. Attach the newest one to your message, with what you "
        "were doing.",
        15000,
    )
    return folder
