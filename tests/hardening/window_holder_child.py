"""Holds a store as the Registry Desk window does: opened by the app's own start-up code (the
one-editor lock, as the window), with an edit saved through the store (still in its write-ahead
log), until its stdin closes (the user closes the window) or it is killed.

    python window_holder_child.py DATA_DIR      prints "ready" once it holds the store
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.app import open_store_interactively


def main() -> int:
    app = QApplication(sys.argv[:1])
    store = open_store_interactively(Path(sys.argv[1]))
    if store is None:
        return 1
    store.load()
    newest = store.list_drafts("dgg")[0]
    store.drafts.save(newest.id, page="units")  # an edit the readers must see
    print("ready", flush=True)
    sys.stdin.read()
    store.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
