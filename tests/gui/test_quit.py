"""Quitting is one act: Ctrl+Q with a wizard open closes the wizard (its last edit written),
pauses the outbox, closes the main window and ends the process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.config import Paths, Settings
from desktop.store import Store, open_store
from desktop.sync.connection import LOCAL_URL_SETTING
from desktop.views.areas import build_window_parts, open_windows
from desktop.views.main_window import MainWindow
from tests.conftest import activate

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def make_window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = Settings.load(store.paths.settings)
    parts = build_window_parts(store, settings)
    window = MainWindow(store, settings, parts.areas, hooks=parts.hooks)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def test_ctrl_q_in_a_wizard_closes_it_with_its_last_edit_and_the_window(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    row = store.drafts.create("btmg", "Before quit", {})
    window = make_window(qtbot, store)
    view = window.show_area("btmg")
    view.select_id(row.id)  # type: ignore[attr-defined]
    view.open_selected()  # type: ignore[attr-defined]
    (wizard,) = open_windows()
    activate(qtbot, wizard)
    name = wizard.findChild(QLineEdit, "name")
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Last edit")
    with qtbot.waitSignal(window.closed, timeout=5000):
        qtbot.keyClick(name, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    qtbot.waitUntil(lambda: open_windows() == [])
    assert store.drafts.get(row.id).name == "Last edit"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_application_process_ends_on_ctrl_q_with_a_wizard_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = Paths(data).ensure()
    # The child starts its own practice registry, on a free port (never the default one).
    paths.settings.write_text(
        json.dumps({LOCAL_URL_SETTING: f"http://127.0.0.1:{free_port()}"}), encoding="utf-8"
    )
    store = open_store(data)
    draft_id = store.drafts.create("btmg", "Quit from the wizard", {}).id
    store.close()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    child = subprocess.run(
        [sys.executable, "-m", "tests.gui.quit_child", str(data), str(draft_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert "quit pressed" in child.stdout
    store = open_store(data)
    try:
        assert store.drafts.get(draft_id).name == "Typed just before Ctrl+Q"
    finally:
        store.close()
