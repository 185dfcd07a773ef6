"""The registry's rules, pure: periods, feasibility windows, whole-MWh issuance, serials.

Quantities are integers in watt-hours (1 MWh = 1,000,000 Wh) and capacities in microwatts
(1 MW = 1,000,000 µW), so carried remainders add up exactly and are never rounded away.
The numbers follow reference.md §2.1, §2.7–2.9 and decisions.md "Generation uploads".
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

WH_PER_MWH = 1_000_000
UW_PER_MW = 1_000_000
MAX_MWH = 1_000_000_000  # far beyond any generator; keeps integers in SQLite's range

SMALL_GENERATOR_MAX_UW = 150_000  # 150 kW: the 1-year window applies up to here
SMALL_WINDOW_DAYS = 365
LARGE_WINDOW_DAYS = 62
SPLIT_TOLERANCE = 0.0001  # percentages must total 100 to 0.01

DG_UNIT_MAX_UW = 1_000_000  # one DG unit <= 1 MW AC
DG_GROUP_MAX_UW = 1_000_000  # units of a group together <= 1 MW AC

PENDING_DATE = "Date Feasibility"
PENDING_CAPACITY = "Capacity Feasibility"
PENDING_FUEL_SPLIT = "Pending Fuel Split"

_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_VINTAGE = re.compile(r"^(\d{4})-(\d{2})$")


class RuleError(ValueError):
    """A value that breaks a registry rule; the message is shown to the client."""


def parse_day(text: str) -> date:
    """An ISO date or date-time; the sandbox works in whole calendar days."""
    match = _DATETIME.match(text.strip())
    if not match:
        raise RuleError(f"{text!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")
    try:
        day = date.fromisoformat(match.group(1))
        if match.group(2) is not None:
            datetime(day.year, day.month, day.day, int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise RuleError(f"{text!r} is not a real date.") from exc
    return day


def parse_vintage(text: str) -> str:
    match = _VINTAGE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RuleError(f"{text!r} is not a vintage month (YYYY-MM).")
    return f"{match.group(1)}-{match.group(2)}"


def vintage_of(period_end: date) -> str:
    """The certificate vintage is the month of the last day of the generation period."""
    return f"{period_end.year:04d}-{period_end.month:02d}"


def period_hours(start: date, end: date) -> int:
    """Hours in an inclusive period of calendar days."""
    return ((end - start).days + 1) * 24


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def to_wh(quantity: float, unit: str) -> int:
    factor = WH_PER_MWH if unit == "mwh" else 1000
    return round(quantity * factor)


def mwh(wh: int) -> float:
    return wh / WH_PER_MWH


def to_uw(mw: float) -> int:
    return round(mw * UW_PER_MW)


def upload_window_days(nameplate_uw: int | None) -> int:
    """1 year after the period end for generators up to 150 kW, 62 days above."""
    if nameplate_uw is not None and nameplate_uw <= SMALL_GENERATOR_MAX_UW:
        return SMALL_WINDOW_DAYS
    return LARGE_WINDOW_DAYS


def date_feasible(period_end: date, today: date, nameplate_uw: int | None) -> bool:
    return today <= period_end + timedelta(days=upload_window_days(nameplate_uw))


def capacity_feasible(quantity_wh: int, nameplate_uw: int | None, start: date, end: date) -> bool:
    """Reported energy must not exceed nameplate × hours (the physical ceiling)."""
    if nameplate_uw is None:
        return True
    return quantity_wh <= nameplate_uw * period_hours(start, end)


def split_total_ok(fractions: list[float]) -> bool:
    return bool(fractions) and abs(sum(fractions) - 1.0) <= SPLIT_TOLERANCE


def split_quantity(quantity_wh: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split by fractions so the parts add up to exactly `quantity_wh` (largest remainder)."""
    total = sum(f for _, f in shares)
    raw = [(key, quantity_wh * f / total) for key, f in shares]
    parts = [(key, int(value)) for key, value in raw]
    missing = quantity_wh - sum(p for _, p in parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i][1] - parts[i][1], reverse=True)
    result = list(parts)
    for i in order[:missing]:
        result[i] = (result[i][0], result[i][1] + 1)
    return result


@dataclass(frozen=True)
class Issuance:
    """What one fuel's share of an entry yields: whole certificates and the new remainder."""

    fuel_key: str
    certificates: int
    remainder_wh: int


def issue(fuel_key: str, share_wh: int, carried_wh: int) -> Issuance:
    """Whole MWh become certificates; the fraction is carried to the next entry."""
    available = carried_wh + share_wh
    whole = max(0, available // WH_PER_MWH)
    return Issuance(fuel_key, whole, available - whole * WH_PER_MWH)


def serial_base(mrets_id: str, state: str | None, vintage: str) -> str:
    """Generator ID + state + vintage + a random string, as the registry builds serials."""
    year, month = vintage.split("-")
    state_code = (state or "XX").strip().upper()[:2] or "XX"
    number = mrets_id.lstrip("M")
    return f"{number}-{state_code}-{month}-{year}-{secrets.token_hex(4).upper()}"


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise RuleError(f"{text!r} is not an ISO 8601 date-time (YYYY-MM-DDThh:mm:ssZ).") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def minutes_between(start: str, end: str) -> int:
    return int((parse_instant(end) - parse_instant(start)).total_seconds() // 60)
