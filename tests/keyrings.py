"""Keyring back-ends for tests: one that keeps secrets in memory as a secure OS keyring would,
and a way to install a back-end for the length of a test (the fixtures are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A secure-looking backend that keeps secrets in a dict (tests only)."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@contextmanager
def using_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """`backend` as the keyring, with no key remembered from before or kept after."""
    from desktop.sync import credentials

    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    credentials.clear_session()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
        credentials.clear_session()
