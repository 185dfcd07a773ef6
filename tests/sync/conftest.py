"""Sync test fixtures: a real sandbox process on 127.0.0.1 and keys (the keyrings are in
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.config import Settings
from desktop.sandbox.launcher import SandboxProcess, create_key, start_sandbox
from desktop.store import Store
from desktop.sync.client import ClientConfig, RegistryClient
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from desktop.sync.ratelimit import Limit, RateLimiter
from tests.sync.helpers import TODAY


@pytest.fixture(scope="session")
def sandbox_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sync-sandbox")


@pytest.fixture(scope="session")
def sandbox(sandbox_dir: Path) -> Iterator[SandboxProcess]:
    """One unlimited sandbox for the session (rate-limit tests start their own)."""
    with start_sandbox(sandbox_dir, port=0, rate_limit=None, today=TODAY) as running:
        yield running


@pytest.fixture(scope="session")
def api_key(sandbox_dir: Path) -> str:
    return create_key(sandbox_dir, label="sync tests")


def fast_config(base_url: str, key: str, **extra: Any) -> ClientConfig:
    """Short timeouts and back-off so that fault tests finish in seconds."""
    values: dict[str, Any] = {
        "connect_timeout": 2.0,
        "read_timeout": 1.5,
        "backoff_base": 0.05,
        "backoff_max": 0.5,
        "max_attempts": 8,
    }
    values.update(extra)
    return ClientConfig(base_url=base_url, api_key=key, **values)


UNLIMITED = Limit(1000, 1.0)


def fast_client(
    base_url: str, key: str, *, limit: Limit = UNLIMITED, **extra: Any
) -> RegistryClient:
    config = fast_config(base_url, key, limit=limit, **extra)
    return RegistryClient(config, limiter=RateLimiter(limit))


@pytest.fixture
def client(sandbox: SandboxProcess, api_key: str) -> Iterator[RegistryClient]:
    c = fast_client(sandbox.base_url, api_key)
    yield c
    c.close()


@pytest.fixture
def settings(data_dir: Path, sandbox: SandboxProcess) -> Settings:
    s = Settings.load(data_dir / "settings.json")
    s.set(LOCAL_URL_SETTING, sandbox.base_url)
    s.set(RATE_LIMIT, "1000/1")  # the session sandbox has no limit; tests need not wait
    return s


@pytest.fixture
def sync_store(store: Store) -> Store:
    return store
