"""The DGG units file: read a CSV or XLSX into units with located issues; export; template.

Reading never writes anything. `read_units_file` returns a `UnitsImport`: every row as a unit
(cells that could not be read are left empty and reported), the spreadsheet row number of each,
and the issues found. `evaluate` adds the DGG rules; `units_to_commit` gives the units to store,
all of them or only the valid ones, or raises when nothing may be written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange import units_rules
from desktop.exchange.sniff import FileFormat, file_format
from desktop.exchange.units_columns import (
    SPEC_BY_KEY,
    Conversions,
    HeaderMatch,
    cell_reader,
    column_letter,
    header_in_kw,
    match_headers,
    unneutralise,
)
from desktop.exchange.units_csv import RawSheet, ReadControl, read_csv, write_csv
from desktop.exchange.units_xlsx import read_xlsx, write_xlsx
from desktop.models.fields import FieldKind
from desktop.models.issues import Issue, Severity, error
from desktop.models.units import UNIT_FIELDS, new_uid, new_unit

PLAIN_TEXT = (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL)

__all__ = [
    "ReadControl",
    "UnitsImport",
    "export_units",
    "read_units_file",
    "write_template",
]


@dataclass(slots=True)
class UnitsImport:
    path: Path
    source: str
    headers: list[str]
    header_row: int
    match: HeaderMatch
    units: list[dict[str, Any]]
    numbers: list[int]  # spreadsheet row number of units[i]
    read_issues: list[Issue]  # cells that could not be read, malformed rows (row = unit index)
    structure: list[Issue]  # problems of the file as a whole that block it (row None)
    notes: list[str]
    samples: dict[int, list[str]] = field(default_factory=dict)  # unknown column -> values
    issues: list[Issue] = field(default_factory=list)
    blocking_rows: set[int] = field(default_factory=set)
    file_errors: list[Issue] = field(default_factory=list)

    # --- Where an issue is ---------------------------------------------------------------

    def column_of(self, key: str) -> int | None:
        for index, k in self.match.columns.items():
            if k == key:
                return index
        return None

    def column_name(self, issue: Issue) -> str:
        if issue.column:
            return issue.column
        index = self.column_of(issue.field) if issue.field else None
        if index is None:
            return SPEC_BY_KEY[issue.field].label if issue.field in SPEC_BY_KEY else ""
        return f"{column_letter(index)} ({self.headers[index]})"

    def row_number(self, issue: Issue) -> int | None:
        return self.numbers[issue.row] if issue.row is not None else None

    def located(self, issue: Issue) -> str:
        parts = []
        number = self.row_number(issue)
        if number is not None:
            parts.append(f"row {number}")
        column = self.column_name(issue)
        if column:
            parts.append(f"column {column}")
        where = ", ".join(parts)
        return f"{where}: {issue.message}" if where else issue.message

    # --- Checking ------------------------------------------------------------------------

    def evaluate(
        self,
        group: Mapping[str, Any],
        base: Sequence[Mapping[str, Any]] = (),
        *,
        today: date | None = None,
    ) -> None:
        """Check the rows with the DGG rules, after the `base` units they will join."""
        self.issues, self.blocking_rows, self.file_errors = self._check(
            self.units, group, base, today, range(len(self.units))
        )

    def _check(
        self,
        units: Sequence[dict[str, Any]],
        group: Mapping[str, Any],
        base: Sequence[Mapping[str, Any]],
        today: date | None,
        rows: Sequence[int],
    ) -> tuple[list[Issue], set[int], list[Issue]]:
        """`rows[i]` is the index in self.units of units[i] (a subset when importing part)."""
        offset = len(base)
        combined = [*base, *units]
        checked = units_rules.check(group, combined, today=today)
        unreadable = {(i.row, i.field) for i in self.read_issues}
        wanted = set(rows)
        own = [i for i in self.read_issues if i.row in wanted]
        issues: list[Issue] = sorted(own, key=lambda i: i.row or 0)
        file_errors = list(self.structure)
        blocking = {i.row for i in own if i.blocking and i.row is not None}
        for issue in checked:
            if issue.row is None:
                issues.append(issue)
                if units_rules.blocks_import(issue, units):
                    file_errors.append(issue)
                continue
            if issue.row < offset:
                continue
            row = rows[issue.row - offset]
            if (row, issue.field) in unreadable:
                continue  # "is required" after a cell we could not read says nothing new
            message = issue.message
            if issue.field == "meter_id" and " is also used by " in message:
                message = self._duplicate_message(combined, offset, rows, issue.row)
            local = Issue(issue.field, issue.severity, message, row=row, page=issue.page)
            issues.append(local)
            if units_rules.blocks_import(issue, combined):
                blocking.add(row)
        issues.sort(key=lambda i: (i.row is not None, i.row or 0))
        return issues, blocking, file_errors

    def _duplicate_message(
        self,
        combined: Sequence[Mapping[str, Any]],
        offset: int,
        rows: Sequence[int],
        index: int,
    ) -> str:
        """dgg_rules names rows by list position; in a file the user needs its row numbers."""
        meter = combined[index].get("meter_id")
        wanted = _meter_key(meter)
        places = []
        for other, unit in enumerate(combined):
            if other == index or _meter_key(unit.get("meter_id")) != wanted:
                continue
            if other < offset:
                places.append(f"unit {other + 1} already in the group")
            else:
                places.append(f"row {self.numbers[rows[other - offset]]}")
        return (
            f"Meter ID '{meter}' is also used by {', '.join(places)}; "
            "each unit needs its own revenue meter"
        )

    @property
    def valid_rows(self) -> list[int]:
        return [i for i in range(len(self.units)) if i not in self.blocking_rows]

    def units_to_commit(
        self,
        group: Mapping[str, Any],
        *,
        only_valid: bool,
        base: Sequence[Mapping[str, Any]] = (),
        today: date | None = None,
    ) -> list[dict[str, Any]]:
        """The units to write, or InputError when the import would store a wrong value."""
        self.evaluate(group, base, today=today)
        errors = self.structure if only_valid else self.file_errors
        if errors:
            raise InputError(
                "The file as a whole has a problem: " + self.located(errors[0]),
                where=str(self.path),
            )
        if not only_valid:
            if self.blocking_rows:
                n = len(self.blocking_rows)
                raise InputError(
                    f"{n} row{'s have' if n != 1 else ' has'} wrong values; fix the file, or "
                    "import only the valid rows.",
                    where=str(self.path),
                )
            return list(self.units)
        rows = self.valid_rows
        if not rows:
            raise InputError(
                "No row can be imported: every row has a wrong value.", where=str(self.path)
            )
        chosen = [self.units[i] for i in rows]
        _, still, file_errors = self._check(chosen, group, base, today, rows)
        if file_errors or still:
            first = file_errors[0] if file_errors else None
            reason = self.located(first) if first else "the remaining rows conflict"
            raise InputError(
                f"Even the valid rows cannot be imported together: {reason}.",
                where=str(self.path),
            )
        return chosen

    def blocks(self, issue: Issue) -> bool:
        """Whether this issue keeps its row (or the file) out of the store."""
        if issue in self.file_errors:
            return True
        if not issue.blocking or issue.row is None:
            return False
        if issue in self.read_issues or not issue.field:
            return True
        return not units_rules.blank(self.units[issue.row].get(issue.field))

    def summary(self) -> dict[str, Any]:
        """For `--json` and the preview's heading."""
        return {
            "file": str(self.path),
            "source": self.source,
            "rows": len(self.units),
            "valid_rows": len(self.valid_rows),
            "rows_with_errors": len(self.blocking_rows),
            "columns": {self.headers[i]: key for i, key in sorted(self.match.columns.items())},
            "ignored_columns": [self.headers[i] for i in self.match.unknown],
            "notes": self.notes,
            "issues": [
                {
                    **issue.to_json(),
                    "row": self.row_number(issue),
                    "column": self.column_name(issue) or None,
                    "blocks_import": self.blocks(issue),
                }
                for issue in self.issues
            ],
        }


