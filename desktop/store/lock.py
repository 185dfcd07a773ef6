"""One editing process per store.

An OS advisory lock on `<store>.lock` (flock on POSIX, msvcrt on Windows): the OS releases it
when the holder dies, so a crash never leaves a stale lock. The holder's PID and role ("window"
or "command line") are written into the file so that a second process can say who holds the
store. Reading needs no lock (WAL readers never wait for the writer): only editing takes it, and
a command may wait for it (`--wait SECONDS`, docs/cli.md).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import IO

from desktop.errors import StoreLockedError

WINDOW = "window"
COMMAND_LINE = "command line"
_HOLDERS = {WINDOW: "the Registry Desk window", COMMAND_LINE: "a registry-desk command"}
_ADVICE = {
    WINDOW: "Close that window first, or start with --data-dir to use another store.",
    COMMAND_LINE: "Close the window (or let the command finish), or run the command again "
    "with --wait SECONDS to wait until the store is free.",
}


class StoreLock:
    def __init__(self, path: Path, *, role: str = COMMAND_LINE) -> None:
        self.path = path
        self.role = role
        self._fh: IO[str] | None = None

    def acquire(self, *, wait: float = 0.0) -> None:
        """Take the lock, trying again for up to `wait` seconds while another process holds
        it; StoreLockedError names the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the process' life
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                _lock(fh)
                break
            except OSError:
                if time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                fh.seek(0)
                holder = fh.read()
                fh.close()
                raise self._locked(holder, wait) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n{self.role}\n")
        fh.flush()
        self._fh = fh

    def _locked(self, holder: str, wait: float) -> StoreLockedError:
        pid, _, role = holder.strip().partition("\n")
        who = _HOLDERS.get(role.strip(), "another Registry Desk")
        process = f" (process {pid})" if pid.strip().isdigit() else ""
        seconds = f"{wait:g} second{'s' * (wait != 1)}"
        waited = f" It was still in use after waiting {seconds}." if wait > 0 else ""
        error = StoreLockedError(
            f"The draft store is open in {who}{process}.{waited} "
            + _ADVICE.get(self.role, _ADVICE[COMMAND_LINE]),
            where=str(self.path.parent),
        )
        error.holder_pid = int(pid) if pid.strip().isdigit() else None
        error.holder_role = role.strip()
        return error

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
