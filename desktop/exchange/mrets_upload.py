"""M-RETS generation upload files: build the rows, check every published rule, write atomically,
and read existing files back.

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
from datetime import date, timedelta
from pathlib import Path

from desktop.errors import InputError, UsageError
from desktop.exchange.generation_columns import ADJUSTMENT_WORD, COLUMNS, UploadKind
from desktop.models import calendar as cal
from desktop.models.generation import MonthEnergy, vintage_text
from desktop.models.generator import Generator, mrets_digits
from desktop.models.intervals import HourlyEnergy, MeterSeries
from desktop.models.issues import Issue, error

_DIGITS = re.compile(r"\d+")
_M_ID = re.compile(r"M\d+")
_VINTAGE = re.compile(r"(\d{2})/(\d{4})")
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_MWH = re.compile(r"\d+\.\d{3}")
_HOUR = re.compile(r"\d{1,2}")
_BAD_CHARS = re.compile(r"[,\"\r\n]")

Row = list[str]


def fmt_date(d: date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year:04d}"


def fmt3(value: float) -> str:
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


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


# --- Checking rows ---------------------------------------------------------------------------


@dataclass
class _Where:
    file: str | None
    first_line: int  # 1-based line of rows[0]

    def at(self, i: int, column: str) -> dict[str, object]:
        return {"file": self.file, "row": self.first_line + i - 1, "column": column}


def _date(text: str) -> date | None:
    m = _DATE.fullmatch(text)
    if not m:
        return None
    try:
        return date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        return None


def check_rows(
    kind: UploadKind, rows: Sequence[Row], *, file: str | None = None, first_line: int = 1
) -> list[Issue]:
    """Every rule of the layout, each problem located by line and column."""
    where = _Where(file, first_line)
    cols = COLUMNS[kind]
    issues: list[Issue] = []
    if not rows:
        return [error("", "the file has no rows", file=file)]
    for i, row in enumerate(rows):
        if len(row) != len(cols):
            issues.append(
                error("", f"{len(row)} columns where the layout has {len(cols)}", **where.at(i, ""))
            )
            continue
        for c, (name, cell) in enumerate(zip(cols, row, strict=True)):
            if not cell:
                issues.append(error("", f"{name} is empty", **where.at(i, name)))
            elif cell != cell.strip() or not cell.isascii() or _BAD_CHARS.search(cell):
                issues.append(
                    error(
                        "",
                        f"{name} '{cell}' has spaces, quotes, commas or non-ASCII text",
                        **where.at(i, name),
                    )
                )
            elif c == 0 or (c == 1 and kind is UploadKind.ADJUSTMENT):
                pattern = _M_ID if kind is UploadKind.ADJUSTMENT else _DIGITS
                if not pattern.fullmatch(cell):
                    want = (
                        "M followed by digits (M805)" if pattern is _M_ID else "digits only (805)"
                    )
                    issues.append(error("", f"{name} '{cell}' must be {want}", **where.at(i, name)))
    if any(i.severity.value == "error" for i in issues):
        return issues
    if kind is UploadKind.MONTHLY:
        issues += _check_monthly(rows, where)
    elif kind in (UploadKind.HOURLY, UploadKind.HOURLY6):
        issues += _check_hourly(kind, rows, where)
    else:
        issues += _check_adjustment(rows, where)
    return issues


def _check_monthly(rows: Sequence[Row], where: _Where) -> list[Issue]:
    issues: list[Issue] = []
    cols = COLUMNS[UploadKind.MONTHLY]
    periods: dict[tuple[str, str, int, int], list[tuple[date, date, int]]] = defaultdict(list)
    for i, (gid, uid, vintage, start_t, end_t, mwh) in enumerate(rows):
        vm = _VINTAGE.fullmatch(vintage)
        if not vm or not 1 <= int(vm[1]) <= 12:
            issues.append(
                error(
                    "",
                    f"Vintage '{vintage}' must be MM/YYYY (7 characters)",
                    **where.at(i, cols[2]),
                )
            )
            continue
        start, end = _date(start_t), _date(end_t)
        for text, d, name in ((start_t, start, cols[3]), (end_t, end, cols[4])):
            if d is None:
                issues.append(
                    error(
                        "",
                        f"{name} '{text}' must be a real date MM/DD/YYYY (10 characters)",
                        **where.at(i, name),
                    )
                )
        if not _MWH.fullmatch(mwh):
            issues.append(
                error(
                    "",
                    f"Total MWh '{mwh}' must be a number ≥ 0 with 3 decimals",
                    **where.at(i, cols[5]),
                )
            )
        if start is None or end is None:
            continue
        y, m = int(vm[2]), int(vm[1])
        if end < start:
            issues.append(error("", "End Date is before Start Date", **where.at(i, cols[4])))
        elif (start.year, start.month) != (y, m) or (end.year, end.month) != (y, m):
            issues.append(
                error(
                    "",
                    f"the period {start_t}–{end_t} is not inside vintage {vintage}",
                    **where.at(i, cols[2]),
                )
            )
        else:
            periods[(gid, uid, y, m)].append((start, end, i))
    for (_, _, y, m), spans in periods.items():
        spans.sort()
        expected = date(y, m, 1)
        for start, end, i in spans:
            if start > expected:
                issues.append(
                    error(
                        "",
                        f"{vintage_text(y, m)} is not whole: nothing covers "
                        f"{fmt_date(expected)}–{fmt_date(start - timedelta(days=1))}",
                        **where.at(i, cols[3]),
                    )
                )
            elif start < expected:
                issues.append(
                    error(
                        "",
                        f"this period overlaps another row of {vintage_text(y, m)}",
                        **where.at(i, cols[3]),
                    )
                )
            expected = max(expected, end + timedelta(days=1))
        last = date(y, m, cal.days_in_month(y, m))
        if expected <= last:
            issues.append(
                error(
                    "",
                    f"{vintage_text(y, m)} is not whole: nothing covers "
                    f"{fmt_date(expected)}–{fmt_date(last)}",
                    **where.at(spans[-1][2], cols[4]),
                )
            )
    return issues


def _check_hourly(kind: UploadKind, rows: Sequence[Row], where: _Where) -> list[Issue]:
    issues: list[Issue] = []
    cols = COLUMNS[kind]
    six = kind is UploadKind.HOURLY6
    c_hour, c_kwh = (4, 5) if six else (3, 4)
    seen: dict[tuple[str, str], dict[tuple[date, int], int]] = defaultdict(dict)
    month_totals: dict[tuple[str, str, int, int], set[str]] = defaultdict(set)
    month_kwh: dict[tuple[str, str, int, int], int] = defaultdict(int)
    for i, row in enumerate(rows):
        gid, uid, dtext = row[0], row[1], row[2]
        d = _date(dtext)
        if d is None:
            issues.append(
                error(
                    "",
                    f"{cols[2]} '{dtext}' must be a real date MM/DD/YYYY (10 characters)",
                    **where.at(i, cols[2]),
                )
            )
            continue
        hour_t, kwh_t = row[c_hour], row[c_kwh]
        if not _HOUR.fullmatch(hour_t) or not 1 <= int(hour_t) <= 24:
            issues.append(
                error(
                    "", f"Hour '{hour_t}' must be a whole number 1–24", **where.at(i, cols[c_hour])
                )
            )
            continue
        if not _MWH.fullmatch(kwh_t):
            issues.append(
                error(
                    "",
                    f"kWh '{kwh_t}' must be a number ≥ 0 with 3 decimals",
                    **where.at(i, cols[c_kwh]),
                )
            )
            continue
        key = (d, int(hour_t))
        first = seen[(gid, uid)].get(key)
        if first is not None:
            issues.append(
                error(
                    "",
                    f"{dtext} hour {hour_t} appears twice (first on line "
                    f"{where.first_line + first})",
                    **where.at(i, cols[c_hour]),
                )
            )
            continue
        seen[(gid, uid)][key] = i
        mkey = (gid, uid, d.year, d.month)
        month_kwh[mkey] += round(float(kwh_t) * 1000)
        if six:
            if not _MWH.fullmatch(row[3]):
                issues.append(
                    error(
                        "",
                        f"Total MWh '{row[3]}' must be a number ≥ 0 with 3 decimals",
                        **where.at(i, cols[3]),
                    )
                )
            month_totals[mkey].add(row[3])
    for (gid, uid), hours in seen.items():
        months = {(d.year, d.month) for d, _ in hours}
        for y, m in sorted(months):
            missing = [
                (date(y, m, day), he)
                for day in range(1, cal.days_in_month(y, m) + 1)
                for he in range(1, 25)
                if (date(y, m, day), he) not in hours
            ]
            if missing:
                shown = ", ".join(f"{fmt_date(d)} hour {h}" for d, h in missing[:3])
                more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
                issues.append(
                    error(
                        "",
                        f"{vintage_text(y, m)} for generator {gid} is missing "
                        f"{shown}{more}: every hour 1–24 of every day is needed",
                        file=where.file,
                    )
                )
            if six:
                totals = month_totals[(gid, uid, y, m)]
                want = fmt3(month_kwh[(gid, uid, y, m)] / 1e6)
                if totals != {want}:
                    issues.append(
                        error(
                            "",
                            f"{vintage_text(y, m)}: the month total column "
                            f"({', '.join(sorted(totals))}) must be {want} on every "
                            "row (the sum of the hours)",
                            file=where.file,
                            column=cols[3],
                        )
                    )
    return issues


def _check_adjustment(rows: Sequence[Row], where: _Where) -> list[Issue]:
    issues: list[Issue] = []
    cols = COLUMNS[UploadKind.ADJUSTMENT]
    for i, row in enumerate(rows):
        if row[0] != row[1]:
            issues.append(
                error(
                    "",
                    "columns A and B must both be the generator's M-RETS ID",
                    **where.at(i, cols[1]),
                )
            )
        dates = []
        for c in (2, 3, 4):
            d = _date(row[c])
            if d is None:
                issues.append(
                    error(
                        "",
                        f"{cols[c]} '{row[c]}' must be a real date MM/DD/YYYY (10 characters)",
                        **where.at(i, cols[c]),
                    )
                )
            dates.append(d)
        vintage, start, end = dates
        if vintage is not None and vintage.day != 1:
            issues.append(
                error(
                    "",
                    "Vintage Start Date must be the first day of a month",
                    **where.at(i, cols[2]),
                )
            )
        if start and end and end < start:
            issues.append(error("", "End Date is before Start Date", **where.at(i, cols[4])))
        if not _MWH.fullmatch(row[5]):
            issues.append(
                error(
                    "",
                    f"Total MWh '{row[5]}' must be the corrected total ≥ 0 with 3 decimals",
                    **where.at(i, cols[5]),
                )
            )
        if row[6] != ADJUSTMENT_WORD:
            issues.append(
                error("", f"column G must be the word '{ADJUSTMENT_WORD}'", **where.at(i, cols[6]))
            )
    return issues


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
    if n == 6 and _VINTAGE.fullmatch(row[2].strip()):
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
        row = line.strip().split(",")
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
    rows = [ln.split(",") for ln in lines]
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
    issues += check_rows(kind, rows, file=name, first_line=first_line)
    return UploadFile(kind, rows, first_line, issues)


def months_from_monthly(upload: UploadFile) -> list[MonthEnergy]:
    """Monthly rows -> whole months (rows of one vintage are added together)."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for row in upload.rows:
        vm = _VINTAGE.fullmatch(row[2])
        if vm and _MWH.fullmatch(row[5]):
            totals[(int(vm[2]), int(vm[1]))] += round(float(row[5]) * 1000)
    return [MonthEnergy(y, m, kwh / 1000.0) for (y, m), kwh in sorted(totals.items())]


def series_from_hourly(upload: UploadFile, file_index: int, std: cal.StandardTime) -> MeterSeries:
    """Hourly rows -> a 60-minute series, so they can be rebuilt or previewed like meter data."""
    from desktop.models.intervals import LINE_BITS  # noqa: PLC0415 - keeps the import list short

    series = MeterSeries("", interval=60)
    six = upload.kind is UploadKind.HOURLY6
    c_hour, c_kwh = (4, 5) if six else (3, 4)
    base = file_index << LINE_BITS
    for i, row in enumerate(upload.rows):
        d = _date(row[2])
        if d is None or not _HOUR.fullmatch(row[c_hour]) or not _MWH.fullmatch(row[c_kwh]):
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
