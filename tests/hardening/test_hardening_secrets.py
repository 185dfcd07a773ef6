"""Secrets audit: after a scripted run with an API key, the key is in no file we wrote.

The run, against a real sandbox: the key saved the way Settings → Registry connection saves it
(typed into the window, in the second test), a DGG queued and pushed and its statuses pulled
(`registry-desk sync` with REGISTRY_DESK_API_KEY, and in this process through the keyring),
a crash report of a traceback that holds the key, the exit backup, and every export: the DGG
draft JSON, units CSV and XLSX, and a generation upload for the registered generator. Then
every file under the data folder (the store and its WAL while it is open, settings.json,
logs/, crash-reports/, backups/) and every export is searched for the key, as UTF-8 and as
UTF-16, in the raw bytes and inside every ZIP member (an XLSX is compressed).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import traceback
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.config import Paths, Settings
from desktop.sandbox.launcher import SandboxProcess, create_key, start_sandbox
from desktop.store import open_store
from desktop.sync import credentials, pull
from desktop.sync.connection import LOCAL, LOCAL_URL_SETTING, RATE_LIMIT, client_for
from tests.keyrings import MemoryKeyring
from tests.sync.helpers import TODAY, make_dgg
from tests.sync.registry_counts import generators_named

ROOT = Path(__file__).resolve().parents[2]
GROUP = "Audit DGG"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    with start_sandbox(tmp_path / "sandbox", port=0, rate_limit=None, today=TODAY) as running:
        yield running


def places_holding(path: Path, secret: str) -> list[str]:
    """Where in this file the secret is: the raw bytes, or a member of it as a ZIP."""
    forms = (secret.encode("utf-8"), secret.encode("utf-16-le"))
    data = path.read_bytes()
    found = [str(path)] if any(f in data for f in forms) else []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                member = archive.read(name)
                if any(f in member for f in forms):
                    found.append(f"{path}!{name}")
    return found


def audit(folders: list[Path], secret: str) -> tuple[list[Path], list[str]]:
    files = sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())
    return files, [place for p in files for place in places_holding(p, secret)]


def run(args: list[str], env: dict[str, str], outputs: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outputs.append(done.stdout + done.stderr)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def test_the_audit_finds_a_key_where_there_is_one(tmp_path: Path) -> None:
    """The search itself works: in plain bytes, UTF-16, and a compressed ZIP member."""
    secret = "sbx_control_0123456789abcdef"
    (tmp_path / "plain.txt").write_text(f"x-api-key: {secret}\n", encoding="utf-8")
    (tmp_path / "wide.txt").write_text(secret, encoding="utf-16-le")
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f"<sst><si><t>{secret}</t></si></sst>")
    _, leaks = audit([tmp_path], secret)
    assert sorted(Path(p.split("!")[0]).name for p in leaks) == [
        "book.xlsx",
        "plain.txt",
        "wide.txt",
    ]


def test_the_api_key_is_in_no_file_after_a_scripted_run(
    tmp_path: Path, sandbox: SandboxProcess, memory_keyring: MemoryKeyring
) -> None:
    key = create_key(sandbox.data_dir, label="secrets audit")
    assert key.startswith("sbx_")
    data, out = tmp_path / "data", tmp_path / "exports"
    out.mkdir()
    with open_store(data) as store:
        make_dgg(store, tmp_path, units=5, unit_docs=2, name=GROUP)
    settings = Settings.load(Paths(data).settings)
    settings.set(LOCAL_URL_SETTING, sandbox.base_url)
    settings.set(RATE_LIMIT, "1000/1")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REGISTRY_DESK_API_KEY": key}
    outputs: list[str] = []
    d = ["--data-dir", str(data)]

    # Submit and pull through the command line, the key in the environment.
    run(["sync", "queue", GROUP, *d], env, outputs)
    assert "accepted" in run(["sync", "push", *d], env, outputs)
    run(["sync", "pull", "--json", *d], env, outputs)
    run(["sync", "status", "--json", *d], env, outputs)

    # The window's way: the key in the keyring, a pull in this process; audit with the store
    # still open, so that its WAL is there to be searched too.
    assert credentials.save_key(LOCAL, key) is True
    assert memory_keyring.secrets  # it went to the keyring ...
    store = open_store(data)
    # The last connection to close folds the WAL into the store and deletes it: a reader
    # holds it open while the pull writes, as the window's other connections would.
    reader = sqlite3.connect(Paths(data).store)
    reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        client = client_for(settings)
        try:
            result = pull.pull(store, client, everything=True)
            [generator] = generators_named(client, GROUP)
        finally:
            client.close()
        assert result.checked == 1 + 5  # the group and its units
        assert store.drafts.by_name("dgg", GROUP).registry_id == generator["id"]
        files, leaks = audit([data], key)
        assert any(p.name == "drafts.sqlite3-wal" for p in files)
        assert leaks == []
    finally:
        reader.close()
        store.close(backup_keep=10)  # what the window does at exit
    mrets_id = generator["attributes"]["mrets_id"]  # "M1001": what an upload file names

    # A bug report of a traceback that carries the key (a request's headers, say).
    from desktop.views.crash_dialog import build_report, save_report

    try:
        raise ConnectionError(f"GET {sandbox.base_url} failed; headers={{'X-Api-Key': '{key}'}}")
    except ConnectionError:
        trace = traceback.format_exc()
    report = build_report(f"ConnectionError: the key {key} was refused", trace)
    saved = save_report(report, Paths(data).crash_reports)
    assert saved is not None and saved.read_text(encoding="utf-8").count("[redacted]") == 2

    # Every export.
    run(["dgg", "export", GROUP, str(out / "dgg.json"), *d], env, outputs)
    run(["units", "export", GROUP, str(out / "units.csv"), *d], env, outputs)
    run(["units", "export", GROUP, str(out / "units.xlsx"), *d], env, outputs)
    meter = tmp_path / "meter.csv"
    start = datetime(2025, 4, 1)
    meter.write_text(
        "Timestamp,kWh\n"
        + "".join(
            f"{start.replace(day=1 + h // 24, hour=h % 24):%Y-%m-%d %H:%M},1.25\n"
            for h in range(720)
        ),
        encoding="utf-8",
    )
    run(
        [
            "generation",
            "build",
            "--input",
            str(meter),
            "--input-tz",
            "America/Chicago",
            "--generator-id",
            mrets_id,
            "--unit-id",
            "AUDIT-1",
            "--granularity",
            "monthly",
            "--out",
            str(out / "generation.csv"),
            *d,
        ],
        env,
        outputs,
    )

    assert (out / "generation.csv").read_text(encoding="ascii").count(mrets_id.lstrip("M")) >= 1
    files, leaks = audit([data, out], key)
    names = {p.name for p in files}
    assert {"drafts.sqlite3", "settings.json", saved.name} <= names
    assert any(p.parent.name == "backups" for p in files)
    assert {"dgg.json", "units.csv", "units.xlsx", "generation.csv"} <= names
    assert leaks == []
    assert all(key not in text for text in outputs)


@pytest.mark.gui
def test_a_key_typed_into_settings_goes_to_the_keyring_only(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.views.registry_connection_view import RegistryConnectionView
    from tests.conftest import activate

    key = "sbx_typed_0123456789abcdefABCDEF"
    settings = Settings.load(tmp_path / "data" / "settings.json")
    settings.set(LOCAL_URL_SETTING, "http://127.0.0.1:9")
    view = RegistryConnectionView(settings)
    qtbot.addWidget(view)
    activate(qtbot, view)
    view.key.setFocus()
    qtbot.keyClicks(view.key, key)
    qtbot.keyClick(view.key, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.save_key_button
    qtbot.keyClick(view.save_key_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(memory_keyring.secrets))
    assert list(memory_keyring.secrets.values()) == [key]
    assert view.key.text() == ""  # never shown back
    _, leaks = audit([tmp_path], key)
    assert leaks == []
