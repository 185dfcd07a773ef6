"""Matching a developer's folder of documents to units and document types, by file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import InputError
from desktop.exchange.document_matching import (
    COMPLETION,
    ENGINEERING,
    INTERCONNECTION,
    OWNERSHIP,
    SCHEDULE_A,
    FoundFile,
    MatchStatus,
    UnitIndex,
    doc_types_in,
    find_files,
    match_file,
    match_paths,
)
from desktop.store import Store
from desktop.store.documents import Attachment
from tests.dgg.document_folders import group_units, make_group, write_folder

UNITS = group_units(40)


def match(name: str, *folders: str):  # type: ignore[no-untyped-def]
    return match_file(FoundFile(Path("/docs", *folders, name), folders), UnitIndex(UNITS))


@pytest.mark.parametrize(
    ("name", "unit", "doc_type"),
    [
        ("XE-4400035 interconnection.pdf", 35, INTERCONNECTION),
        ("XE4400035_deed.pdf", 35, OWNERSHIP),
        ("xe 44 00035 Title.pdf", 35, OWNERSHIP),
        ("4001 Cedar Street - completion cert.pdf", 1, COMPLETION),
        ("4001 cedar st one-line.pdf", 1, ENGINEERING),
        ("Maple Solar 12 - Schedule_A.pdf", 11, SCHEDULE_A),
        ("Maple Solar 12 interconnection completion certificate.pdf", 11, COMPLETION),
    ],
)
def test_a_name_names_its_unit_and_type(name: str, unit: int, doc_type: str) -> None:
    found = match(name)
    assert found.status is MatchStatus.MATCHED, found.reason
    assert found.unit_uids == (UNITS[unit]["uid"],)
    assert found.doc_type == doc_type


def test_a_sub_folder_named_after_a_unit_matches_its_files() -> None:
    found = match("one-line diagram.pdf", "docs", "Maple Solar 7")
    assert found.unit_uids == (UNITS[6]["uid"],) and found.doc_type == ENGINEERING
    assert "folder 'Maple Solar 7'" in found.reason


def test_a_meter_id_matches_whole_words_only() -> None:
    # XE-4400003 must not match inside XE-44000035 (no such unit), nor Maple Solar 1 inside 12
    assert match("XE-44000035 interconnection.pdf").status is MatchStatus.UNMATCHED
    assert match("Maple Solar 12 deed.pdf").unit_uids == (UNITS[11]["uid"],)


def test_two_units_in_one_name_is_ambiguous_and_names_both() -> None:
    found = match("XE-4400001 and XE-4400002 interconnection.pdf")
    assert found.status is MatchStatus.AMBIGUOUS
    assert found.unit_candidates == (UNITS[1]["uid"], UNITS[2]["uid"])
    settled = found.corrected([UNITS[2]["uid"]], INTERCONNECTION)
    assert settled.status is MatchStatus.MATCHED


def test_a_meter_id_beats_an_address_of_another_unit() -> None:
    found = match("XE-4400005 at 4001 Cedar St deed.pdf")
    assert found.unit_uids == (UNITS[5]["uid"],)


def test_two_document_types_are_ambiguous_and_no_type_is_unmatched() -> None:
    both = match("XE-4400005 deed and one-line.pdf")
    assert both.status is MatchStatus.AMBIGUOUS and both.type_candidates == (
        ENGINEERING,
        OWNERSHIP,
    )
    none = match("XE-4400005 scan 3.pdf")
    assert none.status is MatchStatus.UNMATCHED and none.unit_uids == (UNITS[5]["uid"],)
    assert "no document type" in none.reason
    assert doc_types_in("site photo") == []


def test_find_files_walks_folders_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "XE-4400001 deed.PDF").write_bytes(b"%PDF")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "notes.exe").write_bytes(b"x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "XE-4400002 deed.pdf").write_bytes(b"%PDF")
    found = find_files([tmp_path])
    assert [f.shown for f in found] == ["a/XE-4400001 deed.PDF"]
    assert found[0].folders == (tmp_path.name, "a")  # the dropped folder may name a unit too


def test_a_whole_folder_of_800_files_matches_200_units(tmp_path: Path) -> None:
    units = group_units(200)
    write_folder(tmp_path / "docs", units, size=40)
    plan = match_paths([tmp_path / "docs"], units)
    assert plan.counts() == {"matched": 800, "ambiguous": 0, "unmatched": 0}
    per_unit: dict[str, set[str]] = {}
    for m in plan.matches:
        per_unit.setdefault(m.unit_uids[0], set()).add(m.doc_type or "")
    assert len(per_unit) == 200
    assert all(
        types == {INTERCONNECTION, ENGINEERING, COMPLETION, OWNERSHIP}
        for types in per_unit.values()
    )


def test_add_many_stores_all_or_nothing(store: Store, tmp_path: Path) -> None:
    draft_id, units = make_group(store, "Maple", 3)
    files = write_folder(tmp_path / "docs", units, size=40)
    gone = files[5]
    gone.unlink()
    attachments = [Attachment(p, "Interconnection Agreement", (units[0]["uid"],)) for p in files]
    with pytest.raises(InputError) as caught:
        store.documents.add_many(draft_id, attachments)
    assert str(gone) in str(caught.value.where)
    assert store.documents.list(draft_id) == []
    kept = [a for a in attachments if a.path != gone]
    group_wide = Attachment(files[0], "Interconnection Agreement", tuple(u["uid"] for u in units))
    added = store.documents.add_many(draft_id, [*kept, group_wide])
    stored = store.documents.list(draft_id)
    assert added == stored and len(stored) == len(kept) + 3  # the rows as stored, ids too
    assert {d.unit_uid for d in stored[-3:]} == {u["uid"] for u in units}
    assert len({d.sha256 for d in stored[-3:]}) == 1
