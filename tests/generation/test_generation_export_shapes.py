"""Meter exports as utilities and meter-data systems write them read with no more help than the
time zone (and, where there are several energy columns, which one): docs/generation.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_shapes import SHAPES, Shape, intervals, portal_csv

from desktop.cli import main
from desktop.exchange.generation_inputs import read_inputs
from desktop.exchange.meter_columns import ColumnMapping, detect_columns
from desktop.exchange.meter_files import ReadOptions, sniff
from desktop.models.intervals import EnergyUnit, StampMark


def _build(tmp_path: Path, path: Path, *options: str) -> int:
    return main(
        [
            "generation",
            "build",
            "--input",
            str(path),
            *options,
            "--generator-id",
            "M805",
            "--unit-id",
            "805",
            "--granularity",
            "monthly",
            "--out",
            str(tmp_path / "upload.csv"),
            "--data-dir",
            str(tmp_path / "data"),
            "--json",
        ]
    )


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_each_export_shape_reads_with_only_the_zone(
    tmp_path: Path, shape: Shape, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / shape.file
    kwh = shape.build(path, 1, 1)
    code = _build(tmp_path, path, *shape.options)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert [m["vintage"] for m in report["months"]] == [shape.month]
    assert report["months"][0]["mwh"] == pytest.approx(kwh / 1000, abs=0.0006)
    assert report["counts"]["rows_refused"] == 0
    assert not [i for i in report["issues"] if i["severity"] == "error"]


def test_portal_export_asks_which_energy_column(tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    portal_csv(path)
    inputs = read_inputs([path], ReadOptions(input_tz="America/Chicago"))
    (problem,) = [i for i in inputs.readings.issues if i.severity.value == "error"]
    assert "several energy columns (Consumption, Generation, Net)" in problem.message
    assert "--energy-column" in problem.message and problem.row == 10  # the header's line


def test_portal_export_total_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    portal_csv(path)
    options = ReadOptions(input_tz="America/Chicago", mapping=ColumnMapping(energy="Generation"))
    ok = read_inputs([path], options)
    assert any("Total Usage (" in n and "'Consumption'" in n for n in ok.readings.notes)
    lines = path.read_text().splitlines()
    del lines[400]  # a row lost on the way: the stated total no longer adds up
    path.write_text("\n".join(lines) + "\n")
    short = read_inputs([path], options)
    (warn,) = [i for i in short.readings.issues if "states Total Usage" in i.message]
    assert warn.severity.value == "warning" and "'Consumption'" in warn.message


def test_detected_shape_is_shown_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    portal_csv(path)
    found = sniff(path)
    assert found.layout is not None and found.layout.header_row == 10
    assert found.header[:3] == ("Meter Number", "Date", "Start Time")
    assert found.sample[0][1:3] == ("2/28/2026", "12:00 AM")
    assert found.layout.unit is EnergyUnit.KWH
    assert found.layout.meta("name") == "LAKEVIEW FOODS"
    assert found.guess.energy_choices == ("Consumption", "Generation", "Net")
    assert (found.guess.mapping.date, found.guess.mapping.time) == ("Date", "Start Time")


@pytest.mark.parametrize(
    ("header", "date", "time", "mark"),
    [
        (["Date", "Start Time", "kWh"], "Date", "Start Time", StampMark.START),
        (["DATE", "START TIME", "END TIME", "USAGE (kWh)"], "DATE", "START TIME", StampMark.START),
        (
            ["Starting Date", "Ending Date", "Starting Time", "Ending Time", "kWh Usage"],
            "Starting Date",
            "Starting Time",
            StampMark.START,
        ),
        (["Ending Date", "Ending Time", "kWh"], "Ending Date", "Ending Time", StampMark.END),
        (["Date", "End Time", "kWh"], "Date", "End Time", StampMark.END),
    ],
)
def test_date_and_time_column_pairs(
    header: list[str], date: str, time: str, mark: StampMark
) -> None:
    g = detect_columns(header)
    assert (g.mapping.date, g.mapping.time, g.mapping.mark) == (date, time, mark)
    assert g.mapping.timestamp is None and g.complete


def test_channel_headers_and_non_energy_columns() -> None:
    g = detect_columns(["Meter ID", "Date / Time", "KWH(ch: 1  set:0)", "KVARH(ch: 2  set:0)"])
    assert g.mapping.energy == "KWH(ch: 1  set:0)" and g.mapping.unit is EnergyUnit.KWH
    assert g.mapping.timestamp == "Date / Time" and not g.energy_choices
    g2 = detect_columns(["Starting Date", "Starting Time", "kWh Cost", "kWh Usage", "kvarh"])
    assert g2.mapping.energy == "kWh Usage" and not g2.energy_choices
    g3 = detect_columns(["Site Time", "Production Meter Kilowatts"])
    assert g3.mapping.unit is EnergyUnit.KW and g3.mapping.timestamp == "Site Time"


def test_header_row_and_date_time_columns_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = intervals("America/Chicago", 2026, 7, step=60)
    lines = ["Report,Plant 7", "Dia,Hora,Energia"]  # nothing here names a column
    lines += [f"{t:%Y-%m-%d},{t:%H:%M},{v}" for t, v, _ in rows]
    path = tmp_path / "plant.csv"
    path.write_text("\n".join(lines) + "\n")
    named = ("--date-column", "Dia", "--time-column", "Hora", "--energy-column", "Energia")
    code = _build(tmp_path, path, "--input-tz", "America/Chicago", *named)
    assert code == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    assert [m["vintage"] for m in report["months"]] == ["07/2026"]
    code = _build(tmp_path, path, "--input-tz", "America/Chicago", "--header-row", "2", *named)
    assert code == 0
    capsys.readouterr()
    code = _build(tmp_path, path, "--input-tz", "America/Chicago", "--header-row", "1", *named)
    assert code == 1
    err = capsys.readouterr().err
    assert "No time stamp column and no energy column was recognised in the header " in err
    assert "(Report, Plant 7)" in err and "plant.csv, line 1, columns:" in err


def test_short_rows_among_others_are_whole_and_long_rows_are_not(tmp_path: Path) -> None:
    lines = ["TYPE,DATE,START TIME,END TIME,USAGE (kWh),NOTES"]
    for t, v, _ in intervals("America/Chicago", 2026, 7, step=60):
        lines.append(f"Electric usage,{t:%Y-%m-%d},{t:%H:%M},{t:%H}:59,{v}")
    lines[5] += ",estimated"  # a row with its NOTES field
    lines[9] += ",x,y"  # a row longer than the header
    lines.insert(12, "")
    path = tmp_path / "usage.csv"
    path.write_text("\n".join(lines) + "\n")
    inputs = read_inputs([path], ReadOptions(input_tz="America/Chicago"))
    located = {(i.row, i.severity.value) for i in inputs.readings.issues}
    assert located == {(9, "error"), (12, "warning")}
    assert inputs.readings.counts.rows_read == len(lines) - 1
