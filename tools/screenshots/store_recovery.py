"""Screenshot of the start-up dialog for a damaged store (recover, restore the newest backup,
quit), from a really damaged store with a real backup. Run by run_all.sh."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from _common import app, save

from desktop.store import StoreDamagedError, open_store


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    from desktop.views.store_recovery import ask_damaged_store

    app()
    data = Path(tempfile.mkdtemp(prefix="rd-shots-"))
    with open_store(data) as store:
        for i in range(20):
            store.drafts.create("dgg", f"Community solar {i}", {"i": i})
        store.backup("exit")
    path = data / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as fh:  # garbage over the second page
        fh.seek(4096)
        fh.write(b"\xff" * 4096)
    try:
        open_store(data)
    except StoreDamagedError as exc:
        damaged = exc
    else:
        raise SystemExit("the store was not damaged")

    def shoot() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(100, shoot)
            return
        save(dialog, "store-damaged-dialog")
        dialog.findChild(QPushButton, "quit").click()

    QTimer.singleShot(300, shoot)
    ask_damaged_store(damaged)


if __name__ == "__main__":
    main()
