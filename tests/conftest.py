"""Shared test set-up: offscreen Qt, a private data dir per test, an in-memory keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Without a display and with no platform chosen, Qt aborts the whole test process.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the developer's real data folder or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REGISTRY_DESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    monkeypatch.delenv("REGISTRY_DESK_API_KEY", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[object]:
    from desktop.store import open_store

    s = open_store(data_dir)
    try:
        yield s
    finally:
        s.close()


def activate(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    """Show a window and make it the active one, so its keyboard shortcuts fire.

    On the offscreen platform `activateWindow()` plus `waitActive` leaves no active window;
    asking the window handle does.
    """
    from PySide6.QtWidgets import QApplication

    widget.show()
    widget.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=3000)
