"""Whole-draft JSON files: versioned, documents inside with their SHA-256, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.errors import InputError
from desktop.exchange import draft_json
from desktop.exchange.draft_json import DocumentFile, DraftDocument


def sample() -> DraftDocument:
    return DraftDocument(
        kind="dgg",
        name="North Star",
        payload={"format": "registry-desk/dgg", "version": 1, "group_name": "North Star"},
        units=[{"uid": "u1", "name": "Olson"}],
        documents=[
            DocumentFile("Schedule A", "schedule-a.pdf", b"%PDF\x00\xff bytes", unit_uid="u1"),
            DocumentFile("Other", "notes.txt", b""),
        ],
    )


def test_round_trip(tmp_path: Path) -> None:
    path = draft_json.write_draft(tmp_path / "d.json", sample())
    back = draft_json.read_draft(path, kind="dgg")
    original = sample()
    assert (back.kind, back.name, back.payload, back.units) == (
        original.kind,
        original.name,
        original.payload,
        original.units,
    )
    assert back.documents == original.documents
    raw = json.loads(path.read_text())
    assert raw["format"] == "registry-desk/draft" and raw["version"] == 1
    assert raw["documents"][0]["sha256"] == original.documents[0].sha256
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_other_kinds_reuse_the_envelope_without_units(tmp_path: Path) -> None:
    draft = DraftDocument(kind="btmg", name="Plant", payload={"x": 1})
    path = draft_json.write_draft(tmp_path / "b.json", draft)
    back = draft_json.read_draft(path)
    assert back.kind == "btmg" and back.units is None and back.documents == []
    with pytest.raises(InputError, match="holds a BTMG draft, not a DGG draft"):
        draft_json.read_draft(path, kind="dgg")


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "version 2 is not supported"),
        (lambda d: d.update(format="something/else"), "not a Registry Desk draft file"),
        (lambda d: d.update(name=""), "no draft name"),
        (lambda d: d.update(payload=[]), "no payload"),
        (lambda d: d.update(units={"a": 1}), "units"),
        (lambda d: d["documents"][0].update(sha256="0" * 64), "damaged"),
        (lambda d: d["documents"][0].update(content_base64="***"), "not valid base64"),
        (lambda d: d["documents"][0].pop("filename"), "needs a filename"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(tmp_path: Path, mutate, message: str) -> None:
    doc = draft_json.to_json(sample())
    mutate(doc)
    with pytest.raises(InputError, match=message) as err:
        draft_json.read_draft(_write(tmp_path, doc))
    assert str(tmp_path / "x.json") in str(err.value)


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{nope")
    with pytest.raises(InputError, match="not valid JSON \\(line 1"):
        draft_json.read_draft(path)


def test_filenames_cannot_escape(tmp_path: Path) -> None:
    doc = draft_json.to_json(sample())
    doc["documents"][0]["filename"] = "../../etc/passwd"
    back = draft_json.read_draft(_write(tmp_path, doc))
    assert back.documents[0].filename == "passwd"


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("old")
    with pytest.raises(InputError):
        draft_json.write_draft(tmp_path / "missing" / "d.json", sample())
    assert path.read_text() == "old"
