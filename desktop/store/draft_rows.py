"""A draft as every layer sees it (`DraftRow`), and the drafts list read with sqlite3 alone.

Listing drafts is the only read the first window needs. Doing it with the standard library
instead of SQLAlchemy lets the window paint before SQLAlchemy (about 0.13 s to import) loads
(`bench/startup.py`). The columns are named once, here; `tests/store` checks them against the
table declared in `desktop.store.tables`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from desktop.errors import StoreError
from desktop.store.files import connect_read
from desktop.store.records import RecordDamagedError, decode_json

STATUSES = (
    "Draft",
    "Ready to submit",
    "Queued",
    "Submitted",
    "Pending review",
    "Approved",
    "Rejected",
)


@dataclass(frozen=True, slots=True)
class DraftRow:
    id: int
    kind: str
    name: str
    status: str
    payload: dict[str, Any]
    page: str
    issue_count: int
    issue_summary: str
    registry_id: str | None
    registry_status: str | None
    created_at: float
    updated_at: float
    deleted_at: float | None
    # Why the stored fields cannot be read (then `payload` is empty); only lists carry such
    # rows, so that one damaged draft does not hide the others (desktop/store/records.py).
    damage: str = ""

    @property
    def checked(self) -> bool:
        """Checked at least once: a draft made outside a wizard has no issue summary yet."""
        return bool(self.issue_summary)


# Every read selects these columns in this order, so one function turns a row into a DraftRow.
COLUMNS = tuple(f.name for f in fields(DraftRow) if f.name != "damage")
_PAYLOAD = COLUMNS.index("payload")
_ID, _NAME = COLUMNS.index("id"), COLUMNS.index("name")


def row_from(values: Sequence[Any], *, listing: bool = False) -> DraftRow:
    """A DraftRow from the values of COLUMNS, in order (the payload still as JSON text or
    bytes). A payload that cannot be decoded raises RecordDamagedError, or when `listing`
    gives the row with an empty payload and its `damage` said."""
    items = list(values)
    try:
        items[_PAYLOAD] = decode_json(
            items[_PAYLOAD],
            table="drafts",
            record_id=items[_ID],
            column="payload",
            draft_id=items[_ID],
            draft_name=items[_NAME],
            default={},
            expect=dict,
        )
    except RecordDamagedError as exc:
        if not listing:
            raise
        items[_PAYLOAD] = {}
        items.append(exc.record.describe())  # damage, after the columns
    return DraftRow(*items)


# The payload is read as bytes: a byte that is not UTF-8 reaches decode_json, not the driver.
_SELECTED = ", ".join(f"CAST({c} AS BLOB) AS {c}" if c == "payload" else c for c in COLUMNS)
_LIST = (
    f"SELECT {_SELECTED} FROM drafts WHERE kind = ? AND deleted_at IS {{}} NULL "
    "ORDER BY updated_at DESC, id DESC"
)


def list_drafts(path: Path, kind: str, *, trashed: bool = False) -> list[DraftRow]:
    """Live drafts of a kind (or the trash), most recently edited first.

    One statement on its own connection: in WAL mode it reads the last commit and never waits
    for a writer, like every other read of the store.
    """
    try:
        conn = connect_read(path)  # read-only: also where the folder cannot be written
        try:
            cursor = conn.execute(_LIST.format("NOT" if trashed else ""), (kind,))
            return [row_from(r, listing=True) for r in cursor]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"The drafts cannot be read: {exc}.", where=str(path)) from None
