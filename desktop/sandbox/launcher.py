"""Start the sandbox in a background process (for tests and the app) and make API keys.

    with start_sandbox(tmp_path, port=0, rate_limit="off") as sandbox:
        key = create_key(tmp_path)
        requests.get(sandbox.base_url + "/v1/public/rec/generators", headers={"X-Api-Key": key})

The child is `python -m desktop.sandbox`; it writes the port it bound to a file, and
`start_sandbox` returns once `/healthz` answers. A child still running when this process exits
is stopped by an atexit hook; and since its stdin is a pipe only this process writes to, the
child also ends when this process is killed outright (see server.py), so neither a failed test
run nor a killed window leaves a server behind.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType

from desktop.sandbox.ratelimit import RateLimit
from desktop.sandbox.server import HOST, SandboxError
from desktop.sandbox.store import create_key, folder_id

__all__ = ["SandboxError", "SandboxProcess", "create_key", "folder_id", "start_sandbox"]

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds `desktop/`
LOG_NAME = "sandbox.log"


@dataclass
class SandboxProcess:
    """A running sandbox server child process."""

    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> int | None:
        """Ask the server to finish (SIGINT, like Ctrl+C); kill it if it does not."""
        if self._stopped:
            return self.process.returncode
        self._stopped = True
        atexit.unregister(self.stop)
        if self.process.stdin is not None:
            self.process.stdin.close()  # the child's cue, should the signal not arrive
        if self.process.poll() is None:
            if os.name == "nt":
                self.process.terminate()
            else:
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_sandbox(
    data_dir: Path | str,
    port: int = 0,
    *,
    rate_limit: str | RateLimit | None = "10/5",
    today: date | None = None,
    timeout: float = 20.0,
    python: str | None = None,
) -> SandboxProcess:
    """Start a sandbox over `data_dir` on 127.0.0.1:`port` (0 = a free port) and wait for it.

    `rate_limit` is "N/SECONDS", a RateLimit, or None/"off" for no limit. `today` pins the
    date the registry uses for date feasibility and "not in the future" checks.
    Raises SandboxError (with the child's log) when it does not come up within `timeout`.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    port_file = data_dir / f".port-{uuid.uuid4().hex}"
    log_path = data_dir / LOG_NAME
    limit = "off" if rate_limit is None else str(rate_limit)
    command = [
        python or sys.executable,
        "-m",
        "desktop.sandbox",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        "--port-file",
        str(port_file),
        "--rate-limit",
        limit,
        "--parent-pipe",
    ]
    if today is not None:
        command += ["--today", today.isoformat()]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONUNBUFFERED"] = "1"
    with log_path.open("ab") as log:
        # stdin=PIPE: the write end stays here (not inheritable), so it closes when we die
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=env
        )
    deadline = time.monotonic() + timeout
    try:
        bound = _wait_for_port(process, port_file, deadline, log_path)
        sandbox = SandboxProcess(process, bound, data_dir, log_path)
        _wait_for_health(sandbox, deadline)
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdin is not None:
            process.stdin.close()
        raise
    finally:
        port_file.unlink(missing_ok=True)
    atexit.register(sandbox.stop)
    return sandbox


def _log_tail(log_path: Path) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
    except OSError:
        return ""


def _wait_for_port(
    process: subprocess.Popen[bytes], port_file: Path, deadline: float, log_path: Path
) -> int:
    while time.monotonic() < deadline:
        if port_file.exists():
            text = port_file.read_text(encoding="ascii").strip()
            if text.isdigit():
                return int(text)
        if process.poll() is not None:
            raise SandboxError(
                f"The sandbox exited with status {process.returncode}: {_log_tail(log_path)}"
            )
        time.sleep(0.05)
    raise SandboxError(f"The sandbox did not report its port in time: {_log_tail(log_path)}")


# Loopback never goes through a proxy, whatever HTTP_PROXY says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_for_health(sandbox: SandboxProcess, deadline: float) -> None:
    url = sandbox.base_url + "/healthz"
    while time.monotonic() < deadline:
        try:
            with _DIRECT.open(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if not sandbox.is_running():
            raise SandboxError(f"The sandbox stopped: {_log_tail(sandbox.log_path)}")
        time.sleep(0.05)
    raise SandboxError(f"The sandbox did not answer {url} in time.")
