"""Telling what a file is before reading it: workbook or text, which encoding, which delimiter.

Users save "CSV" from Excel in several ways: UTF-8 with a BOM, plain Windows-1252, UTF-16 tab
separated ("Unicode text"), with commas or, in many European locales, semicolons. The extension
is often wrong too (an .xlsx renamed .csv), so the content decides.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from desktop.errors import InputError

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class FileFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class TextFormat:
    encoding: str  # a Python codec name
    delimiter: str
    bom: bool

    @property
    def description(self) -> str:
        names = {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8 with BOM",
            "cp1252": "Windows-1252",
            "utf-16": "UTF-16",
        }
        return f"{names.get(self.encoding, self.encoding)}, {DELIMITER_NAMES[self.delimiter]}"


def file_format(path: Path) -> FileFormat:
    """Decide by content: a ZIP is a workbook, a legacy OLE file is refused, else text."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError("The file does not exist.", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("This is a folder, not a file.", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"The file cannot be read: {exc.strerror}.", where=str(path)) from None
    if head.startswith(b"PK\x03\x04"):
        return FileFormat.XLSX
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "This is an old Excel .xls workbook. Save it as .xlsx or .csv and import that.",
            where=str(path),
        )
    return FileFormat.CSV


def detect_encoding(sample: bytes) -> tuple[str, bool]:
    """(codec, has_bom). UTF-8 when the sample decodes as UTF-8, else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    try:
        # The sample may end inside a multi-byte character: decode incrementally, not final.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252", False
    return "utf-8", False


def looks_binary(sample: bytes, encoding: str) -> bool:
    """NUL bytes never occur in a text file in an 8-bit encoding."""
    return encoding != "utf-16" and b"\x00" in sample


def detect_delimiter(first_lines: str) -> str:
    """The delimiter that splits the header line into the most fields (quotes respected)."""
    lines = [line for line in first_lines.splitlines() if line.strip()]
    if not lines:
        return ","
    header = lines[0]
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader(io.StringIO(header), delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(fields) - 1 > best_count:
            best, best_count = delimiter, len(fields) - 1
    return best


def sniff_text(path: Path) -> TextFormat:
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"The file cannot be read: {exc.strerror}.", where=str(path)) from None
    encoding, bom = detect_encoding(sample)
    if looks_binary(sample, encoding):
        raise InputError(
            "This is not a text (CSV) file or an Excel workbook. "
            "Save the spreadsheet as .csv or .xlsx and import that.",
            where=str(path),
        )
    text = sample.decode(encoding, errors="replace")
    return TextFormat(encoding=encoding, delimiter=detect_delimiter(text[:8192]), bom=bom)
