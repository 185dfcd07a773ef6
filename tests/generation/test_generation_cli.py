"""`registry-desk generation ...` and `calendar peak-hours` through desktop.cli.main."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from generation_helpers import local_rows, write_csv

from desktop.cli import main


def _june_july(tmp_path: Path) -> Path:
    rows = local_rows(
        "America/New_York", datetime(2025, 6, 1, 1), datetime(2025, 8, 1, 1), 15, value=0.25
    )  # EDT wall times of whole EST months
    return write_csv(tmp_path / "meter.csv", rows, meter="U1")


def test_peak_hours_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "peak-hours", "2026", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["year"] == 2026
    assert [m["on_peak_hours"] for m in doc["months"]][:3] == [336, 320, 352]
    assert doc["months"][0] == {
        "month": 1,
        "on_peak_hours": 336,
        "off_peak_hours": 408,
        "hours": 744,
    }
    assert doc["total"] == {"on_peak_hours": 4096, "off_peak_hours": 4664, "hours": 8760}
    assert {"date": "2026-07-04", "name": "Independence Day"} in doc["holidays"]


def test_peak_hours_table_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "peak-hours", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-2].split() == ["Year", "4080", "4680", "8760"]
    with pytest.raises(SystemExit) as exc:
        main(["calendar", "peak-hours", "twenty"])
    assert exc.value.code == 2


def test_build_hourly_and_monthly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meter = _june_july(tmp_path)
    out = tmp_path / "hourly.csv"
    args = [
        "generation",
        "build",
        "--input",
        str(meter),
        "--input-tz",
        "America/New_York",
        "--generator-id",
        "M805",
        "--unit-id",
        "805",
        "--data-dir",
        str(tmp_path / "data"),
    ]
    assert main([*args, "--granularity", "hourly", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == (30 + 31) * 24 and report["layout"] == 5
    assert [m["vintage"] for m in report["months"]] == ["06/2025", "07/2025"]
    assert report["months"][0]["mwh"] == 0.72  # 2880 quarter hours × 0.25 kWh
    assert report["counts"]["rows_refused"] == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "805,805,06/01/2025,1,1.000" and len(lines) == report["rows"]
    monthly = tmp_path / "monthly.csv"
    assert main([*args, "--granularity", "monthly", "--header", "--out", str(monthly)]) == 0
    text = monthly.read_text().splitlines()
    # A monthly file reports local months: these EST months lack June's first New York hour.
    assert text == [
        "Generator ID,Reporting Unit ID,Vintage,Start Date,End Date,Total MWh",
        "805,805,07/2025,07/01/2025,07/31/2025,0.744",
    ]
    err = capsys.readouterr().err
    assert "June 2025 is incomplete: no reading before 2025-06-01 01:00 America/New_York" in err
    six = tmp_path / "six.csv"
    assert main([*args, "--granularity", "hourly", "--hourly-layout", "6", "--out", str(six)]) == 0
    assert six.read_text().splitlines()[0] == "805,805,06/01/2025,0.720,1,1.000"


def test_build_refuses_bad_input_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meter = _june_july(tmp_path)
    lines = meter.read_text().splitlines()
    lines[100] = lines[100].replace("0.250", "-1")
    meter.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    code = main(
        [
            "generation",
            "build",
            "--input",
            str(meter),
            "--input-tz",
            "America/New_York",
            "--generator-id",
            "805",
            "--unit-id",
            "805",
            "--granularity",
            "monthly",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert f"{meter}, line 101, column kWh: Meter U1: negative reading" in err


def test_build_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meter = _june_july(tmp_path)
    base = [
        "generation",
        "build",
        "--input",
        str(meter),
        "--unit-id",
        "1",
        "--granularity",
        "monthly",
    ]
    assert main([*base, "--generator-id", "X1", "--out", str(tmp_path / "a.csv")]) == 2
    assert main([*base, "--generator-id", "1", "--out", str(tmp_path / "a.txt")]) == 2
    assert (
        main(
            [
                *base,
                "--generator-id",
                "1",
                "--out",
                str(tmp_path / "a.csv"),
                "--input-tz",
                "Mars/Olympus",
            ]
        )
        == 2
    )
    assert "IANA time zone" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["generation", "build", "--input", str(meter)])
    assert exc.value.code == 2


def test_preview_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meter = _june_july(tmp_path)
    code = main(
        [
            "generation",
            "preview",
            "--input",
            str(meter),
            "--input-tz",
            "America/New_York",
            "--nameplate-mw",
            "7.6 kW",
            "--capacity-factor",
            "15",
            "--carry-in",
            "0.5",
            "--registered",
            "2025-05-01",
            "--today",
            "2025-08-10",
            "--json",
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert "prediction" in doc["note"]
    (july,) = doc["months"]  # local months: June lacks its first New York hour
    assert doc["partial_months"][0]["vintage"] == "06/2025"
    for key in (
        "vintage",
        "mwh",
        "on_peak_mwh",
        "off_peak_mwh",
        "carry_in_mwh",
        "certificates",
        "carry_out_mwh",
        "status",
        "reasons",
    ):
        assert key in july
    assert (july["vintage"], july["mwh"], july["carry_in_mwh"]) == ("07/2025", 0.744, 0.5)
    assert (july["certificates"], july["carry_out_mwh"], july["status"]) == (1, 0.244, "Issued")
    assert july["on_peak_mwh"] + july["off_peak_mwh"] == pytest.approx(0.744)
    assert july["days_left"] == 355
    assert doc["ledger"]["remainders_kwh"] == {"": 244}


def test_preview_requires_nameplate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    meter = _june_july(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["generation", "preview", "--input", str(meter)])
    assert exc.value.code == 2
