"""Units CSV: read any CSV a spreadsheet writes into raw rows; write the declared columns.

Reading streams the file (a 200 MB file is read in fixed memory up to the row limit) and
reports progress by bytes read; a cancel request is honoured between batches of rows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop.errors import InputError, KnownError
from desktop.exchange.sniff import TextFormat, sniff_text
from desktop.exchange.units_columns import HEADERS, file_text
from desktop.models.units import UNIT_FIELDS

# A DGG holds at most 1 MW; even at 100 W a unit that is 10,000 active units. Deactivated units
# stay on record, so allow five times that before calling a file a mistake.
MAX_ROWS = 50_000
BATCH = 2_000


class ImportCancelledError(KnownError):
    """The user cancelled reading a file; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


@dataclass(slots=True)
class ReadControl:
    """Progress (0..1) and cancel hooks, polled between batches of rows."""

    progress: Callable[[float], None] | None = None
    cancelled: Callable[[], bool] | None = None

    def tick(self, fraction: float) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelledError
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0))


@dataclass(slots=True)
class RawSheet:
    """Cell texts as the file holds them. `numbers[i]` is rows[i]'s spreadsheet row number."""

    source: str
    headers: list[str]
    header_row: int
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    blank_rows: int = 0

    def take(self, cells: list[str], number: int, *, where: str, what: str) -> None:
        """Row `number` of the file (`what`: "file" or "sheet"): the header row (the first that
        is not blank), a unit, or a blank row, counted once the header is known."""
        if not any(c.strip() for c in cells):
            if self.header_row:
                self.blank_rows += 1
            return
        if not self.header_row:
            self.headers = [c.strip() for c in cells]
            self.header_row = number
            return
        if len(self.rows) >= MAX_ROWS:
            raise InputError(
                f"The {what} has more than {MAX_ROWS:,} units. A group holds at most 1 MW AC; "
                "check that this is the right file or split it.",
                where=f"{where}, row {number}",
            )
        self.rows.append(cells)
        self.numbers.append(number)


def read_csv(path: Path, control: ReadControl | None = None) -> RawSheet:
    fmt = sniff_text(path)
    control = control or ReadControl()
    try:
        return _read(path, fmt, control)
    except UnicodeDecodeError:
        if fmt.encoding == "utf-8":
            # Valid UTF-8 at the start and not further on: an 8-bit Windows file with a late
            # accent. Windows-1252 leaves five byte values undefined, so this can fail too.
            try:
                return _read(path, replace(fmt, encoding="cp1252"), control)
            except UnicodeDecodeError:
                pass
    raise InputError(
        "The file's text is neither UTF-8 nor Windows-1252; save it from Excel as "
        "'CSV UTF-8 (Comma delimited)'.",
        where=str(path),
    )


def _read(path: Path, fmt: TextFormat, control: ReadControl) -> RawSheet:
    size = max(path.stat().st_size, 1)
    sheet = RawSheet(source=f"CSV ({fmt.description})", headers=[], header_row=0)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=fmt.encoding, newline="")
        reader = csv.reader(text, delimiter=fmt.delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                if number % BATCH == 0:
                    control.tick(raw.tell() / size)
                sheet.take(cells, number, where=str(path), what="file")
        except csv.Error as exc:
            raise InputError(
                f"The file is not valid CSV here ({exc}). Check for an unclosed quote.",
                where=f"{path}, line {reader.line_num}",
            ) from None
    control.tick(1.0)
    return sheet


def write_csv(path: Path, units: Sequence[Mapping[str, Any]]) -> None:
    """Declared column order, dates MM/DD/YYYY, UTF-8 with a BOM so Excel reads accents right."""
    rows = ([file_text(spec, unit.get(spec.key)) for spec in UNIT_FIELDS] for unit in units)
    write_atomic_csv(path, HEADERS, rows)


def write_atomic_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerows(rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
