"""The server as a process: rate limiting, the foreground command, Ctrl+C, port 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from desktop.sandbox.launcher import PACKAGE_ROOT, SandboxError, create_key, start_sandbox
from tests.sandbox.jsonapi_helpers import REC


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    key = create_key(tmp_path)
    other = create_key(tmp_path)
    with start_sandbox(tmp_path, rate_limit="3/2") as sandbox:
        url = sandbox.base_url + REC + "/eligibilities"
        session = requests.Session()
        statuses = [
            session.get(url, headers={"X-Api-Key": key}, timeout=5).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 200]
        refused = session.get(url, headers={"X-Api-Key": key}, timeout=5)
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        assert 1 <= wait <= 2
        error = refused.json()["errors"][0]
        assert error["status"] == "429" and error["title"] == "Too Many Requests"
        # Each key has its own budget.
        assert session.get(url, headers={"X-Api-Key": other}, timeout=5).status_code == 200
        time.sleep(wait)
        assert session.get(url, headers={"X-Api-Key": key}, timeout=5).status_code == 200
        session.close()


def test_default_rate_limit_is_ten_per_five_seconds(tmp_path: Path) -> None:
    key = create_key(tmp_path)
    with start_sandbox(tmp_path) as sandbox:
        health = requests.get(sandbox.base_url + "/healthz", timeout=5).json()
        assert health["rate_limit"] == "10/5"
        url = sandbox.base_url + REC + "/fuel_types"
        with requests.Session() as session:
            codes = [
                session.get(url, headers={"X-Api-Key": key}, timeout=5).status_code
                for _ in range(11)
            ]
        assert codes == [200] * 10 + [429]


def test_foreground_command_reports_its_port_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("Ctrl+C cannot be sent to a child process this way on Windows")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "desktop",
        "sandbox",
        "--port",
        "0",
        "--data-dir",
        str(tmp_path),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().decode()
        assert "Sandbox registry on http://127.0.0.1:" in line
        port = int(line.split("127.0.0.1:")[1].split()[0])
        deadline = time.monotonic() + 10
        while True:  # the line is printed just before uvicorn starts accepting
            try:
                assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert (tmp_path / "sandbox" / "sandbox.sqlite3").exists()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=15)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err.decode()
    assert "stopped" in out.decode()


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with start_sandbox(tmp_path / "one", rate_limit=None) as first:
        with pytest.raises(SandboxError, match="Cannot listen"):
            start_sandbox(tmp_path / "two", port=first.port, timeout=10)
        assert first.is_running()
    assert not first.is_running()
