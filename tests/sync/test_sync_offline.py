"""Registry down, wrong key, process killed mid-push: nothing is lost, nothing sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.config import Settings
from desktop.errors import AuthError, OfflineError
from desktop.sandbox.faults import FaultPlan, FaultProxy
from desktop.sandbox.launcher import SandboxProcess, create_key, start_sandbox
from desktop.store import Store, open_store
from desktop.store.outbox import ACCEPTED, QUEUED
from desktop.sync import outbox
from desktop.sync.connection import LOCAL_URL_SETTING
from desktop.sync.outbox import Sender, queue_dgg
from tests.sync.conftest import fast_client
from tests.sync.helpers import TODAY, make_dgg
from tests.sync.registry_counts import generators_named, group_contents

ROOT = Path(__file__).resolve().parents[2]


def test_registry_down_keeps_items_queued_and_flushes_when_back(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "registry"
    key = create_key(folder)
    with start_sandbox(folder, rate_limit=None, today=TODAY) as running:
        port = running.port
    draft_id = make_dgg(store, tmp_path, units=4, name="Offline group")
    item = queue_dgg(store, draft_id)
    client = fast_client(f"http://127.0.0.1:{port}", key)
    with pytest.raises(OfflineError):
        Sender(store, client).flush()
    repo = outbox.repository(store)
    assert repo.get(item.id).status == QUEUED
    assert "cannot be reached" in repo.get(item.id).message
    assert repo.get(item.id).done == 0
    with start_sandbox(folder, port=port, rate_limit=None, today=TODAY):
        [result] = Sender(store, client).flush()
        assert result.status == ACCEPTED
        [gen] = generators_named(client, "Offline group")
        assert len(group_contents(client, gen["id"])["units"]) == 4


def test_registry_gone_midway_resumes_without_duplicates(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    key = create_key(folder)
    draft_id = make_dgg(store, tmp_path, units=30, name="Midway group")
    item = queue_dgg(store, draft_id)
    repo = outbox.repository(store)
    with start_sandbox(folder, rate_limit=None, today=TODAY) as running:
        port = running.port
        client = fast_client(running.base_url, key)

        class StopServer:
            cancelled = False

            def check(self) -> None:
                pass

            def update(self, done: int, total: int | None = None, text: str | None = None) -> None:
                if done == 10 and running.is_running():
                    running.stop()  # the registry goes away in the middle of the push

        with pytest.raises(OfflineError):
            Sender(store, client).flush(StopServer())
    done = repo.get(item.id).done
    assert repo.get(item.id).status == QUEUED and 5 <= done < item.total
    with start_sandbox(folder, port=port, rate_limit=None, today=TODAY):
        assert Sender(store, client).flush()[0].status == ACCEPTED
        [gen] = generators_named(client, "Midway group")
        units = group_contents(client, gen["id"])["units"]
        assert len(units) == 30 and len({u["attributes"]["name"] for u in units}) == 30


def test_a_wrong_key_asks_again_and_loses_nothing(
    store: Store, tmp_path: Path, sandbox: SandboxProcess, api_key: str
) -> None:
    draft_id = make_dgg(store, tmp_path, units=2, name="Wrong key group")
    item = queue_dgg(store, draft_id)
    with pytest.raises(AuthError, match="Enter the key again"):
        Sender(store, fast_client(sandbox.base_url, "sbx_wrong")).flush()
    row = outbox.repository(store).get(item.id)
    assert row.status == QUEUED and row.done == 0 and "key" in row.message
    assert store.drafts.get(draft_id).status == "Queued"
    [result] = Sender(store, fast_client(sandbox.base_url, api_key)).flush()
    assert result.status == ACCEPTED


@pytest.mark.slow
def test_killed_during_a_push_then_restarted_sends_each_record_once(
    tmp_path: Path, sandbox: SandboxProcess, api_key: str
) -> None:
    """A real crash: `sync push` is killed (SIGKILL) while its answers are held up."""
    data = tmp_path / "data"
    store = open_store(data)
    make_dgg(store, tmp_path, units=40, name="Killed push")
    queue_dgg(store, store.drafts.by_name("dgg", "Killed push").id)
    store.close()
    # every POST's answer is held 30 s: the process is surely in flight when it dies
    plan = FaultPlan(rates={"delay": 1.0}, methods=frozenset({"POST"}), random_seconds=30)
    with FaultProxy(sandbox.base_url, plan, lifetime=120) as proxy:
        settings = Settings.load(data / "settings.json")
        settings.set(LOCAL_URL_SETTING, proxy.base_url)
        env = dict(os.environ, REGISTRY_DESK_API_KEY=api_key, PYTHONPATH=str(ROOT))
        child = subprocess.Popen(
            [sys.executable, "-m", "desktop", "sync", "push", "--data-dir", str(data)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not any(e.upstream_status == 201 for e in proxy.events):
            assert time.monotonic() < deadline, "the push never reached the registry"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    store = open_store(data)
    try:
        repo = outbox.repository(store)
        [item] = repo.list()
        assert item.status == "sending" and item.in_flight == "generator"
        assert outbox.recover(store) == [item.id]
        client = fast_client(sandbox.base_url, api_key)
        [result] = Sender(store, client).flush()
        assert result.status == ACCEPTED
        [gen] = generators_named(client, "Killed push")  # the landed create was found
        assert len(group_contents(client, gen["id"])["units"]) == 40
    finally:
        store.close()
