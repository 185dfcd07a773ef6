"""The SQLite draft store: the only package that imports SQLAlchemy.

`open_store(data_dir)` checks the file, migrates it (backing it up first), takes the one-editor
lock and returns a `Store` with its repositories.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from desktop.config import Paths, default_data_dir
from desktop.errors import StoreError
from desktop.store.documents import Documents
from desktop.store.drafts import DraftRow, Drafts
from desktop.store.engine import (
    backup_file,
    list_backups,
    make_engine,
    migrate,
    quick_check,
    restore_backup,
    rotate_backups,
)
from desktop.store.ledger import Ledgers
from desktop.store.lock import StoreLock
from desktop.store.units import Units

__all__ = ["DraftRow", "Store", "StoreDamagedError", "open_store"]


class StoreDamagedError(StoreError):
    """quick_check failed; the caller may offer the newest backup."""

    def __init__(self, message: str, *, path: Path, backups: list[Path]) -> None:
        super().__init__(message, where=str(path))
        self.path = path
        self.backups = backups


@dataclass
class Store:
    paths: Paths
    engine: Engine
    lock: StoreLock | None
    drafts: Drafts = field(init=False)
    units: Units = field(init=False)
    documents: Documents = field(init=False)
    ledgers: Ledgers = field(init=False)
    migration_backup: Path | None = None

    def __post_init__(self) -> None:
        self.drafts = Drafts(self.engine)
        self.units = Units(self.engine)
        self.documents = Documents(self.engine)
        self.ledgers = Ledgers(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for a whole user action (pass the connection to repositories)."""
        with self.engine.begin() as conn:
            yield conn

    def backup(self, reason: str = "manual") -> Path:
        return backup_file(self.paths.store, self.paths.backups, reason=reason)

    def close(self, *, backup_keep: int | None = None) -> None:
        """Clean exit: optionally a rotated backup, then release the lock."""
        try:
            if backup_keep:
                self.backup("exit")
                rotate_backups(self.paths.backups, backup_keep)
        finally:
            self.engine.dispose()
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(data_dir: Path | None = None, *, lock: bool = True) -> Store:
    paths = Paths(data_dir or default_data_dir())
    try:
        paths.ensure()
    except OSError as exc:
        raise StoreError(
            f"The data folder cannot be created: {exc.strerror}.", where=str(paths.root)
        ) from None
    store_lock = StoreLock(paths.store.with_name(paths.store.name + ".lock")) if lock else None
    if store_lock is not None:
        store_lock.acquire()
    try:
        status = quick_check(paths.store)
        if status != "ok":
            raise StoreDamagedError(
                f"The draft store is damaged ({status}). Restore the newest backup to go on.",
                path=paths.store,
                backups=list_backups(paths.backups),
            )
        engine = make_engine(paths.store)
        try:
            backup = migrate(engine, paths.store, paths.backups)
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(
                f"The draft store cannot be opened: {exc.orig}.", where=str(paths.store)
            ) from None
    except BaseException:
        if store_lock is not None:
            store_lock.release()
        raise
    return Store(paths=paths, engine=engine, lock=store_lock, migration_backup=backup)


def restore_newest_backup(data_dir: Path) -> Path:
    paths = Paths(data_dir)
    backups = list_backups(paths.backups)
    if not backups:
        raise StoreError("There is no backup to restore.", where=str(paths.backups))
    restore_backup(backups[0], paths.store)
    return backups[0]
