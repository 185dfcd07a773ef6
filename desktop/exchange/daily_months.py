"""Daily (or longer) readings -> whole months: enough for a monthly upload, never for hours.

Green Button feeds often carry one reading a day (23 or 25 hours long across daylight
saving). Each reading belongs to the local month its start falls in; a month is whole when its
readings follow one another without a gap from the month's first local midnight to the next
month's. Months with gaps, or a reading that runs into the next month, are left out and said.
With several meters, a month is written when every meter that has readings in it covers it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from desktop.exchange.green_button import LongReadings
from desktop.models.generation import MonthEnergy
from desktop.models.issues import Issue, warning

Month = tuple[int, int]


def _local_day(seconds: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(seconds, UTC).astimezone(tz).date()


def _month_start(month: Month, tz: ZoneInfo) -> int:
    return int(datetime(month[0], month[1], 1, tzinfo=tz).timestamp())


def _next(month: Month) -> Month:
    return (month[0] + month[1] // 12, month[1] % 12 + 1)


def meter_months(long: LongReadings, tz: ZoneInfo) -> tuple[dict[Month, float], dict[Month, str]]:
    """kWh of each whole local month of one meter, and why each other month is not whole."""
    readings = sorted(long.readings)
    by_month: dict[Month, list[tuple[int, int, float, int]]] = defaultdict(list)
    for r in readings:
        d = _local_day(r[0], tz)
        by_month[(d.year, d.month)].append(r)
    whole: dict[Month, float] = {}
    partial: dict[Month, str] = {}
    for month, rs in by_month.items():
        at = _month_start(month, tz)
        end = _month_start(_next(month), tz)
        for start, length, _, _ in rs:
            if start != at:
                break
            at = start + length
        if at == end:
            whole[month] = math.fsum(r[2] for r in rs)
        else:
            partial[month] = (
                f"the readings of '{long.meter_id}' cover it only in part (from "
                f"{_local_day(rs[0][0], tz)} to {_local_day(rs[-1][0] + rs[-1][1] - 1, tz)}, "
                "with gaps or readings that run past the month)"
            )
    return whole, partial


def daily_months(longs: list[LongReadings], tz: ZoneInfo, issues: list[Issue]) -> list[MonthEnergy]:
    """Whole months over all meters; each month left out is reported once as a warning."""
    totals: dict[Month, float] = defaultdict(float)
    left_out: dict[Month, str] = {}
    for long in longs:
        whole, partial = meter_months(long, tz)
        for month, kwh in whole.items():
            totals[month] += kwh
        left_out.update(partial)
    for month, reason in sorted(left_out.items()):
        totals.pop(month, None)
        file = next(lg.file for lg in longs)
        issues.append(warning("", f"{date(*month, 1):%B %Y} is left out: {reason}", file=file))
    return [MonthEnergy(y, m, kwh / 1000.0) for (y, m), kwh in sorted(totals.items())]
