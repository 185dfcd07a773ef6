"""`registry-desk sync` commands, and the secrets audit: after a push the key is nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.config import Settings
from desktop.sandbox.launcher import SandboxProcess
from desktop.store import open_store
from desktop.sync import credentials
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from tests.keyrings import MemoryKeyring
from tests.sync.helpers import make_dgg

ROOT = Path(__file__).resolve().parents[2]


def _prepare(data: Path, tmp: Path, base_url: str, name: str) -> None:
    store = open_store(data)
    make_dgg(store, tmp, units=3, unit_docs=1, name=name)
    store.close()
    settings = Settings.load(data / "settings.json")
    settings.set(LOCAL_URL_SETTING, base_url)
    settings.set(RATE_LIMIT, "1000/1")  # the session sandbox has no limit


def test_queue_push_pull_status_with_the_key_from_the_keyring(
    tmp_path: Path,
    sandbox: SandboxProcess,
    api_key: str,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    _prepare(data, tmp_path, sandbox.base_url, "CLI group")
    d = ["--data-dir", str(data)]
    assert main(["sync", "push", *d]) == 1  # no key yet: said plainly, exit 1
    assert "No API key for the local sandbox" in capsys.readouterr().err
    credentials.save_key("local sandbox", api_key)
    assert main(["sync", "queue", "CLI group", *d]) == 0
    assert main(["sync", "status", "--json", *d]) == 0
    status = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert status["counts"]["queued"] == 1
    assert main(["sync", "push", "--json", *d]) == 0
    pushed = json.loads(capsys.readouterr().out)
    assert [i["status"] for i in pushed["items"]] == ["accepted"]
    assert main(["sync", "pull", "--json", *d]) == 0
    assert json.loads(capsys.readouterr().out)["checked"] == 4  # the group and its 3 units
    assert main(["sync", "push", "--target", "nowhere", *d]) == 2
    assert "Unknown registry target" in capsys.readouterr().err
    assert main(["sync", "push", "--target", "production", *d]) == 2
    assert "production registry's address is not set" in capsys.readouterr().err


def test_the_key_never_reaches_store_settings_logs_or_reports(
    tmp_path: Path, sandbox: SandboxProcess, api_key: str
) -> None:
    data = tmp_path / "data"
    _prepare(data, tmp_path, sandbox.base_url, "Secret audit")
    env = dict(os.environ, REGISTRY_DESK_API_KEY=api_key, PYTHONPATH=str(ROOT))
    outputs = []
    for args in (
        ["sync", "queue", "Secret audit"],
        ["sync", "push"],
        ["sync", "pull", "--json"],
        ["sync", "status", "--json"],
        ["sync", "push", "--target", "M-RETS sandbox"],  # a failing push (no network here)
    ):
        done = subprocess.run(
            [sys.executable, "-m", "desktop", *args, "--data-dir", str(data)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outputs.append(done.stdout + done.stderr)
    assert "accepted" in outputs[1]
    # every file in the data folder: the store and its WAL, settings, logs, crash reports,
    # backups (the store writes one at exit)
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name == "drafts.sqlite3" for p in files)
    assert any(p.name == "settings.json" for p in files)
    secret = api_key.encode()
    leaked = [str(p) for p in files if secret in p.read_bytes()]
    assert leaked == []
    assert all(api_key not in text for text in outputs)
