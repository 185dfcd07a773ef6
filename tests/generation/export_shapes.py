"""Meter exports in the shapes utilities and meter-data systems write (docs/generation.md), a whole
local month each, built from one list of local intervals so every total is known.

Each builder returns the path and the kWh its chosen energy column holds; `SHAPES` lists them
with the command-line options a user gives (only the zone, and which column where there are
several). Used by the tests and by bench/generation.py (`meters` repeats the rows per meter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


def intervals(
    zone: str, year: int, month: int, step: int = 15, months: int = 1
) -> list[tuple[datetime, float, bool]]:
    """(local start, kWh, inside the months) of every interval of `months` local months and a
    day either side, daylight saving as it happens. The values are a solar day's (zero from
    19:00 to 07:00), so a month's total is the same whether months are counted in local time
    or in a standard time an hour or two away."""
    tz = ZoneInfo(zone)
    end_y, end_m = divmod(month - 1 + months, 12)
    lo = datetime(year, month, 1, tzinfo=tz).astimezone(UTC)
    hi = datetime(year + end_y, end_m + 1, 1, tzinfo=tz).astimezone(UTC)
    t, stop = lo - timedelta(days=1), hi + timedelta(days=1)
    out = []
    i = 0
    while t < stop:
        local = t.astimezone(tz)
        v = round(0.25 + 0.001 * (i % 389), 3) if 7 <= local.hour < 19 else 0.0
        out.append((local, v, lo <= t < hi))
        t += timedelta(minutes=step)
        i += 1
    return out


def in_months(rows: list[tuple[datetime, float, bool]]) -> float:
    return sum(v for _, v, inside in rows if inside)


def _twelve(t: datetime) -> str:
    return f"{(t.hour % 12) or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def portal_csv(path: Path, meters: int = 1, months: int = 1) -> float:
    """1: metadata lines, Date + 12-hour Start Time, Consumption/Generation/Net, quoted."""
    rows = intervals("America/Chicago", 2026, 3, months=months)
    lines = []
    for m in range(meters):
        meter = f"0773{1234 + m:04d}"
        for t, v, _ in rows:
            lines.append(
                f'"{meter}","{t.month}/{t.day}/{t.year}","{_twelve(t)}","15",'
                f'"{v + 0.5:.4f}","{v:.4f}","{0.5:.4f}"'
            )
    consumption = sum(v + 0.5 for _, v, _ in rows) * meters
    head = [
        "Name,LAKEVIEW FOODS",
        "Address,100 MAIN ST ROCHESTER MN 55901",
        "Account Number,5512345678",
        "Title,CSV Export Electric Meter(s)",
        "Meter Number,07731234",
        "Interval UOM,Minute(s)",
        "Reading Start,3/1/2026 00:00",
        "Reading End,3/31/2026 23:45",
        f"Total Usage,{consumption:.2f}",
        "UOM,kWh",
        "Meter Number,Date,Start Time,Duration,Consumption,Generation,Net",
    ]
    path.write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    return in_months(rows) * meters


def portal_xlsx(path: Path, meters: int = 1, months: int = 1) -> float:
    """1 as a workbook: the same metadata rows above the header, real dates and times."""
    from openpyxl import Workbook

    rows = intervals("America/Chicago", 2026, 3, months=months)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Name", "LAKEVIEW FOODS"])
    ws.append(["Account Number", "5512345678"])
    ws.append(["UOM", "kWh"])
    ws.append(["Meter Number", "Date", "Start Time", "Duration", "Consumption", "Generation"])
    for m in range(meters):
        for t, v, _ in rows:
            ws.append([f"M{m}", t.date(), t.time(), 15, v + 0.5, v])
    wb.save(path)
    return in_months(rows) * meters


def opower_csv(path: Path, meters: int = 1, months: int = 1) -> float:
    """2: metadata, a blank line, DATE + START TIME + END TIME, rows without the NOTES field."""
    rows = intervals("America/Chicago", 2026, 7, step=60, months=months)
    lines = [
        "Name,OLSON HOME ARRAY",
        'Address,"12 ELM ST, SAINT PAUL MN 55101"',
        "Account Number,1776xxxxxx",
        "Service,Service 1",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),NOTES",
    ]
    for _ in range(meters):
        for t, v, _ in rows:
            end = t + timedelta(minutes=59)
            lines.append(f"Electric usage,{t:%Y-%m-%d},{t:%H:%M},{end:%H:%M},{v:.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(round(v, 2) for _, v, inside in rows if inside) * meters


def mv90_csv(path: Path, meters: int = 1, months: int = 1) -> float:
    """3: padded cells, two-digit years, end stamps, a KWH channel beside a KVARH one."""
    rows = intervals("America/Chicago", 2026, 11, months=months)
    lines = [
        "Meter ID            , Date / Time         , KWH(ch: 1  set:0)   , KVARH(ch: 2  set:0)"
    ]
    for m in range(meters):
        meter = f"{2776022 + m:012d}"
        for t, v, _ in rows:
            end = (t.astimezone(UTC) + timedelta(minutes=15)).astimezone(t.tzinfo)
            stamp = f"{end.month:02d}/{end.day:02d}/{end.year % 100:02d} {end:%H:%M}"
            lines.append(f"{meter} , {stamp}, {v:<13.3f}, {v / 3:.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return in_months(rows) * meters


def meterwatch_csv(path: Path, meters: int = 1, months: int = 1) -> float:
    """4: Starting/Ending Date and Time columns, starts one second past the boundary."""
    rows = intervals("America/Chicago", 2026, 11, months=months)
    lines = ["Starting Date,Ending Date,Starting Time,Ending Time,kWh Cost,kWh Usage,kvarh"]
    for _ in range(meters):
        for t, v, _ in rows:
            end = (t.astimezone(UTC) + timedelta(minutes=15)).astimezone(t.tzinfo)
            lines.append(
                f"{t:%m/%d/%Y},{end:%m/%d/%Y},{t:%H:%M}:01,{end:%H:%M}:00,"
                f"${v * 0.11:.2f},{v:.3f},{v / 2:.3f}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return in_months(rows) * meters


def monitoring_csv(path: Path, meters: int = 1, months: int = 1) -> float:
    """5: power in kW with small negative night values (energy = kW × 1/4 h once clipped)."""
    rows = intervals("America/Denver", 2020, 10, months=months)
    lines = ['"Site Time","Production Meter Kilowatts"']
    for _ in range(meters):
        for t, v, _ in rows:
            kw = v * 4 if v else -0.2741072  # inverter standby at night
            lines.append(f'"{t:%Y-%m-%d %H:%M:%S}","{kw}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return in_months(rows) * meters


@dataclass(frozen=True)
class Shape:
    name: str
    file: str
    build: Callable[[Path, int, int], float]
    options: tuple[str, ...]
    month: str


SHAPES = (
    Shape(
        "1 portal CSV",
        "portal.csv",
        portal_csv,
        ("--input-tz", "America/Chicago", "--energy-column", "Generation"),
        "03/2026",
    ),
    Shape(
        "1 portal XLSX",
        "portal.xlsx",
        portal_xlsx,
        ("--input-tz", "America/Chicago", "--energy-column", "Generation"),
        "03/2026",
    ),
    Shape("2 Opower", "opower.csv", opower_csv, ("--input-tz", "America/Chicago"), "07/2026"),
    Shape(
        "3 MV-90",
        "mv90.csv",
        mv90_csv,
        ("--input-tz", "America/Chicago", "--timestamps", "end"),
        "11/2026",
    ),
    Shape(
        "4 MeterWatch",
        "meterwatch.csv",
        meterwatch_csv,
        ("--input-tz", "America/Chicago"),
        "11/2026",
    ),
    Shape(
        "5 monitoring",
        "monitoring.csv",
        monitoring_csv,
        ("--input-tz", "America/Denver", "--unit", "kW", "--clip-negative"),
        "10/2020",
    ),
)
