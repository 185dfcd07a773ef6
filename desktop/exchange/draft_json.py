"""A whole draft as one JSON file: to move a draft to another machine, or to keep a copy.

The file is a versioned envelope around any kind of draft:

    {"format": "registry-desk/draft", "version": 1,
     "kind": "dgg", "name": "...", "status": "Draft", "exported_at": "2026-03-01T12:00:00+00:00",
     "payload": {... the kind's own versioned document ...},
     "units": [{... "uid": "..."}, ...],                      # optional
     "documents": [{"unit_uid": null | "...", "doc_type": "...", "filename": "...",
                    "sha256": "...", "size": 123, "original_path": "...",
                    "content_base64": "..."}, ...]}           # optional

Documents travel inside the file (base64) with their SHA-256, checked on reading, so a file
damaged in transit is refused rather than imported half-right. Writing is atomic.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.errors import InputError

FORMAT = "registry-desk/draft"
VERSION = 1


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A document's bytes and what it is attached to (`unit_uid` None: the whole draft)."""

    doc_type: str
    filename: str
    content: bytes
    unit_uid: str | None = None
    original_path: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(slots=True)
class DraftDocument:
    kind: str
    name: str
    payload: dict[str, Any]
    units: list[dict[str, Any]] | None = None
    documents: list[DocumentFile] = field(default_factory=list)
    status: str = "Draft"


def to_json(draft: DraftDocument) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kind": draft.kind,
        "name": draft.name,
        "status": draft.status,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "payload": draft.payload,
    }
    if draft.units is not None:
        doc["units"] = draft.units
    doc["documents"] = [
        {
            "unit_uid": d.unit_uid,
            "doc_type": d.doc_type,
            "filename": d.filename,
            "sha256": d.sha256,
            "size": len(d.content),
            "original_path": d.original_path,
            "content_base64": base64.b64encode(d.content).decode("ascii"),
        }
        for d in draft.documents
    ]
    return doc


def write_draft(path: Path, draft: DraftDocument) -> Path:
    """Write the draft file whole or not at all (temp file in the same folder, then rename)."""
    text = json.dumps(to_json(draft), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError("The folder does not exist.", where=str(folder))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise InputError(f"The file cannot be written: {exc.strerror}.", where=str(path)) from None
    return path


def read_draft(path: Path, *, kind: str | None = None) -> DraftDocument:
    """Read and verify a draft file; `kind` refuses drafts of another kind."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"The file cannot be read: {exc.strerror}.", where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(
            "This is not a Registry Desk draft file (not UTF-8 text).", where=str(path)
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"This is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            where=str(path),
        ) from None
    return from_json(raw, kind=kind, where=str(path))


def from_json(raw: Any, *, kind: str | None = None, where: str = "") -> DraftDocument:
    if not isinstance(raw, Mapping) or raw.get("format") != FORMAT:
        raise InputError(
            f'This is not a Registry Desk draft file (expected "format": "{FORMAT}").',
            where=where,
        )
    version = raw.get("version")
    if version != VERSION:
        raise InputError(
            f"Draft file version {version!r} is not supported: this release reads version "
            f"{VERSION}. Update Registry Desk to import it.",
            where=where,
        )
    found_kind = raw.get("kind")
    if not isinstance(found_kind, str) or not found_kind:
        raise InputError("The draft file does not say what kind of draft it holds.", where=where)
    if kind is not None and found_kind != kind:
        raise InputError(
            f"This file holds a {found_kind.upper()} draft, not a {kind.upper()} draft.",
            where=where,
        )
    name = raw.get("name")
    payload = raw.get("payload")
    if not isinstance(name, str) or not name.strip():
        raise InputError("The draft file has no draft name.", where=where)
    if not isinstance(payload, dict):
        raise InputError("The draft file has no payload object.", where=where)
    units = raw.get("units")
    if units is not None and (
        not isinstance(units, list) or not all(isinstance(u, dict) for u in units)
    ):
        raise InputError('"units" must be a list of objects.', where=where)
    documents = [_document(d, n, where) for n, d in enumerate(raw.get("documents") or [])]
    status = raw.get("status") if isinstance(raw.get("status"), str) else "Draft"
    return DraftDocument(
        kind=found_kind,
        name=name.strip(),
        payload=payload,
        units=units,
        documents=documents,
        status=str(status),
    )


def _document(raw: Any, index: int, where: str) -> DocumentFile:
    label = f"document {index + 1}"
    if not isinstance(raw, Mapping):
        raise InputError(f"{label} is not an object.", where=where)
    filename, doc_type = raw.get("filename"), raw.get("doc_type")
    if not isinstance(filename, str) or not filename or not isinstance(doc_type, str):
        raise InputError(f"{label} needs a filename and a doc_type.", where=where)
    try:
        content = base64.b64decode(str(raw.get("content_base64") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise InputError(
            f"{label} ({filename}): the content is not valid base64.", where=where
        ) from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != raw.get("sha256"):
        raise InputError(
            f"{label} ({filename}) is damaged: its SHA-256 does not match the one recorded.",
            where=where,
        )
    unit_uid = raw.get("unit_uid")
    return DocumentFile(
        doc_type=doc_type,
        filename=Path(filename).name,  # never a path: the name only
        content=content,
        unit_uid=str(unit_uid) if unit_uid else None,
        original_path=str(raw.get("original_path") or ""),
    )
