"""Issue 12 (read-only data folder) and issue 14 item 5 (the command line beside the window):
reads need no editor lock and work anywhere they can read; writes refuse with a sentence that
says why (the folder is read-only; the window holds the store, with its process) or wait."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel

from desktop.app import create_window, open_store_interactively
from desktop.config import Paths, Settings
from desktop.errors import StoreReadOnlyError
from desktop.sandbox.launcher import SandboxProcess
from desktop.store import open_store
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from desktop.tasks import running_count
from desktop.views.crash_dialog import save_report
from tests.hardening.stores import cli, make_store
from tests.sync.conftest import api_key, sandbox, sandbox_dir  # noqa: F401 - fixtures used here
from tests.sync.helpers import make_dgg

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
PYTHON = sys.executable


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def registry_desk(
    data_dir: Path, *words: object, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, str, str]:
    """The real command line in its own process."""
    done = subprocess.run(
        [PYTHON, "-m", "desktop", "--data-dir", str(data_dir), *map(str, words)],
        env={**child_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


# --- 3. A read-only data folder ----------------------------------------------------------------


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of its own, so that it can be made read-only for real (chmod does not stop
    root, which these tests may run as)."""
    point = tmp_path / "mnt"
    point.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only folder for real needs a tmpfs mount: Linux, as root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode:
        pytest.skip(f"mounting a tmpfs is not allowed here: {made.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    with pytest.raises(OSError, match="Read-only file system"):
        (point / "probe").write_text("x")


def test_a_read_only_data_folder_reads_and_refuses_writes_in_a_sentence(
    capsys: pytest.CaptureFixture[str], mounted: Path, tmp_path: Path
) -> None:
    make_store(mounted)
    (mounted / "drafts.sqlite3.lock").unlink()  # as on a folder copied or mounted elsewhere
    read_only(mounted)
    units = tmp_path / "units.csv"
    units.write_text("Unit name,AC capacity (MW)\nRoof,0.005\n", encoding="utf-8")

    code, out, err = cli(capsys, mounted, "dgg", "list")
    assert (code, err) == (0, "") and len(out.splitlines()) == 3
    code, out, err = cli(capsys, mounted, "sync", "status")
    assert (code, out, err) == (0, "The outbox is empty.\n", "")  # not "damaged"
    assert cli(capsys, mounted, "units", "export", "Group 1", tmp_path / "g1.csv")[0] == 0
    assert cli(capsys, mounted, "dgg", "check", "Group 1")[0] in (0, 1)  # its issues, no error
    code, out, _ = cli(capsys, mounted, "store", "recover")
    assert code == 0 and "not damaged" in out

    for words in (("units", "import", "Group 1", units), ("sync", "queue", "Group 1")):
        code, out, err = cli(capsys, mounted, *words)
        assert code == 1, words
        assert err == (
            f"registry-desk: The data folder {mounted} is read-only, so nothing can be changed "
            "in it: drafts can be read, listed and exported. To edit, make the folder writable "
            "(or copy it to one that is and start with --data-dir).\n"
        )
    assert sorted(p.name for p in mounted.iterdir()) == [
        "backups",
        "crash-reports",
        "drafts.sqlite3",
        "logs",
    ]


def test_the_window_opens_a_read_only_folder_read_only_with_a_banner(qtbot, mounted: Path) -> None:  # type: ignore[no-untyped-def]
    make_store(mounted)
    read_only(mounted)
    store = open_store_interactively(mounted)
    assert store is not None
    settings = Settings.load(Paths(mounted).settings)
    window = create_window(store, settings, start_local_sandbox=False)
    try:
        window.show()
        banner = window.findChild(QLabel, "read_only_banner")
        assert banner is not None and banner.isVisible()
        assert f"the data folder {mounted} cannot be written" in banner.text()
        assert window.windowTitle().endswith("(read-only)")
        assert [d.name for d in store.list_drafts("dgg")] == ["Group 2", "Group 1", "Group 0"]
        newest = store.list_drafts("dgg")[0]
        assert len(store.units.list(newest.id)) == 6
        with pytest.raises(StoreReadOnlyError, match="is read-only"):
            store.drafts.save(newest.id, page="units")
        qtbot.wait(2000)  # the status bar and reminders start a moment after the window
        qtbot.waitUntil(lambda: running_count() == 0, timeout=20_000)
    finally:
        window.close()  # saves the settings: to nowhere, without an error
        window.deleteLater()  # its timers go with it, before the folder does
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        store.close(backup_keep=5)  # no exit backup into a folder that cannot take it
    # A crash report still has somewhere to go.
    saved = save_report("report", Paths(mounted).crash_reports)
    assert saved is not None and saved.read_text(encoding="utf-8") == "report"
    assert mounted not in saved.parents
    saved.unlink()


# --- 14.5. The command line beside the window --------------------------------------------------


@contextmanager
def window_holding(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the store as the window does (window_holder_child.py)."""
    child = subprocess.Popen(
        [PYTHON, str(HERE / "window_holder_child.py"), str(data_dir)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "ready\n", child.stderr.read() if child.stderr else line
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def window(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    make_store(data_dir)
    with window_holding(data_dir) as child:
        yield child


def test_read_commands_work_while_the_window_holds_the_store(
    data_dir: Path, window: subprocess.Popen[str], tmp_path: Path
) -> None:
    code, out, err = registry_desk(data_dir, "dgg", "list", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert [d["name"] for d in listed] == ["Group 2", "Group 1", "Group 0"]
    assert listed[0]["page"] == "units"  # the window's newest edit, still in the log
    for words in (
        ("dgg", "check", "Group 1", "--json"),
        ("btmg", "list"),
        ("sync", "status"),
        ("units", "export", "Group 1", tmp_path / "g1.csv"),
    ):
        code, _, err = registry_desk(data_dir, *words)
        assert code in (0, 1) and "Registry Desk window" not in err and "Traceback" not in err
        assert not err or "cannot be submitted" in err, (words, err)
    assert (tmp_path / "g1.csv").is_file()


def test_writing_commands_name_the_window_and_wait_for_it_with_wait(
    data_dir: Path, window: subprocess.Popen[str], tmp_path: Path
) -> None:
    units = tmp_path / "units.csv"
    units.write_text("Unit name,AC capacity (MW)\nRoof,0.005\n", encoding="utf-8")
    code, _, err = registry_desk(data_dir, "units", "import", "New group", units)
    assert code == 1
    assert f"The draft store is open in the Registry Desk window (process {window.pid})." in err
    assert "--wait SECONDS" in err

    code, _, err = registry_desk(data_dir, "sync", "push", "--wait", "0.5")
    assert code == 1
    assert f"open in the Registry Desk window (process {window.pid})" in err
    assert "still in use after waiting 0.5 seconds" in err

    # --wait: the command waits while the window is open and goes on once it closes.
    command = ["units", "import", "New group", str(units), "--wait", "60"]
    waiting = subprocess.Popen(
        [PYTHON, "-m", "desktop", "--data-dir", str(data_dir), *command],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    assert waiting.poll() is None  # still waiting for the window
    assert window.stdin is not None
    window.stdin.close()  # the user closes the window
    assert window.wait(timeout=30) == 0
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "created DGG draft 'New group': 1 units imported" in out


def test_sync_pull_records_statuses_beside_the_window_and_push_waits_for_it(
    data_dir: Path,
    tmp_path: Path,
    sandbox: SandboxProcess,  # noqa: F811 - the sync tests' fixture, imported above
    api_key: str,  # noqa: F811
) -> None:
    store = open_store(data_dir)
    make_dgg(store, tmp_path, units=3, unit_docs=0, name="Beside the window")
    store.close()
    settings = Settings.load(data_dir / "settings.json")
    settings.set(LOCAL_URL_SETTING, sandbox.base_url)
    settings.set(RATE_LIMIT, "1000/1")  # the session sandbox has no limit
    key = {"REGISTRY_DESK_API_KEY": api_key}
    assert registry_desk(data_dir, "sync", "queue", "Beside the window", env=key)[0] == 0
    assert registry_desk(data_dir, "sync", "push", env=key)[0] == 0

    with window_holding(data_dir) as window:
        code, out, err = registry_desk(data_dir, "sync", "pull", "--json", env=key)
        assert code == 0, err
        assert json.loads(out)["checked"] == 4  # the group and its 3 units, written beside it
        code, out, err = registry_desk(data_dir, "sync", "push", env=key)
        assert code == 1 and out == ""
        assert f"open in the Registry Desk window (process {window.pid})" in err


# --- 4. A full disk ----------------------------------------------------------------------------


def fill(point: Path, leave: int) -> Path:
    """A file taking all the free space of the mount but `leave` bytes."""
    filler = point / "filler.bin"
    size = shutil.disk_usage(point).free - leave
    with filler.open("wb") as fh:
        fh.write(b"\0" * size)
    return filler


def test_a_full_disk_says_how_much_room_the_action_needs_and_where(
    capsys: pytest.CaptureFixture[str], mounted: Path, tmp_path: Path
) -> None:
    make_store(mounted)
    units = tmp_path / "units.csv"
    rows = [f"Roof {i} on the north barn of the farm,0.005" for i in range(3000)]
    units.write_text("Unit name,AC capacity (MW)\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert cli(capsys, mounted, "units", "import", "Barns", units)[0] == 0
    before = cli(capsys, mounted, "dgg", "list", "--json")[1]
    filler = fill(mounted, 64 * 1024)

    for words in (("units", "import", "Barns 2", units), ("sync", "queue", "Barns")):
        code, _, err = cli(capsys, mounted, *words)
        assert code == 1, words
        assert err.startswith(
            f"registry-desk: The disk holding the data folder {mounted} is full: saving this "
            "needs about "
        )
        assert "MB of free space there" in err and "Nothing was saved" in err
        assert "Traceback" not in err and "OperationalError" not in err
    assert cli(capsys, mounted, "dgg", "list", "--json")[1] == before  # nothing half-written

    filler.unlink()  # the user frees some space: the same actions work
    assert cli(capsys, mounted, "units", "import", "Barns 2", units)[0] == 0
    assert cli(capsys, mounted, "sync", "queue", "Barns")[0] == 0
    assert cli(capsys, mounted, "store", "recover")[0:2] == (
        0,
        f"The draft store is not damaged; nothing to recover ({mounted / 'drafts.sqlite3'}).\n",
    )
