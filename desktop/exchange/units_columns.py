"""The units file's columns, derived from `UNIT_FIELDS`: headers, header matching, cell reading.

Every column of the units CSV/XLSX is a declared unit field, in declaration order. Headers are
matched by key, label, label with unit, or a declared alias, ignoring case, spaces and
punctuation, so `Revenue meter ID`, `revenue_meter_id` and `METER-ID` all find the meter column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.models import reference
from desktop.models.fields import (
    FALSE_WORDS,
    TRUE_WORDS,
    FieldKind,
    FieldSpec,
    ParseError,
    format_value,
    parse_value,
    resolve_choices,
)
from desktop.models.units import UNIT_FIELDS

# Characters that make a spreadsheet treat a typed cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SPEC_BY_KEY = {s.key: s for s in UNIT_FIELDS}


def header_for(spec: FieldSpec) -> str:
    """The header written to files: the label, with the unit when it is not obvious."""
    if spec.unit and spec.unit != "°":
        return f"{spec.label} [{spec.unit}]"
    return spec.label


HEADERS = tuple(header_for(s) for s in UNIT_FIELDS)


def normalize_header(text: str) -> str:
    text = text.strip().removesuffix("*")
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in UNIT_FIELDS:
        for name in (spec.key, spec.label, header_for(spec), *spec.aliases):
            index.setdefault(normalize_header(name), spec.key)
    return index


HEADER_INDEX = _header_index()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_in_kw(header: str) -> bool:
    """A capacity header that names kW means bare numbers in it are kW, not MW."""
    return re.search(r"(?<![a-z])kw(?![a-z])", header.casefold()) is not None


@dataclass(slots=True)
class HeaderMatch:
    columns: dict[int, str] = field(default_factory=dict)  # file column -> field key
    unknown: list[int] = field(default_factory=list)  # file columns with data and no field
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)  # (first, again, key)


def match_headers(headers: list[str], overrides: dict[str, str] | None = None) -> HeaderMatch:
    """Match file headers to fields; `overrides` maps a header text to a key ("" = ignore)."""
    overrides = overrides or {}
    match = HeaderMatch()
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header in overrides:
            key = overrides[header]
        else:
            key = HEADER_INDEX.get(normalize_header(header), "")
        if not key:
            if header.strip() and header not in overrides:
                match.unknown.append(index)
            continue
        if key in seen:
            match.duplicates.append((seen[key], index, key))
            continue
        seen[key] = index
        match.columns[index] = key
    return match


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` on the way back in, so a round trip gives the same text."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


# --- Reading cell text into typed values -------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SERIAL = re.compile(r"\d{4,5}(?:\.0+)?")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(slots=True)
class Conversions:
    """Counts of silent-looking conversions, reported once per column rather than per cell."""

    serial_dates: dict[str, int] = field(default_factory=dict)
    slash_dates: dict[str, int] = field(default_factory=dict)
    kw_columns: set[str] = field(default_factory=set)

    def notes(self) -> list[str]:
        out = []
        for key, n in self.serial_dates.items():
            out.append(
                f"{SPEC_BY_KEY[key].label}: {n} Excel date serial number"
                f"{'s were' if n != 1 else ' was'} converted to dates."
            )
        for key, n in self.slash_dates.items():
            out.append(
                f"{SPEC_BY_KEY[key].label}: {n} date{'s' if n != 1 else ''} like 1/5/2025 "
                "read month first (MM/DD/YYYY, as M-RETS files are)."
            )
        for key in sorted(self.kw_columns):
            out.append(
                f"{SPEC_BY_KEY[key].label}: the header says kW, so plain numbers were read as kW."
            )
        return out


Reader = Callable[[str], Any]


def _choice_lookup(spec: FieldSpec) -> dict[str, str]:
    """Accept a choice's value and its code (e.g. 'MN' for Minnesota), any case or spacing."""
    lookup: dict[str, str] = {}
    if spec.choice_list:
        for entry in reference.entries(spec.choice_list):
            value = str(entry["value"])
            lookup[" ".join(value.split()).casefold()] = value
            code = entry.get("code")
            if isinstance(code, str) and code:
                lookup.setdefault(code.casefold(), value)
    for value in resolve_choices(spec):
        lookup.setdefault(" ".join(value.split()).casefold(), value)
    return lookup


