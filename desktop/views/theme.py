"""Appearance: follow the system, or force light or dark.

Fusion draws every widget from the palette, so a dark palette is all dark mode needs; our
stylesheet uses palette() colours for the same reason. Qt scales for HiDPI screens by itself
(Qt 6 always enables high-DPI scaling), so sizes here are in device-independent pixels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("System", "Light", "Dark")


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 40, 45), QColor(27, 29, 33), QColor(225, 228, 232)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(44, 47, 53),
        QPalette.ColorRole.ToolTipBase: QColor(50, 54, 60),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(140, 146, 154),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(48, 52, 58),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 120, 120),
        QPalette.ColorRole.Link: QColor(110, 170, 255),
        QPalette.ColorRole.Highlight: QColor(42, 110, 200),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Mid: QColor(120, 126, 134),
        QPalette.ColorRole.Dark: QColor(20, 22, 25),
        QPalette.ColorRole.Light: QColor(70, 75, 82),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    disabled = QColor(120, 124, 130)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, mode: str) -> None:
    dark = mode == "Dark" or (mode == "System" and system_prefers_dark())
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    app.setProperty("dark_theme", dark)
