"""One start-up, measured from inside: prints the wall-clock time of the first paint."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"{time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        return False


def main() -> None:
    mode, data_dir = sys.argv[1], Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    if mode == "bare":
        window = QMainWindow()
        window.resize(1200, 760)
    else:
        from desktop.app import create_window, style_application
        from desktop.config import Settings
        from desktop.models import reference
        from desktop.store import open_store

        style_application(app)
        store = open_store(data_dir)
        reference.set_user_dir(data_dir)
        window = create_window(store, Settings.load(data_dir / "settings.json"))
    app.installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
