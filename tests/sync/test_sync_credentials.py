"""The API key: OS keyring when secure, this session only otherwise, never anywhere else."""

from __future__ import annotations

import pytest

from desktop.errors import CredentialStoreError
from desktop.redact import redact
from desktop.sync import credentials
from tests.keyrings import MemoryKeyring


def test_the_key_lives_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    assert credentials.secure_storage_available() and credentials.storage_note() is None
    assert credentials.save_key("M-RETS sandbox", "  sbx_abcdef123  ") is True
    assert memory_keyring.secrets == {("Registry Desk", "api-key:M-RETS sandbox"): "sbx_abcdef123"}
    credentials.clear_session()  # a new run
    assert credentials.get_key("M-RETS sandbox") == "sbx_abcdef123"
    assert credentials.get_key("production") is None
    assert redact("key=sbx_abcdef123") == "key=[redacted]"
    credentials.forget_key("M-RETS sandbox")
    assert memory_keyring.secrets == {} and credentials.get_key("M-RETS sandbox") is None


def test_without_a_keyring_the_key_is_kept_for_this_run_only(no_keyring: None) -> None:
    assert not credentials.secure_storage_available()
    assert "only until Registry Desk closes" in (credentials.storage_note() or "")
    assert credentials.save_key("local sandbox", "sbx_session_only") is False
    assert credentials.get_key("local sandbox") == "sbx_session_only"
    credentials.clear_session()  # the next run
    assert credentials.get_key("local sandbox") is None


def test_plaintext_backends_count_as_no_keyring(memory_keyring: MemoryKeyring) -> None:
    import keyring

    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    assert not credentials.secure_storage_available()
    assert credentials.save_key("local sandbox", "sbx_never_on_disk") is False


def test_the_environment_wins(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials.save_key("local sandbox", "sbx_from_keyring")
    monkeypatch.setenv("REGISTRY_DESK_API_KEY", "sbx_from_env")
    assert credentials.get_key("local sandbox") == "sbx_from_env"


def test_an_empty_key_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(CredentialStoreError):
        credentials.save_key("local sandbox", "   ")
