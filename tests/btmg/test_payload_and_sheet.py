"""The versioned payload, the whole-draft JSON file and the MECT entry sheet (XLSX, PDF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.errors import InputError
from desktop.exchange import btmg_json
from desktop.exchange.mect_sheet import SheetHeader, write_sheet
from desktop.models.btmg import FORMAT, Enrollment, GeneratorOption, LocalGenerator
from desktop.models.btmg_fields import REGISTRATION_FIELDS, SEASON_FIELDS
from desktop.models.btmg_sheet import entry_sheet
from desktop.models.planning import SEASONS, Season
from tests.btmg.conftest import complete_enrollment

GEN = {"generator:1": GeneratorOption("generator:1", "Mill CHP", 2.5, "Generator")}
HEADER = SheetHeader(
    "Mill Street BTMG", "PY 2026-2027", "Feb 15 / Mar 1", date(2026, 1, 10), "Draft"
)


def test_payload_round_trips_every_field() -> None:
    e = complete_enrollment()
    e.local_generators.append(LocalGenerator("x1", "Backup diesel", 0.5))
    e.generator_snapshot["generator:1"] = {"name": "Mill CHP", "capacity_mw": 2.5}
    e.seasons[Season.FALL]["excluded"] = True
    e.mect_registration_id = "BTMG-1"
    e.mect_entered_on = date(2026, 1, 12)
    raw = json.loads(json.dumps(e.to_json()))
    assert raw["format"] == FORMAT and raw["version"] == 1
    assert Enrollment.from_json(raw) == e


def test_a_payload_from_a_newer_release_or_another_format_is_refused() -> None:
    raw = complete_enrollment().to_json()
    with pytest.raises(InputError, match="version 2"):
        Enrollment.from_json({**raw, "version": 2})
    with pytest.raises(InputError, match="not a BTMG enrollment"):
        Enrollment.from_json({**raw, "format": "registry-desk.dgg"})
    with pytest.raises(InputError, match="damaged"):
        Enrollment.from_json({**raw, "planning_year": "next year"})


def test_copy_season_to_the_others_and_move_to_next_year() -> None:
    e = complete_enrollment()
    e.seasons[Season.SUMMER].update(max_interruptions=9, notification="6 hours")
    e.copy_season(Season.SUMMER)
    assert all(e.seasons[s]["max_interruptions"] == 9 for s in SEASONS)
    e.seasons[Season.FALL]["max_interruptions"] = 3
    assert e.seasons[Season.SUMMER]["max_interruptions"] == 9  # copies, not shared dicts
    assert e.move_to_next_year().name == "PY 2027-2028"


def test_entry_sheet_lists_every_step_in_mect_order_season_by_season() -> None:
    e = complete_enrollment()
    e.seasons[Season.FALL]["excluded"] = True
    sections = entry_sheet(e, GEN, ["one-line.pdf"])
    titles = [s.title for s in sections]
    assert titles[0].startswith("Registration") and titles[-1].startswith("Submit")
    assert [t.split()[0] for t in titles[4:8]] == ["Summer", "Fall", "Winter", "Spring"]
    steps = [r.step for s in sections for r in s.rows]
    registration = [r.step for s in sections[:4] for r in s.rows]
    assert registration == list(range(4, 16))
    for section in sections[4:8]:
        assert [r.step for r in section.rows] == list(range(16, 25))
    assert steps[-7:] == [26, 26, 26, 26, 27, 27, 27]
    labels = {r.label for s in sections for r in s.rows}
    for spec in (*REGISTRATION_FIELDS, *SEASON_FIELDS):
        assert spec.label in labels, spec.label  # a declared field missing from the sheet fails
    fall = {r.label: r.value for r in sections[5].rows}
    assert fall["Exclude from season"] == "Yes" and fall["Notification"] == "— (season excluded)"
    summer = {r.label: r.value for r in sections[4].rows}
    assert summer["Generators"] == "Mill CHP (Generator, 2.5 MW)"
    assert summer["XEFORd Override"] == "4.50 %"
    lba = {r.label: r.value for r in sections[0].rows}["Local Balancing Authority (LBA)"]
    assert lba == "NSP (Local Resource Zone 1)"


def test_xlsx_sheet_holds_every_value_as_text_in_step_order(tmp_path: Path) -> None:
    e = complete_enrollment()
    e.values["operator_phone"] = "0651 555 0100"  # leading zero must survive
    path = write_sheet(tmp_path / "sheet.xlsx", HEADER, entry_sheet(e, GEN, ["a.pdf"]))
    ws = load_workbook(path).active
    assert ws is not None
    rows = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[0] for r in rows][:12] == list(range(4, 16))
    values = {r[1]: r[2] for r in rows}
    assert values["Operator Contact Phone"] == "0651 555 0100"
    assert values["Load Zone CPNode"] == "NSP.NSP"
    assert sum(1 for r in rows if r[1] == "Max Interruptions") == 4
    assert {r[3] for r in rows} == {"☐"}
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_pdf_sheet_is_written_and_renders(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "sheet.pdf", HEADER, entry_sheet(complete_enrollment(), GEN, []))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5_000
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 2


def test_sheet_needs_a_known_extension_and_an_existing_folder(tmp_path: Path) -> None:
    sections = entry_sheet(complete_enrollment(), GEN, [])
    with pytest.raises(InputError, match=r"\.xlsx or \.pdf"):
        write_sheet(tmp_path / "sheet.csv", HEADER, sections)
    with pytest.raises(InputError, match="folder does not exist"):
        write_sheet(tmp_path / "nope" / "sheet.pdf", HEADER, sections)


def test_draft_file_round_trips_with_documents(tmp_path: Path) -> None:
    draft = btmg_json.DraftFile(
        "Mill", "Draft", complete_enrollment(), (btmg_json.DocumentBlob("a.pdf", "Other", b"%PDF"),)
    )
    path = btmg_json.write_draft(tmp_path / "d.json", draft)
    assert btmg_json.read_draft(path) == draft


def test_draft_file_problems_are_located(tmp_path: Path) -> None:
    good = btmg_json.to_document(
        btmg_json.DraftFile(
            "Mill", "Draft", complete_enrollment(), (btmg_json.DocumentBlob("a", "b", b"x"),)
        )
    )
    cases = {
        "broken.json": ("{not json", "line 1"),
        "newer.json": (json.dumps({**good, "version": 9}), "version 9"),
        "other.json": (json.dumps({"format": "x"}), "not a Registry Desk BTMG draft"),
        "tampered.json": (
            json.dumps({**good, "documents": [{**good["documents"][0], "sha256": "0" * 64}]}),
            "documents[0]: Document 'a' does not match its SHA-256",
        ),
    }
    for name, (text, words) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            btmg_json.read_draft(tmp_path / name)
        assert words in str(caught.value) and name in str(caught.value)
