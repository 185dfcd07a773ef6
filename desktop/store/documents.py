"""Files attached to a draft (per group or per unit), copied into the store with their SHA-256."""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
assert [c.name for c in _META] == list(DocumentRow.__dataclass_fields__)


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


_BATCH = 200  # files per executemany: few round trips, bounded memory
_AHEAD = 2  # batches read ahead of the writer
_COLUMNS = (
    "draft_id",
    "unit_uid",
    "doc_type",
    "filename",
    "original_path",
    "sha256",
    "size",
    "content",
    "added_at",
)
_INSERT = f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _read_batch(batch: Sequence[Attachment]) -> list[tuple[bytes, str, str]]:
    """(content, SHA-256, absolute path) of each file; an unreadable one raises InputError."""
    out = []
    for item in batch:
        content, digest = _read(item.path)
        out.append((content, digest, os.path.abspath(item.path)))
    return out


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
    ) -> list[DocumentRow]:
        """Store every attachment in one transaction (all or nothing); returns the new rows.

        Each file is read and hashed once, however many units it goes to. `on_progress` is
        called with the number of files done after each batch (and may raise to cancel).
        """
        now = time.time()
        batches = [attachments[i : i + _BATCH] for i in range(0, len(attachments), _BATCH)]
        added: list[DocumentRow] = []
        done = 0
        # One thread reads and hashes the next batches while this one inserts: file reads,
        # hashlib and SQLite all release the GIL (bench/documents_bulk.py).
        pool = ThreadPoolExecutor(1, thread_name_prefix="documents")
        try:
            ahead = deque(pool.submit(_read_batch, b) for b in batches[:_AHEAD])
            with transaction(self.engine, conn) as c:
                # The write lock is held (BEGIN IMMEDIATE): new ids follow the largest one.
                last = int(
                    c.exec_driver_sql("SELECT coalesce(max(id), 0) FROM documents").scalar_one()
                )
                for n, batch in enumerate(batches):
                    read = ahead.popleft().result()
                    if n + _AHEAD < len(batches):
                        ahead.append(pool.submit(_read_batch, batches[n + _AHEAD]))
                    rows = [
                        (draft_id, uid, item.doc_type, item.path.name, original, digest,
                         len(content), content, now)
                        for item, (content, digest, original) in zip(batch, read, strict=True)
                        for uid in item.unit_uids or (None,)
                    ]  # fmt: skip
                    c.exec_driver_sql(_INSERT, rows)
                    added += [
                        DocumentRow(last + k, *row[:7], row[8]) for k, row in enumerate(rows, 1)
                    ]
                    last += len(rows)
                    done += len(batch)
                    if on_progress is not None:
                        on_progress(done)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
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
            return [DocumentRow(*r) for r in c.execute(q).all()]  # _META is in field order

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
