"""Child process for the quit test: the real application (desktop.app.run_app, with its local
practice registry) opens a BTMG draft in its wizard, types a name into it and presses Ctrl+Q
in the wizard, using only key events. The parent checks that the process ends and what the
store holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktop.app import run_app
from desktop.views.areas import open_windows
from desktop.views.main_window import MainWindow

TYPED = "Typed just before Ctrl+Q"


def wait_active(app: QApplication, window: QWidget) -> None:
    window.windowHandle().requestActivate()
    for _ in range(300):
        if app.activeWindow() is window:
            return
        QTest.qWait(10)
    raise SystemExit(f"{window.objectName()} never became the active window")


def drive(app: QApplication, draft_id: int) -> None:
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    view = window.show_area("btmg")
    view.select_id(draft_id)  # type: ignore[attr-defined]
    view.open_selected()  # type: ignore[attr-defined]
    wizard = open_windows()[0]
    wait_active(app, wizard)
    name = wizard.findChild(QLineEdit, "name")
    assert name is not None
    name.setFocus()
    QTest.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(name, TYPED)
    # At once, within the typing debounce: the quit itself must write the edit.
    QTest.keyClick(name, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    sys.stdout.write("quit pressed\n")
    sys.stdout.flush()


def main() -> None:
    data_dir, draft_id = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    QTimer.singleShot(300, lambda: drive(app, draft_id))
    sys.exit(run_app(data_dir))


if __name__ == "__main__":
    main()
