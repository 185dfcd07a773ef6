"""Issue 12, sync cases: nothing stuck hides behind "Nothing to send", cancel and pause leave
the registry's state explained, and `sync status` says when something needs the user."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from desktop.cli import main
from desktop.config import Settings
from desktop.sandbox.faults import Fault, FaultPlan, FaultProxy
from desktop.sandbox.launcher import SandboxProcess, create_key, start_sandbox
from desktop.store import Store, open_store
from desktop.store.outbox import ACCEPTED, FAILED, INTERRUPTED, PAUSED, QUEUED
from desktop.sync import outbox
from desktop.sync.client import RegistryClient
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from desktop.sync.endpoints import PREFIX
from tests.sync.conftest import fast_client
from tests.sync.helpers import TODAY, make_dgg
from tests.sync.registry_counts import generators_named, group_contents

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxProcess, str]]:
    folder = tmp_path_factory.mktemp("hardening-sync-sandbox")
    with start_sandbox(folder, port=0, rate_limit=None, today=TODAY) as running:
        yield running, create_key(folder, label="hardening")


@pytest.fixture
def cli_data(
    data_dir: Path, registry: tuple[SandboxProcess, str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    sandbox, key = registry
    settings = Settings.load(data_dir / "settings.json")
    settings.set(LOCAL_URL_SETTING, sandbox.base_url)
    settings.set(RATE_LIMIT, "1000/1")
    monkeypatch.setenv("REGISTRY_DESK_API_KEY", key)
    return data_dir


def _fail_a_unit(store: Store, tmp: Path, sandbox: SandboxProcess, key: str, name: str) -> int:
    """Queue a DGG and send it through a proxy that loses the second unit's answer (the unit
    lands) and then answers 500 to every look-up: the item ends `failed`, that unit in flight."""
    draft_id = make_dgg(store, tmp, units=5, name=name)
    item = outbox.queue_dgg(store, draft_id)
    plan = FaultPlan(
        script=[Fault("pass"), Fault("drop"), Fault("error", count=3)],
        path_prefix=PREFIX + "/dg_units",
    )
    with FaultProxy(sandbox.base_url, plan) as proxy:
        client = fast_client(proxy.base_url, key, max_attempts=3)
        try:
            [result] = outbox.Sender(store, client).flush()
        finally:
            client.close()
    assert result.status == FAILED, result.message
    return item.id


def test_push_reports_a_failed_item_and_retry_failed_sends_it_once(
    cli_data: Path,
    tmp_path: Path,
    registry: tuple[SandboxProcess, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, key = registry
    store = open_store(cli_data)
    try:
        item_id = _fail_a_unit(store, tmp_path, sandbox, key, "Failed under faults")
    finally:
        store.close()
    d = ["--data-dir", str(cli_data)]
    capsys.readouterr()
    assert main(["sync", "push", *d]) == 1
    out = capsys.readouterr().out
    assert "Nothing to send" not in out
    assert "failed" in out and "Failed under faults" in out and "--retry-failed" in out
    assert main(["sync", "status", *d]) == 1
    assert "Failed (" in capsys.readouterr().out
    assert main(["sync", "push", "--retry-failed", "--json", *d]) == 0
    pushed = json.loads(capsys.readouterr().out)
    assert [(i["id"], i["status"]) for i in pushed["items"]] == [(item_id, ACCEPTED)]
    assert pushed["remaining"] == []
    assert main(["sync", "status", *d]) == 0
    client = fast_client(sandbox.base_url, key)
    try:
        [generator] = generators_named(client, "Failed under faults")
        contents = group_contents(client, generator["id"])
    finally:
        client.close()
    # the unit whose answer was lost landed once, not twice
    assert len(contents["units"]) == 5 and max(contents["unit_names"].values()) == 1


def test_cancel_between_records_explains_what_the_registry_holds(
    store: Store, tmp_path: Path, registry: tuple[SandboxProcess, str]
) -> None:
    sandbox, key = registry
    draft_id = make_dgg(store, tmp_path, units=6, name="Cancelled midway")
    item = outbox.queue_dgg(store, draft_id)
    client = fast_client(sandbox.base_url, key)
    sender = outbox.Sender(store, client)
    original = sender.steps.run
    sent: list[str] = []

    def run_then_cancel(step, acked):  # type: ignore[no-untyped-def]
        record = original(step, acked)
        sent.append(step["key"])
        if step["key"] == "unit:u00002":  # the user presses Cancel while this one is in flight
            outbox.cancel(store, item.id)
        return record

    sender.steps.run = run_then_cancel  # type: ignore[method-assign]
    try:
        [result] = sender.flush()
        row = outbox.repository(store).get(item.id)
        assert result.status == INTERRUPTED and row.in_flight is None
        assert sent[-1] == "unit:u00002"  # the record in flight finished; nothing after it
        assert row.done == 5  # generator, fuel, 3 units
        assert "Cancelled after 5 of 10 records" in row.message
        assert "3 units" in row.message and "Not sent: 3 units, 1 document" in row.message
        assert f"delete draft generator {row.registry_id}" in row.message
        assert store.drafts.get(draft_id).status == "Ready to submit"
        assert outbox.retry(store, item.id).status == QUEUED
        [again] = outbox.Sender(store, client).flush()
        assert again.status == ACCEPTED and again.sent == 5
        assert len(group_contents(client, str(row.registry_id))["units"]) == 6
    finally:
        client.close()


def test_pause_and_resume_from_the_command_line(
    cli_data: Path,
    tmp_path: Path,
    registry: tuple[SandboxProcess, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, key = registry
    store = open_store(cli_data)
    try:
        draft_id = make_dgg(store, tmp_path, units=4, name="Paused group")
        item = outbox.queue_dgg(store, draft_id)
        client: RegistryClient = fast_client(sandbox.base_url, key)
        sender = outbox.Sender(store, client)
        original = sender.steps.run

        def run_then_pause(step, acked):  # type: ignore[no-untyped-def]
            record = original(step, acked)
            if step["key"] == "unit:u00000":
                assert main(["sync", "pause", str(item.id), "--data-dir", str(cli_data)]) == 0
            return record

        sender.steps.run = run_then_pause  # type: ignore[method-assign]
        try:
            [result] = sender.flush()
        finally:
            client.close()
        assert result.status == PAUSED
        row = outbox.repository(store).get(item.id)
        assert row.done == 3 and "Resume sends the rest" in row.message
    finally:
        store.close()
    d = ["--data-dir", str(cli_data)]
    capsys.readouterr()
    assert main(["sync", "status", *d]) == 0  # paused by the user: nothing is wrong
    out = capsys.readouterr().out
    assert f"#{item.id:<4} Paused" in out and "sync resume ITEM" in out
    assert main(["sync", "push", *d]) == 0  # a paused item is not sent
    assert "paused" in capsys.readouterr().out
    assert main(["sync", "resume", "--all", *d]) == 0
    capsys.readouterr()
    assert main(["sync", "push", "--json", *d]) == 0
    assert [i["status"] for i in json.loads(capsys.readouterr().out)["items"]] == [ACCEPTED]
    assert main(["sync", "pause", *d]) == 2  # neither items nor --all
    assert main(["sync", "cancel", "999", *d]) == 1
    assert "no outbox item 999" in capsys.readouterr().err


# --- the practice registry ends with its parent -------------------------------------------------

PARENT = """
import sys, time
from desktop.sandbox.launcher import start_sandbox
sandbox = start_sandbox(sys.argv[1], port=0, rate_limit=None)
print(sandbox.pid, sandbox.port, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_sandbox_ends_when_the_program_that_started_it_is_killed(tmp_path: Path) -> None:
    """Found orphaned on port 8765 after the test suite and after `make dist`'s smoke test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "sandbox")],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert parent.stdout is not None
    pid, port = (int(x) for x in parent.stdout.readline().split())
    try:
        assert _alive(pid)
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok
        parent.kill()  # SIGKILL: no atexit hook, no finally
        parent.wait(10)
        deadline = time.monotonic() + 15
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid), "the sandbox outlived the program that started it"
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        parent.stdout.close()
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_session_end_check_finds_a_process_left_behind() -> None:
    from tests.conftest import processes_left_behind

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert child.pid in [pid for pid, _ in processes_left_behind()]
    finally:
        child.kill()
        child.wait()
    assert child.pid not in [pid for pid, _ in processes_left_behind()]


# --- loopback never goes through a proxy --------------------------------------------------------


class _RecordingProxy:
    """A real little HTTP proxy on loopback: records every request that reaches it (with its
    headers) and answers 502, so a request that went through it cannot succeed."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.seen: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                outer.seen.append((f"{self.command} {self.path}", dict(self.headers.items())))
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_CONNECT = _record  # noqa: N815 - http.server names

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_local_sandbox_key_never_reaches_a_proxy(
    tmp_path: Path, registry: tuple[SandboxProcess, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sync.local_sandbox import answering

    sandbox, key = registry
    proxy = _RecordingProxy()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        # the proxy is live: a request to another host does go through it
        assert requests.get("http://registry.invalid/x", timeout=5).status_code == 502
        assert [line for line, _ in proxy.seen] == ["GET http://registry.invalid/x"]
        client = fast_client(sandbox.base_url, key)
        try:
            assert "the key works" in client.test_connection()
        finally:
            client.close()
        assert answering(sandbox.base_url)
        with start_sandbox(tmp_path / "own", port=0, rate_limit=None) as own:
            assert own.is_running()
        assert len(proxy.seen) == 1, proxy.seen
        assert not any(key in str(headers) for _, headers in proxy.seen)
    finally:
        proxy.close()


# --- the sandbox refuses what the registry would refuse -----------------------------------------


def _raw(port: int, head: bytes, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """Send a request by hand (so the body can be announced but not sent) and read the answer."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < int(
            next(
                (
                    line.split(b":", 1)[1]
                    for line in data.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                b"0",
            )
        ):
            more = sock.recv(65536)
            if not more:
                break
            data += more
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data.split(b"\r\n\r\n", 1)[1] or b"{}")


def test_unknown_query_parameters_are_refused(registry: tuple[SandboxProcess, str]) -> None:
    sandbox, key = registry
    url = sandbox.base_url + PREFIX + "/generators"
    headers = {"X-Api-Key": key}
    for params, name in (({"page_size": 5}, "page_size"), ({"filters[status]": "x"}, "filters")):
        answer = requests.get(url, params=params, headers=headers, timeout=10)
        assert answer.status_code == 400, answer.text
        [error] = answer.json()["errors"]
        assert error["source"]["parameter"].startswith(name)
        assert "not supported" in error["detail"] and "filter[facility_name]" in error["detail"]
    fine = {"filter[facility_name]": "x", "page[size]": 5, "page[number]": 1}
    assert requests.get(url, params=fine, headers=headers, timeout=10).status_code == 200


def test_a_huge_json_body_is_refused_unread(registry: tuple[SandboxProcess, str]) -> None:
    sandbox, key = registry
    path = (PREFIX + "/generators").encode()
    head = (
        b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: " + key.encode() + b"\r\n"
        b"Content-Type: application/vnd.api+json\r\n"
    )
    # 60 MB announced, 1 KB sent: the answer comes without the server waiting for the rest
    status, body = _raw(sandbox.port, head + b"Content-Length: 60000000\r\n\r\n", b"{" * 1024)
    assert status == 413 and "larger than 8 MB" in body["errors"][0]["detail"]  # type: ignore[index]
    # chunked, no length announced: refused once 8 MB have arrived
    chunk = b"[" * 65536
    framed = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 129 + b"0\r\n\r\n"  # 8.06 MB
    status, body = _raw(sandbox.port, head + b"Transfer-Encoding: chunked\r\n\r\n", framed)
    assert status == 413
    # a body under the limit is still read and answered (here: refused as invalid, 422)
    small = json.dumps({"data": {"type": "generators", "attributes": {}}}).encode()
    answer = requests.post(
        sandbox.base_url + PREFIX + "/generators",
        data=small,
        headers={"X-Api-Key": key, "Content-Type": "application/vnd.api+json"},
        timeout=10,
    )
    assert answer.status_code == 422
