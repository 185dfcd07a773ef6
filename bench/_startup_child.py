"""One start-up, measured from inside: prints the wall-clock time of the first paint.

`app` starts Registry Desk the way the `registry-desk` command does (`desktop.cli.main`, which
opens the store, checks it and builds the window); `bare` shows an empty QMainWindow.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"{time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        return False


def main() -> int:
    mode, data_dir = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    if mode == "bare":
        window = QMainWindow()
        window.resize(1200, 760)
        window.show()
        return app.exec()
    from desktop.cli import main as registry_desk  # imported here: timed from process start

    return registry_desk(["--data-dir", data_dir])


if __name__ == "__main__":
    sys.exit(main())
