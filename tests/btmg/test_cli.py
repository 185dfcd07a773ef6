"""`registry-desk btmg ...` and `registry-desk calendar btmg-deadlines`, run in-process on a real
store in a temporary data folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from desktop.commands import btmg as svc
from desktop.models.planning import next_enrollable_year
from desktop.store import open_store
from tests.btmg.conftest import add_generator, complete_enrollment

Capsys = pytest.CaptureFixture[str]
# Commands without --today count from the real day: the drafts are for a year still open then.
PY = next_enrollable_year(date.today())
Y = PY.start_year


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A store with one complete draft ('Mill Street BTMG') and one blank one ('Clinic CHP')."""
    folder = tmp_path / "data"
    with open_store(folder) as store:
        gen = add_generator(store)
        row = svc.create(store, "Mill Street BTMG")
        doc = tmp_path / "one-line.pdf"
        doc.write_bytes(b"%PDF-1.4 one-line")
        store.documents.add(row.id, doc, "One-line diagram")
        enrollment = complete_enrollment((f"generator:{gen}",))
        enrollment.planning_year = Y
        svc.save(store, row.id, enrollment)
        svc.create(store, "Clinic CHP")
    return folder


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_sorted_by_urgency(data_dir: Path, capsys: Capsys) -> None:
    code, out, _ = run(
        capsys, "btmg", "list", "--json", "--today", f"{Y}-02-03", "--data-dir", str(data_dir)
    )
    rows = json.loads(out)
    assert code == 0
    assert {r["name"] for r in rows} == {"Mill Street BTMG", "Clinic CHP"}
    assert all(r["planning_year"] == PY.name for r in rows)
    assert rows[0]["frap_days_left"] == 12 and rows[0]["required_deadline"] == f"{Y}-03-01"


def test_list_text_says_late_and_what_to_do(data_dir: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "btmg", "list", "--today", f"{Y}-03-02", "--data-dir", str(data_dir))
    assert code == 0
    assert out.count(f"Late for {PY.name}") == 2 and f"Move it to {PY.next().name}" in out


def test_check_exit_status_follows_completeness(data_dir: Path, capsys: Capsys) -> None:
    code, out, _ = run(
        capsys,
        "btmg",
        "check",
        "Mill Street BTMG",
        "--json",
        "--today",
        f"{Y}-01-10",
        "--data-dir",
        str(data_dir),
    )
    assert code == 0 and json.loads(out)["complete"] is True
    code, out, err = run(capsys, "btmg", "check", "clinic chp", "--data-dir", str(data_dir))
    assert code == 1
    assert "error: asset_owner: Asset Owner is required" in err
    assert "Clinic CHP:" in out
    code, _, err = run(
        capsys,
        "btmg",
        "check",
        "Mill Street BTMG",
        "--today",
        f"{Y}-03-02",
        "--data-dir",
        str(data_dir),
    )
    assert code == 1 and f"Late for {PY.name}" in err


def test_check_unknown_name_says_which_drafts_exist(data_dir: Path, capsys: Capsys) -> None:
    code, _, err = run(capsys, "btmg", "check", "Nope", "--data-dir", str(data_dir))
    assert code == 1 and "no BTMG draft named 'Nope'" in err and "Clinic CHP" in err


def test_sheet_xlsx_and_pdf(data_dir: Path, tmp_path: Path, capsys: Capsys) -> None:
    for name in ("sheet.xlsx", "sheet.pdf"):
        code, out, _ = run(
            capsys,
            "btmg",
            "sheet",
            "Mill Street BTMG",
            "--out",
            str(tmp_path / name),
            "--data-dir",
            str(data_dir),
        )
        assert code == 0 and out.strip() == str(tmp_path / name)
    ws = load_workbook(tmp_path / "sheet.xlsx").active
    assert ws is not None
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "one-line.pdf" in cells and "Mill CHP (Generator, 2.5 MW)" in cells
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")


def test_sheet_of_an_incomplete_draft_needs_incomplete_flag(
    data_dir: Path, tmp_path: Path, capsys: Capsys
) -> None:
    out_file = tmp_path / "clinic.xlsx"
    code, _, err = run(
        capsys, "btmg", "sheet", "Clinic CHP", "--out", str(out_file), "--data-dir", str(data_dir)
    )
    assert code == 1 and "--incomplete" in err and not out_file.exists()
    code, _, _ = run(
        capsys,
        "btmg",
        "sheet",
        "Clinic CHP",
        "--out",
        str(out_file),
        "--incomplete",
        "--data-dir",
        str(data_dir),
    )
    assert code == 0 and out_file.exists()
    code, _, err = run(
        capsys,
        "btmg",
        "sheet",
        "Clinic CHP",
        "--out",
        str(tmp_path / "x.txt"),
        "--data-dir",
        str(data_dir),
    )
    assert code == 2 and ".xlsx or .pdf" in err


