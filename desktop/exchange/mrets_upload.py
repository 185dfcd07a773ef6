"""M-RETS generation upload files: build the rows, write them atomically once `mrets_checks`
passes them, and read existing files back (in the loose forms M-RETS's own files use).

Rules (reference.md §2.2–2.4, §2.10): ASCII, comma-delimited, no empty rows; generator ID digits
only (M805 -> 805) except in adjustments, which use the M-prefixed ID in columns A and B;
vintage `MM/YYYY` (7 characters); dates `MM/DD/YYYY` (10 characters); monthly MWh and hourly
kWh to 3 decimals; whole months; hourly files hold every hour 1–24 of every day of each month.
A produced file is checked against these rules before it is written; a file that breaks one is
never written.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.errors import InputError, UsageError
from desktop.exchange.generation_columns import ADJUSTMENT_WORD, COLUMNS, UploadKind
from desktop.exchange.mrets_checks import (
    LOOSE,
    Row,
    check_rows,
    fmt3,
    fmt_date,
    parse_date,
    parse_vintage,
)
from desktop.models import calendar as cal
from desktop.models.generation import MonthEnergy
from desktop.models.generator import Generator, mrets_digits
from desktop.models.intervals import HourlyEnergy, MeterSeries
from desktop.models.issues import Issue, error

_DIGITS = re.compile(r"\d+")
_HOUR = re.compile(r"\d{1,2}")


# --- Building rows ---------------------------------------------------------------------------


def monthly_rows(generator: Generator, months: Iterable[MonthEnergy]) -> list[Row]:
    return [
        [
            generator.mrets_id,
            generator.reporting_unit_id,
            m.vintage,
            fmt_date(m.start),
            fmt_date(m.end),
            fmt3(m.kwh / 1000.0),
        ]
        for m in sorted(months, key=lambda m: (m.year, m.month))
    ]


def hourly_rows(generator: Generator, hourly: HourlyEnergy, *, layout: int = 5) -> list[Row]:
    """Every hour 1–24 of every day of the whole standard-time months in `hourly`."""
    if layout not in (5, 6):
        raise UsageError("the hourly layout is 5 or 6 columns")
    rows: list[Row] = []
    gid, uid = generator.mrets_id, generator.reporting_unit_id
    for m in hourly.hourly_months:
        hours = hourly.month_hours(m.year, m.month)
        texts = [fmt3(v) for v in hours]
        total = fmt3(sum(round(float(t) * 1000) for t in texts) / 1e6)
        for day in range(cal.days_in_month(m.year, m.month)):
            dtext = fmt_date(date(m.year, m.month, day + 1))
            for he in range(1, 25):
                kwh = texts[day * 24 + he - 1]
                if layout == 5:
                    rows.append([gid, uid, dtext, str(he), kwh])
                else:
                    rows.append([gid, uid, dtext, total, str(he), kwh])
    return rows


def adjustment_row(
    generator: Generator,
    period_start: date,
    period_end: date,
    corrected_total_mwh: float,
    *,
    vintage_start: date | None = None,
) -> Row:
    """One adjustment: the corrected total for the period, not the difference (§2.10)."""
    mid = f"M{generator.mrets_id}"
    vintage = vintage_start or date(period_end.year, period_end.month, 1)
    return [
        mid,
        mid,
        fmt_date(vintage),
        fmt_date(period_start),
        fmt_date(period_end),
        fmt3(corrected_total_mwh),
        ADJUSTMENT_WORD,
    ]


# --- Writing -------------------------------------------------------------------------------


def write_upload(path: Path, kind: UploadKind, rows: Sequence[Row], *, header: bool = False) -> int:
    """Check, then write atomically (temp file + rename); returns the bytes written."""
    if path.suffix.lower() != ".csv":
        raise UsageError(f"the upload file name must end in .csv, not '{path.name}'")
    problems = [i for i in check_rows(kind, rows) if i.blocking]
    if problems:
        raise InputError(
            f"the {kind.value} file would break the upload rules ({problems[0].located()}); "
            "nothing was written"
        )
    lines = ([",".join(COLUMNS[kind])] if header else []) + [",".join(r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


# --- Reading existing upload files back ----------------------------------------------------


@dataclass
class UploadFile:
    kind: UploadKind | None
    rows: list[Row] = field(default_factory=list)
    first_line: int = 1
    issues: list[Issue] = field(default_factory=list)


def detect_kind(row: Sequence[str]) -> UploadKind | None:
    n = len(row)
    if n == 7 and row[6].strip().casefold() == ADJUSTMENT_WORD.casefold():
        return UploadKind.ADJUSTMENT
    if n == 6 and parse_vintage(row[2].strip(), LOOSE):
        return UploadKind.MONTHLY
    if n == 6 and _HOUR.fullmatch(row[4].strip()):
        return UploadKind.HOURLY6
    if n == 5 and _HOUR.fullmatch(row[3].strip()):
        return UploadKind.HOURLY
    return None


def looks_like_upload(path: Path) -> bool:
    """True when the first data row of a CSV is an M-RETS upload row."""
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            first = [f.readline() for _ in range(2)]
    except OSError:
        return False
    for line in first:
        row = _cells(line.strip())
        if detect_kind(row) is not None and _DIGITS.fullmatch(row[0].lstrip("Mm")):
            return True
    return False


def read_upload(path: Path) -> UploadFile:
    """An M-RETS monthly, hourly or adjustment file, checked with every rule."""
    name = str(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", where=name) from None
    try:
        decoded = text.decode("ascii")
    except UnicodeDecodeError as exc:
        return UploadFile(
            None, issues=[error("", f"the file is not ASCII text (byte {exc.start})", file=name)]
        )
    lines = decoded.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    rows = [_cells(ln) for ln in lines]
    if not rows:
        return UploadFile(None, issues=[error("", "the file is empty", file=name)])
    first_line = 1
    header_kind = next(
        (
            k
            for k, c in COLUMNS.items()
            if [x.strip().casefold() for x in rows[0]] == [x.casefold() for x in c]
        ),
        None,
    )
    if header_kind is not None:
        rows, first_line = rows[1:], 2
    kind = header_kind or (detect_kind(rows[0]) if rows else None)
    if kind is None:
        return UploadFile(
            None,
            rows,
            first_line,
            [
                error(
                    "",
                    "not an M-RETS monthly, hourly or adjustment row",
                    file=name,
                    row=first_line - 1,
                )
            ],
        )
    issues = [
        error("", "empty row", file=name, row=first_line + i - 1)
        for i, r in enumerate(rows)
        if not any(c.strip() for c in r)
    ]
    issues += check_rows(kind, rows, file=name, first_line=first_line, forms=LOOSE)
    return UploadFile(kind, rows, first_line, issues)


def _cells(line: str) -> Row:
    """A row as M-RETS users write them: cells trimmed, quotes around a cell dropped."""
    return [c.strip().removeprefix('"').removesuffix('"').strip() for c in line.split(",")]


def months_from_monthly(upload: UploadFile) -> list[MonthEnergy]:
    """Monthly rows -> whole months (rows of one vintage are added together)."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for row in upload.rows:
        vm = parse_vintage(row[2], LOOSE)
        if vm and LOOSE.mwh.fullmatch(row[5]):
            totals[vm] += round(float(row[5]) * 1000)
    return [MonthEnergy(y, m, kwh / 1000.0) for (y, m), kwh in sorted(totals.items())]


