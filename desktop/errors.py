"""Known errors: problems of the environment or the input that the user can act on.

Anything raised that is not a `KnownError` is a bug and reaches the crash dialog. A known
error carries one plain sentence that says what happened and what to do; `where` locates it
(a file, a row, a field) when that helps. This module imports nothing from desktop, so every
layer may use it.
"""

from __future__ import annotations


class KnownError(Exception):
    """A problem to explain to the user, not a bug."""

    exit_code = 1

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(KnownError):
    """The command line or a call was used wrongly."""

    exit_code = 2


class InputError(KnownError):
    """A file or value given by the user cannot be used as it is."""


class StoreError(KnownError):
    """The draft store cannot be opened or written (locked, damaged, disk full)."""


class StoreLockedError(StoreError):
    """Another Registry Desk process is editing the same store (`holder_pid`, `holder_role`:
    "window" or "command line", when it said)."""

    holder_pid: int | None = None
    holder_role: str = ""


class StoreReadOnlyError(StoreError):
    """The data folder cannot be written (a read-only mount or folder): reads still work."""


class NotFoundError(KnownError):
    """A named draft, generator or record does not exist."""


class RegistryError(KnownError):
    """The registry refused or could not be reached; subclasses say which."""


class AuthError(RegistryError):
    """The API key is missing or was refused."""


class OfflineError(RegistryError):
    """The registry could not be reached; the work stays queued."""


class CredentialStoreError(KnownError):
    """No secure keyring is available on this machine."""
