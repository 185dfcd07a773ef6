"""Local calendar months, gaps that leave only their months out, and the boundary-hour carry,
through `registry-desk generation build` with a real store (issue 11 items 1, 2, 6, 7)."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

import pytest
from generation_helpers import local_rows, write_csv

from desktop.cli import main
from desktop.exchange.generation_pipeline import HOURLY_NEEDS_READINGS

CHICAGO = "America/Chicago"


def _build(
    tmp_path: Path, inputs: list[Path], granularity: str, out: str, *extra: str, data: str = "data"
) -> list[str]:
    args = ["generation", "build", "--generator-id", "M805", "--unit-id", "U805"]
    for p in inputs:
        args += ["--input", str(p)]
    return [
        *args,
        "--input-tz",
        CHICAGO,
        "--granularity",
        granularity,
        "--out",
        str(tmp_path / out),
        "--data-dir",
        str(tmp_path / data),
        *extra,
    ]


def _month(tmp_path: Path, name: str, start: datetime, end: datetime) -> tuple[Path, list]:
    rows = local_rows(CHICAGO, start, end, 15)
    return write_csv(tmp_path / name, rows), rows


@pytest.mark.parametrize("std", ["EST", "CST"])
def test_a_whole_local_month_gives_its_row_with_every_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], std: str
) -> None:
    path, rows = _month(tmp_path, "march.csv", datetime(2026, 3, 1), datetime(2026, 4, 1))
    assert not any(t.startswith("2026-03-08 02:") for t, _ in rows)  # spring forward
    code = main([*_build(tmp_path, [path], "monthly", "m.csv"), "--standard-time", std, "--json"])
    assert code == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    assert [m["vintage"] for m in report["months"]] == ["03/2026"]
    assert report["partial_months"] == [] and report["months_of"] == CHICAGO
    total = math.fsum(v for _, v in rows) / 1000
    assert report["months"][0]["mwh"] == pytest.approx(total, abs=5e-4)
    line = (tmp_path / "m.csv").read_text().splitlines()[0]
    assert line == f"805,U805,03/2026,03/01/2026,03/31/2026,{total:.3f}"


def test_months_without_readings_are_absent_and_block_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    march, _ = _month(tmp_path, "march.csv", datetime(2026, 3, 1), datetime(2026, 4, 1))
    autumn, _ = _month(tmp_path, "octnov.csv", datetime(2026, 10, 1), datetime(2026, 12, 1))
    for fill in ("none", "zero"):
        args = _build(tmp_path, [march, autumn], "monthly", f"{fill}.csv", "--json")
        assert main([*args, "--fill-gaps", fill]) == 0
        report = json.loads(capsys.readouterr().out)
        assert [m["vintage"] for m in report["months"]] == ["03/2026", "10/2026", "11/2026"]
        assert report["partial_months"] == [] and report["filled_hours"] == {}
        absent = "April 2026 to September 2026 are not in the input"
        assert any(absent in n for n in report["notes"])
        vintages = [r.split(",")[2] for r in (tmp_path / f"{fill}.csv").read_text().splitlines()]
        assert vintages == ["03/2026", "10/2026", "11/2026"]  # never a 0.000 month


def test_a_gap_leaves_its_month_out_with_its_place_and_the_rest_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = local_rows(CHICAGO, datetime(2026, 9, 1), datetime(2026, 12, 1), 15)
    at = next(i for i, (t, _) in enumerate(rows) if t == "2026-10-14 02:00")
    del rows[at : at + 8]  # two hours of October
    path = write_csv(tmp_path / "autumn.csv", rows)
    assert main(_build(tmp_path, [path], "monthly", "gap.csv", "--json")) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert [m["vintage"] for m in report["months"]] == ["09/2026", "11/2026"]
    (october,) = report["partial_months"]
    assert october["vintage"] == "10/2026"
    assert (
        "a gap of 2 hours (8 interval(s) of 15 minutes) from 2026-10-14 02:00 to 04:00 "
        f"America/Chicago, between line {at + 1} and line {at + 2} of autumn.csv"
    ) in october["reason"]
    assert "warning: left out: October 2026 is incomplete" in out.err
    assert main(_build(tmp_path, [path], "monthly", "f.csv", "--fill-gaps", "zero", "--json")) == 0
    filled = json.loads(capsys.readouterr().out)
    assert [m["vintage"] for m in filled["months"]] == ["09/2026", "10/2026", "11/2026"]
    assert filled["filled_hours"] == {"10/2026": 2.0} and filled["counts"]["intervals_filled"] == 8


def test_no_whole_month_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = local_rows(CHICAGO, datetime(2026, 10, 1), datetime(2026, 11, 1), 15)
    del rows[500]
    path = write_csv(tmp_path / "oct.csv", rows)
    assert main(_build(tmp_path, [path], "monthly", "none.csv")) == 1
    err = capsys.readouterr().err
    assert "October 2026 is incomplete: a gap of 15 minutes" in err
    assert "no whole month to write" in err and not (tmp_path / "none.csv").exists()


def test_hourly_from_monthly_totals_says_so_after_the_real_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monthly = tmp_path / "totals.csv"
    monthly.write_text("805,U805,03/2026,03/01/2026,03/31/2026,1.250\n")
    assert main(_build(tmp_path, [monthly], "hourly", "h.csv")) == 2
    assert HOURLY_NEEDS_READINGS in capsys.readouterr().err
    monthly.write_text("805,U805,03/2026,03/01/2026,03/31/2026,lots\n")
    assert main(_build(tmp_path, [monthly], "hourly", "h.csv")) == 1
    err = capsys.readouterr().err
    assert "lots" in err and HOURLY_NEEDS_READINGS not in err


def test_stamps_without_offset_or_zone_are_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, rows = _month(tmp_path, "march.csv", datetime(2026, 3, 1), datetime(2026, 4, 1))
    args = [
        "generation",
        "build",
        "--input",
        str(path),
        "--generator-id",
        "805",
        "--unit-id",
        "805",
        "--granularity",
        "monthly",
        "--out",
        str(tmp_path / "x.csv"),
        "--data-dir",
        str(tmp_path / "data"),
    ]
    assert main(args) == 1
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error")]
    assert len(lines) == 1
    assert f"the time stamps have no UTC offset (e.g. '{rows[0][0]}' on this line), " in lines[0]
    assert f"{len(rows):,} rows: choose the meter's time zone (--input-tz)" in lines[0]


def _hours(path: Path) -> dict[tuple[str, int], str]:
    out = {}
    for line in path.read_text().splitlines():
        _gid, _uid, day, he, kwh = line.split(",")
        out[(day, int(he))] = kwh
    return out


def test_hourly_files_chain_february_to_march_through_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feb, feb_rows = _month(tmp_path, "feb.csv", datetime(2026, 1, 31), datetime(2026, 3, 1))
    march, _ = _month(tmp_path, "march.csv", datetime(2026, 3, 1), datetime(2026, 4, 1))
    assert main(_build(tmp_path, [feb], "hourly", "feb-h.csv", "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    assert [m["vintage"] for m in report["months"]] == ["02/2026"]
    assert report["boundary_hours_kept"] > 0
    assert main(_build(tmp_path, [march], "hourly", "mar-h.csv", "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    assert [m["vintage"] for m in report["months"]] == ["03/2026"]
    assert any("came from an earlier build" in n for n in report["notes"])
    feb_hours, mar_hours = _hours(tmp_path / "feb-h.csv"), _hours(tmp_path / "mar-h.csv")
    assert len(feb_hours) == 28 * 24 and len(mar_hours) == 31 * 24  # both complete
    assert not set(feb_hours) & set(mar_hours)  # no hour in both files
    # 03/01 HE1 EST is 23:00–24:00 on 28 February in Chicago: February's last local hour.
    last_local_hour = math.fsum(v for t, v in feb_rows if t.startswith("2026-02-28 23:"))
    assert mar_hours[("03/01/2026", 1)] == f"{last_local_hour:.3f}"
    # Without the store's carry, March lacks exactly that hour, and says how to supply it.
    assert main(_build(tmp_path, [march], "hourly", "lone.csv", data="other")) == 1
    err = capsys.readouterr().err
    assert "March 2026 is incomplete: it lacks 03/01 HE1 EST" in err
    assert "build the previous month first into the same store" in err
    # Read together, the same input holds the hour: no store needed.
    assert main(_build(tmp_path, [feb, march], "hourly", "both.csv", data="third")) == 0
    assert _hours(tmp_path / "both.csv") == {**feb_hours, **mar_hours}