def series_from_hourly(upload: UploadFile, file_index: int, std: cal.StandardTime) -> MeterSeries:
    """Hourly rows -> a 60-minute series, so they can be rebuilt or previewed like meter data."""
    from desktop.models.intervals import LINE_BITS  # noqa: PLC0415 - keeps the import list short

    series = MeterSeries("", interval=60)
    six = upload.kind is UploadKind.HOURLY6
    c_hour, c_kwh = (4, 5) if six else (3, 4)
    base = file_index << LINE_BITS
    for i, row in enumerate(upload.rows):
        d = parse_date(row[2], LOOSE)
        if d is None or not _HOUR.fullmatch(row[c_hour]) or not LOOSE.mwh.fullmatch(row[c_kwh]):
            continue
        idx = cal.hour_index(d, int(row[c_hour])) if 1 <= int(row[c_hour]) <= 24 else None
        if idx is None:
            continue
        series.stamps.append(idx * 60 - std.offset_minutes)
        series.values.append(float(row[c_kwh]))
        series.where.append(base + upload.first_line + i)
    return series


def generator_id_digits(text: str) -> str:
    """`M805` -> `805`; UsageError when it is not an M-RETS ID."""
    digits = mrets_digits(text)
    if digits is None:
        raise UsageError(f"'{text}' is not an M-RETS generator ID (M805 or 805)")
    return digits


# The rows' type and the checks are defined in mrets_checks; callers may take them from here.
__all__ = [
    "Row",
    "UploadFile",
    "adjustment_row",
    "check_rows",
    "detect_kind",
    "fmt3",
    "fmt_date",
    "generator_id_digits",
    "hourly_rows",
    "looks_like_upload",
    "monthly_rows",
    "months_from_monthly",
    "read_upload",
    "series_from_hourly",
    "write_upload",
]
