"""Stored records whose content cannot be decoded: one rotten byte inside a unit's JSON.

SQLite checks its pages, not what the application wrote in them: a flipped byte inside a stored
JSON text leaves `PRAGMA quick_check` saying "ok". Every read of a JSON column goes through
`decode_json`, which turns such a record into a `RecordDamagedError` naming the draft and the
record, and `damaged_records` finds them all (with SQLite's json_valid, so a whole store is
checked in milliseconds) for the start-up check and `registry-desk store recover`.

Standard library only: the start-up check runs before SQLAlchemy loads (see `desktop.store`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import StoreError
from desktop.store.files import connect_read

# Each table's JSON columns, the column that names its draft, and what the user calls a row.
JSON_COLUMNS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "drafts": (("payload",), "id", "draft record"),
    "units": (("data",), "draft_id", "unit"),
    "outbox_items": (("plan", "errors"), "draft_id", "queued submission"),
    "outbox_records": (("snapshot", "difference"), None, "registry record"),
}

RECOVER_HINT = (
    "Run 'registry-desk store recover' (or start the Registry Desk window) to set the damaged "
    "record aside and keep everything else."
)


class RecordDamagedError(StoreError):
    """A stored record's content cannot be decoded (its pages are sound)."""

    def __init__(self, message: str, *, record: DamagedRecord, where: str = "") -> None:
        super().__init__(message, where=where)
        self.record = record


@dataclass(frozen=True, slots=True)
class DamagedRecord:
    """One record that cannot be decoded: table, row id, column, its draft, and why."""

    table: str
    record_id: int
    column: str
    draft_id: int | None
    draft_name: str | None
    problem: str

    @property
    def noun(self) -> str:
        return JSON_COLUMNS.get(self.table, ((), None, "record"))[2]

    def describe(self) -> str:
        """E.g. "unit #12 of draft 'Roofs' (id 3) (units.data): not valid JSON (...)"."""
        where = f"({self.table}.{self.column}): {self.problem}"
        if self.table == "drafts":
            return f"the stored fields of draft {self._draft(self.record_id)} {where}"
        of = f" of draft {self._draft(self.draft_id)}" if self.draft_id is not None else ""
        return f"{self.noun} #{self.record_id}{of} {where}"

    def _draft(self, draft_id: int | None) -> str:
        if self.draft_name is None:
            return f"id {draft_id}"
        return f"'{self.draft_name}' (id {draft_id})"

    def to_json(self) -> dict[str, object]:
        return {
            "table": self.table,
            "id": self.record_id,
            "column": self.column,
            "draft_id": self.draft_id,
            "draft_name": self.draft_name,
            "problem": self.problem,
        }


_JSON_NAMES: dict[type, str] = {dict: "object", list: "array"}


def problem_of(raw: object) -> str | None:
    """Why `raw` (a JSON column's stored value) cannot be decoded, or None when it can."""
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 text (byte {exc.start + 1})"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at character {exc.pos + 1})"
    return None


def decode_json(
    raw: object,
    *,
    table: str,
    record_id: int,
    column: str,
    draft_id: int | None = None,
    draft_name: Callable[[], str | None] | str | None = None,
    default: Any = None,
    expect: type | None = None,
) -> Any:
    """The stored JSON value, or RecordDamagedError naming the draft and the record.

    `raw` may be bytes (columns read as BLOB, so that a byte that is not UTF-8 arrives here
    instead of failing inside the driver). `draft_name` is looked up only when needed."""
    if raw is None or raw in ("", b""):
        return default
    problem = problem_of(raw)
    if problem is None:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        value = json.loads(text)
        if expect is None or isinstance(value, expect):
            return value
        problem = f"a JSON {type(value).__name__}, where a JSON {_JSON_NAMES[expect]} belongs"
    name = draft_name() if callable(draft_name) else draft_name
    record = DamagedRecord(table, record_id, column, draft_id, name, problem)
    raise RecordDamagedError(
        f"The draft store holds a damaged record: {record.describe()}. {RECOVER_HINT}",
        record=record,
    )


