"""Planning years, seasons, MECT opening and the two BTMG deadlines, on frozen days."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from desktop.models.planning import (
    SEASONS,
    CountdownState,
    PlanningYear,
    Season,
    countdown,
    deadline_status,
    next_business_day,
    next_enrollable_year,
    planning_year_of,
)


def test_planning_year_runs_june_to_may_and_is_named() -> None:
    py = PlanningYear(2027)
    assert (py.first_day, py.last_day, py.name) == (
        date(2027, 6, 1),
        date(2028, 5, 31),
        "PY 2027-2028",
    )


@pytest.mark.parametrize(
    ("start", "winter_end", "winter_days"),
    [(2026, date(2027, 2, 28), 90), (2027, date(2028, 2, 29), 91), (2099, date(2100, 2, 28), 90)],
)
def test_winter_ends_on_the_last_day_of_february_in_leap_and_common_years(
    start: int, winter_end: date, winter_days: int
) -> None:
    winter = PlanningYear(start).season(Season.WINTER)
    assert winter.first_day == date(start, 12, 1)
    assert winter.last_day == winter_end
    assert winter.days == winter_days


def test_the_four_seasons_tile_the_planning_year_without_gap_or_overlap() -> None:
    for start in (2023, 2027, 2031):
        py = PlanningYear(start)
        spans = py.seasons()
        assert [s.season for s in spans] == list(SEASONS)
        assert spans[0].first_day == py.first_day and spans[-1].last_day == py.last_day
        for a, b in itertools.pairwise(spans):
            assert (b.first_day - a.last_day).days == 1
        assert sum(s.days for s in spans) == (py.last_day - py.first_day).days + 1


def test_season_months() -> None:
    assert PlanningYear(2026).season(Season.WINTER).months == ((2026, 12), (2027, 1), (2027, 2))
    assert PlanningYear(2026).season(Season.FALL).months == ((2026, 9), (2026, 10), (2026, 11))


@pytest.mark.parametrize(
    ("start", "opening"),
    [
        (2025, date(2024, 10, 1)),  # Tuesday: KA-01373's own example
        (2023, date(2022, 10, 3)),  # Oct 1 2022 is a Saturday -> Monday
        (2024, date(2023, 10, 2)),  # Oct 1 2023 is a Sunday -> Monday
        (2028, date(2027, 10, 1)),  # Friday
    ],
)
def test_mect_opens_on_the_first_business_day_of_october_before(start: int, opening: date) -> None:
    assert PlanningYear(start).mect_opening == opening


def test_next_business_day_skips_only_weekends() -> None:
    assert next_business_day(date(2026, 10, 3)) == date(2026, 10, 5)
    assert next_business_day(date(2026, 10, 5)) == date(2026, 10, 5)


def test_deadlines_are_february_15_and_march_1_of_the_start_year() -> None:
    frap, required = PlanningYear(2027).deadlines
    assert frap.day == date(2027, 2, 15) and required.day == date(2027, 3, 1)
    assert frap.kind.value == "frap" and required.kind.value == "required"


def test_the_deadline_day_itself_is_still_on_time() -> None:
    py = PlanningYear(2026)
    on_the_day = deadline_status(py, date(2026, 3, 1))
    assert not on_the_day.late
    assert on_the_day.required.state is CountdownState.TODAY
    assert on_the_day.next_countdown is on_the_day.required
    assert "due today (Mar 1)" in on_the_day.text
    day_after = deadline_status(py, date(2026, 3, 2))
    assert day_after.late
    assert "Late for PY 2026-2027" in day_after.text and "PY 2027-2028" in day_after.text


def test_frap_day_counts_and_then_the_required_deadline_is_next() -> None:
    py = PlanningYear(2026)
    assert deadline_status(py, date(2026, 2, 15)).frap.state is CountdownState.TODAY
    after = deadline_status(py, date(2026, 2, 16))
    assert after.frap.state is CountdownState.PASSED
    assert after.next_countdown is after.required and after.required.days_left == 13


def test_leap_year_february_adds_a_day_to_the_march_countdown() -> None:
    # 2028 is a leap year: Feb 15 -> Mar 1 is 15 days; in 2027 it is 14.
    assert deadline_status(PlanningYear(2028), date(2028, 2, 15)).required.days_left == 15
    assert deadline_status(PlanningYear(2027), date(2027, 2, 15)).required.days_left == 14
    assert deadline_status(PlanningYear(2028), date(2028, 2, 29)).required.days_left == 1


def test_a_deadline_on_a_weekend_does_not_move_but_names_the_business_day_before() -> None:
    # Feb 15 2026 and Mar 1 2026 are Sundays.
    status = deadline_status(PlanningYear(2026), date(2026, 2, 1))
    assert status.frap.on_weekend and status.frap.days_left == 14
    assert "a Sunday; last business day before it: Fri Feb 13" in status.frap.text
    assert "Fri Feb 27" in status.required.text
    weekday = countdown(PlanningYear(2027).frap_deadline, date(2027, 2, 1))  # a Monday
    assert not weekday.on_weekend and "business day" not in weekday.text


def test_reminder_window_is_14_days_inclusive() -> None:
    py = PlanningYear(2027)
    assert deadline_status(py, date(2027, 2, 1)).within() is not None  # 14 days to Feb 15
    assert deadline_status(py, date(2027, 1, 31)).within() is None  # 15 days
    assert deadline_status(py, date(2027, 3, 1)).within() is not None  # the day itself
    assert deadline_status(py, date(2027, 3, 2)).within() is None  # late: no reminder


def test_urgency_puts_late_first_then_nearest_deadline() -> None:
    today = date(2026, 2, 20)
    late = deadline_status(PlanningYear(2025), today)
    soon = deadline_status(PlanningYear(2026), today)
    later = deadline_status(PlanningYear(2027), today)
    ordered = sorted([later, soon, late], key=lambda s: s.urgency_days)
    assert ordered == [late, soon, later]


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 1, 10), 2026),
        (date(2026, 3, 1), 2026),  # the deadline day itself
        (date(2026, 3, 2), 2027),
        (date(2025, 12, 31), 2026),
        (date(2028, 2, 29), 2028),
    ],
)
def test_a_new_draft_targets_the_next_planning_year_still_open(today: date, year: int) -> None:
    assert next_enrollable_year(today).start_year == year


def test_planning_year_of_a_day() -> None:
    assert planning_year_of(date(2026, 5, 31)).start_year == 2025
    assert planning_year_of(date(2026, 6, 1)).start_year == 2026
    assert PlanningYear(2026).contains(date(2027, 2, 28))


def test_planning_year_json_has_seasons_opening_and_deadlines() -> None:
    doc = PlanningYear(2027).to_json()
    assert doc["planning_year"] == "PY 2027-2028"
    assert doc["mect_opening"] == "2026-10-01"
    assert [d["date"] for d in doc["deadlines"]] == ["2027-02-15", "2027-03-01"]  # type: ignore[index]
    seasons = doc["seasons"]
    assert isinstance(seasons, list)
    assert seasons[2] == {
        "season": "Winter",
        "first_day": "2027-12-01",
        "last_day": "2028-02-29",
        "days": 91,
        "min_deployments": 5,
    }
