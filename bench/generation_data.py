"""Synthetic but realistic meter data for the generation benchmark and tests.

Rooftop solar: a clear-sky bell between sunrise and sunset that shifts with the season, scaled
by a per-day cloudiness and a little per-interval noise; each meter has its own nameplate.
Stamps are local wall times of the given zone, as a meter that follows daylight saving logs
them: the skipped spring hour is absent and the repeated autumn hour appears twice.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def local_stamps(zone: str, year: int, step_minutes: int) -> list[tuple[str, float]]:
    """(wall-time text, hours after local midnight of Jan 1 as solar clock) for a local year."""
    tz = ZoneInfo(zone)
    start = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    out: list[tuple[str, float]] = []
    t = start
    step = timedelta(minutes=step_minutes)
    while t < end:
        local = t.astimezone(tz)
        std_hours = (t - start).total_seconds() / 3600.0  # sun follows standard time
        out.append((local.strftime("%Y-%m-%d %H:%M"), std_hours))
        t += step
    return out


def solar_kwh(
    hours: float, step_minutes: int, kw: float, cloud: float, rnd: random.Random
) -> float:
    day = hours / 24.0
    hour_of_day = hours % 24.0
    season = math.cos(2 * math.pi * (day - 172) / 365.0)  # 1 at the June solstice
    half_day = 6.0 + 2.5 * season  # hours from solar noon to sunset
    x = (hour_of_day + step_minutes / 120.0 - 12.5) / half_day
    if abs(x) >= 1:
        return 0.0
    peak = kw * (0.55 + 0.25 * season) * cloud
    power = peak * math.cos(x * math.pi / 2) ** 1.5 * (0.95 + 0.1 * rnd.random())
    return power * step_minutes / 60.0


def write_meter_csv(
    path: Path, *, meters: int, zone: str = "America/New_York", year: int = 2025, step: int = 15
) -> tuple[int, float, float]:
    """Write `meters` meters of one local year; returns (rows, total kWh, group nameplate kW)."""
    stamps = local_stamps(zone, year, step)
    rows = 0
    total = 0.0
    nameplate = 0.0
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write("Meter ID,Interval Start,kWh\n")
        for m in range(meters):
            rnd = random.Random(m)
            kw = round(rnd.uniform(4.0, 6.5), 1)
            nameplate += kw
            meter = f"UNIT-{m + 1:04d}"
            clouds = [0.35 + 0.65 * rnd.random() for _ in range(370)]
            lines = []
            for text, hours in stamps:
                v = round(solar_kwh(hours, step, kw, clouds[int(hours // 24)], rnd), 3)
                total += v
                lines.append(f"{meter},{text},{v:.3f}\n")
            f.write("".join(lines))
            rows += len(lines)
    return rows, total, nameplate
