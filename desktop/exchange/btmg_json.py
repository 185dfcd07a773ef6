"""A whole BTMG draft as one versioned JSON file: the enrollment and its documents' bytes.

The file carries its format name and version; a newer version is refused with a sentence that
says so. Documents travel inside the file (base64) with their SHA-256, checked on import, so a
draft moved to another machine is complete.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.models.btmg import Enrollment

FILE_FORMAT = "registry-desk.btmg-draft"
FILE_VERSION = 1


@dataclass(frozen=True, slots=True)
class DocumentBlob:
    filename: str
    doc_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class DraftFile:
    name: str
    status: str
    enrollment: Enrollment
    documents: tuple[DocumentBlob, ...]


def to_document(draft: DraftFile) -> dict[str, Any]:
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "name": draft.name,
        "status": draft.status,
        "enrollment": draft.enrollment.to_json(),
        "documents": [
            {
                "filename": d.filename,
                "doc_type": d.doc_type,
                "sha256": d.sha256,
                "content_base64": base64.b64encode(d.content).decode("ascii"),
            }
            for d in draft.documents
        ],
    }


def write_draft(path: Path, draft: DraftFile) -> Path:
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("The folder does not exist.", where=str(target.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(to_document(draft), fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp_name, target)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise InputError(
            f"The file cannot be written: {exc.strerror}.", where=str(target)
        ) from None
    return target


def from_document(doc: Any, *, where: str) -> DraftFile:
    if not isinstance(doc, dict):
        raise InputError("This is not a Registry Desk BTMG draft file.", where=where)
    if doc.get("format") != FILE_FORMAT:
        raise InputError(
            f"This is not a Registry Desk BTMG draft file (format {doc.get('format')!r}).",
            where=where,
        )
    version = doc.get("version")
    if not isinstance(version, int) or version > FILE_VERSION:
        raise InputError(
            f"This draft file has format version {version!r}; this Registry Desk reads up to "
            f"version {FILE_VERSION}. Update Registry Desk to import it.",
            where=where,
        )
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("The draft file has no draft name.", where=f"{where}: name")
    enrollment = Enrollment.from_json(doc.get("enrollment") or {}, where=f"{where}: enrollment")
    blobs = []
    for n, raw in enumerate(doc.get("documents") or []):
        at = f"{where}: documents[{n}]"
        try:
            content = base64.b64decode(raw["content_base64"], validate=True)
            blob = DocumentBlob(
                str(raw["filename"]), str(raw.get("doc_type") or "Document"), content
            )
        except (KeyError, TypeError, ValueError):
            raise InputError(
                "The document is damaged (no file name or bad content).", where=at
            ) from None
        if raw.get("sha256") and raw["sha256"] != blob.sha256:
            raise InputError(
                f"Document '{blob.filename}' does not match its SHA-256; the file was altered.",
                where=at,
            )
        blobs.append(blob)
    return DraftFile(name.strip(), str(doc.get("status") or "Draft"), enrollment, tuple(blobs))


def read_draft(path: Path) -> DraftFile:
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"The file cannot be read: {exc.strerror}.", where=where) from None
    except UnicodeDecodeError:
        raise InputError("The file is not UTF-8 JSON.", where=where) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The file is not valid JSON ({exc.msg}).", where=f"{where}: line {exc.lineno}"
        ) from None
    return from_document(doc, where=where)
