"""The local sandbox target: Registry Desk starts the practice registry and makes its key."""

from __future__ import annotations

import socket
from pathlib import Path

import requests

from desktop.config import Settings
from desktop.sync import credentials
from desktop.sync.connection import LOCAL, LOCAL_URL_SETTING, TARGET
from desktop.sync.local_sandbox import ensure_running


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_started_when_nothing_answers_with_a_key_in_the_keyring(
    tmp_path: Path, memory_keyring: object
) -> None:
    settings = Settings.load(tmp_path / "settings.json")
    settings.set(LOCAL_URL_SETTING, f"http://127.0.0.1:{free_port()}")
    local = ensure_running(tmp_path, settings)
    assert local is not None and local.process is not None and local.key_created
    try:
        key = credentials.get_key(LOCAL)
        assert key
        answer = requests.get(
            f"{local.url}/v1/public/rec/fuel_types", headers={"X-Api-Key": key}, timeout=5
        )
        assert answer.status_code == 200
        again = ensure_running(tmp_path, settings)  # already answering: reused, no new key
        assert again is not None and again.process is None and not again.key_created
    finally:
        local.stop()
    assert (tmp_path / "sandbox").is_dir()


def test_other_targets_start_nothing(tmp_path: Path, memory_keyring: object) -> None:
    settings = Settings.load(tmp_path / "settings.json")
    settings.set(TARGET, "M-RETS sandbox")
    assert ensure_running(tmp_path, settings) is None