def test_export_then_import_into_another_store(
    data_dir: Path, tmp_path: Path, capsys: Capsys
) -> None:
    exported = tmp_path / "mill.json"
    assert (
        run(
            capsys, "btmg", "export", "Mill Street BTMG", str(exported), "--data-dir", str(data_dir)
        )[0]
        == 0
    )
    other = tmp_path / "other"
    code, out, _ = run(capsys, "btmg", "import", str(exported), "--data-dir", str(other))
    assert code == 0 and "Imported 'Mill Street BTMG'" in out
    with open_store(other) as store:
        row = store.drafts.by_name("btmg", "Mill Street BTMG")
        docs = store.documents.list(row.id)
        assert [d.filename for d in docs] == ["one-line.pdf"]
        assert store.documents.content(docs[0].id) == b"%PDF-1.4 one-line"
        _, e = svc.load(store, row.id)
        # The generator draft is not in this store: it came along as a generator of the draft.
        assert [g.name for g in e.local_generators] == ["Mill CHP"]
        assert e.seasons["summer"]["generators"] == (e.local_generators[0].ref,)  # type: ignore[index]
        assert row.issue_count == 0
    code, out, _ = run(capsys, "btmg", "import", str(exported), "--data-dir", str(other))
    assert "Imported 'Mill Street BTMG (2)'" in out


def test_import_of_a_bad_file_is_located_and_adds_nothing(tmp_path: Path, capsys: Capsys) -> None:
    bad = tmp_path / "bad.json"
    enrollment = {"format": "registry-desk.btmg", "version": 1}  # no planning_year
    doc = {
        "format": "registry-desk.btmg-draft",
        "version": 1,
        "name": "X",
        "enrollment": enrollment,
    }
    bad.write_text(json.dumps(doc))
    code, _, err = run(capsys, "btmg", "import", str(bad), "--data-dir", str(tmp_path / "d"))
    assert code == 1 and "bad.json: enrollment" in err and "damaged" in err
    with open_store(tmp_path / "d") as store:
        assert store.list_drafts("btmg") == []


def test_mark_entered_after_the_sheet(data_dir: Path, tmp_path: Path, capsys: Capsys) -> None:
    args = (
        "btmg",
        "mark-entered",
        "Mill Street BTMG",
        "--mect-id",
        "BTMG-42",
        "--date",
        "2026-01-12",
    )
    code, _, err = run(capsys, *args, "--data-dir", str(data_dir))
    assert code == 1 and "Submit the enrollment first" in err
    with open_store(data_dir) as store:
        row = store.drafts.by_name("btmg", "Mill Street BTMG")
        svc.submit(store, row.id, [tmp_path / "s.xlsx"])
    code, out, _ = run(capsys, *args, "--data-dir", str(data_dir))
    assert code == 0 and "Submitted (MECT registration BTMG-42)" in out
    with open_store(data_dir) as store:
        row = store.drafts.by_name("btmg", "Mill Street BTMG")
        assert (row.status, row.registry_id) == ("Submitted", "BTMG-42")
        assert svc.load(store, row.id)[1].mect_entered_on == date(2026, 1, 12)


def test_calendar_btmg_deadlines_json_for_a_leap_winter(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "calendar", "btmg-deadlines", "2027", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["first_day"] == "2027-06-01" and doc["last_day"] == "2028-05-31"
    assert [s["season"] for s in doc["seasons"]] == ["Summer", "Fall", "Winter", "Spring"]
    assert doc["seasons"][2]["last_day"] == "2028-02-29"
    assert doc["mect_opening"] == "2026-10-01"
    assert [(d["kind"], d["date"]) for d in doc["deadlines"]] == [
        ("frap", "2027-02-15"),
        ("required", "2027-03-01"),
    ]


def test_calendar_btmg_deadlines_text(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "calendar", "btmg-deadlines", "2023")
    assert code == 0
    assert "MECT opens:        Mon Oct 03, 2022" in out  # Oct 1 2022 was a Saturday
    assert "Wed Feb 15, 2023" in out and "Wed Mar 01, 2023" in out
    assert run(capsys, "calendar", "btmg-deadlines", "12")[0] == 2
