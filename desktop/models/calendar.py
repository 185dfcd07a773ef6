"""MISO time: Eastern Standard Time all year, hour-ending 1–24, on-peak and off-peak hours.

MISO does business in EST (UTC−5) year-round, so every MISO operating day has 24 hours and every
month has `days × 24` hours (reference.md §3.1). On-peak is HE07–HE22 EST, Monday to Friday,
except the six NERC holidays; a holiday on a Sunday moves to the Monday after, a holiday on a
Saturday does not move (§3.2). Everything here is plain arithmetic on dates so that it is fast
and has no time-zone database behind it.

Hours are counted as an *hour index*: whole hours since 1970-01-01 00:00 in a fixed standard
time (EST unless a generator says otherwise). Index `i` is the hour that ends at HE `i % 24 + 1`
on day `i // 24`. Generators may report in another standard time (decisions.md); `StandardTime`
names the ones offered.
"""

from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ON_PEAK_FIRST_HE = 7
ON_PEAK_LAST_HE = 22


@dataclass(frozen=True, slots=True)
class StandardTime:
    """A fixed offset from UTC with no daylight saving, as uploads count hours."""

    code: str
    offset_minutes: int  # minutes east of UTC: EST is -300

    @property
    def label(self) -> str:
        hours = self.offset_minutes / 60
        sign = "−" if hours < 0 else "+"
        return f"{self.code} (UTC{sign}{abs(hours):g})"


STANDARD_TIMES: tuple[StandardTime, ...] = (
    StandardTime("AST", -240),
    StandardTime("EST", -300),
    StandardTime("CST", -360),
    StandardTime("MST", -420),
    StandardTime("PST", -480),
)
EST = STANDARD_TIMES[1]  # MISO time and the default hour convention (decisions.md)


def standard_time(code: str) -> StandardTime:
    """`EST`, `est` or a label such as `CST (UTC−6)` -> the StandardTime; ValueError if unknown."""
    wanted = code.strip().split(" ")[0].upper()
    for st in STANDARD_TIMES:
        if st.code == wanted:
            return st
    known = ", ".join(st.code for st in STANDARD_TIMES)
    raise ValueError(f"'{code}' is not a standard time Registry Desk offers ({known})")


# --- NERC holidays --------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year, month, _stdcal.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@lru_cache(maxsize=256)
def nerc_holidays(year: int) -> dict[date, str]:
    """The six off-peak holidays of `year` on the days they are observed by MISO.

    A Sunday holiday is observed on the Monday after; a Saturday holiday stays on Saturday
    (there is no Friday substitute, unlike the US federal calendar).
    """
    fixed = {
        "New Year's Day": date(year, 1, 1),
        "Independence Day": date(year, 7, 4),
        "Christmas Day": date(year, 12, 25),
    }
    observed: dict[date, str] = {}
    for name, day in fixed.items():
        # A Sunday holiday is observed on Monday; a Saturday one is not moved (reference §3.2).
        observed[day + timedelta(days=1) if day.weekday() == 6 else day] = name
    observed[_last_weekday(year, 5, 0)] = "Memorial Day"
    observed[_nth_weekday(year, 9, 0, 1)] = "Labor Day"
    observed[_nth_weekday(year, 11, 3, 4)] = "Thanksgiving Day"
    return dict(sorted(observed.items()))


def is_nerc_holiday(day: date) -> bool:
    return day in nerc_holidays(day.year)


def is_on_peak_day(day: date) -> bool:
    """Monday to Friday and not a NERC holiday."""
    return day.weekday() < 5 and not is_nerc_holiday(day)


def is_on_peak(day: date, hour_ending: int) -> bool:
    """True for HE07–HE22 EST of an on-peak day; `day` and `hour_ending` are in EST."""
    return ON_PEAK_FIRST_HE <= hour_ending <= ON_PEAK_LAST_HE and is_on_peak_day(day)


# --- Hours per month ------------------------------------------------------------------------


def days_in_month(year: int, month: int) -> int:
    return _stdcal.monthrange(year, month)[1]


def month_hours(year: int, month: int) -> int:
    """Every EST day has 24 hours, so a month has days × 24 (no 23- or 25-hour days)."""
    return days_in_month(year, month) * 24


@dataclass(frozen=True, slots=True)
class PeakHours:
    year: int
    month: int
    on_peak: int
    off_peak: int

    @property
    def hours(self) -> int:
        return self.on_peak + self.off_peak


def peak_hours(year: int, month: int) -> PeakHours:
    on_days = sum(
        1 for d in range(1, days_in_month(year, month) + 1) if is_on_peak_day(date(year, month, d))
    )
    on = on_days * (ON_PEAK_LAST_HE - ON_PEAK_FIRST_HE + 1)
    return PeakHours(year, month, on, month_hours(year, month) - on)


def year_peak_hours(year: int) -> list[PeakHours]:
    return [peak_hours(year, m) for m in range(1, 13)]


# --- Hour indexes ---------------------------------------------------------------------------


def day_index(day: date) -> int:
    """Days since 1970-01-01."""
    return day.toordinal() - EPOCH_ORDINAL


def day_of_index(index: int) -> date:
    return date.fromordinal(EPOCH_ORDINAL + index)


def hour_index(day: date, hour_ending: int) -> int:
    """The hour index of HE `hour_ending` (1–24) of `day`."""
    if not 1 <= hour_ending <= 24:
        raise ValueError(f"hour ending {hour_ending} is not 1–24")
    return day_index(day) * 24 + hour_ending - 1


def hour_of_index(index: int) -> tuple[date, int]:
    """(day, hour ending 1–24) of an hour index."""
    d, h = divmod(index, 24)
    return day_of_index(d), h + 1


def month_hour_range(year: int, month: int) -> range:
    """Hour indexes of a whole month in the standard time they are counted in."""
    first = day_index(date(year, month, 1)) * 24
    return range(first, first + month_hours(year, month))


def on_peak_flags(first_hour: int, count: int, *, shift_hours: int = 0) -> bytearray:
    """1 for each on-peak hour among `count` hours from `first_hour`, else 0.

    `shift_hours` converts the hours' own standard time to EST (EST − own offset in hours),
    so that a generator reporting in CST still gets MISO's on-peak hours: CST HE06 is EST HE07.
    """
    flags = bytearray(count)
    start = first_hour + shift_hours
    day0 = start // 24
    last_day = (start + count - 1) // 24 if count else day0 - 1
    for d in range(day0, last_day + 1):
        if not is_on_peak_day(day_of_index(d)):
            continue
        lo = max(d * 24 + ON_PEAK_FIRST_HE - 1, start)
        hi = min(d * 24 + ON_PEAK_LAST_HE, start + count)
        if lo < hi:
            flags[lo - start : hi - start] = b"\x01" * (hi - lo)
    return flags


def est_shift_hours(std: StandardTime) -> int:
    """Hours to add to an hour index in `std` to get the EST hour index of the same hour."""
    return (EST.offset_minutes - std.offset_minutes) // 60
