"""MISO calendar: NERC holidays, on-peak hours per month (reference.md §5)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.models import calendar as cal

HOLIDAYS = {
    2024: ["2024-01-01", "2024-05-27", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"],
    2025: ["2025-01-01", "2025-05-26", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"],
    2026: ["2026-01-01", "2026-05-25", "2026-07-04", "2026-09-07", "2026-11-26", "2026-12-25"],
    2027: ["2027-01-01", "2027-05-31", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-25"],
}

# reference.md §5.2: on-peak hours per month; 2012/2014/2015 are the published ISO-NE counts.
ON_PEAK = {
    2012: [336, 336, 352, 336, 352, 336, 336, 368, 304, 368, 336, 320],
    2014: [352, 320, 336, 352, 336, 336, 352, 336, 336, 368, 304, 352],
    2015: [336, 320, 352, 352, 320, 352, 368, 336, 336, 352, 320, 352],
    2024: [352, 336, 336, 352, 352, 320, 352, 352, 320, 368, 320, 336],
    2025: [352, 320, 336, 352, 336, 336, 352, 336, 336, 368, 304, 352],
    2026: [336, 320, 352, 352, 320, 352, 368, 336, 336, 352, 320, 352],
    2027: [320, 320, 368, 352, 320, 352, 336, 352, 336, 336, 336, 368],
}
OFF_PEAK = {
    2025: [392, 352, 408, 368, 408, 384, 392, 408, 384, 376, 416, 392],
    2026: [408, 352, 392, 368, 424, 368, 376, 408, 384, 392, 400, 392],
    2027: [424, 352, 376, 368, 424, 368, 408, 392, 384, 408, 384, 376],
}
YEAR_TOTALS = {
    2012: 4080,
    2013: 4080,
    2014: 4080,
    2015: 4096,
    2016: 4080,
    2025: 4080,
    2026: 4096,
    2027: 4096,
    2024: 4096,
}


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_nerc_holidays_match_reference(year: int) -> None:
    assert [d.isoformat() for d in cal.nerc_holidays(year)] == HOLIDAYS[year]


def test_sunday_holiday_moves_to_monday() -> None:
    assert date(2027, 7, 4).weekday() == 6
    assert cal.is_nerc_holiday(date(2027, 7, 5))
    assert not cal.is_nerc_holiday(date(2027, 7, 4))
    assert cal.nerc_holidays(2027)[date(2027, 7, 5)] == "Independence Day"
    # 2022: Christmas on a Sunday -> Monday 26 December is off-peak.
    assert cal.is_nerc_holiday(date(2022, 12, 26))
    assert not cal.is_on_peak(date(2022, 12, 26), 12)


def test_saturday_holiday_does_not_move() -> None:
    assert date(2026, 7, 4).weekday() == 5
    assert cal.is_nerc_holiday(date(2026, 7, 4))
    assert not cal.is_nerc_holiday(date(2026, 7, 3))  # federal "observed" Friday is on-peak
    assert cal.is_on_peak(date(2026, 7, 3), 7)
    assert cal.is_nerc_holiday(date(2027, 12, 25))
    assert cal.is_on_peak(date(2027, 12, 24), 22)


@pytest.mark.parametrize("year", sorted(ON_PEAK))
def test_on_peak_hours_per_month(year: int) -> None:
    assert [p.on_peak for p in cal.year_peak_hours(year)] == ON_PEAK[year]


@pytest.mark.parametrize("year", sorted(OFF_PEAK))
def test_off_peak_hours_per_month(year: int) -> None:
    assert [p.off_peak for p in cal.year_peak_hours(year)] == OFF_PEAK[year]


@pytest.mark.parametrize(("year", "total"), sorted(YEAR_TOTALS.items()))
def test_on_peak_year_totals(year: int, total: int) -> None:
    assert sum(p.on_peak for p in cal.year_peak_hours(year)) == total


def test_hours_per_month_are_days_times_24() -> None:
    assert [cal.month_hours(2025, m) for m in (1, 2, 4)] == [744, 672, 720]
    assert cal.month_hours(2024, 2) == 696
    assert all(p.hours == cal.month_hours(2026, p.month) for p in cal.year_peak_hours(2026))
    assert cal.peak_hours(2019, 1).on_peak == 352  # published sanity check


def test_on_peak_window_is_he07_to_he22() -> None:
    monday = date(2025, 6, 2)
    flags = [cal.is_on_peak(monday, he) for he in range(1, 25)]
    assert flags == [False] * 6 + [True] * 16 + [False] * 2
    assert not any(cal.is_on_peak(date(2025, 6, 7), he) for he in range(1, 25))  # Saturday


def test_on_peak_flags_agree_with_is_on_peak_and_shift_for_cst() -> None:
    r = cal.month_hour_range(2025, 7)
    flags = cal.on_peak_flags(r.start, len(r))
    expected = [cal.is_on_peak(*cal.hour_of_index(i)) for i in r]
    assert list(map(bool, flags)) == expected
    assert sum(flags) == 352
    # CST HE06 is EST HE07: shifting by one hour moves the window one hour earlier.
    cst = cal.on_peak_flags(r.start, 24, shift_hours=cal.est_shift_hours(cal.standard_time("CST")))
    assert [i + 1 for i, f in enumerate(cst) if f][:1] == [6] and sum(cst) == 16


def test_hour_index_round_trip() -> None:
    i = cal.hour_index(date(2025, 3, 9), 24)
    assert cal.hour_of_index(i) == (date(2025, 3, 9), 24)
    assert cal.hour_of_index(i + 1) == (date(2025, 3, 10), 1)
    with pytest.raises(ValueError):
        cal.hour_index(date(2025, 3, 9), 25)


def test_standard_times() -> None:
    assert cal.standard_time("cst").offset_minutes == -360
    assert cal.standard_time("EST (UTC−5)") is cal.EST
    assert cal.EST.label == "EST (UTC−5)"
    with pytest.raises(ValueError):
        cal.standard_time("CDT")
