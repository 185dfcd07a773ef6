"""Drafts of every kind: create, list, save, duplicate, trash and restore.

Every public method is one transaction unless the caller passes `conn` to join a larger one
(finishing a wizard saves all its pages and units in one transaction).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, cast, insert, select, update
from sqlalchemy.exc import IntegrityError

from desktop.errors import InputError, NotFoundError
from desktop.store import tables as t
from desktop.store.draft_rows import COLUMNS, STATUSES, DraftRow, list_drafts, row_from
from desktop.store.engine import reading


@contextmanager
def transaction(engine: Engine, conn: Connection | None) -> Iterator[Connection]:
    """Join the caller's transaction, or open one (BEGIN IMMEDIATE) and commit it."""
    if conn is not None:
        yield conn
        return
    with engine.begin() as own:
        yield own


# Every select of a whole draft names COLUMNS, so draft_rows.row_from reads it.
# The payload as bytes, as in draft_rows: a byte that is not UTF-8 reaches decode_json.
_DRAFT = select(
    *(
        cast(t.drafts.c.payload, LargeBinary).label("payload")
        if name == "payload"
        else t.drafts.c[name]
        for name in COLUMNS
    )
)


class Drafts:
    """Everything but listing, which is `desktop.store.draft_rows.list_drafts` (it needs no
    SQLAlchemy) and `Store.list_drafts`."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path

    def get(self, draft_id: int, conn: Connection | None = None) -> DraftRow:
        with transaction(self.engine, conn) if conn else reading(self.engine) as c:
            r = c.execute(_DRAFT.where(t.drafts.c.id == draft_id)).first()
        if r is None:
            raise NotFoundError(f"There is no draft with id {draft_id}.")
        return row_from(r)

    def by_name(self, kind: str, name: str) -> DraftRow:
        """The live draft of that kind and name (case-insensitive)."""
        rows = list_drafts(self.path, kind)
        for row in rows:
            if row.name == name:
                return row
        for row in rows:
            if row.name.casefold() == name.casefold():
                return row
        names = ", ".join(sorted(r.name for r in rows)[:10]) or "none yet"
        raise NotFoundError(f"There is no {kind.upper()} draft named '{name}' (drafts: {names}).")

    def exists(self, kind: str, name: str) -> bool:
        try:
            self.by_name(kind, name)
        except NotFoundError:
            return False
        return True

    def create(
        self,
        kind: str,
        name: str,
        payload: dict[str, Any] | None = None,
        *,
        status: str = "Draft",
        conn: Connection | None = None,
    ) -> DraftRow:
        name = name.strip()
        if not name:
            raise InputError("A draft needs a name.")
        now = time.time()
        values = {
            "kind": kind,
            "name": name,
            "status": status,
            "payload": json.dumps(payload or {}, sort_keys=True),
            "created_at": now,
            "updated_at": now,
        }
        try:
            with transaction(self.engine, conn) as c:
                new_id = c.execute(insert(t.drafts).values(**values)).inserted_primary_key[0]  # type: ignore[index]
                return self.get(int(new_id), c)
        except IntegrityError:
            raise InputError(f"A {kind.upper()} draft named '{name}' already exists.") from None

    def unique_name(self, kind: str, wanted: str) -> str:
        """`wanted`, or `wanted (2)`, `(3)` ... whichever is free."""
        taken = {r.name.casefold() for r in list_drafts(self.path, kind)}
        if wanted.casefold() not in taken:
            return wanted
        n = 2
        while f"{wanted} ({n})".casefold() in taken:
            n += 1
        return f"{wanted} ({n})"

    def save(
        self,
        draft_id: int,
        *,
        payload: dict[str, Any] | None = None,
        name: str | None = None,
        status: str | None = None,
        page: str | None = None,
        issue_count: int | None = None,
        issue_summary: str | None = None,
        registry_id: str | None = None,
        registry_status: str | None = None,
        conn: Connection | None = None,
    ) -> None:
        values: dict[str, Any] = {"updated_at": time.time()}
        if payload is not None:
            values["payload"] = json.dumps(payload, sort_keys=True)
        if name is not None:
            if not name.strip():
                raise InputError("A draft needs a name.")
            values["name"] = name.strip()
        if status is not None:
            if status not in STATUSES:
                raise ValueError(f"unknown draft status {status!r}")
            values["status"] = status
        for key, value in (
            ("page", page),
            ("issue_count", issue_count),
            ("issue_summary", issue_summary),
            ("registry_id", registry_id),
            ("registry_status", registry_status),
        ):
            if value is not None:
                values[key] = value
        try:
            with transaction(self.engine, conn) as c:
                done = c.execute(update(t.drafts).where(t.drafts.c.id == draft_id).values(**values))
        except IntegrityError:
            raise InputError(f"Another draft is already named '{name}'.") from None
        if done.rowcount == 0:
            raise NotFoundError(f"There is no draft with id {draft_id}.")

    def trash(self, draft_id: int) -> None:
        """Move to the trash; the name becomes free for a new draft, the data stays."""
        with self.engine.begin() as c:
            c.execute(
                update(t.drafts).where(t.drafts.c.id == draft_id).values(deleted_at=time.time())
            )

    def restore(self, draft_id: int) -> DraftRow:
        """Back from the trash; renamed with a suffix when its name was taken meanwhile."""
        row = self.get(draft_id)
        name = self.unique_name(row.kind, row.name)
        with self.engine.begin() as c:
            c.execute(
                update(t.drafts)
                .where(t.drafts.c.id == draft_id)
                .values(deleted_at=None, name=name, updated_at=time.time())
            )
            return self.get(draft_id, c)

    def purge(self, draft_id: int) -> None:
        """Delete for good (only from the trash); units and documents go with it (cascade)."""
        with self.engine.begin() as c:
            c.execute(
                t.drafts.delete().where(
                    t.drafts.c.id == draft_id, t.drafts.c.deleted_at.is_not(None)
                )
            )

    def duplicate(self, draft_id: int, new_name: str | None = None) -> DraftRow:
        """A copy with its units and documents, named '<name> (copy)' unless told otherwise."""
        src = self.get(draft_id)
        name = new_name or self.unique_name(src.kind, f"{src.name} (copy)")
        with self.engine.begin() as c:
            copy = self.create(src.kind, name, src.payload, conn=c)
            self.save(
                copy.id,
                page=src.page,
                issue_count=src.issue_count,
                issue_summary=src.issue_summary,
                conn=c,
            )
            for table in (t.units, t.documents):
                cols = [col for col in table.c if col.name not in ("id", "draft_id")]
                rows = c.execute(select(*cols).where(table.c.draft_id == draft_id)).mappings().all()
                if rows:
                    c.execute(insert(table), [{**r, "draft_id": copy.id} for r in rows])
            return self.get(copy.id, c)
