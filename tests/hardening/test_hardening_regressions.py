"""Bugs the fuzzing found, each pinned by the smallest input that showed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import InputError
from desktop.exchange.generation_inputs import read_inputs
from desktop.exchange.meter_files import sniff

FIXTURES = Path(__file__).resolve().parents[1] / "generation" / "fixtures"


def blocking(path: Path, **kw: object) -> list[str]:
    return [i.located() for i in read_inputs([path], **kw).readings.issues if i.blocking]  # type: ignore[arg-type]


def test_meter_csv_carriage_return_in_a_quoted_block_is_located(tmp_path: Path) -> None:
    """csv.Error ('new-line character seen in unquoted field') escaped the meter reader."""
    path = tmp_path / "m.csv"
    path.write_bytes(b'Timestamp,kWh\n2025-04-01T00:00:00-05:00,1\n\x00\r,"1\n')
    problems = blocking(path)
    assert problems == [
        f"{path}, line 3: this line is not valid CSV "
        "(a carriage return inside a field that is not in quotes)"
    ]


def test_meter_csv_rows_after_a_refused_line_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(
        b'Timestamp,kWh\n"2025-04-01T00:00:00-05:00",1\nbad\r,1\n"2025-04-01T01:00:00-05:00",x\n'
    )
    problems = blocking(path)
    assert [p.split(":")[0] for p in problems] == [f"{path}, line 3", f"{path}, line 4, column kWh"]


def test_meter_csv_carriage_return_in_the_header_is_located(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"Time\rstamp,kWh\n2025-04-01 00:00,1\n")
    assert blocking(path) == [
        f"{path}, line 1: the header row is not valid CSV "
        "(a carriage return inside a field that is not in quotes)"
    ]


def test_meter_sniff_of_an_over_long_field_is_an_input_error(tmp_path: Path) -> None:
    """The mapping dialog's first look raised csv.Error for a field over 128 KB."""
    path = tmp_path / "m.csv"
    path.write_text('Timestamp,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1 is not valid CSV") as caught:
        sniff(path)
    assert caught.value.where == str(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("flowDirection", "1e400", "ReadingType flowDirection '1e400' is not a whole number"),
        ("accumulationBehaviour", "NaN", "ReadingType accumulationBehaviour 'NaN' is not a whole"),
        ("uom", "Wh", "ReadingType uom 'Wh' is not a whole number"),
        ("powerOfTenMultiplier", "400", "powerOfTenMultiplier 400 is outside ESPI's -9 to 9"),
    ],
)
def test_green_button_unreadable_reading_type_numbers(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    """int('1e400') raised ValueError and 10.0 ** 400 OverflowError out of the reader."""
    text = (FIXTURES / "green_button_pv_2days.xml").read_text(encoding="utf-8")
    start = text.index(f"<{field}>") if f"<{field}>" in text else -1
    if start < 0:  # the fixture leaves this one at its default: add it
        text = text.replace("<uom>", f"<{field}>{value}</{field}><uom>", 1)
    else:
        end = text.index(f"</{field}>", start)
        text = text[: start + len(field) + 2] + value + text[end:]
    path = tmp_path / "usage.xml"
    path.write_text(text, encoding="utf-8")
    inputs = read_inputs([path])
    [issue] = [i for i in inputs.readings.issues if i.blocking]
    assert message in issue.message
    assert issue.file == str(path) and issue.row is not None and issue.column == field
    assert inputs.readings.series == {}


def test_green_button_unknown_encoding_is_an_issue(tmp_path: Path) -> None:
    """expat's LookupError for an unknown codec name escaped the Green Button reader."""
    path = tmp_path / "usage.xml"
    path.write_text('<?xml version="1.0" encoding="TTF-8"?>\n<feed/>\n', encoding="utf-8")
    assert blocking(path) == [
        f"{path}, line 1: the XML declaration names an unknown encoding: TTF-8"
    ]
