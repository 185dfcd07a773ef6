"""Meter time stamps -> UTC minutes, fast: each distinct stamp text is parsed once.

Meter files repeat the same stamps for every meter (150 meters × 35,040 quarter hours share
35,040 texts), so a dict from stamp text to minute turns millions of parses into one lookup each.
A stamp is parsed by a regular expression only the first time it is seen.

Stamps either carry an offset (ISO 8601 `2025-03-09T01:45:00-06:00`, `Z`) or are local wall
times in the zone given with `--input-tz`. Local times are resolved with `zoneinfo`:
- a wall time that occurs twice (the repeated hour when daylight saving ends) is *ambiguous*:
  the caller takes the first reading of a meter as daylight time and the second as standard
  time (`fold`), which is how meters that log local time write them;
- a wall time that does not exist (skipped when daylight saving starts) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.errors import UsageError
from desktop.models.calendar import EPOCH_ORDINAL

BAD = -(2**62)  # marks a stamp that could not be used; never a real minute
CACHE_LIMIT = 400_000  # distinct stamps kept (a year of 5-minute data is 105,120)

_ISO = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_US = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
)


def zone(name: str) -> ZoneInfo:
    """An IANA zone such as America/Chicago; UsageError (exit 2) if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"'{name}' is not an IANA time zone; use a name such as America/Chicago"
        ) from None


@dataclass(slots=True)
class Parsed:
    """A stamp split into wall-clock parts; `offset` is minutes east of UTC when written."""

    day: date
    minute_of_day: int  # 0..1440 (1440 = the 24:00 some meters write)
    offset: int | None
    seconds: int


def parse_parts(text: str) -> Parsed | str:
    """Split a stamp, or return the reason it cannot be read."""
    s = text.strip()
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        hh, mi, ss, tz = m[4], m[5], m[6], m[7]
        ampm = None
    else:
        m = _US.fullmatch(s)
        if not m:
            if not s:
                return "the time stamp is empty"
            return (
                f"'{text}' is not a time stamp (expected e.g. 2025-01-31 13:15 or 1/31/2025 13:15)"
            )
        mo, d, y = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:  # MV-90 style `10/30/26`: meter data is of this century
            y += 2000
        hh, mi, ss, ampm = m[4], m[5], m[6], m[7]
        tz = None
    if hh is None:
        return f"'{text}' has a date but no time of day"
    try:
        day = date(y, mo, d)
    except ValueError:
        return f"'{text}' is not a real calendar date"
    h, minute, sec = int(hh), int(mi), int(ss or 0)
    if ampm:
        if not 1 <= h <= 12:
            return f"'{text}' has hour {h} with AM/PM"
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    if minute > 59 or sec > 59 or h > 24 or (h == 24 and (minute or sec)):
        return f"'{text}' is not a valid time of day"
    offset = None
    if tz:
        if tz == "Z":
            offset = 0
        else:
            digits = tz[1:].replace(":", "")
            offset = int(digits[:2]) * 60 + int(digits[2:])
            if tz[0] == "-":
                offset = -offset
    return Parsed(day, h * 60 + minute, offset, sec)


