"""`registry-desk units attach DGG FOLDER`: 800 documents for 200 units from one folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.models import dgg
from desktop.store import open_store
from tests.dgg.document_folders import make_group, write_folder


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def maple(tmp_path: Path) -> tuple[Path, Path]:
    """A store with the 200-unit group 'Maple' and the developer's folder of 800 PDFs."""
    data = tmp_path / "data"
    with open_store(data) as store:
        _draft_id, units = make_group(store, "Maple", 200)
    write_folder(tmp_path / "docs", units, size=64)
    return data, tmp_path / "docs"


def test_attach_800_documents_to_200_units(
    maple: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, folder = maple
    code, out, err = run(capsys, "units", "attach", "Maple", folder, "--data-dir", data)
    assert code == 0, err
    assert "800 files: 800 matched, 0 unmatched, 0 ambiguous; attached 800 documents" in out
    with open_store(data) as store:
        row = store.drafts.by_name("dgg", "Maple")
        docs = store.documents.list(row.id)
        units = [dgg.unit_from_json(u) for u in store.units.list(row.id)]
        assert len(docs) == 800
        assert all(not r.missing for r in dgg.document_checklist(units, docs))
        # each unit's "Document file names" lists its four files (the units file carries it)
        assert units[34]["documents"].count(";") == 3 and "XE-4400034" in units[34]["documents"]
        summary = row.issue_summary
    # one truth: the drafts list's summary is what `dgg check` says
    code, out, _ = run(capsys, "dgg", "check", "Maple", "--json", "--data-dir", data)
    assert json.loads(out)["summary"] == summary
    assert "Documents" not in out and '"page": "documents"' not in out


def test_something_unmatched_stores_nothing_and_exits_1(
    maple: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, folder = maple
    (folder / "site photo.pdf").write_bytes(b"%PDF-1.4")
    (folder / "XE-4400001 XE-4400002 interconnection.pdf").write_bytes(b"%PDF-1.4")
    code, out, err = run(capsys, "units", "attach", "Maple", folder, "--data-dir", data)
    assert code == 1
    assert f"unmatched: {folder / 'site photo.pdf'}: no meter ID, unit name or address" in err
    assert "ambiguous: " in err and "(one of: Unit 2: Maple Solar 2 (XE-4400001); Unit 3" in err
    assert "802 files: 800 matched, 1 unmatched, 1 ambiguous; nothing was stored" in err
    assert out == ""
    with open_store(data) as store:
        assert store.documents.list(store.drafts.by_name("dgg", "Maple").id) == []

    code, out, _ = run(
        capsys, "units", "attach", "Maple", folder, "--data-dir", data, "--dry-run", "--json"
    )
    report = json.loads(out)
    assert code == 1 and report["stored"] is False and report["dry_run"] is True
    assert (report["files"], report["matched"], report["unmatched"], report["ambiguous"]) == (
        802,
        800,
        1,
        1,
    )
    ambiguous = next(r for r in report["results"] if r["status"] == "ambiguous")
    assert ambiguous["unit_candidates"] == [
        "Unit 2: Maple Solar 2 (XE-4400001)",
        "Unit 3: Maple Solar 3 (XE-4400002)",
    ]
    assert set(report["results"][0]) == {
        "file",
        "shown",
        "status",
        "units",
        "unit_uids",
        "doc_type",
        "unit_candidates",
        "type_candidates",
        "reason",
    }

    code, out, _ = run(
        capsys, "units", "attach", "Maple", folder, "--data-dir", data, "--store-matched", "--json"
    )
    report = json.loads(out)
    assert code == 1 and report["stored"] is True and report["documents_added"] == 800
    with open_store(data) as store:
        assert len(store.documents.list(store.drafts.by_name("dgg", "Maple").id)) == 800


def test_a_missing_folder_or_draft_is_a_located_error(
    maple: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data, folder = maple
    code, _, err = run(capsys, "units", "attach", "Maple", tmp_path / "nope", "--data-dir", data)
    assert code == 1 and f"{tmp_path / 'nope'}: There is no such folder or file." in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "units", "attach", "Maple", empty, "--data-dir", data)
    assert code == 1 and "No documents were found there" in err
    code, _, err = run(capsys, "units", "attach", "Oak", folder, "--data-dir", data)
    assert code == 1 and "Oak" in err
