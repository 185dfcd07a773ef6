"""Local-time meter data across daylight-saving changes, in several zones."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest
from generation_helpers import local_rows, write_csv

from desktop.exchange.generation_inputs import hourly_energy, read_inputs
from desktop.exchange.meter_files import ReadOptions
from desktop.models import calendar as cal
from desktop.models.intervals import StampMark
from desktop.models.month_grid import MonthGrid, local_zone

ZONES = {
    "America/Chicago": ("CST", date(2025, 3, 9), date(2025, 11, 2)),
    "America/New_York": ("EST", date(2025, 3, 9), date(2025, 11, 2)),
    "America/Denver": ("MST", date(2025, 3, 9), date(2025, 11, 2)),
    "America/Winnipeg": ("CST", date(2025, 3, 9), date(2025, 11, 2)),
}


def _year(tmp_path: Path, zone: str, **kw: object) -> Path:
    rows = local_rows(zone, datetime(2025, 1, 1), datetime(2026, 1, 1), 15, **kw)  # type: ignore[arg-type]
    return write_csv(tmp_path / "meter.csv", rows)


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_a_local_year_becomes_twelve_whole_standard_months(tmp_path: Path, zone: str) -> None:
    std_code, spring, autumn = ZONES[zone]
    path = _year(tmp_path, zone)
    rows = path.read_text().splitlines()[1:]
    assert len(rows) == 35040  # 8760 local hours: the 23- and 25-hour days cancel
    energy_in = math.fsum(float(r.split(",")[1]) for r in rows)
    std = cal.standard_time(std_code)
    inputs = read_inputs([path], ReadOptions(input_tz=zone), std=std)
    hourly = hourly_energy(inputs, std=std)
    assert not hourly.has_errors, hourly.issues[:3]
    assert [m.month for m in hourly.months] == list(range(1, 13))
    assert hourly.partial_months == []
    assert len(hourly.kwh) == 8760  # every standard day has 24 hours
    assert hourly.counts.kwh_placed == pytest.approx(energy_in, abs=1e-6)
    assert math.fsum(m.mwh for m in hourly.months) * 1000 == pytest.approx(energy_in, abs=0.01)
    assert hourly.counts.repeated_hour_readings == 8  # 4 quarter hours, written twice
    note = next(n for n in hourly.notes if n.startswith("Daylight saving"))
    assert f"{spring.isoformat()} (23 local hours)" in note
    assert f"{autumn.isoformat()} (25 local hours)" in note
    assert "no energy was lost or counted twice" in note


def test_repeated_hour_goes_to_two_standard_hours(tmp_path: Path) -> None:
    zone = "America/Chicago"
    rows = local_rows(zone, datetime(2025, 11, 1), datetime(2025, 12, 1), 15)
    repeated = [i for i, (t, _) in enumerate(rows) if t.startswith("2025-11-02 01:")]
    assert len(repeated) == 8
    path = write_csv(tmp_path / "nov.csv", rows)
    std = cal.standard_time("CST")
    hourly = hourly_energy(read_inputs([path], ReadOptions(input_tz=zone), std=std), std=std)
    assert not hourly.has_errors
    day = hourly.month_hours(2025, 11)[24:48]  # 2 November in CST
    first = sum(rows[i][1] for i in repeated[:4])  # 01:00–01:59 CDT = 00:00–00:59 CST = HE1
    second = sum(rows[i][1] for i in repeated[4:])  # 01:00–01:59 CST = HE2
    assert day[0] == pytest.approx(first)
    assert day[1] == pytest.approx(second)


def test_spring_gap_hour_in_the_data_is_refused_with_its_line(tmp_path: Path) -> None:
    rows = local_rows("America/Denver", datetime(2025, 3, 1), datetime(2025, 4, 1), 60)
    at = next(i for i, (t, _) in enumerate(rows) if t == "2025-03-09 03:00")
    rows.insert(at, ("2025-03-09 02:00", 0.5))
    path = write_csv(tmp_path / "mar.csv", rows)
    std = cal.standard_time("MST")
    hourly = hourly_energy(
        read_inputs([path], ReadOptions(input_tz="America/Denver"), std=std), std=std
    )
    errors = [i for i in hourly.issues if i.blocking]
    assert errors and "does not exist in America/Denver" in errors[0].message
    assert errors[0].file == str(path) and errors[0].row == at + 1  # header is line 1
    assert errors[0].column == "Interval Start"
    assert "line" in errors[0].located()


def test_end_stamps_place_energy_in_the_hour_they_close(tmp_path: Path) -> None:
    zone = "America/New_York"
    start, end = datetime(2025, 11, 1), datetime(2025, 12, 1)
    starts = local_rows(zone, start, end, 60)
    ends = local_rows(zone, start, end, 60, mark_end=True)
    p1 = write_csv(tmp_path / "s.csv", starts)
    p2 = write_csv(tmp_path / "e.csv", ends, header="Interval End,kWh")
    a = hourly_energy(read_inputs([p1], ReadOptions(input_tz=zone)))
    b = hourly_energy(read_inputs([p2], ReadOptions(input_tz=zone)))
    assert not a.has_errors and not b.has_errors
    assert list(a.kwh) == list(b.kwh)
    c = hourly_energy(read_inputs([p2], ReadOptions(input_tz=zone, mark=StampMark.END)))
    assert list(c.kwh) == list(a.kwh)


def test_chicago_data_counted_in_est_leaves_january_partial(tmp_path: Path) -> None:
    path = _year(tmp_path, "America/Chicago")
    hourly = hourly_energy(read_inputs([path], ReadOptions(input_tz="America/Chicago")))
    assert [m.month for m in hourly.months] == list(range(2, 13))
    jan, next_jan = hourly.partial_months  # the last local hour falls on 1 January 2026 EST
    assert (jan.year, jan.month) == (2025, 1)
    assert (next_jan.year, next_jan.month) == (2026, 1)
    assert "January 2025 is incomplete: it lacks 01/01 HE1 EST" in jan.reason
    local = hourly_energy(
        read_inputs([path], ReadOptions(input_tz="America/Chicago")),
        grid=MonthGrid(cal.EST, local_zone("America/Chicago")),
    )
    assert [m.month for m in local.months] == list(range(1, 13))  # local months are whole
    assert [m.month for m in local.hourly_months] == list(range(2, 13))


def test_offset_stamps_need_no_zone(tmp_path: Path) -> None:
    lines = ["timestamp,energy_wh"]
    for h in range(24 * 30):
        d, hh = divmod(h, 24)
        lines.append(f"2025-06-{d + 1:02d}T{hh:02d}:00:00-05:00,{1000 + h}")
    path = tmp_path / "june.csv"
    path.write_text("\n".join(lines) + "\n")
    hourly = hourly_energy(read_inputs([path]))
    assert not hourly.has_errors
    assert hourly.months[0].mwh == pytest.approx(sum(1000 + h for h in range(720)) / 1e6)
    assert hourly.kwh[0] == pytest.approx(1.0)


def test_local_stamps_without_a_zone_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [("2025-06-01 00:00", 1.0), ("2025-06-01 01:00", 1.0)])
    inputs = read_inputs([path])
    assert any("--input-tz" in i.message for i in inputs.readings.issues)
