"""The local sandbox target: Registry Desk starts the practice registry and makes its key."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from pytestqt.qtbot import QtBot

from desktop.config import Paths, Settings
from desktop.sandbox.launcher import create_key, folder_id, start_sandbox
from desktop.store import open_store
from desktop.store.outbox import ACCEPTED
from desktop.sync import credentials, outbox
from desktop.sync.connection import LOCAL, LOCAL_URL_SETTING, TARGET
from desktop.sync.local_sandbox import ensure_running, identity
from tests.sync.helpers import make_dgg


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


@pytest.mark.gui
def test_a_second_data_folders_window_gets_its_own_practice_registry(
    qtbot: QtBot, tmp_path: Path, memory_keyring: object
) -> None:
    """The port the settings name is held by another data folder's sandbox, and the keyring
    holds that sandbox's key: the window starts its own on a free port, keeps the address,
    makes a key that works, and a submission goes through."""
    from desktop.app import create_window
    from desktop.views.online_indicator import OnlineIndicator

    other = start_sandbox(tmp_path / "other" / "sandbox", port=0, rate_limit=None)
    try:
        credentials.save_key(LOCAL, create_key(other.data_dir))
        data = tmp_path / "mine"
        store = open_store(data)
        settings = Settings.load(Paths(data).settings)
        settings.set(LOCAL_URL_SETTING, other.base_url)
        draft_id = make_dgg(store, tmp_path, units=2, name="Second folder group")
        window = create_window(store, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.findChild(OnlineIndicator) is not None, timeout=10_000)
        service = window.findChild(OnlineIndicator).service
        qtbot.waitUntil(lambda: service.local is not None, timeout=30_000)
        local = service.local
        assert local is not None
        try:
            assert local.process is not None and local.url != other.base_url
            assert settings.get(LOCAL_URL_SETTING) == local.url
            assert identity(local.url) == folder_id(data / "sandbox")
            assert identity(other.base_url) == folder_id(other.data_dir)
            assert [n.split(" ", 2)[:2] for n in local.notices] == [
                ["Port", str(urlsplit(other.base_url).port)],
                ["The", "local"],
            ]
            qtbot.waitUntil(lambda: service.online is True, timeout=30_000)
            item = outbox.queue_dgg(store, draft_id)
            qtbot.waitUntil(lambda: service.flush() is not None or not service.busy)
            qtbot.waitUntil(
                lambda: (
                    outbox.repository(store).get(item.id).status == ACCEPTED and not service.busy
                ),
                timeout=60_000,
            )
        finally:
            window.close()
            local.stop()
            store.close()
    finally:
        other.stop()
