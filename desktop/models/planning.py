"""MISO planning years, their seasons and the BTMG enrollment deadlines.

Sources: reference.md §3.3 (Planning Year June 1 – May 31; seasons Summer Jun–Aug, Fall Sep–Nov,
Winter Dec–Feb, Spring Mar–May; MECT opens the new Planning Year on the first business day of
October), §3.4 (enrollment required by March 1 of the year the Planning Year starts; by
February 15 to be sure of use in an LSE's FRAP) and decisions.md (naming `PY 2027-2028`).

Dates here are calendar dates. The deadline day itself still counts as on time; a deadline that
falls on a weekend does not move (MISO publishes fixed dates), but the countdown says so and names
the last business day before it. "Business day" for the MECT opening means Monday–Friday: of the
six NERC holidays none falls in early October, so weekends are the only days to skip.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

NOTIFY_WITHIN_DAYS = 14  # the issue: warn when an incomplete draft is this close to a deadline


class Season(StrEnum):
    SUMMER = "summer"
    FALL = "fall"
    WINTER = "winter"
    SPRING = "spring"

    @property
    def label(self) -> str:
        return self.value.capitalize()


SEASONS: tuple[Season, ...] = (Season.SUMMER, Season.FALL, Season.WINTER, Season.SPRING)

# LMR minimum deployments per season (reference.md §3.3, MISO KA-01540).
MIN_DEPLOYMENTS: dict[Season, int] = {
    Season.SUMMER: 5,
    Season.FALL: 3,
    Season.WINTER: 5,
    Season.SPRING: 3,
}

# (first month, number of months) of each season; Summer starts the Planning Year.
_SEASON_MONTHS: dict[Season, tuple[int, int]] = {
    Season.SUMMER: (6, 3),
    Season.FALL: (9, 3),
    Season.WINTER: (12, 3),
    Season.SPRING: (3, 3),
}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class SeasonSpan:
    season: Season
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def months(self) -> tuple[tuple[int, int], ...]:
        """(year, month) of each month of the season, in order."""
        out = []
        y, m = self.first_day.year, self.first_day.month
        for _ in range(3):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)


class DeadlineKind(StrEnum):
    FRAP = "frap"
    REQUIRED = "required"


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: DeadlineKind
    day: date
    label: str

    @property
    def short(self) -> str:
        return self.day.strftime("%b %d").replace(" 0", " ")


@dataclass(frozen=True, slots=True)
class PlanningYear:
    """The Planning Year that starts on June 1 of `start_year`."""

    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 6, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 5, 31)

    @property
    def name(self) -> str:
        return f"PY {self.start_year}-{self.start_year + 1}"

    def __str__(self) -> str:
        return self.name

    def next(self) -> PlanningYear:
        return PlanningYear(self.start_year + 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def season(self, season: Season) -> SeasonSpan:
        first_month, count = _SEASON_MONTHS[season]
        year = self.start_year if first_month >= 6 else self.start_year + 1
        first = date(year, first_month, 1)
        last_month = first_month + count - 1
        last_year = year
        if last_month > 12:
            last_month -= 12
            last_year += 1
        return SeasonSpan(season, first, _month_end(last_year, last_month))

    def seasons(self) -> tuple[SeasonSpan, ...]:
        return tuple(self.season(s) for s in SEASONS)

    @property
    def mect_opening(self) -> date:
        """First business day (Mon–Fri) of October of the year before the Planning Year."""
        return next_business_day(date(self.start_year - 1, 10, 1))

    @property
    def frap_deadline(self) -> Deadline:
        return Deadline(
            DeadlineKind.FRAP,
            date(self.start_year, 2, 15),
            "Submit to be sure of use in an LSE's FRAP",
        )

    @property
    def required_deadline(self) -> Deadline:
        return Deadline(DeadlineKind.REQUIRED, date(self.start_year, 3, 1), "Enrollment required")

    @property
    def deadlines(self) -> tuple[Deadline, Deadline]:
        return (self.frap_deadline, self.required_deadline)

    def to_json(self) -> dict[str, object]:
        return {
            "planning_year": self.name,
            "start_year": self.start_year,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "seasons": [
                {
                    "season": s.season.label,
                    "first_day": s.first_day.isoformat(),
                    "last_day": s.last_day.isoformat(),
                    "days": s.days,
                    "min_deployments": MIN_DEPLOYMENTS[s.season],
                }
                for s in self.seasons()
            ],
            "mect_opening": self.mect_opening.isoformat(),
            "deadlines": [
                {
                    "kind": d.kind.value,
                    "date": d.day.isoformat(),
                    "label": d.label,
                    "weekday": d.day.strftime("%A"),
                }
                for d in self.deadlines
            ],
        }


def next_business_day(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def previous_business_day(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def planning_year_of(day: date) -> PlanningYear:
    """The Planning Year that contains `day`."""
    return PlanningYear(day.year if day.month >= 6 else day.year - 1)


def next_enrollable_year(today: date) -> PlanningYear:
    """The earliest Planning Year whose March 1 deadline has not passed on `today`."""
    py = PlanningYear(today.year)
    return py if today <= py.required_deadline.day else py.next()


class CountdownState(StrEnum):
    UPCOMING = "upcoming"
    TODAY = "today"
    PASSED = "passed"


@dataclass(frozen=True, slots=True)
class Countdown:
    deadline: Deadline
    days_left: int  # negative once passed

    @property
    def state(self) -> CountdownState:
        if self.days_left > 0:
            return CountdownState.UPCOMING
        if self.days_left == 0:
            return CountdownState.TODAY
        return CountdownState.PASSED

    @property
    def on_weekend(self) -> bool:
        return self.deadline.day.weekday() >= 5

    @property
    def text(self) -> str:
        """'12 days to Feb 15', 'due today (Mar 1)', 'passed 3 days ago (Mar 1)'."""
        when = self.deadline.short
        if self.state is CountdownState.UPCOMING:
            plural = "s" if self.days_left != 1 else ""
            out = f"{self.days_left} day{plural} to {when}"
        elif self.state is CountdownState.TODAY:
            out = f"due today ({when})"
        else:
            ago = -self.days_left
            out = f"passed {ago} day{'s' if ago != 1 else ''} ago ({when})"
        if self.on_weekend and self.state is not CountdownState.PASSED:
            before = previous_business_day(self.deadline.day)
            out += (
                f" (a {self.deadline.day.strftime('%A')}; last business day before it: "
                f"{before.strftime('%a %b %d').replace(' 0', ' ')})"
            )
        return out


def countdown(deadline: Deadline, today: date) -> Countdown:
    return Countdown(deadline, (deadline.day - today).days)


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    """Where a draft for `year` stands on `today`."""

    year: PlanningYear
    frap: Countdown
    required: Countdown

    @property
    def late(self) -> bool:
        """Past March 1: MECT no longer takes this Planning Year's enrollment."""
        return self.required.state is CountdownState.PASSED

    @property
    def next_countdown(self) -> Countdown | None:
        """The nearest deadline not yet passed (the day itself counts), or None when late."""
        for c in (self.frap, self.required):
            if c.state is not CountdownState.PASSED:
                return c
        return None

    @property
    def urgency_days(self) -> int:
        """Sort key: days to the nearest open deadline; late drafts sort first."""
        nxt = self.next_countdown
        return -1 if nxt is None else nxt.days_left

    def within(self, days: int = NOTIFY_WITHIN_DAYS) -> Countdown | None:
        """The open deadline at most `days` away, if any (for reminders)."""
        nxt = self.next_countdown
        return nxt if nxt is not None and nxt.days_left <= days else None

    @property
    def text(self) -> str:
        if self.late:
            return (
                f"Late for {self.year.name}: the March 1 deadline passed "
                f"{-self.required.days_left} days ago. Move it to {self.year.next().name}."
            )
        if self.frap.state is CountdownState.PASSED:
            frap = f"FRAP date passed ({self.frap.deadline.short})"
        else:
            frap = f"FRAP: {self.frap.text}"
        return f"{self.year.name} · {frap} · Required: {self.required.text}"


def deadline_status(year: PlanningYear, today: date) -> DeadlineStatus:
    return DeadlineStatus(
        year, countdown(year.frap_deadline, today), countdown(year.required_deadline, today)
    )
