"""Interval meter files (CSV, TXT, XLSX) -> one `MeterSeries` per meter, every problem located.

The CSV reader is built for files of millions of rows: it reads blocks of a few megabytes and
splits them into columns (the csv module only for blocks that hold quotes inside cells), which
`meter_reader._FileReader` works on column-wise in C. The header is found below any metadata
lines (`meter_layout`). Spreadsheets are read by `meter_xlsx`; the options and results are in
`meter_options`. This module is the readers' front: callers import everything from here.
"""

from __future__ import annotations

import csv
import os
from array import array
from collections.abc import Callable, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange.meter_columns import (
    ColumnMapping,
    normalise,
)
from desktop.exchange.meter_layout import HEAD_LINES, delimiter, find_header, split_line
from desktop.exchange.meter_options import (
    BLOCK_BYTES,
    PARALLEL_MIN_BYTES,
    SPREADSHEET_SUFFIXES,
    Cancelled,
    FileSniff,
    MeterReadings,
    ReadCancelledError,
    ReadOptions,
)
from desktop.exchange.meter_reader import _FileReader
from desktop.exchange.meter_xlsx import _cell_text, _is_sheet, _spreadsheet_rows, read_spreadsheet
from desktop.exchange.timestamps import StampResolver
from desktop.models.issues import error


def sniff(
    path: Path,
    rows: int = 10,
    *,
    mapping: ColumnMapping | None = None,
    header_row: int | None = None,
) -> FileSniff:
    """Header, a few rows and the guessed mapping of a CSV or spreadsheet meter file."""
    if _is_sheet(path):
        table = [
            [_cell_text(v) for v in row]
            for row in _spreadsheet_rows(path, limit=HEAD_LINES + rows + 1)
        ]
    else:
        table = _csv_head(path, HEAD_LINES + rows)
    if not table:
        raise InputError("the file is empty", where=str(path))
    layout = find_header(table, mapping=mapping, header_row=header_row)
    body = table[layout.header_row + 1 : layout.header_row + 1 + rows]
    return FileSniff(path, layout.header, tuple(tuple(r) for r in body), layout.guess, layout)


def _csv_head(path: Path, rows: int) -> list[list[str]]:
    with _open_text(path) as f:
        head = [line for _, line in zip(range(rows + 1), f, strict=False)]
    out = []
    for number, line in enumerate(head, 1):
        try:
            out.append(next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter(line)), []))
        except csv.Error as exc:
            raise InputError(
                f"line {number} is not valid CSV ({_csv_problem(exc)})", where=str(path)
            ) from None
    return out


