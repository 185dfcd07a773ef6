"""Which instants make a month: the generator's local calendar months, or standard-time months.

A monthly upload reports the generator's **local** calendar month, midnight to midnight in its
own zone, as meters and utility bills count it (docs/generation.md). An hourly upload covers
whole months of its fixed **standard time** (EST unless the generator says otherwise). Both are
a `MonthGrid`: the UTC minutes where each month begins and ends, and how to show an instant to
the user in the grid's own clock. Working in UTC minutes keeps a daylight-saving month exact:
a Chicago March has 743 hours, and its readings are all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.models import calendar as cal

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def local_zone(name: str) -> ZoneInfo:
    """An IANA zone by name; ValueError with the fix when it is not one."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{name}' is not an IANA time zone (e.g. America/Chicago, America/New_York)"
        ) from None


def utc_minute(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds() // 60)


@dataclass(frozen=True)
class MonthGrid:
    """Months of a zone (`zone`), or of the fixed standard time `std` when `zone` is None."""

    std: cal.StandardTime
    zone: ZoneInfo | None = None

    @property
    def name(self) -> str:
        return self.zone.key if self.zone is not None else self.std.code

    @property
    def is_local(self) -> bool:
        return self.zone is not None

    def start(self, year: int, month: int) -> int:
        """UTC minute at which the month begins."""
        if self.zone is None:
            return cal.month_hour_range(year, month).start * 60 - self.std.offset_minutes
        return utc_minute(datetime(year, month, 1, tzinfo=self.zone))

    def bounds(self, year: int, month: int) -> tuple[int, int]:
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        return self.start(year, month), self.start(ny, nm)

    def wall(self, minute: int) -> datetime:
        """The grid's clock time of a UTC minute (naive)."""
        utc = _EPOCH + timedelta(minutes=minute)
        if self.zone is None:
            return (utc + timedelta(minutes=self.std.offset_minutes)).replace(tzinfo=None)
        return utc.astimezone(self.zone).replace(tzinfo=None)

    def month_of(self, minute: int) -> tuple[int, int]:
        w = self.wall(minute)
        return w.year, w.month

    def months(self, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """Every month that holds a minute of [lo, hi), in order."""
        y, m = self.month_of(lo)
        last = self.month_of(hi - 1)
        while (y, m) <= last:
            yield y, m
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    def show(self, minute: int) -> str:
        return f"{self.wall(minute):%Y-%m-%d %H:%M}"

    def show_span(self, lo: int, hi: int) -> str:
        """'2026-03-14 02:00 to 03:00' (the day once when both ends share it)."""
        a, b = self.wall(lo), self.wall(hi)
        end = f"{b:%H:%M}" if a.date() == b.date() else f"{b:%Y-%m-%d %H:%M}"
        return f"{a:%Y-%m-%d %H:%M} to {end}"


def month_name(year: int, month: int) -> str:
    return date(year, month, 1).strftime("%B %Y")


def duration(minutes: int) -> str:
    """'45 minutes', '1 hour', '3.25 hours', '12 days 4 hours'."""
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if minutes < 2 * 1440:
        hours = minutes / 60
        return f"{hours:g} hour{'s' if hours != 1 else ''}"
    days, rest = divmod(minutes, 1440)
    return f"{days} days" + (f" {rest / 60:g} hours" if rest else "")
