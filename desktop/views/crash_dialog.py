"""The dialog a bug ends in: what happened, a copyable report, and the reassurance that drafts
are safe (every edit was already saved by autosave)."""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.redact import redact


def build_report(summary: str, traceback_text: str) -> str:
    lines = [
        f"Registry Desk {__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        "",
        summary,
        "",
        traceback_text.rstrip(),
    ]
    return redact("\n".join(lines))


def save_report(report: str, folder: Path) -> Path | None:
    """Keep a copy on disk; a failure to write it must not raise a second crash. Where the
    data folder cannot be written (read-only), the copy goes to the system's temporary
    folder instead."""
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    for place in (folder, Path(tempfile.gettempdir()) / "registry-desk-crash-reports"):
        try:
            place.mkdir(parents=True, exist_ok=True)
            path = place / name
            path.write_text(report, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


class CrashDialog(QDialog):
    def __init__(self, report: str, saved_to: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle("Registry Desk hit a bug")
        self.report = report
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Something went wrong inside Registry Desk.</b><br>"
            "Your drafts are safe: every edit was saved when you made it. "
            "Please copy the report below and send it to the developers."
            + (f"<br>A copy was saved to <tt>{saved_to}</tt>." if saved_to else "")
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(report)
        self.text.setObjectName("crash_report")
        self.text.setAccessibleName("Crash report")
        self.text.setReadOnly(True)
        self.text.setMinimumSize(640, 280)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("&Copy report")
        copy.setObjectName("copy_report")
        copy.clicked.connect(self.copy_report)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)


def show_crash(summary: str, traceback_text: str, folder: Path | None) -> None:
    report = build_report(summary, traceback_text)
    saved = save_report(report, folder) if folder else None
    if sys.stderr is not None:  # None in a windowed Windows build
        sys.stderr.write(report + "\n")
    CrashDialog(report, saved).exec()
