"""`registry-desk dgg ...` through desktop.cli.main, on a real store in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.models import dgg
from desktop.models.dgg_example import EXAMPLE_DOCUMENTS, example_group, example_units
from desktop.store import open_store


def make_draft(data_dir: Path, name: str, *, documents: bool) -> None:
    units = example_units()
    with open_store(data_dir) as store:
        row = store.drafts.create("dgg", name, dgg.to_json_doc(example_group(group_name=name)))
        store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in units])
        if not documents:
            return
        folder = data_dir.parent / "docs"
        folder.mkdir(exist_ok=True)
        for unit in units:
            types = list(EXAMPLE_DOCUMENTS) + ([] if unit["owned_by_org"] else ["Schedule A"])
            for doc_type in types:
                path = folder / f"{unit['uid']}-{doc_type}.pdf"
                path.write_bytes(f"%PDF {unit['name']} {doc_type}".encode())
                store.documents.add(row.id, path, doc_type, unit_uid=unit["uid"])


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_list_json_shape(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_draft(data_dir, "North Star", documents=False)
    code, out, _ = run(capsys, "dgg", "list", "--json", "--data-dir", data_dir)
    assert code == 0
    rows = json.loads(out)
    assert list(rows[0]) == [
        "id",
        "name",
        "status",
        "units",
        "nameplate_mw",
        "issue_count",
        "issue_summary",
        "page",
        "updated_at",
    ]
    assert rows[0]["name"] == "North Star" and rows[0]["units"] == 12
    assert rows[0]["nameplate_mw"] == pytest.approx(0.2148)


def test_list_text_and_empty(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--data-dir", data_dir, "dgg", "list")[1] == "No DGG drafts yet.\n"
    make_draft(data_dir, "North Star", documents=False)
    code, out, _ = run(capsys, "dgg", "list", "--data-dir", data_dir)
    assert code == 0 and "North Star" in out and "214.8 kW" in out


def test_check_blocks_without_documents(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_draft(data_dir, "North Star", documents=False)
    code, out, err = run(capsys, "dgg", "check", "north star", "--data-dir", data_dir)
    assert code == 1 and out == ""
    assert "[Documents] row 1, documents: Unit 1 (Olson residence) lacks: Interconnection" in err
    assert "cannot be submitted yet: 12 issues" in err


def test_check_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_draft(data_dir, "North Star", documents=False)
    code, out, _ = run(capsys, "dgg", "check", "North Star", "--json", "--data-dir", data_dir)
    doc = json.loads(out)
    assert code == 1
    assert list(doc) == ["name", "can_submit", "summary", "issues"]
    assert doc["can_submit"] is False and doc["summary"] == "12 issues"
    first = doc["issues"][0]
    assert list(first) == ["field", "severity", "message", "row", "file", "column", "page"]
    assert {i["page"] for i in doc["issues"]} == {"units", "documents"}


def test_check_passes_with_documents(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_draft(data_dir, "North Star", documents=True)
    code, out, _ = run(capsys, "dgg", "check", "North Star", "--data-dir", data_dir)
    assert code == 0 and "'North Star' can be submitted" in out
    code, out, _ = run(capsys, "dgg", "check", "North Star", "--json", "--data-dir", data_dir)
    assert code == 0 and json.loads(out)["can_submit"] is True


def test_unknown_draft_is_an_error_on_stderr(data_dir: Path, capsys) -> None:
    code, out, err = run(capsys, "dgg", "check", "Nope", "--data-dir", data_dir)
    assert code == 1 and out == "" and "There is no DGG draft named 'Nope'" in err


def test_export_import_round_trip_with_rename(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_draft(data_dir, "North Star", documents=True)
    file = tmp_path / "north-star.json"
    code, out, _ = run(capsys, "dgg", "export", "North Star", file, "--data-dir", data_dir)
    assert code == 0 and "12 units, 50 documents" in out
    code, out, _ = run(capsys, "dgg", "import", file, "--data-dir", data_dir)
    assert code == 0
    assert "already exists: imported as 'North Star (2)'" in out
    with open_store(data_dir) as store:
        first = store.drafts.by_name("dgg", "North Star")
        second = store.drafts.by_name("dgg", "North Star (2)")
        assert second.payload == first.payload
        assert store.units.list(second.id) == store.units.list(first.id)
        docs_a = [
            (d.unit_uid, d.doc_type, d.filename, d.sha256) for d in store.documents.list(first.id)
        ]
        docs_b = [
            (d.unit_uid, d.doc_type, d.filename, d.sha256) for d in store.documents.list(second.id)
        ]
        assert docs_a == docs_b
        assert second.issue_count == 0
    assert run(capsys, "dgg", "check", "North Star (2)", "--data-dir", data_dir)[0] == 0
    # into an empty store the name is kept
    other = tmp_path / "other"
    code, out, _ = run(capsys, "dgg", "import", file, "--data-dir", other)
    assert code == 0 and out.startswith("Imported 'North Star' (12 units, 50 documents)")


def test_import_refuses_bad_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "registry-desk/draft", "version": 9}))
    code, out, err = run(capsys, "dgg", "import", bad, "--data-dir", data_dir)
    assert code == 1 and out == "" and "version 9 is not supported" in err
    bad.write_text(
        json.dumps(
            {
                "format": "registry-desk/draft",
                "version": 1,
                "kind": "dgg",
                "name": "X",
                "payload": {"format": "registry-desk/dgg", "version": 7},
            }
        )
    )
    code, _, err = run(capsys, "dgg", "import", bad, "--data-dir", data_dir)
    assert code == 1 and "DGG format version 7 is not supported" in err
    with open_store(data_dir) as store:
        assert store.list_drafts("dgg") == []


def test_usage_errors_exit_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["dgg", "export", "only-a-name", "--data-dir", str(data_dir)])
    assert exc.value.code == 2