@dataclass
class StampResolver:
    """Resolves stamp texts to UTC minutes with a cache; collects what it had to decide.

    `local_zone` is required for stamps without an offset. `ambiguous` maps a stamp text to
    (first, second) UTC minutes of a repeated wall time; `errors` maps a refused text to why.
    """

    local_zone: ZoneInfo | None = None
    cache: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rounded: dict[str, int] = field(default_factory=dict)  # stamps with seconds, rounded
    dst_days: dict[date, int] = field(default_factory=dict)  # local day -> its hours (23/25)
    _steady: dict[date, int | None] = field(default_factory=dict, repr=False, compare=False)

    def resolve_all(self, texts: set[str]) -> None:
        """Resolve every text not yet cached (call with a chunk's distinct stamps)."""
        if len(self.cache) + len(texts) > CACHE_LIMIT:
            # Keep memory bounded on very long files; ambiguity bookkeeping stays intact.
            self.cache.clear()
        cache = self.cache
        for text in texts:
            if text not in cache:
                cache[text] = self._resolve(text)

    def _resolve(self, text: str) -> int:
        parts = parse_parts(text)
        if isinstance(parts, str):
            self.errors[text] = parts
            return BAD
        minute = parts.minute_of_day
        if parts.seconds:
            minute += 1 if parts.seconds >= 30 else 0
            self.rounded[text] = parts.seconds
        day_min = (parts.day.toordinal() - EPOCH_ORDINAL) * 1440
        if parts.offset is not None:
            return day_min + minute - parts.offset
        if self.local_zone is None:
            self.errors[text] = (
                f"'{text}' has no UTC offset; say which time zone the meter used (--input-tz)"
            )
            return BAD
        steady = self._steady_offset(parts.day)
        if steady is not None:
            return day_min + minute - steady
        wall = datetime.fromordinal(parts.day.toordinal()) + timedelta(minutes=minute)
        off0 = _offset(wall, self.local_zone, 0)
        off1 = _offset(wall, self.local_zone, 1)
        if off0 == off1:
            return day_min + minute - off0
        local_day = wall.date()
        if off0 > off1:  # clocks went back: this wall time happened twice
            self.dst_days[local_day] = 25
            first, second = day_min + minute - off0, day_min + minute - off1
            self.ambiguous[text] = (first, second)
            return first
        self.dst_days[local_day] = 23
        self.errors[text] = (
            f"'{text}' does not exist in {self.local_zone.key}: clocks skipped that hour "
            "when daylight saving started"
        )
        return BAD

    def _steady_offset(self, day: date) -> int | None:
        """The zone's offset all through a local day (its midnight to the next, either fold),
        or None on a day it changes: most stamps then need no `zoneinfo` call of their own."""
        cached = self._steady.get(day, _UNKNOWN)
        if cached is not _UNKNOWN:
            return cached  # type: ignore[return-value]
        assert self.local_zone is not None
        start = datetime.fromordinal(day.toordinal())
        ends = (start, start + timedelta(days=1))
        offsets = {_offset(w, self.local_zone, fold) for w in ends for fold in (0, 1)}
        steady = offsets.pop() if len(offsets) == 1 else None
        self._steady[day] = steady
        return steady


_UNKNOWN = object()


def _offset(wall: datetime, tz: ZoneInfo, fold: int) -> int:
    off = wall.replace(tzinfo=tz, fold=fold).utcoffset()
    assert off is not None
    return int(off.total_seconds() // 60)


def minute_to_utc(minute: int) -> datetime:
    """UTC minutes since the epoch -> naive UTC datetime (for messages)."""
    return datetime(1970, 1, 1) + timedelta(minutes=minute)


def describe_minute(minute: int, offset_minutes: int, code: str) -> str:
    """A UTC minute shown in a fixed standard time: '2025-03-09 02:00 EST'."""
    return f"{(minute_to_utc(minute + offset_minutes)):%Y-%m-%d %H:%M} {code}"


def dst_change_days(
    tz: ZoneInfo, first_utc_minute: int, last_utc_minute: int
) -> list[tuple[date, int]]:
    """Local days between two instants whose length is not 24 hours: (day, 23 or 25)."""
    first = (minute_to_utc(first_utc_minute) - timedelta(days=1)).date()
    last = (minute_to_utc(last_utc_minute) + timedelta(days=1)).date()
    out: list[tuple[date, int]] = []
    day = first
    prev = datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()
    while day <= last:
        nxt_day = day + timedelta(days=1)
        nxt = datetime(nxt_day.year, nxt_day.month, nxt_day.day, tzinfo=tz).timestamp()
        hours = round((nxt - prev) / 3600)
        if hours != 24:
            out.append((day, hours))
        day, prev = nxt_day, nxt
    return out
