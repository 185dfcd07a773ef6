"""Meter files for the Generation area tests: a small rooftop-solar generator, made by code."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# The 'today' of every generation window test (upload windows count from it).
TODAY = date(2025, 9, 10)


def solar_kwh(t_utc: datetime, step: int, kw: float, rnd: random.Random) -> float:
    """kWh of one interval of a rooftop array: a bell between sunrise and sunset (CST sun)."""
    local = t_utc - timedelta(hours=6)
    day = local.timetuple().tm_yday
    hour = local.hour + local.minute / 60 + step / 120
    season = math.cos(2 * math.pi * (day - 172) / 365)
    half = 6.0 + 2.5 * season
    x = (hour - 12.5) / half
    if abs(x) >= 1:
        return 0.0
    power = kw * (0.6 + 0.25 * season) * math.cos(x * math.pi / 2) ** 1.5
    return round(power * (0.75 + 0.25 * rnd.random()) * step / 60, 3)


def solar_rows(
    zone: str, start: datetime, end: datetime, *, kw: float = 7.6, step: int = 60, seed: int = 1
) -> list[tuple[str, float]]:
    """(local wall-time stamp, kWh) per interval between two local wall times of `zone`."""
    tz = ZoneInfo(zone)
    rnd = random.Random(seed)
    t = start.replace(tzinfo=tz).astimezone(UTC)
    stop = end.replace(tzinfo=tz).astimezone(UTC)
    out = []
    while t < stop:
        out.append((t.astimezone(tz).strftime("%Y-%m-%d %H:%M"), solar_kwh(t, step, kw, rnd)))
        t += timedelta(minutes=step)
    return out


def write_meter_csv(
    path: Path, rows: list[tuple[str, float]], header: str = "Interval Start,kWh"
) -> Path:
    lines = [header] + [f"{stamp},{kwh:.3f}" for stamp, kwh in rows]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path
