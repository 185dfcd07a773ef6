"""Units XLSX: a guarded, fast read (python-calamine) and a friendly write (openpyxl).

Before calamine sees a workbook, the ZIP is checked for bombs (desktop.exchange.zip_guard).

The written workbook has the units on the first sheet with a frozen header row, dates as text
cells, dropdowns on enumerated columns fed from a hidden "Lists" sheet, and a "Columns" sheet
that explains every column.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from desktop.errors import InputError
from desktop.exchange.units_columns import (
    FORMULA_START,
    HEADERS,
    choice_fields,
    column_help,
)
from desktop.exchange.units_csv import BATCH, RawSheet, ReadControl
from desktop.exchange.zip_guard import check_archive
from desktop.models.fields import FieldKind, FieldSpec, format_mw, resolve_choices
from desktop.models.units import UNIT_FIELDS

UNITS_SHEET = "Units"
HELP_SHEET = "Columns"
LISTS_SHEET = "Lists"
TEXT_KINDS = (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL)


# --- Reading -----------------------------------------------------------------------------------


def check_workbook(path: Path) -> None:
    """Refuse ZIP and XML bombs and non-workbooks before any parser expands them."""
    check_archive(path, required="xl/workbook.xml")


def cell_text(value: Any) -> str:
    """calamine gives floats for every number and date objects for date cells: back to text."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Positional, never "7e-05": the capacity reader (and people) expect plain decimals.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, control: ReadControl | None = None) -> RawSheet:
    control = control or ReadControl()
    check_workbook(path)
    control.tick(0.05)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        if not names:
            raise InputError("The workbook has no sheets.", where=str(path))
        name = UNITS_SHEET if UNITS_SHEET in names else names[0]
        values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise InputError(f"The workbook cannot be read ({exc}).", where=str(path)) from None
    control.tick(0.5)
    sheet = RawSheet(source=f"XLSX (sheet '{name}')", headers=[], header_row=0)
    total = max(len(values), 1)
    for index, row in enumerate(values):
        number = index + 1
        if number % BATCH == 0:
            control.tick(0.5 + 0.5 * number / total)
        sheet.take([cell_text(v) for v in row], number, where=str(path), what="sheet")
    # Trailing blank rows below the data are formatting, not blank units.
    if sheet.numbers:
        sheet.blank_rows = sheet.numbers[-1] - sheet.header_row - len(sheet.rows)
    control.tick(1.0)
    return sheet


# --- Writing -----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_xlsx(path: Path, units: Sequence[Mapping[str, Any]]) -> None:
    """The units workbook; an empty `units` gives the 'New units template'."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(UNITS_SHEET)
    sheet.freeze_panes = "A2"
    _add_lists(book, sheet, len(units))
    for index, spec in enumerate(UNIT_FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(spec, units)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    writers = [_value_writer(sheet, spec) for spec in UNIT_FIELDS]
    keys = [spec.key for spec in UNIT_FIELDS]
    for unit in units:
        sheet.append([w(unit.get(k)) for w, k in zip(writers, keys, strict=True)])
    _add_help(book)
    save_atomic(book, path)


def _value_writer(sheet: Any, spec: FieldSpec) -> Any:
    kind = spec.kind
    if kind is FieldKind.DATE:

        def date_cell(value: Any) -> Any:
            # Text, not an Excel date: Excel would otherwise reformat it to the reader's locale.
            cell = WriteOnlyCell(sheet, value=value.isoformat() if value else None)
            cell.number_format = "@"
            return cell

        return date_cell
    if kind is FieldKind.BOOL:
        return lambda value: None if value is None else ("Yes" if value else "No")
    if kind in TEXT_KINDS:

        def text_cell(value: Any) -> Any:
            if isinstance(value, str) and value.startswith(FORMULA_START):
                # Stored as a string with Excel's quote prefix: shown as typed, never run.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                return cell
            return value

        return text_cell
    return lambda value: value


def _width(spec: FieldSpec, units: Sequence[Mapping[str, Any]]) -> float:
    longest = max(len(HEADERS[UNIT_FIELDS.index(spec)]) * 0.9, 10.0)
    for unit in units[:200]:
        value = unit.get(spec.key)
        if value is not None:
            longest = max(longest, float(len(str(value))))
    return min(longest + 2, 45.0)


def _add_lists(book: Workbook, units_sheet: Any, count: int) -> None:
    """Dropdowns on the enumerated columns; the values live on a hidden sheet (no 255-char cap)."""
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    columns: list[list[str]] = []
    last_row = max(count + 1, 1000)
    for list_index, spec in enumerate(choice_fields(), start=1):
        values = ["Yes", "No"] if spec.kind is FieldKind.BOOL else list(resolve_choices(spec))
        columns.append([spec.label, *values])
        letter = get_column_letter(list_index)
        target = get_column_letter(UNIT_FIELDS.index(spec) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=spec.label,
            error=f"Choose one of the listed values. {spec.help}",
        )
        rule.add(f"{target}2:{target}{last_row}")
        units_sheet.data_validations.append(rule)
    height = max(len(c) for c in columns)
    for r in range(height):
        lists.append([c[r] if r < len(c) else None for c in columns])


def _add_help(book: Workbook) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    widths = (34, 10, 28, 40, 40, 70)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    title = WriteOnlyCell(sheet, value="Registry Desk units file: what each column holds")
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    sheet.append(
        [
            "One row per unit on the Units sheet. Dates are text, MM/DD/YYYY or YYYY-MM-DD. "
            f"Capacity is MW AC (0.0076) or text with a unit ({format_mw(0.0076)}); "
            "each unit at most 1 MW, the active units together at most 1 MW."
        ]
    )
    sheet.append([])
    header = []
    for text in ("Column", "Required", "Type", "Allowed values", "Also accepted headers", "Help"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for spec in UNIT_FIELDS:
        info = column_help(spec)
        row = []
        for key in ("header", "required", "kind", "allowed", "aliases", "help"):
            cell = WriteOnlyCell(sheet, value=info[key] or None)
            cell.alignment = _WRAP
            row.append(cell)
        sheet.append(row)


def save_atomic(book: Workbook, path: Path) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        book.save(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
