"""Shared set-up for screenshot scripts: a real window on the X display (Xvfb in CI-like
machines), sample data in a throw-away store, and a grab of the window into docs/screenshots."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))


def app(theme: str = "Light"):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.app import style_application
    from desktop.views.theme import apply_theme

    if not os.environ.get("DISPLAY"):
        raise SystemExit("Set DISPLAY (e.g. run under Xvfb :99) to take real-window screenshots.")
    application = QApplication.instance() or QApplication([])
    style_application(application)
    apply_theme(application, theme)
    return application


def temp_store():  # type: ignore[no-untyped-def]
    from desktop.models import reference
    from desktop.store import open_store

    data = Path(tempfile.mkdtemp(prefix="rd-shots-"))
    reference.set_user_dir(data)
    return open_store(data)


def settle(ms: int = 300) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path
