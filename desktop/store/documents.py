"""Files attached to a draft (per group or per unit), copied into the store with their SHA-256."""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select

from desktop.errors import InputError, NotFoundError
from desktop.store import tables as t
from desktop.store.drafts import transaction
from desktop.store.engine import reading

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    draft_id: int
    unit_uid: str | None
    doc_type: str
    filename: str
    original_path: str
    sha256: str
    size: int
    added_at: float


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_META = [c for c in t.documents.c if c.name != "content"]


@dataclass(frozen=True, slots=True)
class Attachment:
    """One file to store for one or more units (or the group: a None uid)."""

    path: Path
    doc_type: str
    unit_uids: tuple[str | None, ...]


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256, or a located InputError."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(
                f"{path.name} is {size / 1e6:.0f} MB; documents are limited to "
                f"{MAX_DOCUMENT_BYTES // 1_000_000} MB.",
                where=str(path),
            )
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"The file cannot be read: {exc.strerror}.", where=str(path)) from None
    return content, hashlib.sha256(content).hexdigest()


# Reading and hashing overlap with the inserts: hashlib and file reads release the GIL, so a
# few threads keep the writer fed (bench/documents_bulk.py, docs/performance.md).
_READERS = 3
_BATCH = 200


class Documents:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        draft_id: int,
        path: Path,
        doc_type: str,
        *,
        unit_uid: str | None = None,
        conn: Connection | None = None,
    ) -> DocumentRow:
        try:
            size = path.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                raise InputError(
                    f"{path.name} is {size / 1e6:.0f} MB; documents are limited to "
                    f"{MAX_DOCUMENT_BYTES // 1_000_000} MB.",
                    where=str(path),
                )
            content = path.read_bytes()
        except OSError as exc:
            raise InputError(f"The file cannot be read: {exc.strerror}.", where=str(path)) from None
        values = {
            "draft_id": draft_id,
            "unit_uid": unit_uid,
            "doc_type": doc_type,
            "filename": path.name,
            "original_path": str(path.resolve()),
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "content": content,
            "added_at": time.time(),
        }
        with transaction(self.engine, conn) as c:
            new_id = c.execute(insert(t.documents).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            return self.get(int(new_id), c)

    def add_many(
        self,
        draft_id: int,
        attachments: Sequence[Attachment],
        *,
        conn: Connection | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Store every attachment in one transaction (all or nothing); returns the rows added.

        Each file is read and hashed once, however many units it goes to. `on_progress` is
        called with the number of files done after each batch (and may raise to cancel).
        """
        added = 0
        now = time.time()
        with (
            transaction(self.engine, conn) as c,
            ThreadPoolExecutor(_READERS, thread_name_prefix="documents") as pool,
        ):
            rows: list[dict[str, object]] = []
            done = 0
            for item, (content, digest) in zip(
                attachments, _read_ahead(pool, attachments), strict=True
            ):
                original = str(item.path.resolve())
                for uid in item.unit_uids or (None,):
                    rows.append(
                        {
                            "draft_id": draft_id,
                            "unit_uid": uid,
                            "doc_type": item.doc_type,
                            "filename": item.path.name,
                            "original_path": original,
                            "sha256": digest,
                            "size": len(content),
                            "content": content,
                            "added_at": now,
                        }
                    )
                done += 1
                if len(rows) >= _BATCH:
                    c.execute(insert(t.documents), rows)
                    added += len(rows)
                    rows = []
                    if on_progress is not None:
                        on_progress(done)
            if rows:
                c.execute(insert(t.documents), rows)
                added += len(rows)
            if on_progress is not None:
                on_progress(done)
        return added

    def get(self, doc_id: int, conn: Connection | None = None) -> DocumentRow:
        q = select(*_META).where(t.documents.c.id == doc_id)
        with transaction(self.engine, conn) if conn else reading(self.engine) as c:
            r = c.execute(q).first()
        if r is None:
            raise NotFoundError(f"There is no document with id {doc_id}.")
        return DocumentRow(**r._asdict())

    def list(self, draft_id: int, conn: Connection | None = None) -> list[DocumentRow]:
        q = select(*_META).where(t.documents.c.draft_id == draft_id).order_by(t.documents.c.id)
        with transaction(self.engine, conn) if conn else reading(self.engine) as c:
            return [DocumentRow(**r._asdict()) for r in c.execute(q)]

    def content(self, doc_id: int) -> bytes:
        with reading(self.engine) as conn:
            r = conn.execute(
                select(t.documents.c.content).where(t.documents.c.id == doc_id)
            ).first()
        if r is None:
            raise NotFoundError(f"There is no document with id {doc_id}.")
        return bytes(r.content)

    def remove(self, doc_id: int, conn: Connection | None = None) -> None:
        with transaction(self.engine, conn) as c:
            c.execute(delete(t.documents).where(t.documents.c.id == doc_id))

    def save_copy(self, doc_id: int, target: Path) -> Path:
        """Write the stored copy out (atomically) for the user to open or send."""
        data = self.content(doc_id)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return target

    def original_changed(self, doc: DocumentRow) -> bool | None:
        """True when the original file now differs from the stored copy; None if it is gone."""
        path = Path(doc.original_path)
        if not path.is_file():
            return None
        return sha256_file(path) != doc.sha256


def _read_ahead(
    pool: ThreadPoolExecutor, attachments: Sequence[Attachment]
) -> Iterator[tuple[bytes, str]]:
    """Files read and hashed in order, at most a few batches ahead of the writer (memory)."""
    window = _READERS * 16
    paths = iter([a.path for a in attachments])
    pending: deque[Future[tuple[bytes, str]]] = deque(
        pool.submit(_read, p) for p in islice(paths, window)
    )
    while pending:
        result = pending.popleft().result()
        nxt = next(paths, None)
        if nxt is not None:
            pending.append(pool.submit(_read, nxt))
        yield result
