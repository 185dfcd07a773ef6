"""The API key: in the OS keyring, or for this run only, and nowhere else.

A keyring backend that is not secure storage (`fail.Keyring`, `null.Keyring`, anything from
`keyrings.alt`, which writes secrets to a file in clear) is treated as *no keyring*: the key is
then kept in this process's memory for the session and `storage_note()` says so for the
window's banner (engineering-notes.md; architecture.md rule 6). Every key this module sees is
registered with desktop.redact so that logs and crash reports show `[redacted]` instead.

`REGISTRY_DESK_API_KEY` in the environment wins over both (for the command line and scripts).
"""

from __future__ import annotations

import contextlib
import os
import threading

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from desktop.errors import CredentialStoreError
from desktop.redact import register_secret

SERVICE = "Registry Desk"
ENV_KEY = "REGISTRY_DESK_API_KEY"
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

_session: dict[str, str] = {}
_lock = threading.Lock()


def _account(target: str) -> str:
    return f"api-key:{target}"


def _secure(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: secure only through a secure member
        return any(_secure(child) for child in children)
    return True


def secure_storage_available() -> bool:
    try:
        return _secure(keyring.get_keyring())
    except Exception:  # a broken backend (D-Bus gone, locked wallet) is no storage
        return False


def backend_name() -> str:
    try:
        backend = keyring.get_keyring()
    except Exception:  # only used for a label
        return "none"
    return f"{type(backend).__module__}.{type(backend).__name__}"


def storage_note() -> str | None:
    """A sentence for the banner when keys cannot be kept between runs; None when they can."""
    if secure_storage_available():
        return None
    return (
        "No secure keyring is available on this computer, so the API key is kept only until "
        "Registry Desk closes; you will be asked for it again next time."
    )


def save_key(target: str, key: str) -> bool:
    """Keep `key` for `target`. True: in the OS keyring; False: for this session only."""
    key = key.strip()
    if not key:
        raise CredentialStoreError("The API key is empty; paste the key from the registry.")
    register_secret(key)
    with _lock:
        _session[target] = key
    if not secure_storage_available():
        return False
    try:
        keyring.set_password(SERVICE, _account(target), key)
    except keyring.errors.KeyringError:
        return False  # locked or refused: the session copy still works, the banner says so
    return True


def get_key(target: str) -> str | None:
    """The key for `target`: the environment, this session's copy, then the keyring."""
    env = os.environ.get(ENV_KEY, "").strip()
    if env:
        register_secret(env)
        return env
    with _lock:
        if target in _session:
            return _session[target]
    if not secure_storage_available():
        return None
    try:
        key = keyring.get_password(SERVICE, _account(target))
    except keyring.errors.KeyringError:
        return None
    if key:
        register_secret(key)
        with _lock:
            _session[target] = key
    return key or None


def forget_key(target: str) -> None:
    """Remove the key (after the registry refused it, or when the user clears it)."""
    with _lock:
        _session.pop(target, None)
    if secure_storage_available():
        with contextlib.suppress(keyring.errors.KeyringError):  # nothing stored: forgotten
            keyring.delete_password(SERVICE, _account(target))


def clear_session() -> None:
    """Forget every session copy (tests; sign-out)."""
    with _lock:
        _session.clear()
