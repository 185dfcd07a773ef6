"""A field's message line: one line high and always reserved, so that a message appearing or
going never moves the form (a click meant for the next field stays on it).

The line shows a symbol (colour is never the only signal) and the first message, elided to the
width; every message is in the tooltip, the input's accessible description and the page's issue
list. Hidden when there is nothing to say, keeping its space.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from desktop.models.issues import Severity

SYMBOLS = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}
# Light and dark variants: each reads at 4.5:1 or better on its theme's window colour.
COLORS = {
    Severity.ERROR: ("#b3261e", "#ff8a80"),
    Severity.WARNING: ("#8a5300", "#ffcc66"),
    Severity.INFO: ("#3a5a80", "#9cc3ff"),
}


def severity_color(severity: Severity) -> QColor:
    app = QApplication.instance()
    dark = bool(app is not None and app.property("dark_theme"))
    return QColor(COLORS[severity][1 if dark else 0])


class MessageLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.severity = Severity.ERROR
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self._fit_height()
        self.hide()

    def _fit_height(self) -> None:
        self.setFixedHeight(self.fontMetrics().lineSpacing() + 2)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # larger text: a taller line
            self._fit_height()
        super().changeEvent(event)

    def show_message(self, text: str, severity: Severity = Severity.ERROR) -> None:
        self.severity = severity
        self.setText(text)
        self.setToolTip(text)
        self.setVisible(bool(text))
        self.update()

    def shown_text(self) -> str:
        """What the line paints: the symbol, the first message and how many more."""
        lines = [line for line in self.text().split("\n") if line]
        if not lines:
            return ""
        more = f"  (+{len(lines) - 1} more)" if len(lines) > 1 else ""
        return f"{SYMBOLS[self.severity]} {lines[0]}{more}"

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.shown_text()
        if not text:
            return
        painter = QPainter(self)
        painter.setPen(severity_color(self.severity))
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(
            self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
        )
        painter.end()
