"""Meter spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) through python-calamine, read like CSV files:
the header is found below any metadata rows, and the rows go to the same `_FileReader`."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange.meter_layout import HEAD_LINES, find_header
from desktop.exchange.meter_options import (
    SPREADSHEET_SUFFIXES,
    Cancelled,
    MeterReadings,
    ReadCancelledError,
    ReadOptions,
)
from desktop.exchange.meter_reader import _FileReader
from desktop.exchange.timestamps import StampResolver
from desktop.exchange.zip_guard import check_archive
from desktop.models.issues import error


def _cell_text(v: Any, *, stamp: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        # calamine gives a date-time at midnight as a date: in a stamp column it is midnight.
        return f"{v.isoformat()} 00:00" if stamp else v.isoformat()
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _spreadsheet_rows(path: Path, limit: int | None = None) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only spreadsheets need it

    if _is_zip(path):
        # calamine inflates whole parts into memory: a bomb is refused before it sees one
        check_archive(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        data = (
            sheet.to_python(skip_empty_area=False, nrows=limit)
            if limit
            else sheet.to_python(skip_empty_area=False)
        )
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(f"cannot read the spreadsheet ({exc})", where=str(path)) from None
    return [list(row) for row in data]


def read_spreadsheet(
    path: Path,
    file_index: int,
    options: ReadOptions,
    resolver: StampResolver,
    readings: MeterReadings,
    *,
    cancelled: Cancelled | None = None,
) -> None:
    raw = _spreadsheet_rows(path)
    reader = _FileReader(path, file_index, options, resolver, readings)
    while raw and all(v is None or str(v).strip() == "" for v in raw[-1]):
        raw.pop()  # a sheet's used range often ends in blank rows: not data
    if not raw:
        readings.issues.append(error("", "the sheet is empty", file=str(path)))
        return
    layout = find_header(
        [[_cell_text(v) for v in row] for row in raw[:HEAD_LINES]],
        mapping=options.file_mappings.get(str(path)) or options.mapping,
        header_row=options.header_row,
    )
    if not reader.start(layout.header, layout):
        return
    ts = reader.i_ts
    chunk = 100_000
    for lo in range(layout.header_row + 1, len(raw), chunk):
        if cancelled is not None and cancelled():
            raise ReadCancelledError
        rows = [
            [_cell_text(v, stamp=i == ts) for i, v in enumerate(row)]
            for row in raw[lo : lo + chunk]
        ]
        reader.rows(rows, lo + 1)
    reader.check_total()
    reader.finish()


def _is_sheet(path: Path) -> bool:
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # calamine says why it cannot open it
