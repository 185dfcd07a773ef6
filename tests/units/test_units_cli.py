"""`registry-desk units import|export|template` against a real store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from units_factories import make_units

from desktop.cli import main
from desktop.exchange import units_rules
from desktop.exchange.units_file import export_units
from desktop.store import open_store

HEAD = (
    "Unit name,Meter ID,Street,City,State,ZIP,County,Capacity,COD,Utility,Customer type,Owned,"
    "Fuel type,Fuel source"
)


def line(meter: str, **over: str) -> str:
    cells = {
        "name": f"Site {meter}",
        "meter": meter,
        "street": "1 Main St",
        "city": "Saint Paul",
        "state": "MN",
        "zip": "55101",
        "county": "Ramsey",
        "capacity": "7.6 kW",
        "cod": "01/05/2024",
        "utility": "Xcel Energy",
        "customer": "Residential",
        "owned": "Yes",
        "fuel": "Solar",
        "source": "Solar PV",
    }
    cells.update(over)
    return ",".join(cells.values())


def csv_file(tmp_path: Path, *lines: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(data_dir: Path, name: str) -> list[dict[str, Any]]:
    with open_store(data_dir) as store:
        draft = store.drafts.by_name("dgg", name)
        return store.units.list(draft.id)


def run(data_dir: Path, *args: str) -> int:
    return main(["units", *args, "--data-dir", str(data_dir)])


def test_import_creates_the_draft_from_a_spreadsheet(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(tmp_path, line("M1"), line("M2", capacity="0.004"))
    assert run(data_dir, "import", "Lakeside", str(path)) == 0
    assert "created DGG draft 'Lakeside': 2 units imported" in capsys.readouterr().out
    units = stored(data_dir, "Lakeside")
    assert [u["capacity_mw"] for u in units] == [0.0076, 0.004]
    with open_store(data_dir) as store:
        payload = store.drafts.by_name("dgg", "Lakeside").payload
    assert payload["state_province"] == "Minnesota"
    fuels = [(f["fuel_type"], f["fuel_source"]) for f in payload["fuels"]]
    assert fuels == [("Solar", "Solar PV")]
    assert payload["group_type"] == "Residential"


def test_wrong_values_exit_1_list_each_and_write_nothing(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(
        tmp_path,
        line("M1"),
        line("M2", cod="31/12/2024"),
        line("M3", capacity="1.5 MW"),
        line("M4", state="WI"),
        line("M1"),
    )
    assert run(data_dir, "import", "Bad", str(path)) == 1
    err = capsys.readouterr().err
    assert "row 3, column I (COD): '31/12/2024' is not a real calendar date" in err
    assert "row 4, column H (Capacity): Capacity 1.5 MW is above the 1 MW AC limit" in err
    assert "row 5, column E (State): The unit is in Wisconsin" in err
    assert "row 6, column B (Meter ID): Meter ID 'M1' is also used by row 2" in err
    assert "Nothing was written" in err
    with open_store(data_dir) as store:
        assert not store.drafts.exists("dgg", "Bad")


def test_only_valid_imports_the_rest(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(tmp_path, line("M1"), line("M2", cod="2024-02-30"), line("M3"))
    assert run(data_dir, "import", "Part", str(path), "--only-valid") == 0
    assert "1 row with errors left out" in capsys.readouterr().out
    assert [u["meter_id"] for u in stored(data_dir, "Part")] == ["M1", "M3"]


def test_missing_values_are_reported_but_do_not_block(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(tmp_path, line("M1", utility="", cod=""))
    assert run(data_dir, "import", "Gaps", str(path)) == 0
    err = capsys.readouterr().err
    assert "missing: " in err and "Interconnected utility is required" in err
    assert stored(data_dir, "Gaps")[0]["utility"] is None


def test_json_output(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path, line("M1"), line("M2", capacity="abc"))
    assert run(data_dir, "import", "J", str(path), "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 2 and out["rows_with_errors"] == 1 and out["imported"] == 0
    bad = [i for i in out["issues"] if i["blocks_import"]]
    assert bad == [
        {
            "field": "capacity_mw",
            "severity": "error",
            "message": "'abc' is not a capacity (expected e.g. 7.6 kW or 0.0076 MW)",
            "row": 3,
            "file": None,
            "column": "H (Capacity)",
            "page": None,
            "blocks_import": True,
        }
    ]


def test_reimport_replaces_and_keeps_uids_append_adds(tmp_path: Path, data_dir: Path) -> None:
    assert run(data_dir, "import", "G", str(csv_file(tmp_path, line("M1"), line("M2")))) == 0
    first = stored(data_dir, "G")
    again = csv_file(tmp_path, line("M2", city="Duluth"), line("M3"), name="b.csv")
    assert run(data_dir, "import", "G", str(again)) == 0
    second = stored(data_dir, "G")
    assert [u["meter_id"] for u in second] == ["M2", "M3"]
    assert second[0]["uid"] == first[1]["uid"] and second[0]["city"] == "Duluth"
    assert (
        run(data_dir, "import", "G", str(csv_file(tmp_path, line("M9"), name="c.csv")), "--append")
        == 0
    )
    assert [u["meter_id"] for u in stored(data_dir, "G")] == ["M2", "M3", "M9"]
    dup = csv_file(tmp_path, line("M3"), name="d.csv")
    assert run(data_dir, "import", "G", str(dup), "--append") == 1


def test_map_option_reads_an_unknown_header(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(HEAD.replace("Utility", "Netzbetreiber") + "\n" + line("M1") + "\n")
    assert run(data_dir, "import", "M", str(path), "--map", "Netzbetreiber=utility") == 0
    assert stored(data_dir, "M")[0]["utility"] == "Xcel Energy"
    assert run(data_dir, "import", "M", str(path), "--map", "Netzbetreiber=nope") == 2


def test_export_and_template(tmp_path: Path, data_dir: Path, store_units: Any = None) -> None:
    with open_store(data_dir) as store:
        draft = store.drafts.create("dgg", "E", {"state_province": "Minnesota"})
        store.units.replace_all(draft.id, units_rules.units_to_json(make_units(5)))
    assert run(data_dir, "export", "E", str(tmp_path / "e.csv")) == 0
    assert run(data_dir, "export", "E", str(tmp_path / "e.xlsx")) == 0
    assert len((tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()) == 6
    assert openpyxl.load_workbook(tmp_path / "e.xlsx")["Units"].max_row == 6
    assert run(data_dir, "export", "E", str(tmp_path / "e.txt")) == 1
    assert run(data_dir, "export", "Nope", str(tmp_path / "n.csv")) == 1
    assert main(["units", "template", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").exists()


def test_unreadable_file_exit_1(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert run(data_dir, "import", "X", str(path)) == 1
    assert "not a readable .xlsx workbook" in capsys.readouterr().err
    export_units(tmp_path / "ok.csv", make_units(1))
    assert run(data_dir, "import", "X", str(tmp_path / "missing.csv")) == 1


def test_import_keeps_the_drafts_issue_summary_current(tmp_path: Path, data_dir: Path) -> None:
    assert run(data_dir, "import", "S", str(csv_file(tmp_path, line("M1", utility="")))) == 0
    with open_store(data_dir) as store:
        draft = store.drafts.by_name("dgg", "S")
    assert draft.issue_count > 0 and draft.issue_summary != "No issues"
    assert draft.payload["format"]  # a payload the DGG wizard reads
