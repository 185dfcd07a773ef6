"""Field declarations: each field of each record is declared once, here or beside its record.

A `FieldSpec` says what the field is called, what it holds, its unit, whether it is required and
what help text the user sees. Forms, grid columns, file columns and the basic checks are all
derived from it, so adding a field is a one-line change that reaches every surface.

Values live in plain dicts keyed by field key, typed as the spec's kind says:
TEXT/EMAIL/PHONE/POSTAL/CHOICE -> str, INT -> int, DECIMAL/PERCENT/CAPACITY -> float,
DATE -> datetime.date, BOOL -> bool, MULTI_CHOICE -> tuple[str, ...]. A missing value is None.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from desktop.models.issues import Issue, error


class FieldKind(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    PERCENT = "percent"
    CAPACITY = "capacity"  # MW AC; accepts "7.6 kW" and "0.0076"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    EMAIL = "email"
    PHONE = "phone"
    POSTAL = "postal"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    help: str = ""
    unit: str = ""
    choices: tuple[str, ...] = ()
    # Name of an editable reference list under resources/ (see models.reference); when set it
    # supplies the choices at run time and `choices` is only the fallback.
    choice_list: str = ""
    page: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    aliases: tuple[str, ...] = ()  # other header names accepted when importing files

    @property
    def display_label(self) -> str:
        """The label as forms show it: required fields carry a '*'."""
        return f"{self.label} *" if self.required else self.label


class ParseError(ValueError):
    """A text could not be read as the field's kind; the message says what was expected."""


# --- Parsing text typed or pasted by a user ------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_DIGITS = re.compile(r"\d")
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_CA_POSTAL = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$", re.I)
_CAPACITY = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?|[-+]?[.,]\d+)\s*(kw|mw|w)?\s*(ac)?\s*$", re.I)
_EXCEL_EPOCH = date(1899, 12, 30)

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "off"})


def parse_date(text: str) -> date:
    """Read the date forms people type or spreadsheets produce.

    Accepts ISO `2025-01-05`, US `1/5/2025` or `01/05/2025` (month first, as M-RETS files are),
    and Excel serial numbers such as `45662`. Two-digit years are refused: they are ambiguous.
    """
    s = text.strip()
    if not s:
        raise ParseError("a date is required")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
        if m:
            mo, d, y = int(m[1]), int(m[2]), int(m[3])
        elif re.fullmatch(r"\d{4,5}(?:\.0+)?", s):
            serial = int(float(s))
            if not 1 <= serial <= 2958465:
                raise ParseError(f"'{text}' is not a date (expected MM/DD/YYYY)")
            return _EXCEL_EPOCH + timedelta(days=serial)
        else:
            raise ParseError(f"'{text}' is not a date (expected MM/DD/YYYY or YYYY-MM-DD)")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ParseError(f"'{text}' is not a real calendar date") from None


def parse_capacity_mw(text: str) -> float:
    """`7.6 kW`, `7600 W`, `0.0076`, `0.0076 MW` all give 0.0076 (MW AC, 6 decimals)."""
    m = _CAPACITY.fullmatch(text)
    if not m:
        raise ParseError(f"'{text}' is not a capacity (expected e.g. 7.6 kW or 0.0076 MW)")
    number = float(m[1].replace(",", "."))
    unit = (m[2] or "mw").lower()
    factor = {"mw": 1.0, "kw": 1e-3, "w": 1e-6}[unit]
    return round(number * factor, 6)


def parse_bool(text: str) -> bool:
    s = text.strip().lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise ParseError(f"'{text}' is not Yes or No")


