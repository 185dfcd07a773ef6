"""Builders of small meter files for the generation tests (imported by the test modules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def local_rows(
    zone: str,
    start: datetime,
    end: datetime,
    step: int = 15,
    *,
    value: float | None = None,
    mark_end: bool = False,
) -> list[tuple[str, float]]:
    """(local wall-time stamp, kWh) for every interval between two local wall times.

    Stamps follow the zone's daylight saving as a meter logging local time writes them.
    The value of each interval defaults to a number that tells intervals apart.
    """
    tz = ZoneInfo(zone)
    t = start.replace(tzinfo=tz).astimezone(UTC)
    stop = end.replace(tzinfo=tz).astimezone(UTC)
    out = []
    i = 0
    while t < stop:
        stamp_at = t + timedelta(minutes=step) if mark_end else t
        text = stamp_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        out.append((text, value if value is not None else round(0.001 * (i % 997 + 1), 3)))
        t += timedelta(minutes=step)
        i += 1
    return out


def write_csv(
    path: Path,
    rows: list[tuple[str, float]],
    *,
    meter: str | None = None,
    header: str = "Interval Start,kWh",
) -> Path:
    lines = [f"Meter,{header}" if meter is not None else header]
    for text, v in rows:
        lines.append(f"{meter},{text},{v:.3f}" if meter is not None else f"{text},{v:.3f}")
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def utc_rows(
    start: datetime, hours: int, step: int = 60, value: float = 1.0
) -> list[tuple[str, float]]:
    """ISO stamps with offset (-05:00) for `hours` hours from an EST wall time."""
    out = []
    t = start
    for _ in range(hours * 60 // step):
        out.append((t.strftime("%Y-%m-%dT%H:%M:00-05:00"), value))
        t += timedelta(minutes=step)
    return out
