"""Opening the draft store: SQLite settings, migrations with a backup first, health checks.

Settings per engineering-notes.md: WAL, synchronous=FULL, busy_timeout, foreign keys, and
BEGIN IMMEDIATE for every transaction (a deferred transaction that reads then writes fails at
once with "database is locked", whatever the timeout).
"""

from __future__ import annotations

import ast
import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from desktop.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(path: Path) -> Engine:
    # NullPool: a connection per unit of work, so no connection outlives a fork or a thread.
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writes take the write lock at BEGIN (a deferred transaction that reads then writes
        # fails at once). Reads begin deferred: in WAL mode they never wait for a writer, so
        # the window can list drafts while a background job commits.
        reading = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


READ_ONLY = "registry_desk_read_only"


def reading(engine: Engine) -> Connection:
    """A connection for reads only (`with reading(engine) as conn:`); see `_on_begin`."""
    return engine.execution_options(**{READ_ONLY: True}).connect()


if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only when migrating

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def head_revisions() -> frozenset[str]:
    """The newest revision of each branch, read from the migration files themselves.

    Alembic (with Mako) costs about 0.1 s to import; reading two assignments per file lets a
    store that is already current open without it. A test checks this agrees with Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        values: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name in ("revision", "down_revision"):
                    values[name] = ast.literal_eval(node.value)
        revisions.add(values["revision"])
        down = values.get("down_revision")
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


def current_revisions(engine: Engine) -> set[str]:
    with reading(engine) as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version"))
        except OperationalError:
            return set()  # a new, empty store
        return {r[0] for r in rows}


def migrate(engine: Engine, path: Path, backups: Path) -> Path | None:
    """Bring the schema to the newest revision; back the file up first if it holds data.

    Returns the backup's path when one was made.
    """
    current = current_revisions(engine)
    if current == head_revisions():
        return None
    from alembic import command  # noqa: PLC0415 - see head_revisions

    backup = None
    if current and path.exists():
        backup = backup_file(path, backups, reason="pre-migrate")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    return backup


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


def quick_check(path: Path) -> str:
    """'ok', or SQLite's first complaint. Never raises for a damaged file."""
    if not path.exists():
        return "ok"
    try:
        conn = sqlite3.connect(path)
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "no answer"


def restore_backup(backup: Path, path: Path) -> None:
    """Replace the store file by a backup; the damaged file is kept beside it, never deleted."""
    if not backup.is_file():
        raise StoreError(f"The backup {backup.name} does not exist.")
    if path.exists():
        path.replace(path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    copy_database(backup, path)
