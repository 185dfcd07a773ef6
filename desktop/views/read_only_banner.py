"""The banner above every area when the data folder cannot be written: the drafts are shown,
and anything that would change them says why it cannot (StoreReadOnlyError)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget


def read_only_text(folder: Path) -> str:
    """The banner's text (rich text; the option's hyphens do not break a line)."""
    return (
        f"<b>Read-only:</b> the data folder {html.escape(str(folder))} cannot be written, so "
        "drafts can be viewed and exported but not changed. To edit, make the folder writable "
        "and restart Registry Desk, or start it with \u2011\u2011data\u2011dir on a folder "
        "that is."
    )


def add_read_only_banner(window: QMainWindow, folder: Path) -> QLabel:
    """Put the banner above the window's central widget (its areas), and say so in the title."""
    banner = QLabel(read_only_text(folder))
    banner.setObjectName("read_only_banner")
    banner.setWordWrap(True)
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.setAccessibleName("The data folder is read-only")
    banner.setStyleSheet(
        "QLabel#read_only_banner { background: rgba(230, 150, 20, 0.18); "
        "border: 1px solid rgba(230, 150, 20, 0.6); border-radius: 4px; padding: 8px; }"
    )
    areas = window.takeCentralWidget()
    assert areas is not None  # the window is built with its areas
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(8, 8, 8, 0)
    layout.addWidget(banner)
    layout.addWidget(areas, 1)
    window.setCentralWidget(holder)
    window.setWindowTitle(f"{window.windowTitle()} (read-only)")
    window.statusBar().showMessage("Read-only: nothing is saved in this data folder")
    return banner
