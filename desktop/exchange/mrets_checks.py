"""The rules of M-RETS generation upload files, each problem located by line and column.

Files Registry Desk writes follow the strict forms (reference.md §2.2–2.4, §2.10): ASCII,
comma-delimited; generator ID digits only (M805 -> 805) except in adjustments, which use the
M-prefixed ID in columns A and B; vintage `MM/YYYY` (7 characters); dates `MM/DD/YYYY`
(10 characters); monthly MWh and hourly kWh to 3 decimals; whole months; hourly files hold every
hour 1–24 of every day of each month. Files M-RETS itself publishes, and files written by hand
or by other tools, are read back with `LOOSE` forms: short dates (`9/1/23`, `8/2018`),
whole-number or fewer-decimal MWh (`11561`), any case of `Adjustment`; a monthly row whose
period lies outside its vintage (the API documentation's example) is then read by its vintage,
with a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.exchange.generation_columns import ADJUSTMENT_WORD, COLUMNS, UploadKind
from desktop.models import calendar as cal
from desktop.models.generation import vintage_text
from desktop.models.issues import Issue, error, warning

Row = list[str]

_DIGITS = re.compile(r"\d+")
_M_ID = re.compile(r"M\d+")
_HOUR = re.compile(r"\d{1,2}")
_BAD_CHARS = re.compile(r"[,\"\r\n]")


@dataclass(frozen=True, slots=True)
class Forms:
    """How vintages, dates and MWh may be written."""

    vintage: re.Pattern[str]
    date: re.Pattern[str]
    mwh: re.Pattern[str]
    vintage_text: str
    date_text: str
    mwh_text: str
    strict: bool


STRICT = Forms(
    re.compile(r"(\d{2})/(\d{4})"),
    re.compile(r"(\d{2})/(\d{2})/(\d{4})"),
    re.compile(r"\d+\.\d{3}"),
    "MM/YYYY (7 characters)",
    "a real date MM/DD/YYYY (10 characters)",
    "a number ≥ 0 with 3 decimals",
    strict=True,
)
LOOSE = Forms(
    re.compile(r"(\d{1,2})/(\d{4})"),
    re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})"),
    re.compile(r"\d+(?:\.\d*)?|\.\d+"),
    "a month and year such as 08/2018 or 8/2018",
    "a real date such as 09/01/2023 or 9/1/23",
    "a number ≥ 0",
    strict=False,
)


def fmt_date(d: date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year:04d}"


def fmt3(value: float) -> str:
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


@dataclass
class _Where:
    file: str | None
    first_line: int  # 1-based line of rows[0]
    forms: Forms = STRICT

    def at(self, i: int, column: str) -> dict[str, object]:
        return {"file": self.file, "row": self.first_line + i - 1, "column": column}


def parse_date(text: str, forms: Forms = STRICT) -> date | None:
    m = forms.date.fullmatch(text)
    if not m:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)  # `9/1/23`: Excel's short year
    try:
        return date(year, int(m[1]), int(m[2]))
    except ValueError:
        return None


def parse_vintage(text: str, forms: Forms = STRICT) -> tuple[int, int] | None:
    """(year, month) of a vintage `MM/YYYY` (or `M/YYYY` in the loose forms)."""
    m = forms.vintage.fullmatch(text)
    return (int(m[2]), int(m[1])) if m and 1 <= int(m[1]) <= 12 else None


def check_rows(
    kind: UploadKind,
    rows: Sequence[Row],
    *,
    file: str | None = None,
    first_line: int = 1,
    forms: Forms = STRICT,
) -> list[Issue]:
    """Every rule of the layout, each problem located by line and column."""
    where = _Where(file, first_line, forms)
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
        forms = where.forms
        vm = parse_vintage(vintage, forms)
        if vm is None:
            issues.append(
                error(
                    "", f"Vintage '{vintage}' must be {forms.vintage_text}", **where.at(i, cols[2])
                )
            )
            continue
        start, end = parse_date(start_t, forms), parse_date(end_t, forms)
        for text, d, name in ((start_t, start, cols[3]), (end_t, end, cols[4])):
            if d is None:
                issues.append(
                    error(
                        "",
                        f"{name} '{text}' must be {forms.date_text}",
                        **where.at(i, name),
                    )
                )
        if not forms.mwh.fullmatch(mwh):
            issues.append(
                error(
                    "",
                    f"Total MWh '{mwh}' must be {forms.mwh_text}",
                    **where.at(i, cols[5]),
                )
            )
        if start is None or end is None:
            continue
        y, m = vm
        if end < start:
            issues.append(error("", "End Date is before Start Date", **where.at(i, cols[4])))
        elif (start.year, start.month) != (y, m) or (end.year, end.month) != (y, m):
            if forms.strict:
                message = f"the period {start_t}–{end_t} is not inside vintage {vintage}"
                issues.append(error("", message, **where.at(i, cols[2])))
            else:  # M-RETS's own API example row is like this: its vintage is what counts
                message = (
                    f"the period {start_t}–{end_t} is not inside vintage {vintage}; the row is "
                    f"read as {vintage_text(y, m)}"
                )
                issues.append(warning("", message, **where.at(i, cols[2])))
        else:
            periods[(gid, uid, y, m)].append((start, end, i))
    issues += _whole_months(periods, where, cols)
    return issues


def _whole_months(
    periods: dict[tuple[str, str, int, int], list[tuple[date, date, int]]],
    where: _Where,
    cols: Sequence[str],
) -> list[Issue]:
    """Each vintage's periods cover its month once (an error when writing; a warning when a
    file is read back: M-RETS's own examples cover part of a month)."""
    flag = error if where.forms.strict else warning
    issues: list[Issue] = []
    for (_, _, y, m), spans in periods.items():
        spans.sort()
        expected = date(y, m, 1)
        for start, end, i in spans:
            if start > expected:
                issues.append(
                    flag(
                        "",
                        f"{vintage_text(y, m)} is not whole: nothing covers "
                        f"{fmt_date(expected)}–{fmt_date(start - timedelta(days=1))}",
                        **where.at(i, cols[3]),
                    )
                )
            elif start < expected:
                issues.append(
                    flag(
                        "",
                        f"this period overlaps another row of {vintage_text(y, m)}",
                        **where.at(i, cols[3]),
                    )
                )
            expected = max(expected, end + timedelta(days=1))
        last = date(y, m, cal.days_in_month(y, m))
        if expected <= last:
            issues.append(
                flag(
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
        d = parse_date(dtext, where.forms)
        if d is None:
            issues.append(
                error(
                    "",
                    f"{cols[2]} '{dtext}' must be {where.forms.date_text}",
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
        if not where.forms.mwh.fullmatch(kwh_t):
            issues.append(
                error(
                    "",
                    f"kWh '{kwh_t}' must be {where.forms.mwh_text}",
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
            if not where.forms.mwh.fullmatch(row[3]):
                issues.append(
                    error(
                        "",
                        f"Total MWh '{row[3]}' must be {where.forms.mwh_text}",
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
                given = totals if where.forms.strict else {fmt3(float(t)) for t in totals}
                if given != {want}:
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
            d = parse_date(row[c], where.forms)
            if d is None:
                issues.append(
                    error(
                        "",
                        f"{cols[c]} '{row[c]}' must be {where.forms.date_text}",
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
        if not where.forms.mwh.fullmatch(row[5]):
            issues.append(
                error(
                    "",
                    f"Total MWh '{row[5]}' must be the corrected total, {where.forms.mwh_text}",
                    **where.at(i, cols[5]),
                )
            )
        word = row[6] if where.forms.strict else row[6].capitalize()
        if word != ADJUSTMENT_WORD:
            issues.append(
                error("", f"column G must be the word '{ADJUSTMENT_WORD}'", **where.at(i, cols[6]))
            )
    return issues
