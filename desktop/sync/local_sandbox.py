"""The "local sandbox" target: a practice registry that Registry Desk starts on this machine.

decisions.md: the local sandbox (http://127.0.0.1:8765) is started by Registry Desk itself, so a
new user can practise the whole cycle with nothing set up. Its data lives in `<data dir>/sandbox`
(the same folder `registry-desk sandbox` uses), and a key is made for it the first time and kept
in the keyring like any other key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from desktop.sandbox.launcher import SandboxError, SandboxProcess, create_key, start_sandbox
from desktop.sync import credentials
from desktop.sync.client import proxies_for
from desktop.sync.connection import LOCAL, SettingsLike, target_named

SANDBOX_FOLDER = "sandbox"


@dataclass
class LocalSandbox:
    url: str
    process: SandboxProcess | None  # None: one was already answering (started by the user)
    key_created: bool

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


def answering(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=(1.0, 2.0), proxies=proxies_for(url)).ok
    except requests.RequestException:
        return False


def ensure_running(data_dir: Path, settings: SettingsLike) -> LocalSandbox | None:
    """Start the practice registry when the target is the local sandbox and nothing answers.

    Returns None for other targets. Raises SandboxError when it cannot start (the port is
    taken by something else, for example); the caller shows that as a message.
    """
    target = target_named(settings)
    if target.name != LOCAL:
        return None
    parts = urlsplit(target.url)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        return None  # a local sandbox URL the user pointed elsewhere: theirs to run
    folder = data_dir / SANDBOX_FOLDER
    process = None
    if not answering(target.url):
        try:
            process = start_sandbox(folder, port=parts.port)
        except SandboxError:
            if not answering(target.url):  # another copy may have won the race for the port
                raise
    created = False
    if credentials.get_key(LOCAL) is None:
        credentials.save_key(LOCAL, create_key(folder, "Registry Desk"))
        created = True
    return LocalSandbox(target.url, process, created)
