"""The sandbox registry's own SQLite file: schema, connections, API keys.

Stdlib `sqlite3` on purpose: the sandbox is a separate program and must not share the app's
store layer. Every connection runs WAL with a busy timeout, and writers take the lock up front
(`BEGIN IMMEDIATE`) so that the server and the admin commands (approve, reject) can work on the
same file at once without "database is locked" half-way through a transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DB_NAME = "sandbox.sqlite3"
KEY_PREFIX = "sbx_"

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS generators (
    id TEXT PRIMARY KEY,
    mrets_id TEXT NOT NULL UNIQUE,
    facility_name TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    effective_date TEXT,
    dg_group INTEGER NOT NULL DEFAULT 0,
    attributes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS generators_facility ON generators(facility_name);
CREATE TABLE IF NOT EXISTS generator_fuels (
    id TEXT PRIMARY KEY,
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    fuel_source_id TEXT NOT NULL,
    label TEXT,
    percentage REAL,
    eligibilities TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS generator_fuels_generator ON generator_fuels(generator_id);
CREATE TABLE IF NOT EXISTS dg_units (
    id TEXT PRIMARY KEY,
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    status_reason TEXT,
    nameplate_capacity_uw INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dg_units_generator ON dg_units(generator_id);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    dg_unit_id TEXT REFERENCES dg_units(id) ON DELETE SET NULL,
    document_type TEXT NOT NULL,
    description TEXT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_generator ON documents(generator_id);
CREATE TABLE IF NOT EXISTS generation_entries (
    id TEXT PRIMARY KEY,
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    vintage TEXT NOT NULL,
    quantity_wh INTEGER NOT NULL,
    quantity_unit TEXT NOT NULL,
    status TEXT NOT NULL,
    status_control TEXT,
    pending_reasons TEXT NOT NULL DEFAULT '[]',
    feasibility_approved INTEGER NOT NULL DEFAULT 0,
    fuel_allocation TEXT,
    fractional_remainders TEXT NOT NULL DEFAULT '{}',
    issued_quantity INTEGER NOT NULL DEFAULT 0,
    notes TEXT,
    action_info TEXT,
    date_of_action TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS generation_entries_generator
    ON generation_entries(generator_id, period_start);
CREATE TABLE IF NOT EXISTS generation_entry_lines (
    id TEXT PRIMARY KEY,
    generation_entry_id TEXT NOT NULL REFERENCES generation_entries(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    amount_wh INTEGER NOT NULL,
    peak INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS generation_entry_lines_entry
    ON generation_entry_lines(generation_entry_id);
CREATE TABLE IF NOT EXISTS remainders (
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    fuel_key TEXT NOT NULL,
    remainder_wh INTEGER NOT NULL,
    PRIMARY KEY (generator_id, fuel_key)
);
CREATE TABLE IF NOT EXISTS certificates (
    id TEXT PRIMARY KEY,
    generator_id TEXT NOT NULL REFERENCES generators(id) ON DELETE CASCADE,
    generation_entry_id TEXT NOT NULL REFERENCES generation_entries(id) ON DELETE CASCADE,
    generator_fuel_id TEXT,
    fuel_source_id TEXT,
    eligibilities TEXT NOT NULL,
    vintage TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    serial_number_base TEXT NOT NULL,
    serial_number_start TEXT NOT NULL,
    serial_number_end TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS certificates_generator ON certificates(generator_id);
"""


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return str(uuid.uuid4())


def connect(data_dir: Path) -> sqlite3.Connection:
    """Open (and create on first use) the sandbox database in `data_dir`."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: FastAPI may run a request's dependency and endpoint on different
    # worker threads; each connection still serves one request at a time.
    conn = sqlite3.connect(db_path(data_dir), timeout=10.0, check_same_thread=False)
    conn.isolation_level = None
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


ID_NAME = "sandbox-id"


def folder_id(data_dir: Path) -> str:
    """This sandbox folder's identity, made on first use: `/healthz` answers with it so that
    Registry Desk can tell its own practice registry from another folder's on the same port."""
    path = Path(data_dir) / ID_NAME
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="ascii") as out:  # exclusive: two starters agree on one
            ident = uuid.uuid4().hex
            out.write(ident + "\n")
            return ident
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()


def initialise(data_dir: Path) -> None:
    conn = connect(data_dir)
    try:
        with write(conn):
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
    finally:
        conn.close()


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing write transaction that holds the write lock from its start."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def next_counter(conn: sqlite3.Connection, name: str, start: int) -> int:
    row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    value = start if row is None else int(row["value"]) + 1
    conn.execute(
        "INSERT INTO counters(name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# --- API keys -------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(data_dir: Path, label: str = "") -> str:
    """Make a new API key, store only its SHA-256, and return the key (shown once)."""
    initialise(data_dir)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    conn = connect(data_dir)
    try:
        with write(conn):
            conn.execute(
                "INSERT INTO api_keys(key_hash, label, created_at) VALUES (?, ?, ?)",
                (hash_key(key), label, now_iso()),
            )
    finally:
        conn.close()
    return key


def key_is_known(conn: sqlite3.Connection, key: str) -> bool:
    row = conn.execute("SELECT 1 FROM api_keys WHERE key_hash = ?", (hash_key(key),)).fetchone()
    return row is not None
