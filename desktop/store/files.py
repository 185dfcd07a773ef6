"""The store's file, handled with the standard library alone: its health, its schema revision,
its backups.

Opening a store that is already current needs nothing more, so the window can paint before
SQLAlchemy (about 0.13 s to import) loads; see `desktop.store.Store`.
"""

from __future__ import annotations

import ast
import os
import shutil
import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import Any

from desktop.errors import StoreError, StoreReadOnlyError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@cache
def head_revisions() -> frozenset[str]:
    """The newest revision of each branch, read from the migration files themselves.

    Alembic (with Mako) costs about 0.1 s to import; reading two assignments per file lets a
    store that is already current open without it. A test checks this agrees with Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in _migration_files():
        values = _revision_values(path)
        revisions.add(values["revision"])
        down = values.get("down_revision")
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this version's migrations know; a store at another one was written by
    a newer version."""
    return frozenset(_revision_values(path)["revision"] for path in _migration_files())


def _migration_files() -> list[Path]:
    return sorted((MIGRATIONS / "versions").glob("*.py"))


def _revision_values(path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("revision", "down_revision"):
                values[name] = ast.literal_eval(node.value)
    return values


def folder_read_only(folder: Path) -> bool:
    """True when files cannot be made in `folder` (a read-only mount, or no permission)."""
    return folder.is_dir() and not os.access(folder, os.W_OK)


def read_only_error(folder: Path) -> StoreReadOnlyError:
    """What every write says when the data folder cannot be written."""
    return StoreReadOnlyError(
        f"The data folder {folder} is read-only, so nothing can be changed in it: drafts can "
        "be read, listed and exported. To edit, make the folder writable (or copy it to one "
        "that is and start with --data-dir)."
    )


def connect_read(path: Path) -> sqlite3.Connection:
    """A read-only connection, also in a folder that cannot be written.

    A store in WAL mode needs its -shm index to be read, which SQLite makes beside the file;
    where it cannot (a read-only folder, after a clean exit removed it) the file is opened
    `immutable`, which is true there: nothing can change a file in a folder nobody can write.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not isinstance(exc, sqlite3.OperationalError) or not path.is_file():
            raise
    if folder_read_only(path.parent):
        return sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True, timeout=5)
    return sqlite3.connect(path, timeout=5)  # a writable folder: an ordinary connection


def stored_revisions(path: Path) -> set[str]:
    """The revisions the file is at (empty for a new or empty file); never raises."""
    if not path.exists():
        return set()
    try:
        conn = connect_read(path)
        try:
            return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()  # no table yet: migrating creates it (and reports a damaged file)


def backup_file(path: Path, backups: Path, *, reason: str) -> Path:
    """A consistent copy through SQLite's online backup API (safe while others read)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = backups / f"{path.stem}-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = backups / f"{path.stem}-{stamp}-{reason}-{n}.sqlite3"
    tmp = target.with_suffix(".tmp")
    copy_database(path, tmp)
    tmp.replace(target)
    return target


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while others read the source."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def list_backups(backups: Path) -> list[Path]:
    """Newest first."""
    if not backups.is_dir():
        return []
    return sorted(backups.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)


def rotate_backups(backups: Path, keep: int) -> None:
    for old in list_backups(backups)[keep:]:
        old.unlink(missing_ok=True)


def damage_reason(status: str) -> str:
    """quick_check's first telling line ("*** in database main ***" tells nothing)."""
    lines = [line.strip() for line in status.splitlines() if line.strip()]
    return next((line for line in lines if not line.startswith("***")), status.strip())


def quick_check(path: Path) -> str:
    """'ok', or SQLite's first complaint. Never raises for a damaged file.

    Read-only: the last connection to close folds the write-ahead log into the file, and a
    damaged file must keep its log (it may hold the newest edits) for recovery to read.
    """
    if not path.exists():
        return "ok"
    try:
        row = _quick_check(connect_read(path))
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "no answer"


def _quick_check(conn: sqlite3.Connection) -> Any:
    try:
        return conn.execute("PRAGMA quick_check").fetchone()
    finally:
        conn.close()


def restore_backup(backup: Path, path: Path) -> None:
    """Replace the store file by a backup; the replaced file is kept beside it, never deleted.

    The backup is copied next to the store first and moved into place in one step, so a crash
    midway leaves either the old store or the restored one, never no store (which the next
    start would take for a new, empty one).
    """
    if not backup.is_file():
        raise StoreError(f"The backup {backup.name} does not exist.")
    fresh = path.with_name(path.name + ".restoring")
    fresh.unlink(missing_ok=True)  # left by an interrupted restore
    copy_database(backup, fresh)
    kept = damaged_name(path)
    if path.exists():
        keep_beside(path, kept)
    else:
        move_sidecars(path, kept)  # a log without its file must not be applied to the backup
    os.replace(fresh, path)


def keep_beside(path: Path, kept: Path) -> None:
    """A second name for a store file about to be replaced (a copy where hard links are not
    supported), so the store is never missing; its sidecars move with it, as a -wal left
    beside the new file would be applied to it."""
    try:
        os.link(path, kept)
    except OSError:
        tmp = kept.with_name(kept.name + ".tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, kept)
    move_sidecars(path, kept)


SIDECARS = ("-wal", "-shm")


def damaged_name(path: Path) -> Path:
    """Where a damaged or replaced store file is kept: `drafts.sqlite3.damaged-YYYYmmdd-HHMMSS`
    beside it (never over an earlier one)."""
    base = f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
    kept, n = path.with_name(base), 1
    while kept.exists() or any(kept.with_name(kept.name + s).exists() for s in SIDECARS):
        n += 1
        kept = path.with_name(f"{base}-{n}")
    return kept


def move_sidecars(path: Path, kept: Path) -> None:
    """Move the store's -wal and -shm files to go with `kept` (SQLite opens a file with the
    sidecars of the same name, so the kept file and its log stay readable together). A -wal
    left beside another file would be applied to it and damage it."""
    for suffix in SIDECARS:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
