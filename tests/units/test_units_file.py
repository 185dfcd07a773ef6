"""The units file: every bad input gets a located answer, and good files round-trip exactly."""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from units_factories import GROUP, TODAY, make_units

from desktop.errors import InputError
from desktop.exchange import units_rules
from desktop.exchange.units_columns import HEADERS, header_for, match_headers
from desktop.exchange.units_csv import ImportCancelledError, ReadControl, read_csv
from desktop.exchange.units_file import (
    UnitsImport,
    export_units,
    read_units_file,
    write_template,
)
from desktop.models.units import UNIT_FIELDS

HEAD = (
    "Unit name,Meter ID,Street,City,State,ZIP,County,Capacity,COD,Utility,Customer type,Owned,"
    "Fuel type,Fuel source"
)
ROW = (
    "Olson roof,M1,1 Main St,Saint Paul,MN,55101,Ramsey,7.6 kW,2024-05-01,Xcel Energy,"
    "Residential,Yes,Solar,Solar PV"
)


def write(
    tmp_path: Path, text: str | bytes, name: str = "units.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def row(**changes: str) -> str:
    cells = dict(zip(HEAD.split(","), ROW.split(","), strict=True))
    cells.update({k.replace("_", " "): v for k, v in changes.items()})
    return ",".join(cells.values())


def read(path: Path, **kw: Any) -> UnitsImport:
    result = read_units_file(path, **kw)
    result.evaluate(GROUP, today=TODAY)
    return result


def located(result: UnitsImport) -> list[str]:
    return [result.located(i) for i in result.issues if result.blocks(i)]


def strip(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in u.items() if k != "uid"} for u in units]


# --- Headers ---------------------------------------------------------------------------------


def test_headers_match_labels_keys_and_aliases_in_any_order() -> None:
    headers = [
        "COD",
        "revenue_meter_id",
        "Unit Name *",
        "ZIP",
        "Nameplate capacity (AC) [MW AC]",
        "Notes",
    ]
    match = match_headers(headers)
    assert match.columns == {
        0: "cod",
        1: "meter_id",
        2: "name",
        3: "postal_code",
        4: "capacity_mw",
    }
    assert match.unknown == [5]


def test_every_declared_field_has_a_file_column_and_export_header() -> None:
    assert [match_headers([h]).columns[0] for h in HEADERS] == [s.key for s in UNIT_FIELDS]
    assert tuple(header_for(s) for s in UNIT_FIELDS) == HEADERS


