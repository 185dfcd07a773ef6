"""The SQLAlchemy engine on the store file, and migrations with a backup first.

Settings per engineering-notes.md: WAL, synchronous=FULL, busy_timeout, foreign keys, and
BEGIN IMMEDIATE for every transaction (a deferred transaction that reads then writes fails at
once with "database is locked", whatever the timeout).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, ExceptionContext, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from desktop.errors import StoreError
from desktop.store.files import (
    MIGRATIONS,
    backup_file,
    connect_read,
    head_revisions,
    read_only_error,
)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """`read_only`: the data folder cannot be written; every connection is read-only and a
    write is refused at BEGIN with StoreReadOnlyError (see `desktop.store.open_store`)."""
    if read_only:
        # NullPool: a connection per unit of work, so no connection outlives a fork or a thread.
        engine = create_engine("sqlite://", creator=lambda: connect_read(path), poolclass=NullPool)
    else:
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        if not read_only:  # both write to the file
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
        if read_only and not reading:
            raise read_only_error(path.parent)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # A full disk is the user's to fix, not a bug: say how much room and where. SQLite has
        # rolled the transaction back, so nothing was half-written.
        orig = context.original_exception
        if getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise disk_full_error(path, _bytes_in(context.parameters)) from None

    return engine


def _bytes_in(parameters: Any) -> int:
    """What the failed statement was writing: the text and bytes of its parameters (one set,
    or the many of an executemany)."""
    if isinstance(parameters, dict):
        parameters = parameters.values()
    if isinstance(parameters, str | bytes):
        return len(parameters.encode() if isinstance(parameters, str) else parameters)
    if isinstance(parameters, Iterable):
        return sum(_bytes_in(p) for p in parameters)
    return 8 if parameters is not None else 0


def disk_full_error(store: Path, writing: int) -> StoreError:
    """The disk holding the store is full. The room asked for: what was being written, twice
    (the write-ahead log, then the file itself when the log is folded in) with its indexes, and
    at least 8 MB so that the next few edits fit too."""
    need = max(3 * writing, 8 * 2**20)
    try:
        # The log's growth is given back when the failed transaction is undone.
        log = store.with_name(store.name + "-wal")
        free = shutil.disk_usage(store.parent).free + (log.stat().st_size if log.exists() else 0)
    except OSError:
        free = 0
    return StoreError(
        f"The disk holding the data folder {store.parent} is full: saving this needs about "
        f"{_megabytes(need)} of free space there, and {_megabytes(free)} is free. Nothing was "
        "saved and nothing was lost; free some space on that disk, then try again.",
    )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size < 10 * 2**20 else f"{size / 2**20:,.0f} MB"


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
