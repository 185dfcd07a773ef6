"""Shared test set-up: offscreen Qt, a private data dir per test, an in-memory keyring."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Without a display and with no platform chosen, Qt aborts the whole test process.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

# Every process the suite starts inherits this mark, so that the session's end can find any
# that is still running, even one whose parent died and left it to init (issue 12, case 12).
RUN_MARK = "REGISTRY_DESK_TEST_RUN"
os.environ[RUN_MARK] = f"{os.getpid()}-{uuid.uuid4().hex}"


def processes_left_behind(mark: str = "") -> list[tuple[int, str]]:
    """(pid, command line) of live processes other than this one that carry the run's mark.
    Linux only (it reads /proc); elsewhere nothing is found."""
    wanted = f"{RUN_MARK}={mark or os.environ[RUN_MARK]}".encode()
    proc = Path("/proc")
    found: list[tuple[int, str]] = []
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile, or another user's
        if state != "Z":  # a zombie has ended; only its exit status is left to collect
            found.append((int(entry.name), command.strip()))
    return found


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a process it started (a sandbox, an app) is still running."""
    deadline = time.monotonic() + 10  # a child told to stop may need a moment
    left = processes_left_behind()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = processes_left_behind()
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  pid {pid}: {command[:200]}" for pid, command in left]
    message = "The test run left processes behind:\n" + "\n".join(lines)
    if reporter is not None:
        reporter.write_line(message, red=True)
    for pid, _ in left:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)  # leave the machine clean even so
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