def draft_name_in(path: Path, draft_id: int | None) -> str | None:
    """The draft's name read straight from the file (for messages), None when unknown."""
    if draft_id is None:
        return None
    try:
        conn = connect_read(path)
        try:
            row = conn.execute("SELECT name FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def check_records(path: Path, *, limit: int | None = 50) -> list[DamagedRecord]:
    """The store file's undecodable records (read-only, see files.quick_check)."""
    conn = connect_read(path)
    try:
        return damaged_records(conn, limit=limit)
    finally:
        conn.close()


def damaged_records(conn: sqlite3.Connection, *, limit: int | None = None) -> list[DamagedRecord]:
    """Every record whose JSON cannot be decoded, on an open connection to the store.

    json_valid finds them in one pass per column; each candidate is then decoded in Python,
    which also catches text that is not UTF-8 (json_valid does not look at that)."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    names = dict(conn.execute("SELECT id, name FROM drafts")) if "drafts" in present else {}
    found: list[DamagedRecord] = []
    for table, (columns, draft_col, _noun) in JSON_COLUMNS.items():
        if table not in present:
            continue
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        for column in columns:
            if column not in have:
                continue
            owner = f'"{draft_col}"' if draft_col else "NULL"
            # Text that is not plain ASCII (its length in bytes differs from its length in
            # characters) is decoded in Python too: json_valid accepts bytes that are not UTF-8.
            rows = conn.execute(
                f'SELECT rowid, {owner}, CAST("{column}" AS BLOB) FROM "{table}" '
                f'WHERE "{column}" IS NOT NULL AND "{column}" != \'\' '
                f'AND (NOT json_valid("{column}") '
                f'OR length(CAST("{column}" AS BLOB)) != length("{column}"))'
            )
            for rowid, draft_id, raw in rows:
                problem = problem_of(raw)
                if problem is None:
                    continue
                found.append(
                    DamagedRecord(table, rowid, column, draft_id, names.get(draft_id), problem)
                )
                if limit is not None and len(found) >= limit:
                    return found
    return found


@dataclass(frozen=True, slots=True)
class SetAside:
    """A row recovery left out because its content cannot be decoded, with every column's
    stored value, so that nothing is thrown away unseen (written beside the store)."""

    record: DamagedRecord
    values: dict[str, object]

    def to_json(self) -> dict[str, object]:
        # Text as far as it decodes, and the exact bytes as hex beside it.
        stored = {
            column: {"text": value.decode("utf-8", "replace"), "hex": value.hex()}
            if isinstance(value, bytes)
            else value
            for column, value in self.values.items()
        }
        return {**self.record.to_json(), "stored": stored}


def screen_row(
    table: str,
    rowid: int,
    columns: list[str],
    values: tuple[object, ...],
    draft_name: Callable[[int | None], str | None],
) -> tuple[tuple[object, ...], SetAside | None]:
    """A row read for recovery (JSON columns read as BLOB): the values to insert, with JSON
    columns back as text, or the row to set aside when one cannot be decoded."""
    spec = JSON_COLUMNS.get(table)
    if spec is None:
        return values, None
    json_columns, draft_col, _noun = spec
    out = list(values)
    for column in json_columns:
        if column not in columns:
            continue
        at = columns.index(column)
        raw = values[at]
        problem = problem_of(raw)
        if problem is not None:
            owner = values[columns.index(draft_col)] if draft_col in columns else None
            draft_id = owner if isinstance(owner, int) else None
            name = values[columns.index("name")] if table == "drafts" else draft_name(draft_id)
            record = DamagedRecord(
                table, rowid, column, draft_id, name if isinstance(name, str) else None, problem
            )
            return values, SetAside(record, dict(zip(columns, values, strict=True)))
        if isinstance(raw, bytes):
            out[at] = raw.decode("utf-8")
    return tuple(out), None


def write_set_aside(rows: list[SetAside], path: Path) -> None:
    """The rows left out by a recovery, as JSON (written whole, then moved into place)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False, default=str),
        encoding="utf-8",
    )
    tmp.replace(path)