def test_good_file_reads_typed_values(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{ROW}\n"))
    assert result.issues == [] or not located(result)
    unit = result.units[0]
    assert unit["state_province"] == "Minnesota"  # the code MN was accepted
    assert unit["capacity_mw"] == 0.0076
    assert unit["cod"] == date(2024, 5, 1)
    assert unit["owned_by_org"] is True


# --- Encodings and delimiters ----------------------------------------------------------------


def test_utf8_bom_semicolons(tmp_path: Path) -> None:
    text = f"{HEAD}\n{ROW.replace('Olson', 'Škoda')}\n".replace(",", ";")
    result = read(write(tmp_path, codecs.BOM_UTF8 + text.encode()))
    assert result.source == "CSV (UTF-8 with BOM, semicolon)"
    assert result.units[0]["name"] == "Škoda roof"
    assert not located(result)


def test_windows_1252_and_tab(tmp_path: Path) -> None:
    text = f"{HEAD}\n{ROW.replace('Olson', 'Café')}\n".replace(",", "\t")
    result = read(write(tmp_path, text, encoding="cp1252"))
    assert result.source == "CSV (Windows-1252, tab)"
    assert result.units[0]["name"] == "Café roof"


def test_late_windows_1252_byte_after_utf8_looking_start(tmp_path: Path) -> None:
    rows = [row(Meter_ID=f"M{i}", Capacity="1 kW") for i in range(3000)]
    rows.append(row(Meter_ID="M9999", Unit_name="Caf\xe9", Capacity="1 kW"))
    data = (HEAD + "\n" + "\n".join(rows) + "\n").encode("cp1252")
    result = read(write(tmp_path, data))
    assert result.units[-1]["name"] == "Café"
    assert "Windows-1252" in result.source


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    text = f"{HEAD}\n{ROW}\n".replace(",", "\t")
    result = read(write(tmp_path, text.encode("utf-16")))
    assert result.units[0]["meter_id"] == "M1"


# --- Dates -----------------------------------------------------------------------------------


def test_excel_date_serials_and_us_dates_are_converted_and_reported(tmp_path: Path) -> None:
    text = f"{HEAD}\n{row(COD='45662')}\n{row(Meter_ID='M2', COD='1/5/2025')}\n"
    result = read(write(tmp_path, text))
    assert [u["cod"] for u in result.units] == [date(2025, 1, 5), date(2025, 1, 5)]
    assert any("Excel date serial" in n for n in result.notes)
    assert any("read month first" in n for n in result.notes)


def test_bad_date_is_located(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{row(COD='13/45/2025')}\n"))
    assert located(result) == ["row 2, column I (COD): '13/45/2025' is not a real calendar date"]
    assert result.blocking_rows == {0}


def test_future_cod_blocks(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{row(COD='2030-01-01')}\n"))
    assert result.blocking_rows == {0}
    assert "future" in located(result)[0]


# --- Shapes of CSV -------------------------------------------------------------------------


def test_blank_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    text = f"\n{HEAD}\n\n{ROW}\n,,,,\n\n{row(Meter_ID='M2')}\n\n"
    result = read(write(tmp_path, text))
    assert len(result.units) == 2
    assert result.numbers == [4, 7]  # spreadsheet rows, as Excel numbers them
    assert "4 blank rows skipped." in result.notes


def test_trailing_commas_are_harmless(tmp_path: Path) -> None:
    text = f"{HEAD},,\n{ROW},,\n{row(Meter_ID='M2')},\n"
    result = read(write(tmp_path, text))
    assert len(result.units) == 2
    assert not located(result)


def test_value_beyond_the_last_header_is_located(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{ROW},surprise\n"))
    assert located(result) == [
        "row 2, column O: This row has a value beyond the last header ('surprise'); "
        "a comma or quote may be misplaced."
    ]


def test_quoted_newlines_stay_in_their_cell(tmp_path: Path) -> None:
    street = '"1 Main St\nSuite 5"'
    text = f"{HEAD}\n{row(Street=street)}\n{row(Meter_ID='M2')}\n"
    result = read(write(tmp_path, text))
    assert result.units[0]["street"] == "1 Main St\nSuite 5"
    assert result.numbers == [2, 3]


def test_unclosed_quote_is_an_input_error_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEAD}\n{row(Street=chr(34) + '1 Main')}\n" + "x" * 200_000)
    with pytest.raises(InputError, match="line"):
        read_units_file(path)


def test_empty_file_and_unknown_headers(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_units_file(write(tmp_path, "\n\n"))
    with pytest.raises(InputError, match="None of the headers"):
        read_units_file(write(tmp_path, "a,b,c\n1,2,3\n"))


def test_duplicated_column_blocks_the_file(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD},Meter\n{ROW},M7\n"))
    assert result.file_errors and "both hold Revenue meter ID" in result.file_errors[0].message
    with pytest.raises(InputError):
        result.units_to_commit(GROUP, only_valid=True, today=TODAY)


def test_capacity_in_a_kw_column(tmp_path: Path) -> None:
    text = HEAD.replace("Capacity", "Capacity (kW)") + "\n" + row(Capacity="7.6") + "\n"
    result = read(write(tmp_path, text))
    assert result.units[0]["capacity_mw"] == 0.0076
    assert any("kW" in n for n in result.notes)


# --- DGG rules on files --------------------------------------------------------------------


def test_duplicated_meter_ids_name_each_other_by_file_row(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{ROW}\n{row(Unit_name='Barn')}\n"))
    assert located(result) == [
        "row 2, column B (Meter ID): Meter ID 'M1' is also used by row 3; "
        "each unit needs its own revenue meter",
        "row 3, column B (Meter ID): Meter ID 'M1' is also used by row 2; "
        "each unit needs its own revenue meter",
    ]


def test_unit_over_1_mw_blocks(tmp_path: Path) -> None:
    result = read(write(tmp_path, f"{HEAD}\n{row(Capacity='1.2 MW')}\n"))
    assert result.blocking_rows == {0}
    assert any("1.2 MW is above the 1 MW AC limit" in line for line in located(result))


def test_units_in_two_states(tmp_path: Path) -> None:
    rows = [row(Meter_ID=f"M{i}") for i in range(3)] + [row(Meter_ID="M9", State="WI")]
    path = write(tmp_path, HEAD + "\n" + "\n".join(rows) + "\n")
    result = read_units_file(path)
    result.evaluate({}, today=TODAY)  # a group started from the file: the majority state wins
    assert located(result) == [
        "row 5, column E (State): The unit is in Wisconsin, but every unit of the group "
        "must be in Minnesota"
    ]


def test_total_over_1_mw_blocks_the_file(tmp_path: Path) -> None:
    rows = [row(Meter_ID=f"M{i}", Capacity="300 kW") for i in range(4)]
    result = read(write(tmp_path, HEAD + "\n" + "\n".join(rows) + "\n"))
    assert not result.blocking_rows
    assert "1.2 MW" in result.file_errors[0].message
    with pytest.raises(InputError, match="as a whole"):
        result.units_to_commit(GROUP, only_valid=False, today=TODAY)


def test_missing_values_do_not_block_but_wrong_ones_do(tmp_path: Path) -> None:
    text = f"{HEAD}\n{row(Utility='', COD='')}\n{row(Meter_ID='M2', Capacity='lots')}\n"
    result = read(write(tmp_path, text))
    assert result.blocking_rows == {1}
    missing = [i for i in result.issues if i.row == 0]
    assert {i.field for i in missing} == {"utility", "cod"}
    assert not any(result.blocks(i) for i in missing)
    with pytest.raises(InputError, match="1 row has wrong values"):
        result.units_to_commit(GROUP, only_valid=False, today=TODAY)
    assert [u["meter_id"] for u in result.units_to_commit(GROUP, only_valid=True, today=TODAY)] == [
        "M1"
    ]


def test_existing_meter_ids_keep_their_uid(tmp_path: Path) -> None:
    existing = make_units(3)
    export_units(tmp_path / "u.csv", existing)
    result = read_units_file(tmp_path / "u.csv", existing=existing)
    assert [u["uid"] for u in result.units] == [u["uid"] for u in existing]


# --- Export, template, round trip ----------------------------------------------------------


def test_round_trip_csv_store_xlsx_store(tmp_path: Path, store: Any) -> None:
    units = make_units(200)
    units[3]["name"] = '=HYPERLINK("http://x")'
    units[4]["street"] = '-5 Lake Rd, "North"\nBack door'
    units[5]["latitude"] = None
    units[6]["unit_status"] = "Deactivated"
    export_units(tmp_path / "a.csv", units)
    first = read_units_file(tmp_path / "a.csv")
    first_units = first.units_to_commit(GROUP, only_valid=False, today=TODAY)
    draft = store.drafts.create("dgg", "Round trip", dict(GROUP))
    store.units.replace_all(draft.id, units_rules.units_to_json(first_units))
    stored = units_rules.units_from_json(store.units.list(draft.id))
    export_units(tmp_path / "b.xlsx", stored)
    second = read_units_file(tmp_path / "b.xlsx", existing=stored)
    store.units.replace_all(draft.id, units_rules.units_to_json(second.units))
    again = units_rules.units_from_json(store.units.list(draft.id))
    assert again == stored
    assert strip(again) == strip(units)


def test_csv_export_columns_dates_and_formula_neutralising(tmp_path: Path) -> None:
    units = make_units(2)
    units[0]["name"] = "=1+2"
    units[1]["name"] = "@SUM(A1)"
    export_units(tmp_path / "u.csv", units)
    raw = (tmp_path / "u.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["Unit name", "Revenue meter ID"]
    assert lines[1].startswith("'=1+2,")
    assert lines[2].startswith("'@SUM(A1),")
    cod = units[0]["cod"].strftime("%m/%d/%Y")
    assert f",{cod}," in lines[1]
    assert ",-93." in lines[1]  # numbers are not text: a negative longitude is left alone


def test_xlsx_export_is_friendly_and_safe(tmp_path: Path) -> None:
    units = make_units(3)
    units[0]["name"] = "=cmd|' /C calc'!A0"
    export_units(tmp_path / "u.xlsx", units)
    book = openpyxl.load_workbook(tmp_path / "u.xlsx")
    assert book.sheetnames == ["Units", "Lists", "Columns"]
    sheet = book["Units"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(HEADERS)
    cod = sheet.cell(row=2, column=HEADERS.index(header_for(UNIT_FIELDS[10])) + 1)
    assert cod.value == units[0]["cod"].isoformat() and cod.number_format == "@"
    name = sheet["A2"]
    assert name.data_type == "s" and name.value == units[0]["name"] and name.quotePrefix
    lists = {str(dv.sqref)[0] for dv in sheet.data_validations.dataValidation}
    assert {"E", "M", "N", "O", "P", "Q", "R"} <= lists
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABCDE")
    assert book["Lists"].sheet_state == "hidden"
    help_rows = [r[0].value for r in book["Columns"].iter_rows(min_row=5)]
    assert help_rows == list(HEADERS)


def test_template_is_an_empty_workbook_with_help(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book["Units"].max_row == 1
    assert book["Units"].data_validations.dataValidation
    with pytest.raises(InputError, match="folder does not exist"):
        write_template(tmp_path / "nope" / "t.xlsx")
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_template(tmp_path / "t.csv")


def test_excel_typed_workbook_cells_are_normalised(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD.split(","))
    sheet.append(
        [
            "Olson",
            12345,
            "1 Main",
            "St Paul",
            "MN",
            55101,
            "Ramsey",
            0.0076,
            date(2024, 5, 1),
            "Xcel",
            "Residential",
            True,
            "Solar",
            "Solar PV",
        ]
    )
    book.save(tmp_path / "typed.xlsx")
    result = read(tmp_path / "typed.xlsx")
    unit = result.units[0]
    assert (unit["meter_id"], unit["postal_code"], unit["cod"]) == (
        "12345",
        "55101",
        date(2024, 5, 1),
    )
    assert unit["capacity_mw"] == 0.0076 and unit["owned_by_org"] is True


# --- Hostile files -------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(tmp_path / "t.xlsx") as src,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(InputError, match="ZIP bomb"):
        read_units_file(bomb)


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    bomb = tmp_path / "lol.xlsx"
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    )
    with zipfile.ZipFile(tmp_path / "t.xlsx") as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            data = lol.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info, data)
    with pytest.raises(InputError, match="entity bomb"):
        read_units_file(bomb)


def test_zip_that_is_not_a_workbook_and_old_xls(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_units_file(write(tmp_path, buffer.getvalue(), "x.xlsx"))
    with pytest.raises(InputError, match=r"\.xls workbook"):
        read_units_file(write(tmp_path, b"\xd0\xcf\x11\xe0" + b"\0" * 100, "x.xls"))
    with pytest.raises(InputError, match="ZIP container is damaged"):
        read_units_file(write(tmp_path, b"PK\x03\x04garbage", "broken.xlsx"))


def test_random_bytes_get_a_clear_answer(tmp_path: Path) -> None:
    import random

    data = random.Random(3).randbytes(4096)
    with pytest.raises(InputError, match="not a text"):
        read_units_file(write(tmp_path, data, "random.csv"))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2048))
def test_csv_reader_never_raises_anything_but_input_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        result = read_units_file(path)
        result.evaluate(GROUP, today=TODAY)
    except InputError:
        pass


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(alphabet=st.sampled_from(list(',;\t"\n\r x1/-.kWM')), max_size=400))
def test_csv_reader_on_csv_like_text(tmp_path: Path, body: str) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_text(HEAD + "\n" + body, encoding="utf-8")
    try:
        result = read_units_file(path)
        result.evaluate(GROUP, today=TODAY)
        result.summary()
    except InputError:
        pass


@pytest.mark.slow
def test_200_mb_file_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    line = (row(Street="x" * 1900) + "\n").encode()
    with path.open("wb") as fh:
        fh.write((HEAD + "\n").encode())
        chunk = line * 1000
        while fh.tell() < 200 * 1024 * 1024:
            fh.write(chunk)
    seen: list[float] = []

    def cancel_after_a_few() -> bool:
        return len(seen) >= 3

    with pytest.raises(ImportCancelledError):
        read_csv(path, ReadControl(progress=seen.append, cancelled=cancel_after_a_few))
    assert seen == sorted(seen) and 0 < seen[-1] < 0.5
    seen.clear()
    with pytest.raises(InputError, match="more than 50,000 units"):
        read_units_file(path, control=ReadControl(progress=seen.append))
    assert seen and seen[-1] < 1.0


def test_user_guide_lists_every_column_with_its_aliases() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "units.md").read_text(encoding="utf-8")
    for spec in UNIT_FIELDS:
        assert f"| {header_for(spec)} |" in guide
        assert all(alias in guide for alias in spec.aliases)
