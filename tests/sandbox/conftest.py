"""Fixtures for the sandbox registry tests: one real server process for the session, on
127.0.0.1, over a temporary folder, with "today" pinned so that date rules are testable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox.launcher import SandboxProcess, create_key, start_sandbox
from tests.sandbox.jsonapi_helpers import TODAY, Api


@pytest.fixture(scope="session")
def sandbox_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sandbox")


@pytest.fixture(scope="session")
def sandbox(sandbox_dir: Path) -> Iterator[SandboxProcess]:
    with start_sandbox(sandbox_dir, port=0, rate_limit=None, today=TODAY) as running:
        yield running


@pytest.fixture(scope="session")
def api_key(sandbox_dir: Path) -> str:
    return create_key(sandbox_dir, label="tests")


@pytest.fixture
def api(sandbox: SandboxProcess, api_key: str, sandbox_dir: Path) -> Iterator[Api]:
    client = Api(sandbox.base_url, api_key, sandbox_dir)
    yield client
    client.session.close()
