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
def memory_keyring() -> Iterator[object]:
    """A secure-looking keyring that keeps secrets in memory (as the OS keyring would)."""
    from tests.keyrings import MemoryKeyring, using_keyring

    with using_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No secure storage, as on a headless Linux without Secret Service."""
    from keyring.backends import fail

    from tests.keyrings import using_keyring

    with using_keyring(fail.Keyring()):
        yield


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


_modal_pollers: list[object] = []


def when_modal(qtbot, act, *, activate_dialog: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Run `act(dialog)` on the next modal dialog once it is shown (its exec() blocks the test).

    `activate_dialog` first makes the dialog the active window, as a window manager does for a
    new dialog, so that keys typed into it arrive.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    timer = QTimer()
    timer.setInterval(10)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            timer.stop()
            try:
                if activate_dialog:
                    activate(qtbot, dialog)
                act(dialog)
            except BaseException:
                dialog.close()  # never leave a test blocked in exec(); pytest-qt reports it
                raise

    timer.timeout.connect(poll)
    timer.start()
    _modal_pollers.append(timer)  # a Python reference keeps the timer alive until the test ends


@pytest.fixture
def quick_keyboard_search() -> Iterator[None]:
    """Typing into a list searches it; a new search starts after this pause (ms)."""
    from PySide6.QtWidgets import QApplication

    before = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(60)
    yield
    QApplication.setKeyboardInputInterval(before)


@pytest.fixture(autouse=True)
def _stop_modal_pollers() -> Iterator[None]:
    yield
    for timer in _modal_pollers:
        timer.stop()  # type: ignore[attr-defined]
    _modal_pollers.clear()
