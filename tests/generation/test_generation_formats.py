"""M-RETS upload file rules (reference.md §2.2–2.4, §2.10): each rule refuses what breaks it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop.errors import InputError, UsageError
from desktop.exchange.generation_columns import COLUMNS, UploadKind
from desktop.exchange.mrets_upload import (
    adjustment_row,
    check_rows,
    fmt3,
    hourly_rows,
    monthly_rows,
    months_from_monthly,
    read_upload,
    write_upload,
)
from desktop.models.generation import MonthEnergy
from desktop.models.generator import Generator

GEN = Generator("805", "UNIT-805", 0.5)
GOOD_MONTH = ["805", "UNIT-805", "01/2025", "01/01/2025", "01/31/2025", "123.456"]


def _errors(kind: UploadKind, rows: list[list[str]]) -> list[str]:
    return [i.message for i in check_rows(kind, rows) if i.blocking]


def _hourly_month(year: int, month: int, kwh: str = "1.500") -> list[list[str]]:
    from desktop.models.calendar import days_in_month

    return [
        ["805", "UNIT-805", f"{month:02d}/{d:02d}/{year}", str(h), kwh]
        for d in range(1, days_in_month(year, month) + 1)
        for h in range(1, 25)
    ]


def test_monthly_row_layout() -> None:
    rows = monthly_rows(GEN, [MonthEnergy(2025, 2, 12.3456), MonthEnergy(2025, 1, 0.0004)])
    assert rows == [
        ["805", "UNIT-805", "01/2025", "01/01/2025", "01/31/2025", "0.000"],
        ["805", "UNIT-805", "02/2025", "02/01/2025", "02/28/2025", "12.346"],
    ]
    assert _errors(UploadKind.MONTHLY, rows) == []
    assert len(rows[0][2]) == 7 and len(rows[0][3]) == 10


@pytest.mark.parametrize(
    ("index", "value", "fragment"),
    [
        (0, "M805", "digits only"),
        (2, "1/2025", "MM/YYYY"),
        (2, "13/2025", "MM/YYYY"),
        (3, "1/1/2025", "10 characters"),
        (4, "02/30/2025", "real date"),
        (5, "123.4", "3 decimals"),
        (5, "-1.000", "3 decimals"),
        (1, " UNIT", "spaces"),
        (1, "UNIT,805", "commas"),
        (1, "UNITÉ", "non-ASCII"),
        (1, "", "empty"),
    ],
)
def test_monthly_rules(index: int, value: str, fragment: str) -> None:
    row = list(GOOD_MONTH)
    row[index] = value
    errors = _errors(UploadKind.MONTHLY, [row])
    assert any(fragment in e for e in errors), errors


def test_monthly_whole_months_and_partial_rows() -> None:
    half1 = ["805", "U", "01/2025", "01/01/2025", "01/15/2025", "1.000"]
    half2 = ["805", "U", "01/2025", "01/16/2025", "01/31/2025", "2.000"]
    assert _errors(UploadKind.MONTHLY, [half1, half2]) == []  # together a whole month
    assert any("not whole" in e for e in _errors(UploadKind.MONTHLY, [half1]))
    overlap = ["805", "U", "01/2025", "01/10/2025", "01/31/2025", "2.000"]
    assert any("overlaps" in e for e in _errors(UploadKind.MONTHLY, [half1, overlap]))
    outside = ["805", "U", "01/2025", "02/01/2025", "02/28/2025", "2.000"]
    assert any("not inside vintage" in e for e in _errors(UploadKind.MONTHLY, [outside]))


def test_hourly_needs_every_hour_of_every_day() -> None:
    rows = _hourly_month(2025, 2)
    assert len(rows) == 672 and _errors(UploadKind.HOURLY, rows) == []
    assert any("missing 02/28/2025 hour 24" in e for e in _errors(UploadKind.HOURLY, rows[:-1]))
    dup = [*rows, rows[5]]
    assert any("appears twice" in e for e in _errors(UploadKind.HOURLY, dup))
    bad_hour = [r[:] for r in rows]
    bad_hour[0][3] = "0"
    assert any("1–24" in e for e in _errors(UploadKind.HOURLY, bad_hour))
    bad_kwh = [r[:] for r in rows]
    bad_kwh[0][4] = "1.5"
    assert any("3 decimals" in e for e in _errors(UploadKind.HOURLY, bad_kwh))


def test_hourly_six_columns_carry_the_month_total() -> None:
    rows = [[r[0], r[1], r[2], "1.008", r[3], r[4]] for r in _hourly_month(2025, 2)]
    assert _errors(UploadKind.HOURLY6, rows) == []  # 672 × 1.5 kWh = 1.008 MWh
    wrong = [[*r[:3], "1.009", *r[4:]] for r in rows]
    assert any("month total" in e for e in _errors(UploadKind.HOURLY6, wrong))


def test_adjustment_rules() -> None:
    row = adjustment_row(
        GEN, date(2022, 9, 1), date(2022, 9, 30), 11561, vintage_start=date(2023, 9, 1)
    )
    assert row == [
        "M805",
        "M805",
        "09/01/2023",
        "09/01/2022",
        "09/30/2022",
        "11561.000",
        "Adjustment",
    ]
    assert _errors(UploadKind.ADJUSTMENT, [row]) == []
    for index, value, fragment in [
        (0, "805", "M followed by digits"),
        (1, "M806", "columns A and B"),
        (2, "09/02/2023", "first day"),
        (3, "9/1/22", "10 characters"),
        (6, "adjustment", "the word 'Adjustment'"),
        (5, "-3.000", "corrected total"),
    ]:
        bad = list(row)
        bad[index] = value
        assert any(fragment in e for e in _errors(UploadKind.ADJUSTMENT, [bad])), (index, value)


def test_write_is_atomic_and_refuses_bad_rows(tmp_path: Path) -> None:
    out = tmp_path / "upload.csv"
    write_upload(out, UploadKind.MONTHLY, [GOOD_MONTH])
    assert out.read_bytes() == b"805,UNIT-805,01/2025,01/01/2025,01/31/2025,123.456\r\n"
    bad = list(GOOD_MONTH)
    bad[2] = "1/2025"
    with pytest.raises(InputError, match="nothing was written"):
        write_upload(out, UploadKind.MONTHLY, [bad])
    assert out.read_bytes().startswith(b"805,UNIT-805,01/2025")  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["upload.csv"]  # no temp file left
    with pytest.raises(UsageError, match=r"\.csv"):
        write_upload(tmp_path / "upload.txt", UploadKind.MONTHLY, [GOOD_MONTH])


def test_header_row_is_optional_and_read_back(tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    write_upload(out, UploadKind.MONTHLY, [GOOD_MONTH], header=True)
    assert out.read_text().splitlines()[0] == ",".join(COLUMNS[UploadKind.MONTHLY])
    back = read_upload(out)
    assert back.kind is UploadKind.MONTHLY and back.rows == [GOOD_MONTH] and back.issues == []
    assert months_from_monthly(back) == [MonthEnergy(2025, 1, 123.456)]


def test_read_back_hourly_and_report_problems_with_lines(tmp_path: Path) -> None:
    rows = _hourly_month(2025, 2)
    out = tmp_path / "hourly.csv"
    write_upload(out, UploadKind.HOURLY, rows)
    back = read_upload(out)
    assert back.kind is UploadKind.HOURLY and len(back.rows) == 672 and back.issues == []
    broken = tmp_path / "broken.csv"
    text = out.read_text().splitlines()
    text[9] = text[9].replace("02/01/2025", "2/30/2025")
    broken.write_text("\n".join(text) + "\n")
    issues = read_upload(broken).issues
    located = [i for i in issues if i.row == 9]
    assert located and located[0].file == str(broken) and "a real date" in located[0].message


def test_fmt3_never_writes_negative_zero() -> None:
    assert fmt3(-0.0001) == "0.000"
    assert fmt3(2.0005) in ("2.000", "2.001")


def test_hourly_rows_follow_hourly_energy(tmp_path: Path) -> None:
    from datetime import datetime

    from generation_helpers import utc_rows, write_csv

    from desktop.exchange.generation_inputs import hourly_energy, read_inputs

    path = write_csv(
        tmp_path / "feb.csv", utc_rows(datetime(2025, 2, 1), 672, 60, 2.25), header="Timestamp,kWh"
    )
    hourly = hourly_energy(read_inputs([path]))
    rows = hourly_rows(GEN, hourly, layout=6)
    assert len(rows) == 672 and rows[0] == ["805", "UNIT-805", "02/01/2025", "1.512", "1", "2.250"]
    assert _errors(UploadKind.HOURLY6, rows) == []
    with pytest.raises(UsageError):
        hourly_rows(GEN, hourly, layout=7)


# --- M-RETS's own files read back (reference.md §2.10 and the API documentation) --------------


def test_published_adjustment_template_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "Generation-Adjustments-.csv"
    path.write_text(
        "M1234,M1234,9/1/23,9/1/22,9/30/22,11561,adjustment\n"
        "M1234,M1234,10/1/23,10/1/23,10/31/23,1234,adjustment\n"
    )
    back = read_upload(path)
    assert back.kind is UploadKind.ADJUSTMENT and back.issues == []
    path.write_text("M1234,M1234,9/1/23,9/31/22,9/30/22,11561,ADJUSTMENT\n")
    (issue,) = read_upload(path).issues
    assert issue.row == 0 and issue.column == "Start Date" and "'9/31/22'" in issue.message


def test_api_example_and_hand_written_monthly_rows_read_back(tmp_path: Path) -> None:
    path = tmp_path / "monthly.csv"
    path.write_text(
        "727,206,8/2018,03/01/2019,03/15/2019,33945\n"  # the API documentation's example row
        "805,805,2/2025,2/1/2025,2/28/2025,123\n"  # whole-number MWh, short dates
        '805,805,03/2025, 03/01/2025 ,03/31/2025,"12.5"\n'  # fewer decimals, spaces, quotes
    )
    back = read_upload(path)
    assert back.kind is UploadKind.MONTHLY
    assert [i for i in back.issues if i.blocking] == []
    (warned,) = [i for i in back.issues if i.row == 0]
    assert "read as 08/2018" in warned.message
    assert months_from_monthly(back) == [
        MonthEnergy(2018, 8, 33945.0),
        MonthEnergy(2025, 2, 123.0),
        MonthEnergy(2025, 3, 12.5),
    ]


def test_files_registry_desk_writes_keep_the_strict_forms(tmp_path: Path) -> None:
    row = ["805", "805", "2/2025", "2/1/2025", "2/28/2025", "123"]
    errors = _errors(UploadKind.MONTHLY, [row])
    assert any("7 characters" in e for e in errors)
    with pytest.raises(InputError):
        write_upload(tmp_path / "m.csv", UploadKind.MONTHLY, [row])