def cell_reader(spec: FieldSpec, conversions: Conversions, *, in_kw: bool = False) -> Reader:
    """A fast text -> value function for one column; raises ParseError with a user sentence.

    The common shapes are handled inline (this runs 200,000 times for a 10,000-unit file);
    anything unusual goes through `fields.parse_value`, which owns the messages.
    """
    kind = spec.kind
    key = spec.key
    if kind in (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL):
        return lambda s: (unneutralise(s) if s[0] == "'" else s) or None
    if kind is FieldKind.CHOICE:
        lookup = _choice_lookup(spec)
        exact = {v: v for v in lookup.values()}

        def read_choice(s: str) -> Any:
            found = exact.get(s) or lookup.get(" ".join(s.split()).casefold())
            return found if found is not None else parse_value(spec, s)

        return read_choice
    if kind is FieldKind.BOOL:

        def read_bool(s: str) -> Any:
            low = s.lower()
            if low in TRUE_WORDS:
                return True
            if low in FALSE_WORDS:
                return False
            return parse_value(spec, s)

        return read_bool
    if kind is FieldKind.DATE:

        def read_date(s: str) -> Any:
            m = _ISO.fullmatch(s)
            if m:
                try:
                    return date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    pass  # parse_value words the message
            elif us := _US.fullmatch(s):
                if us[1] != us[2] and int(us[2]) <= 12:
                    # Only 1/5/2025-like dates could be read day first: say how we read them.
                    conversions.slash_dates[key] = conversions.slash_dates.get(key, 0) + 1
                try:
                    return date(int(us[3]), int(us[1]), int(us[2]))
                except ValueError:
                    pass
            elif _SERIAL.fullmatch(s):
                conversions.serial_dates[key] = conversions.serial_dates.get(key, 0) + 1
            return parse_value(spec, s)

        return read_date
    if kind is FieldKind.CAPACITY:

        def read_capacity(s: str) -> Any:
            if in_kw and re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", s):
                conversions.kw_columns.add(key)
                s = s + " kW"
            elif _PLAIN_NUMBER.fullmatch(s):
                return round(float(s), 6)  # the common case: MW as a plain number
            return parse_value(spec, s)

        return read_capacity
    if kind is FieldKind.DECIMAL:

        def read_decimal(s: str) -> Any:
            if _PLAIN_NUMBER.fullmatch(s):
                return float(s)
            return parse_value(spec, s)

        return read_decimal
    return lambda s: parse_value(spec, s)


def read_cell(reader: Reader, text: str) -> tuple[Any, str | None]:
    """(value, None) or (None, message)."""
    s = text.strip()
    if not s:
        return None, None
    try:
        return reader(s), None
    except ParseError as exc:
        return None, str(exc)


def file_text(spec: FieldSpec, value: Any) -> str:
    """A value as it is written into a CSV cell (see fields.format_value)."""
    text = format_value(spec, value, for_file=True)
    if spec.kind in (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL):
        return neutralise(text)
    return text


def column_help(spec: FieldSpec) -> dict[str, str]:
    """One row of the workbook's help sheet and of docs/units.md's column list."""
    kinds = {
        FieldKind.TEXT: "Text",
        FieldKind.POSTAL: "Text (ZIP or postal code)",
        FieldKind.DECIMAL: "Number",
        FieldKind.CAPACITY: "Number in MW AC (or text such as 7.6 kW)",
        FieldKind.DATE: "Date, MM/DD/YYYY (also YYYY-MM-DD)",
        FieldKind.BOOL: "Yes or No",
        FieldKind.CHOICE: "One of the listed values",
    }
    choices = resolve_choices(spec)
    allowed = ""
    if choices:
        allowed = ", ".join(choices) if len(choices) <= 12 else f"{len(choices)} values (list)"
    return {
        "header": header_for(spec),
        "required": "Yes" if spec.required else "No",
        "kind": kinds.get(spec.kind, spec.kind.value.title()),
        "allowed": allowed,
        "aliases": ", ".join(spec.aliases),
        "help": spec.help,
    }


def choice_fields(specs: Iterable[FieldSpec] = UNIT_FIELDS) -> list[FieldSpec]:
    return [s for s in specs if s.kind in (FieldKind.CHOICE, FieldKind.BOOL)]
