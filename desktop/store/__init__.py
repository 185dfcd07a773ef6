"""The SQLite draft store: the only package that imports SQLAlchemy.

`open_store(data_dir)` checks the file, migrates it (backing it up first), takes the one-editor
lock and returns a `Store` with its repositories.

SQLAlchemy loads when the store is first written or read through a repository, not when it
opens: a store that is already current opens with sqlite3 alone, and the drafts list is read
with sqlite3 too, so the window paints first (`bench/startup.py`); `Store.load` then loads the
rest while the user looks at it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.config import Paths, default_data_dir
from desktop.errors import StoreError, StoreReadOnlyError
from desktop.store.draft_rows import DraftRow, list_drafts
from desktop.store.files import (
    backup_file,
    damage_reason,
    damaged_name,
    folder_read_only,
    head_revisions,
    keep_beside,
    known_revisions,
    list_backups,
    quick_check,
    read_only_error,
    restore_backup,
    rotate_backups,
    stored_revisions,
)
from desktop.store.filesystem import network_file_system
from desktop.store.lock import COMMAND_LINE, StoreLock
from desktop.store.records import DamagedRecord, check_records, write_set_aside

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from desktop.store.documents import Documents
    from desktop.store.drafts import Drafts
    from desktop.store.ledger import BoundaryHours, Ledgers
    from desktop.store.salvage import SalvageReport
    from desktop.store.units import Units

__all__ = [
    "DraftRow",
    "Store",
    "StoreDamagedError",
    "StoreNewerError",
    "open_store",
    "recover_store",
    "store_damage",
]


class StoreDamagedError(StoreError):
    """quick_check failed, the file is empty, or (for the window's start-up check) records
    cannot be decoded; the caller may offer recovery (`recover_store`) or the newest backup.
    `reason` is SQLite's complaint or what is wrong; `records` the undecodable records."""

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        backups: list[Path],
        reason: str = "",
        records: list[DamagedRecord] | None = None,
    ) -> None:
        super().__init__(message, where=str(path))
        self.path = path
        self.backups = backups
        self.reason = reason
        self.records = records or []


class StoreNewerError(StoreError):
    """The store's schema is at a revision this version does not know: a newer version wrote
    it. Nothing is changed and no backup is made."""


def store_damage(path: Path, *, records: bool) -> tuple[str, list[DamagedRecord]]:
    """Why the store cannot be used as it is ("" when it can), and its undecodable records
    when `records` (reading every JSON column costs milliseconds, not nothing)."""
    if not path.is_file():
        return "", []
    if path.stat().st_size == 0:
        # SQLite takes an empty file for a new database, but a store is never empty: its
        # first write (the WAL mode) gives it a header. Lost content, not a new store.
        return "the file is empty: 0 bytes", []
    status = quick_check(path)
    if status != "ok":
        return damage_reason(status), []
    if not records:
        return "", []
    found = check_records(path)
    if not found:
        return "", []
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return f"a stored record cannot be read: {found[0].describe()}{more}", found


