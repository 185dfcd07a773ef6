"""The "local sandbox" target: a practice registry that Registry Desk starts on this machine.

decisions.md: the local sandbox (http://127.0.0.1:8765) is started by Registry Desk itself, so a
new user can practise the whole cycle with nothing set up. Its data lives in `<data dir>/sandbox`
(the same folder `registry-desk sandbox` uses), and a key is made for it the first time and kept
in the keyring like any other key.

Each sandbox folder has an identity that `/healthz` answers with. A server on the configured
port is used only when it is this data folder's own; when the port is held by another (another
data folder's sandbox, one left behind, another program), this folder's sandbox starts on a
free port, and that address is kept in the `registry.local_url` setting. A key the sandbox
refuses (it was made for another sandbox folder) is made again for this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from desktop.sandbox.launcher import (
    SandboxError,
    SandboxProcess,
    create_key,
    folder_id,
    start_sandbox,
)
from desktop.sync import credentials
from desktop.sync.client import is_loopback, proxies_for
from desktop.sync.connection import LOCAL, LOCAL_URL_SETTING, target_named
from desktop.sync.endpoints import endpoint

SANDBOX_FOLDER = "sandbox"


class WritableSettings(Protocol):
    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


@dataclass
class LocalSandbox:
    url: str
    process: SandboxProcess | None  # None: this folder's sandbox was already answering
    key_created: bool
    notices: list[str] = field(default_factory=list)  # what the user should be told

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


def identity(url: str) -> str | None:
    """The sandbox folder ID that answers at `url`: None when nothing answers, "" when
    something answers that is not a sandbox with an identity."""
    try:
        answer = requests.get(f"{url}/healthz", timeout=(1.0, 2.0), proxies=proxies_for(url))
    except requests.RequestException:
        return None
    if not answer.ok:
        return ""
    try:
        body = answer.json()
    except ValueError:
        return ""
    return str(body.get("sandbox_id") or "") if isinstance(body, dict) else ""


def answering(url: str) -> bool:
    return identity(url) is not None


def key_refused(url: str, key: str) -> bool:
    """True when the sandbox at `url` answers 401 to `key` (one light request)."""
    ep = endpoint("fuel_sources.list")
    try:
        answer = requests.get(
            url + ep.path,
            params={"page[size]": 1, "page[number]": 1},
            headers={"X-Api-Key": key},
            timeout=(1.0, 5.0),
            proxies=proxies_for(url),
        )
    except requests.RequestException:
        return False  # cannot tell; the connection check reports it
    return answer.status_code == 401


def ensure_running(data_dir: Path, settings: WritableSettings) -> LocalSandbox | None:
    """Make sure this data folder's practice registry answers when the target is the local
    sandbox, and that the saved key works with it.

    Returns None for other targets. Raises SandboxError when it cannot start at all.
    """
    target = target_named(settings)
    if target.name != LOCAL:
        return None
    parts = urlsplit(target.url)
    if not is_loopback(target.url) or parts.port is None:
        return None  # a local sandbox URL the user pointed elsewhere: theirs to run
    folder = data_dir / SANDBOX_FOLDER
    ours = folder_id(folder)
    url = target.url
    process: SandboxProcess | None = None
    notices: list[str] = []
    found = identity(url)
    if found != ours:
        if found is None:
            try:
                process = start_sandbox(folder, port=parts.port)
            except SandboxError:
                if identity(url) != ours:  # not ours winning a race for the port
                    process = start_sandbox(folder, port=0)
        else:
            process = start_sandbox(folder, port=0)
        if process is not None and process.port != parts.port:
            url = process.base_url
            settings.set(LOCAL_URL_SETTING, url)
            notices.append(
                f"Port {parts.port} is held by another program (another data folder's practice "
                f"registry, or one left behind), so this data folder's practice registry runs at "
                f"{url}; Settings → Registry connection keeps that address."
            )
    created = False
    key = credentials.get_key(LOCAL)
    if key is None:
        credentials.save_key(LOCAL, create_key(folder, "Registry Desk"))
        created = True
    elif key_refused(url, key):
        credentials.save_key(LOCAL, create_key(folder, "Registry Desk"))
        created = True
        notices.append(
            "The local practice registry did not know the saved API key (it was made for "
            "another sandbox folder); a new key was made for it and saved in the keyring."
        )
    return LocalSandbox(url, process, created, notices)