def _open_text(path: Path) -> Any:
    try:
        return open(path, encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", where=str(path)) from None


def read_csv(
    path: Path,
    file_index: int,
    options: ReadOptions,
    resolver: StampResolver,
    readings: MeterReadings,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    reader = _FileReader(path, file_index, options, resolver, readings)
    head = _head_lines(path)
    if not any(line.strip() for line in head):
        readings.issues.append(error("", "the file is empty or has no header row", file=str(path)))
        return
    layout = find_header(
        [split_line(line) for line in head],
        mapping=options.file_mappings.get(str(path)) or options.mapping,
        header_row=options.header_row,
    )
    header_line = head[layout.header_row] if layout.header_row < len(head) else ""
    delim = delimiter(header_line)
    try:
        header = next(csv.reader([header_line.rstrip("\r\n")], delimiter=delim))
    except csv.Error as exc:
        readings.issues.append(
            error(
                "",
                f"the header row is not valid CSV ({_csv_problem(exc)})",
                file=str(path),
                row=layout.header_row,
            )
        )
        return
    if not reader.start(header, layout):
        return
    data_start = _bom(path) + sum(
        len(line.encode("utf-8", errors="surrogateescape"))
        for line in head[: layout.header_row + 1]
    )
    size = file_size(path)
    workers = options.workers if options.workers is not None else min(2, os.cpu_count() or 1)
    if workers > 1 and size - data_start >= PARALLEL_MIN_BYTES:
        from desktop.exchange.parallel_csv import read_in_parts  # noqa: PLC0415 - big files only

        reader.read_in_parts = True
        read_in_parts(reader, path, data_start, size, header, delim, workers, progress, cancelled)
    else:
        first = layout.header_row + 2
        read_range(
            reader, path, data_start, size, first, delim, progress=progress, cancelled=cancelled
        )
    reader.check_total()
    reader.finish()


def _head_lines(path: Path) -> list[str]:
    """The file's first lines as text, line ends kept (their byte lengths locate the data)."""
    try:
        with open(path, "rb") as f:
            raw = [f.readline() for _ in range(HEAD_LINES + 1)]
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", where=str(path)) from None
    lines = [line for line in raw if line]
    if lines:
        lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
    return [line.decode("utf-8", errors="surrogateescape") for line in lines]


def read_range(
    reader: _FileReader,
    path: Path,
    start: int,
    end: int,
    first_line: int,
    delim: str,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Read the whole lines between byte offsets `start` and `end` (line `first_line` first)."""
    line = first_line
    carry = b""
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        while pos < end:
            if cancelled is not None and cancelled():
                raise ReadCancelledError
            chunk = f.read(min(BLOCK_BYTES, end - pos))
            if not chunk:
                break
            pos += len(chunk)
            data = carry + chunk
            if pos < end:
                cut = data.rfind(b"\n")
                if cut < 0:
                    carry = data
                    continue
                carry, data = data[cut + 1 :], data[:cut]
            else:
                carry = b""
                if data.endswith(b"\n"):
                    data = data[:-1]
                if not data.strip():
                    break
            text = data.decode("utf-8", errors="replace")
            line += _split_block(reader, text, line, delim)
            if progress is not None:
                progress(pos)


def _split_block(reader: _FileReader, block: str, first_line: int, delim: str) -> int:
    """Split a block of whole lines; returns how many lines it held.

    Without quotes and with the same number of delimiters on every line, the block is split
    once into a flat list and each column is a strided slice of it: no list per row. Portals
    that quote every cell (`"07731234","3/14/2026",...`) take the same path once the quotes
    are dropped, and so do exports whose rows all leave out the same empty trailing fields.
    """
    if "\r" in block:
        block = block.replace("\r\n", "\n")
    lines = block.split("\n")
    n = len(lines)
    ncols = reader.ncols
    if '"' in block and block.count('"') == 2 * n * ncols and '""' not in block:
        # every cell in quotes, none holding a quote: without them the block splits the same
        # way unless a cell holds a delimiter, which the width check below then catches
        bare = block.replace('"', "")
        if set(map(str.count, bare.split("\n"), repeat(delim, n))) == {ncols - 1}:
            block = bare
    if '"' not in block:
        widths = set(map(str.count, lines, repeat(delim, n)))
        # every line as wide as the header, or every line leaving out the same empty trailing
        # fields (Opower-style exports) while keeping every column the reader uses
        width = widths.pop() + 1 if len(widths) == 1 else 0
        if reader.needed <= width <= ncols:
            flat = block.replace("\n", delim).split(delim)
            cols = [flat[i::width] for i in range(width)]
            cols += [[""] * n for _ in range(ncols - width)]
            base = reader.base + first_line
            reader.columns(cols, array("q", range(base, base + n)))
            return n
    if '"' in block:
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            _quoted_lines(reader, lines, first_line, delim)
            return n
    else:
        rows = [ln.split(delim) for ln in lines]
    reader.rows(rows, first_line)
    return n


def _quoted_lines(reader: _FileReader, lines: list[str], first_line: int, delim: str) -> None:
    """A block the csv module refuses: read it line by line and locate the lines it refuses."""
    run: list[list[str]] = []
    run_start = first_line
    for k, text in enumerate(lines):
        try:
            run.append(next(csv.reader([text], delimiter=delim), []))
            continue
        except csv.Error as exc:
            problem = _csv_problem(exc)
        reader.rows(run, run_start)
        run, run_start = [], first_line + k + 1
        reader.r.counts.rows_read += 1
        reader.r.counts.rows_refused += 1
        reader.issue(
            "CSV",
            error(
                "",
                f"this line is not valid CSV ({problem})",
                file=reader.name,
                row=first_line + k - 1,
            ),
        )
    reader.rows(run, run_start)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "new-line character" in text:
        return "a carriage return inside a field that is not in quotes"
    if "field larger than field limit" in text:
        return f"a field longer than {csv.field_size_limit():,} characters"
    return text


def _bom(path: Path) -> int:
    with open(path, "rb") as f:
        return 3 if f.read(3) == b"\xef\xbb\xbf" else 0


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def header_matches(header: Sequence[str], names: Sequence[str]) -> bool:
    return [normalise(h) for h in header] == [normalise(n) for n in names]


__all__ = [
    "SPREADSHEET_SUFFIXES",
    "FileSniff",
    "MeterReadings",
    "ReadCancelledError",
    "ReadOptions",
    "_FileReader",
    "file_size",
    "header_matches",
    "read_csv",
    "read_range",
    "read_spreadsheet",
    "sniff",
]