def _damaged(paths: Paths, reason: str, records: list[DamagedRecord]) -> StoreDamagedError:
    return StoreDamagedError(
        f"The draft store is damaged ({reason}). Run 'registry-desk store recover' "
        "or open the Registry Desk window to recover what can still be read (the window "
        "also offers the newest backup); the damaged file is kept either way.",
        path=paths.store,
        backups=list_backups(paths.backups),
        reason=reason,
        records=records,
    )


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What needs SQLAlchemy: made together, on first use (see the module's doc)."""

    engine: Engine
    drafts: Drafts
    units: Units
    documents: Documents
    ledgers: Ledgers
    boundary_hours: BoundaryHours


class Store:
    """The open store: its paths, the lock, the engine and the repositories (loaded when first
    used, under a lock, because background jobs use the store too)."""

    def __init__(
        self,
        paths: Paths,
        lock: StoreLock | None,
        *,
        engine: Engine | None = None,
        migration_backup: Path | None = None,
        read_only: bool = False,
    ) -> None:
        self.paths = paths
        self.lock = lock
        # The data folder cannot be written: reads work, every write is refused with
        # StoreReadOnlyError (engine.make_engine), and the window says so in a banner.
        self.read_only = read_only
        self.migration_backup = migration_backup
        # The network file system the folder is on, if any: the app warns (filesystem.py).
        self.network_fs = network_file_system(paths.root)
        self._engine = engine  # made by open_store when it migrated, else on first use
        self._loading = threading.Lock()
        self._loaded: _Loaded | None = None

    def load(self) -> None:
        """Load SQLAlchemy and the repositories now rather than at the first edit."""
        self._load()

    def _load(self) -> _Loaded:
        with self._loading:
            if self._loaded is None:
                from desktop.store.documents import Documents  # noqa: PLC0415 - module doc
                from desktop.store.drafts import Drafts  # noqa: PLC0415
                from desktop.store.engine import make_engine  # noqa: PLC0415
                from desktop.store.ledger import BoundaryHours, Ledgers  # noqa: PLC0415
                from desktop.store.units import Units  # noqa: PLC0415

                engine = self._engine or make_engine(self.paths.store, read_only=self.read_only)
                self._engine = engine
                self._loaded = _Loaded(
                    engine,
                    Drafts(engine, self.paths.store),
                    Units(engine),
                    Documents(engine),
                    Ledgers(engine),
                    BoundaryHours(engine),
                )
            return self._loaded

    @property
    def engine(self) -> Engine:
        return self._load().engine

    @property
    def drafts(self) -> Drafts:
        return self._load().drafts

    @property
    def units(self) -> Units:
        return self._load().units

    @property
    def documents(self) -> Documents:
        return self._load().documents

    @property
    def ledgers(self) -> Ledgers:
        return self._load().ledgers

    @property
    def boundary_hours(self) -> BoundaryHours:
        return self._load().boundary_hours

    def list_drafts(self, kind: str, *, trashed: bool = False) -> list[DraftRow]:
        """Live drafts of a kind (or the trash), most recently edited first."""
        return list_drafts(self.paths.store, kind, trashed=trashed)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for a whole user action (pass the connection to repositories)."""
        with self.engine.begin() as conn:
            yield conn

    def backup(self, reason: str = "manual") -> Path:
        if self.read_only:
            raise read_only_error(self.paths.root)
        return backup_file(self.paths.store, self.paths.backups, reason=reason)

    def close(self, *, backup_keep: int | None = None) -> None:
        """Clean exit: optionally a rotated backup, then release the lock."""
        try:
            if backup_keep and not self.read_only:
                self.backup("exit")
                rotate_backups(self.paths.backups, backup_keep)
        finally:
            if self._engine is not None:
                self._engine.dispose()
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    data_dir: Path | None = None,
    *,
    lock: bool = True,
    check_records: bool = False,
    wait: float = 0.0,
    role: str = COMMAND_LINE,
) -> Store:
    """`lock`: take the one-editor lock (for writing), waiting up to `wait` seconds for it;
    `role` says who holds it ("window" or "command line"). Reads need no lock. `check_records`:
    also decode every stored record (the window's start-up check); the command line reads them
    as it goes and names any that cannot be decoded (desktop/store/records.py)."""
    paths = Paths(data_dir or default_data_dir())
    read_only = folder_read_only(paths.root)
    if read_only:
        _check_read_only(paths, lock=lock)
    else:
        try:
            paths.ensure()
        except OSError as exc:
            raise StoreError(
                f"The data folder cannot be created: {exc.strerror}.", where=str(paths.root)
            ) from None
    store_lock = None
    if lock:
        store_lock = StoreLock(paths.store.with_name(paths.store.name + ".lock"), role=role)
        store_lock.acquire(wait=wait)
    try:
        reason, records = store_damage(paths.store, records=check_records)
        if reason:
            raise _damaged(paths, reason, records)
        engine, backup = None, None
        revisions = stored_revisions(paths.store)
        newer = revisions - known_revisions()
        if newer:
            raise StoreNewerError(
                "This store was written by a newer Registry Desk (revision "
                f"{', '.join(sorted(newer))}); install that version or open another data "
                "folder (--data-dir). Nothing was changed.",
                where=str(paths.store),
            )
        if revisions != head_revisions():  # new, or made by an older version
            if read_only:
                raise StoreReadOnlyError(
                    "The draft store was written by an older Registry Desk and must be "
                    f"upgraded, but the data folder {paths.root} is read-only. Make it "
                    "writable and start again, or open another data folder (--data-dir).",
                    where=str(paths.store),
                )
            engine, backup = _migrated(paths)
    except BaseException:
        if store_lock is not None:
            store_lock.release()
        raise
    return Store(paths, store_lock, engine=engine, migration_backup=backup, read_only=read_only)


def _check_read_only(paths: Paths, *, lock: bool) -> None:
    """A read-only data folder: a store there is opened for reading only (no lock: no other
    process can write it either), and only when it exists; asking to edit it is refused."""
    if not paths.store.is_file():
        raise StoreReadOnlyError(
            f"The data folder {paths.root} is read-only and holds no draft store, so none can "
            "be made there. Open another data folder (--data-dir).",
            where=str(paths.root),
        )
    if lock:
        raise read_only_error(paths.root)


def _migrated(paths: Paths) -> tuple[Engine, Path | None]:
    from sqlalchemy.exc import OperationalError  # noqa: PLC0415 - see the module doc

    from desktop.store.engine import make_engine, migrate  # noqa: PLC0415

    engine = make_engine(paths.store)
    try:
        return engine, migrate(engine, paths.store, paths.backups)
    except OperationalError as exc:
        engine.dispose()
        raise StoreError(
            f"The draft store cannot be opened: {exc.orig}.", where=str(paths.store)
        ) from None


def restore_newest_backup(data_dir: Path) -> Path:
    paths = Paths(data_dir)
    backups = list_backups(paths.backups)
    if not backups:
        raise StoreError("There is no backup to restore.", where=str(paths.backups))
    restore_backup(backups[0], paths.store)
    return backups[0]


def recover_store(data_dir: Path, *, wait: float = 0.0, role: str = COMMAND_LINE) -> SalvageReport:
    """Copy what can still be read from a damaged store into a new one and put it in place.

    The damaged file is kept beside it as `drafts.sqlite3.damaged-<stamp>` with its -wal and
    -shm, never deleted. Safe to run again if interrupted: the damaged file stays the store
    until the new one is complete (written as `drafts.sqlite3.recovered`, then moved).
    """
    from desktop.store.salvage import salvage  # noqa: PLC0415 - rarely needed, loads SQLAlchemy

    paths = Paths(data_dir)
    if not paths.store.is_file():
        raise StoreError("There is no draft store to recover.", where=str(paths.store))
    lock = StoreLock(paths.store.with_name(paths.store.name + ".lock"), role=role)
    lock.acquire(wait=wait)
    try:
        for leftover in paths.root.glob(".salvage-*"):  # the work folder of an interrupted run
            shutil.rmtree(leftover, ignore_errors=True)
        recovered = paths.store.with_name(paths.store.name + ".recovered")
        report = salvage(paths.store, recovered)
        kept = damaged_name(paths.store)
        try:
            if report.set_aside:  # beside the kept file, named after it
                report.set_aside_file = kept.with_name(kept.name + ".set-aside.json")
                write_set_aside(report.set_aside, report.set_aside_file)
            keep_beside(paths.store, kept)
            os.replace(recovered, paths.store)
        except OSError as exc:
            raise StoreError(
                f"The recovered store could not be put in place: {exc.strerror or exc}. "
                f"It is kept as {recovered.name}; the damaged store is unchanged.",
                where=str(paths.root),
            ) from None
        report.kept = kept
        return report
    finally:
        lock.release()
