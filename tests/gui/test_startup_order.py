"""Start-up order: the first screen paints from the sqlite3 list read, then SQLAlchemy loads
(bench/startup.py measures why). Run as the `registry-desk` command runs, in a child process,
so that nothing imported by the test process hides what the app imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store import open_store

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

seen = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint" not in seen:
            seen["paint"] = "sqlalchemy" in sys.modules
            window = obj.window()
            seen["title"] = window.windowTitle()
            home = window.findChild(QObject, "home_dgg")
            seen["home"] = home.text() if home is not None else None
        return False

app = QApplication(sys.argv[:1])
watch = Watch()
app.installEventFilter(watch)

def done():
    seen["later"] = "sqlalchemy" in sys.modules
    print(json.dumps(seen))
    app.quit()

QTimer.singleShot(1500, done)
from desktop.cli import main
main(["--data-dir", sys.argv[1]])
"""


def test_first_paint_shows_the_drafts_before_sqlalchemy_loads(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        for name in ("North roofs", "South roofs"):
            store.drafts.create("dgg", name)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["paint"] is False  # painted before SQLAlchemy was imported
    assert seen["home"] == "DG Groups\n2 drafts · 2 not checked"  # with the drafts on it
    assert seen["later"] is True  # and loaded right after, before the first edit needs it


def test_after_first_paint_runs_once(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    from desktop.config import Settings
    from desktop.views.areas import build_window_parts
    from desktop.views.main_window import MainWindow

    settings = Settings.load(store.paths.settings)
    areas = build_window_parts(store, settings).areas
    window = MainWindow(store, settings, areas)
    qtbot.addWidget(window)
    calls: list[int] = []
    window.after_first_paint(lambda: calls.append(1))
    assert calls == []
    window.show()
    qtbot.waitUntil(lambda: calls == [1])
    window.repaint()
    qtbot.wait(50)
    assert calls == [1]