def read_units_file(
    path: Path,
    *,
    overrides: dict[str, str] | None = None,
    existing: Sequence[Mapping[str, Any]] = (),
    control: ReadControl | None = None,
    allow_unmatched: bool = False,
) -> UnitsImport:
    """Read a units CSV/XLSX (format decided by content). `overrides`: header -> key or ''.

    `existing` units lend their uid to rows with the same meter ID, so re-importing a group
    keeps the links from documents to units.
    """
    path = Path(path)
    reader = read_xlsx if file_format(path) is FileFormat.XLSX else read_csv
    raw = reader(path, control)
    if not raw.header_row:
        raise InputError("The file is empty: no header row and no units.", where=str(path))
    match = match_headers(raw.headers, overrides)
    if not match.columns and not allow_unmatched:
        shown = ", ".join(f"'{h}'" for h in raw.headers[:5] if h) or "(empty)"
        raise InputError(
            f"None of the headers in row {raw.header_row} is a unit column (found {shown}). "
            "The first row must hold headers such as 'Unit name', 'Revenue meter ID', "
            "'Nameplate capacity'.",
            where=str(path),
        )
    return _build(path, raw, match, existing)


def _build(
    path: Path, raw: RawSheet, match: HeaderMatch, existing: Sequence[Mapping[str, Any]]
) -> UnitsImport:
    conversions = Conversions()
    plan = []
    text_columns: list[tuple[int, str]] = []  # plain text needs no reader: the hot path
    for index, key in sorted(match.columns.items()):
        spec = SPEC_BY_KEY[key]
        in_kw = spec.key == "capacity_mw" and header_in_kw(raw.headers[index])
        where = f"{column_letter(index)} ({raw.headers[index]})"
        if spec.kind in PLAIN_TEXT:
            text_columns.append((index, key))
        else:
            plan.append((index, key, cell_reader(spec, conversions, in_kw=in_kw), where))

    structure: list[Issue] = []
    for first, again, key in match.duplicates:
        structure.append(
            error(
                key,
                f"Columns {column_letter(first)} ('{raw.headers[first]}') and "
                f"{column_letter(again)} ('{raw.headers[again]}') both hold "
                f"{SPEC_BY_KEY[key].label}; delete one, or map it to 'Ignore'.",
                column=column_letter(again),
            )
        )

    uids = {_meter_key(u.get("meter_id")): u.get("uid") for u in existing if u.get("uid")}
    uids.pop("", None)
    used_uids: set[str] = set()
    template = new_unit()
    del template["uid"]
    for key in match.columns.values():
        template[key] = None
    width = len(raw.headers)

    units: list[dict[str, Any]] = []
    issues: list[Issue] = []
    for row, cells in enumerate(raw.rows):
        unit = dict(template)
        n = len(cells)
        for index, key in text_columns:
            if index < n:
                text = cells[index].strip()
                if text:
                    unit[key] = unneutralise(text) if text[0] == "'" else text
        for index, key, read, where in plan:
            if index >= n:
                continue
            text = cells[index].strip()
            if not text:
                continue
            try:
                unit[key] = read(text)
            except ValueError as exc:  # ParseError: the message says what was expected
                issues.append(error(key, str(exc), row=row, column=where))
        if n > width and any(c.strip() for c in cells[width:]):
            extra = next(i for i in range(width, n) if cells[i].strip())
            issues.append(
                error(
                    "",
                    f"This row has a value beyond the last header ('{cells[extra][:40]}'); "
                    "a comma or quote may be misplaced.",
                    row=row,
                    column=column_letter(extra),
                )
            )
        uid = uids.get(_meter_key(unit.get("meter_id")))
        if not uid or uid in used_uids:
            uid = new_uid()
        used_uids.add(uid)
        unit["uid"] = uid
        units.append(unit)

    notes = conversions.notes()
    if raw.blank_rows:
        notes.append(f"{raw.blank_rows} blank row{'s' if raw.blank_rows != 1 else ''} skipped.")
    for index in match.unknown:
        notes.append(
            f"Column {column_letter(index)} ('{raw.headers[index]}') is not a unit field "
            "and was ignored."
        )
    present = set(match.columns.values())
    missing = [s.label for s in UNIT_FIELDS if s.required and s.key not in present]
    if missing:
        notes.append(
            "No column for " + ", ".join(missing) + ": these stay empty (a draft may lack them)."
        )
    samples = {
        index: [r[index] for r in raw.rows[:50] if index < len(r) and r[index].strip()][:5]
        for index in match.unknown
    }
    return UnitsImport(
        samples=samples,
        path=path,
        source=raw.source,
        headers=raw.headers,
        header_row=raw.header_row,
        match=match,
        units=units,
        numbers=raw.numbers,
        read_issues=issues,
        structure=structure,
        notes=notes,
    )


def _meter_key(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value not in (None, "") else ""


def export_units(path: Path, units: Sequence[Mapping[str, Any]]) -> None:
    """CSV or XLSX by the file name's extension, written whole or not at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("Export to a file ending in .csv or .xlsx.", where=str(path))
    _check_target(path)
    try:
        if suffix == ".csv":
            write_csv(path, units)
        else:
            write_xlsx(path, units)
    except OSError as exc:
        raise InputError(f"The file cannot be written: {exc.strerror}.", where=str(path)) from None


def write_template(path: Path) -> None:
    """'New units template': the headers, dropdowns and help sheet, and no units."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError("The template is a workbook: name it ….xlsx.", where=str(path))
    _check_target(path)
    try:
        write_xlsx(path, [])
    except OSError as exc:
        raise InputError(f"The file cannot be written: {exc.strerror}.", where=str(path)) from None


def _check_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise InputError("The folder does not exist.", where=str(path.parent))
    if path.is_dir():
        raise InputError("This is a folder; give a file name.", where=str(path))


def severity_counts(issues: Sequence[Issue]) -> dict[str, int]:
    return {s.value: sum(1 for i in issues if i.severity is s) for s in Severity}