def parse_number(text: str) -> float:
    s = text.strip().replace(" ", "")
    # "1,234.5" (thousands) and "1234,5" (decimal comma, common in European Excel) both occur.
    if "," in s and "." in s:
        s = s.replace(",", "")
    elif s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    s = s.rstrip("%")
    try:
        value = float(s)
    except ValueError:
        raise ParseError(f"'{text}' is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise ParseError(f"'{text}' is not a finite number")
    return value


def resolve_choices(spec: FieldSpec) -> tuple[str, ...]:
    if spec.choice_list:
        from desktop.models import reference  # noqa: PLC0415 - avoids a cycle at import time

        values = reference.choices(spec.choice_list)
        if values:
            return values
    return spec.choices


def parse_value(spec: FieldSpec, text: str) -> Any:
    """Text from a form, a grid cell or a file cell -> the typed value; '' -> None."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip()
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL):
        return s
    if kind is FieldKind.INT:
        value = parse_number(s)
        if value != int(value):
            raise ParseError(f"'{text}' is not a whole number")
        return int(value)
    if kind in (FieldKind.DECIMAL, FieldKind.PERCENT):
        return parse_number(s)
    if kind is FieldKind.CAPACITY:
        return parse_capacity_mw(s)
    if kind is FieldKind.DATE:
        return parse_date(s)
    if kind is FieldKind.BOOL:
        return parse_bool(s)
    if kind is FieldKind.CHOICE:
        return match_choice(spec, s)
    if kind is FieldKind.MULTI_CHOICE:
        return tuple(match_choice(spec, part) for part in re.split(r"[;|]", s) if part.strip())
    raise AssertionError(kind)


# Everyday words for listed choices, to suggest the choice the user meant.
_CHOICE_ALIASES = {
    "photovoltaic": "solar",
    "pv": "solar",
    "photovoltaics": "solar",
    "wind turbine": "wind",
    "hydroelectric": "hydro",
    "anaerobic digester": "biogas",
    "digester": "biogas",
    "chp": "combined heat",
}


def nearest_choice(choices: Sequence[str], text: str) -> str | None:
    """The listed choice the user most likely meant, or None."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    folded = {c.casefold(): c for c in choices}
    alias = _CHOICE_ALIASES.get(wanted)
    if alias is not None:
        hits = [c for f, c in folded.items() if alias in f]
        if hits:
            return min(hits, key=len)
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    if close:
        return folded[close[0]]
    starts = [c for f, c in folded.items() if f.startswith(wanted) or wanted.startswith(f)]
    return min(starts, key=len) if starts else None


def choice_hint(choices: Sequence[str], text: str) -> str:
    """'did you mean Solar PV?' or the allowed values, for a value not in the list."""
    near = nearest_choice(choices, text)
    if near is not None:
        return f"did you mean {near}?"
    shown = ", ".join(choices[:8]) + (f", … ({len(choices)} in all)" if len(choices) > 8 else "")
    return f"allowed: {shown}"


def match_choice(spec: FieldSpec, text: str) -> str:
    """Case- and space-insensitive match against the declared choices."""
    choices = resolve_choices(spec)
    wanted = " ".join(text.split()).casefold()
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    raise ParseError(f"'{text.strip()}' is not in the list; {choice_hint(choices, text)}")


# --- Formatting values for display and for files -------------------------------------------


def format_value(spec: FieldSpec, value: Any, *, for_file: bool = False) -> str:
    """The typed value as text. Dates are MM/DD/YYYY in files (as M-RETS), ISO on screen."""
    if value is None:
        return ""
    kind = spec.kind
    if kind is FieldKind.DATE:
        assert isinstance(value, date)
        return value.strftime("%m/%d/%Y") if for_file else value.isoformat()
    if kind is FieldKind.BOOL:
        return "Yes" if value else "No"
    if kind is FieldKind.CAPACITY:
        return f"{float(value):.6f}".rstrip("0").rstrip(".") if for_file else format_mw(value)
    if kind is FieldKind.MULTI_CHOICE:
        return "; ".join(value)
    if kind in (FieldKind.DECIMAL, FieldKind.PERCENT):
        return f"{float(value):g}" if abs(float(value)) < 1e15 else repr(value)
    return str(value)


def format_mw(mw: float) -> str:
    """Capacity as people read it: kW below 1 MW (the unit always shown)."""
    if abs(mw) < 1.0:
        return f"{mw * 1000:.3f}".rstrip("0").rstrip(".") + " kW"
    return f"{mw:.6f}".rstrip("0").rstrip(".") + " MW"


# --- JSON (store payloads, exported drafts) ---------------------------------------------------


def to_json(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is FieldKind.DATE:
        return value.isoformat()
    if spec.kind is FieldKind.MULTI_CHOICE:
        return list(value)
    return value


def from_json(spec: FieldSpec, raw: Any) -> Any:
    if raw is None:
        return None
    if spec.kind is FieldKind.DATE:
        return date.fromisoformat(raw) if isinstance(raw, str) else raw
    if spec.kind is FieldKind.MULTI_CHOICE:
        return tuple(raw)
    if spec.kind in (FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.CAPACITY):
        return float(raw)
    if spec.kind is FieldKind.INT:
        return int(raw)
    if spec.kind is FieldKind.BOOL:
        return bool(raw)
    return str(raw)


def record_to_json(specs: Iterable[FieldSpec], record: Mapping[str, Any]) -> dict[str, Any]:
    return {s.key: to_json(s, record.get(s.key)) for s in specs}


def record_from_json(specs: Iterable[FieldSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
    return {s.key: from_json(s, raw.get(s.key)) for s in specs}


# --- Checks every field gets for free ----------------------------------------------------------


def check_value(spec: FieldSpec, value: Any, *, row: int | None = None) -> list[Issue]:
    """Required-ness, formats and ranges that follow from the declaration alone."""
    if value is None or value in ("", ()):
        if spec.required:
            return [error(spec.key, f"{spec.label} is required", row=row, page=spec.page)]
        return []
    kind = spec.kind
    msg = ""
    if kind is FieldKind.EMAIL and not _EMAIL.match(value):
        msg = f"{spec.label}: '{value}' is not an email address (expected name@example.com)"
    elif kind is FieldKind.PHONE and not valid_phone(value):
        msg = (
            f"{spec.label}: '{value}' is not a phone number (expected 10 digits, e.g. 651-555-0100)"
        )
    elif kind is FieldKind.POSTAL and not (_US_ZIP.match(value) or _CA_POSTAL.match(value)):
        msg = f"{spec.label}: '{value}' is not a ZIP (55101 or 55101-1234) or Canadian postal code"
    elif kind is FieldKind.TEXT and spec.max_length and len(value) > spec.max_length:
        msg = f"{spec.label} is longer than {spec.max_length} characters"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        unit = f" {spec.unit}" if spec.unit else ""
        if spec.minimum is not None and value < spec.minimum:
            msg = f"{spec.label} must be at least {spec.minimum:g}{unit}"
        elif spec.maximum is not None and value > spec.maximum:
            msg = f"{spec.label} must be at most {spec.maximum:g}{unit}"
    return [error(spec.key, msg, row=row, page=spec.page)] if msg else []


def valid_phone(text: str) -> bool:
    """North American numbers: 10 digits, optionally with a leading 1 and an extension."""
    main = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", text.strip())[0]
    if re.search(r"[^\d\s().+-]", main):
        return False
    digits = "".join(_PHONE_DIGITS.findall(main))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return len(digits) == 10


def check_record(
    specs: Iterable[FieldSpec], record: Mapping[str, Any], *, row: int | None = None
) -> list[Issue]:
    issues: list[Issue] = []
    for spec in specs:
        issues.extend(check_value(spec, record.get(spec.key), row=row))
    return issues


def by_key(specs: Iterable[FieldSpec]) -> dict[str, FieldSpec]:
    return {s.key: s for s in specs}


Rule = Callable[[Mapping[str, Any]], list[Issue]]
