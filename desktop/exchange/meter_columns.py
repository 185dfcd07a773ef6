"""Which column of a meter file holds what: detection by header name, and explicit mappings.

`detect_columns(header)` guesses a `ColumnMapping` from the header names and also lists what it
could not place, so that a window can show a mapping dialog for the rest; a caller that knows
better passes its own `ColumnMapping` (header names or 0-based positions) to the reader.
The energy unit and the stamp convention are also read from the headers when they say so
(`Energy (Wh)`, `Interval End`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from desktop.models.intervals import EnergyUnit, StampMark

ROLES = ("timestamp", "energy", "meter", "date", "time")

# Header names per role, compared after normalising (lower case, punctuation to spaces).
_NAMES: dict[str, tuple[str, ...]] = {
    "timestamp": (
        "timestamp",
        "time stamp",
        "datetime",
        "date time",
        "date and time",
        "interval start",
        "interval end",
        "interval ending",
        "interval beginning",
        "start",
        "end",
        "start time",
        "end time",
        "start date time",
        "end date time",
        "read time",
        "reading time",
        "read date",
        "interval",
        "period start",
        "period end",
        "local time",
        "utc",
    ),
    "energy": (
        "kwh",
        "wh",
        "mwh",
        "kw",
        "energy",
        "value",
        "reading",
        "usage",
        "generation",
        "production",
        "net generation",
        "delivered",
        "received",
        "energy delivered",
        "energy produced",
        "quantity",
        "amount",
        "demand",
    ),
    "meter": (
        "meter",
        "meter id",
        "meterid",
        "meter number",
        "meter no",
        "meter serial",
        "serial",
        "serial number",
        "device",
        "device id",
        "unit id",
        "unit name",
        "revenue meter id",
    ),
    "date": ("date", "day", "reading date"),
    "time": ("time", "time of day", "interval time"),
}
_UNIT_WORDS = {"mwh": EnergyUnit.MWH, "kwh": EnergyUnit.KWH, "wh": EnergyUnit.WH}


def normalise(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.casefold()).split())


def _strip_units(norm: str) -> str:
    return " ".join(w for w in norm.split() if w not in ("kwh", "wh", "mwh", "kw", "in", "utc"))


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Column per role: a header name or a 0-based position; None when absent."""

    timestamp: str | int | None = None
    energy: str | int | None = None
    meter: str | int | None = None
    date: str | int | None = None  # a separate date column, joined with `time`
    time: str | int | None = None
    unit: EnergyUnit | None = None  # None: from the energy header, else kWh
    mark: StampMark | None = None  # None: from the timestamp header, else start

    def index(self, header: Sequence[str], role: str) -> int | None:
        """The 0-based position of `role` in `header`, or None."""
        ref = getattr(self, role)
        if ref is None:
            return None
        if isinstance(ref, int):
            return ref if 0 <= ref < len(header) else None
        wanted = normalise(ref)
        for i, h in enumerate(header):
            if normalise(h) == wanted:
                return i
        return None


@dataclass(frozen=True, slots=True)
class ColumnGuess:
    mapping: ColumnMapping
    unplaced: tuple[str, ...] = ()  # headers not recognised (offer them in a mapping dialog)
    missing: tuple[str, ...] = ()  # roles that must be mapped before reading
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.missing


def unit_from_header(header: str) -> EnergyUnit | None:
    words = normalise(header).split()
    for w in words:
        if w in _UNIT_WORDS:
            return _UNIT_WORDS[w]
    if "kw" in words or "demand" in words:
        return EnergyUnit.KW
    return None


def mark_from_header(header: str) -> StampMark | None:
    words = set(normalise(header).split())
    if words & {"end", "ending", "ended", "to"}:
        return StampMark.END
    if words & {"start", "beginning", "begin", "from"}:
        return StampMark.START
    return None


def detect_columns(header: Sequence[str]) -> ColumnGuess:
    """Guess the mapping from header names; say what is missing and what was not placed."""
    found: dict[str, int] = {}
    for role in ROLES:
        names = _NAMES[role]
        for i, h in enumerate(header):
            if i in found.values():
                continue
            norm = normalise(h)
            if norm in names or (role == "energy" and _strip_units(norm) in names and norm):
                found[role] = i
                break
    if "timestamp" not in found:
        # "Interval End (EST)", "Start Date/Time": fall back to any header naming a time.
        for i, h in enumerate(header):
            words = set(normalise(h).split())
            if i not in found.values() and words & {"timestamp", "datetime", "interval"}:
                found["timestamp"] = i
                break
    if "energy" not in found:
        for i, h in enumerate(header):
            if i not in found.values() and unit_from_header(h) is not None:
                found["energy"] = i
                break
    mapping = ColumnMapping(
        timestamp=_at(header, found.get("timestamp")),
        energy=_at(header, found.get("energy")),
        meter=_at(header, found.get("meter")),
        date=_at(header, found.get("date")),
        time=_at(header, found.get("time")),
    )
    notes: list[str] = []
    if "energy" in found:
        unit = unit_from_header(header[found["energy"]])
        if unit is not None:
            mapping = replace(mapping, unit=unit)
            notes.append(
                f"Energy unit {unit.value} taken from the header '{header[found['energy']]}'"
            )
    if "timestamp" in found:
        mark = mark_from_header(header[found["timestamp"]])
        if mark is not None:
            mapping = replace(mapping, mark=mark)
            notes.append(
                f"Time stamps {'close' if mark is StampMark.END else 'open'} their interval "
                f"(header '{header[found['timestamp']]}')"
            )
    missing: list[str] = []
    if "timestamp" not in found and not ("date" in found and "time" in found):
        missing.append("timestamp")
    if "timestamp" in found:
        mapping = replace(mapping, date=None, time=None)
    if "energy" not in found:
        missing.append("energy")
    used = {
        header.index(v)
        for v in (mapping.timestamp, mapping.energy, mapping.meter, mapping.date, mapping.time)
        if isinstance(v, str)
    }
    unplaced = tuple(h for i, h in enumerate(header) if i not in used)
    return ColumnGuess(mapping, unplaced, tuple(missing), tuple(notes))


def _at(header: Sequence[str], index: int | None) -> str | None:
    return None if index is None else header[index]
