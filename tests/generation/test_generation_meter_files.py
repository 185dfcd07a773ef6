"""Interval meter files: columns, units, and every problem located by file, line and column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from generation_helpers import utc_rows, write_csv

from desktop.exchange.generation_inputs import hourly_energy, read_inputs
from desktop.exchange.meter_columns import ColumnMapping, detect_columns
from desktop.exchange.meter_files import ReadOptions, sniff
from desktop.models.intervals import EnergyUnit, IntervalOptions, StampMark


def _hourly(paths: list[Path], options: ReadOptions | None = None, **kw: object):  # type: ignore[no-untyped-def]
    return hourly_energy(read_inputs(paths, options), options=IntervalOptions(**kw))  # type: ignore[arg-type]


def _month_csv(
    tmp_path: Path,
    name: str = "m.csv",
    value: float = 1.0,
    step: int = 60,
    header: str = "Timestamp,kWh",
) -> Path:
    rows = utc_rows(datetime(2025, 4, 1), 720, step, value)
    return write_csv(tmp_path / name, rows, header=header)


def test_detect_columns_by_header_names() -> None:
    g = detect_columns(["Meter Number", "Interval End (EST)", "Energy (Wh)", "Quality"])
    assert g.mapping.meter == "Meter Number"
    assert g.mapping.timestamp == "Interval End (EST)"
    assert g.mapping.energy == "Energy (Wh)"
    assert g.mapping.unit is EnergyUnit.WH and g.mapping.mark is StampMark.END
    assert g.unplaced == ("Quality",) and g.complete
    g2 = detect_columns(["Date", "Time", "MWh"])
    assert (g2.mapping.date, g2.mapping.time, g2.mapping.energy) == ("Date", "Time", "MWh")
    assert g2.complete and g2.mapping.unit is EnergyUnit.MWH
    g3 = detect_columns(["when", "how much"])
    assert g3.missing == ("timestamp", "energy") and g3.unplaced == ("when", "how much")


def test_explicit_mapping_for_unrecognised_columns(tmp_path: Path) -> None:
    path = _month_csv(tmp_path, header="when,how much")
    sniffed = sniff(path)
    assert sniffed.header == ("when", "how much") and not sniffed.guess.complete
    assert len(sniffed.sample) == 10
    refused = read_inputs([path])
    assert any("map the columns" in i.message for i in refused.readings.issues)
    mapped = _hourly([path], ReadOptions(mapping=ColumnMapping(timestamp="when", energy=1)))
    assert not mapped.has_errors and mapped.months[0].mwh == pytest.approx(0.72)


@pytest.mark.parametrize(
    ("header", "value", "unit", "mwh"),
    [
        ("Timestamp,Wh", 1500.0, None, 1.08),
        ("Timestamp,MWh", 0.002, None, 1.44),
        ("Timestamp,Value", 3.0, EnergyUnit.WH, 0.00216),
        ("Timestamp,kWh", 1.0, None, 0.72),
    ],
)
def test_energy_units(
    tmp_path: Path, header: str, value: float, unit: EnergyUnit | None, mwh: float
) -> None:
    path = _month_csv(tmp_path, value=value, header=header)
    hourly = _hourly([path], ReadOptions(unit=unit))
    assert not hourly.has_errors
    assert hourly.months[0].mwh == pytest.approx(mwh)


def test_kw_demand_only_on_request(tmp_path: Path) -> None:
    path = _month_csv(tmp_path, value=4.0, step=15, header="Timestamp,kW")
    refused = read_inputs([path])
    assert any("kW demand" in i.message for i in refused.readings.issues)
    hourly = _hourly([path], ReadOptions(unit=EnergyUnit.KW))
    assert hourly.months[0].mwh == pytest.approx(4.0 * 720 / 1000)  # 4 kW for 720 hours


def test_dgg_upload_sums_its_meters_and_checks_each(tmp_path: Path) -> None:
    lines = ["Meter ID,Timestamp,kWh"]
    for meter, v in (("A", 1.0), ("B", 2.5)):
        lines += [f"{meter},{t},{v}" for t, _ in utc_rows(datetime(2025, 4, 1), 720, 15)]
    path = tmp_path / "dgg.csv"
    path.write_text("\n".join(lines) + "\n")
    hourly = _hourly([path])
    assert hourly.meters == ["A", "B"]
    assert hourly.kwh[0] == pytest.approx(4 * 3.5)
    assert hourly.months[0].mwh == pytest.approx(720 * 4 * 3.5 / 1000)
    capped = hourly_energy(read_inputs([path]), nameplate_kw=12.0)
    msgs = [i.message for i in capped.issues if i.blocking]
    assert (
        any("Meter B: 2.5 kWh in 15 minutes is more than the nameplate" in m for m in msgs) is False
    )
    assert any("together produced 14 kWh" in m for m in msgs)
    small = hourly_energy(read_inputs([path]), nameplate_kw=8.0)
    assert any("Meter B" in i.message and "nameplate" in i.message for i in small.issues)


def _problem_file(tmp_path: Path) -> tuple[Path, list[str]]:
    rows = [f"{t},1.000" for t, _ in utc_rows(datetime(2025, 4, 1), 720, 60)]
    rows[10] = rows[10].replace("1.000", "-0.500")  # negative
    rows[20] = rows[20].replace("1.000", "abc")  # not a number
    rows[30] = "2025-04-02Tfoo,1.000"  # not a time stamp
    del rows[40]  # a gap of one hour
    rows.insert(50, rows[49])  # an identical duplicate
    rows.insert(60, rows[59].replace(",1.000", ",2.000"))  # a conflicting duplicate
    rows.insert(70, rows[69].replace(":00:00-05:00", ":30:00-05:00"))  # an overlap
    rows[80] = rows[80].replace("1.000", "99.000")  # above the nameplate
    lines = ["Timestamp,kWh", *rows]
    path = tmp_path / "problems.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, lines


def test_every_problem_is_located(tmp_path: Path) -> None:
    path, lines = _problem_file(tmp_path)
    hourly = hourly_energy(read_inputs([path]), nameplate_kw=10.0)
    by_line = {i.row + 1: i for i in hourly.issues if i.row is not None}

    def at(fragment: str) -> int:
        return next(n for n, i in by_line.items() if fragment in i.message)

    assert lines[at("negative reading") - 1].endswith("-0.500")
    assert lines[at("'abc' is not a number") - 1].endswith("abc")
    assert lines[at("is not a time stamp") - 1].startswith("2025-04-02Tfoo")
    # The gaps (the refused lines 22 and 32 and the missing line 42) are the month's report.
    april = hourly.partial_months[0].reason
    assert "between line 21 and line 23" in april and "between line 41 and line 42" in april
    assert "a gap of 1 hour (1 interval(s) of 60 minutes)" in april
    assert by_line[at("the same reading appears twice")].severity.value == "warning"
    assert at("second, different reading") == 62
    assert at("overlaps or is out of step") == 72
    assert lines[at("more than the nameplate") - 1].endswith("99.000")
    for issue in by_line.values():
        assert issue.file == str(path)
        assert issue.column in ("Timestamp", "kWh")
    c = hourly.counts
    assert c.duplicates_repaired == 1
    assert c.rows_refused == 4  # abc, bad stamp, conflicting duplicate, overlap
    assert c.rows_read == len(lines) - 1
    assert hourly.has_errors


def test_fill_gaps_and_clip_negatives_are_counted(tmp_path: Path) -> None:
    rows = utc_rows(datetime(2025, 4, 1), 720, 60)
    rows[5] = (rows[5][0], -1.0)
    del rows[100:103]
    path = write_csv(tmp_path / "g.csv", rows, header="Timestamp,kWh")
    strict = hourly_energy(read_inputs([path]))
    assert strict.has_errors and strict.months == []  # the gap splits April
    loose = hourly_energy(
        read_inputs([path]), options=IntervalOptions(fill_gaps=True, clip_negative=True)
    )
    assert not loose.has_errors
    assert loose.counts.intervals_filled == 3 and loose.counts.negatives_repaired == 1
    assert loose.months[0].mwh == pytest.approx((720 - 3 - 1) / 1000)


def test_partial_months_are_left_out_and_reported(tmp_path: Path) -> None:
    rows = utc_rows(datetime(2025, 3, 15), 24 * 48, 60)  # 15 March to 2 May
    path = write_csv(tmp_path / "p.csv", rows, header="Timestamp,kWh")
    hourly = hourly_energy(read_inputs([path]))
    assert [m.month for m in hourly.months] == [4]
    assert [(p.month, "is incomplete" in p.reason) for p in hourly.partial_months] == [
        (3, True),
        (5, True),
    ]
    assert "no reading before 2025-03-15 00:00 EST" in hourly.partial_months[0].reason


def test_csv_dialects_and_stamp_forms(tmp_path: Path) -> None:
    lines = ['"Date/Time";"Energy (kWh)"']
    for h in range(720):
        d, hh = divmod(h, 24)
        ampm = "AM" if hh < 12 else "PM"
        lines.append(
            f'"4/{d + 1}/2025 {(hh % 12) or 12}:00 {ampm}";"1,5"'
            if h == 0
            else f"4/{d + 1}/2025 {(hh % 12) or 12}:00:00 {ampm};2"
        )
    path = tmp_path / "semi.csv"
    path.write_text("\n".join(lines) + "\n")
    inputs = read_inputs([path], ReadOptions(input_tz="America/New_York"))
    errors = [i for i in inputs.readings.issues if i.blocking]
    assert [e.row for e in errors] == [1] and "'1,5' is not a number" in errors[0].message


def test_hour_24_and_seconds(tmp_path: Path) -> None:
    lines = [
        "Interval Ending,kWh",
        "2025-04-01 01:00:00,1",
        "2025-04-01 24:00:00,2",
        "2025-04-01 02:00:01,3",
    ]
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n")
    inputs = read_inputs([path], ReadOptions(input_tz="Etc/GMT+5"))
    assert inputs.readings.counts.stamps_rounded == 1
    assert any("rounded to the nearest minute" in n for n in inputs.readings.notes)
    s = inputs.readings.series[""]
    assert s.stamps[1] - s.stamps[0] == 23 * 60


def test_ragged_and_empty_lines(tmp_path: Path) -> None:
    rows = [f"{t},1" for t, _ in utc_rows(datetime(2025, 4, 1), 720, 60)]
    rows.insert(3, "")
    rows.insert(7, "2025-04-01T06:00:00-05:00,1,extra")
    path = tmp_path / "r.csv"
    path.write_text("Timestamp,kWh\n" + "\n".join(rows) + "\n")
    inputs = read_inputs([path])
    located = {(i.row, i.severity.value) for i in inputs.readings.issues}
    assert (4, "warning") in located and (8, "error") in located


def test_xlsx_input(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Meter", "Read Time", "kWh"])
    for h in range(720):
        ws.append(["M1", datetime(2025, 4, 1 + h // 24, h % 24), 0.5])
    ws.append([None, None, None])
    path = tmp_path / "april.xlsx"
    wb.save(path)
    hourly = _hourly([path], ReadOptions(input_tz="America/Chicago"))
    assert not hourly.has_errors, hourly.issues[:2]
    assert hourly.meters == ["M1"]
    assert sum(hourly.kwh) == pytest.approx(360.0)


def test_several_files_one_meter_and_meter_per_file(tmp_path: Path) -> None:
    a = write_csv(
        tmp_path / "a.csv", utc_rows(datetime(2025, 4, 1), 360, 60), header="Timestamp,kWh"
    )
    b = write_csv(
        tmp_path / "b.csv", utc_rows(datetime(2025, 4, 16), 360, 60), header="Timestamp,kWh"
    )
    joined = _hourly([a, b])
    assert [m.month for m in joined.months] == [4] and not joined.has_errors
    twice = _hourly([a, a])
    assert twice.counts.duplicates_repaired == 360
    apart = _hourly([a, b], ReadOptions(meter_per_file=True))
    assert apart.meters == ["a", "b"] and apart.months == []
