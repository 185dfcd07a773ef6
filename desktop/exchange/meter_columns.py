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
        "consumption",
        "net",
        "net usage",
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
    "date": ("date", "day", "reading date", "read date", "usage date", "interval date"),
    "time": ("time", "time of day", "interval time"),
}
_DATE_WORDS = frozenset({"date", "day"})
_TIME_WORDS = frozenset({"time"})
_NOT_ENERGY = frozenset(
    {"cost", "price", "charge", "rate", "kvarh", "kvah", "kvar", "pf", "factor", "uom"}
)
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
    # several columns that could be the energy (`Consumption`, `Generation`, `Net`): the
    # generator's output is the user's choice, never a guess
    energy_choices: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


def unit_from_header(header: str) -> EnergyUnit | None:
    words = normalise(header).split()
    for w in words:
        if w in _UNIT_WORDS:
            return _UNIT_WORDS[w]
    if words[-2:] == ["kilowatt", "hours"] or words[-2:] == ["kilowatt", "hour"]:
        return EnergyUnit.KWH
    if {"kw", "demand", "kilowatts", "kilowatt"} & set(words):
        return EnergyUnit.KW
    return None


def mark_from_header(header: str) -> StampMark | None:
    words = set(normalise(header).split())
    if words & {"end", "ending", "ended", "to"}:
        return StampMark.END
    if words & {"start", "starting", "beginning", "begin", "from"}:
        return StampMark.START
    return None


def _is_energy(norm: str) -> bool:
    """A header that names energy: by name (`Usage (kWh)`) or by unit (`KWH(ch: 1  set:0)`,
    `Production Meter Kilowatts`); money and reactive channels (`kWh Cost`, `KVARH`) are not."""
    words = set(norm.split())
    if not norm or words & _NOT_ENERGY:
        return False
    return (
        norm in _NAMES["energy"]
        or _strip_units(norm) in _NAMES["energy"]
        or unit_from_header(norm) is not None
    )


def _date_time_pair(header: Sequence[str]) -> tuple[int, int] | None:
    """A date column and a time-of-day column that together make the stamp: `Date` +
    `Start Time`, `Starting Date` + `Starting Time`. Start pairs win over end pairs, and a
    pair whose words agree (both "Starting") over a mixed one."""
    dates: list[tuple[int, StampMark | None]] = []
    times: list[tuple[int, StampMark | None]] = []
    for i, h in enumerate(header):
        norm = normalise(h)
        words = set(norm.split())
        if norm in _NAMES["date"] or (words & _DATE_WORDS and not words & _TIME_WORDS):
            if words & _DATE_WORDS and len(words) <= 3:
                dates.append((i, mark_from_header(h)))
        elif (norm in _NAMES["time"] or (words & _TIME_WORDS and not words & _DATE_WORDS)) and (
            len(words) <= 3 and "zone" not in words
        ):
            times.append((i, mark_from_header(h)))
    if not dates or not times:
        return None

    def rank(pair: tuple[tuple[int, StampMark | None], tuple[int, StampMark | None]]) -> int:
        (_, dm), (_, tm) = pair
        mark = tm or dm
        return (0 if mark is not StampMark.END else 2) + (0 if dm in (None, tm) else 1)

    (d, _), (t, _) = min(((d, t) for d in dates for t in times), key=rank)
    return d, t


def detect_columns(header: Sequence[str]) -> ColumnGuess:
    """Guess the mapping from header names; say what is missing and what was not placed."""
    norms = [normalise(h) for h in header]
    found: dict[str, int] = {}
    taken: set[int] = set()

    def take(role: str, i: int) -> None:
        found[role] = i
        taken.add(i)

    for role in ("meter",):
        i = next((i for i, n in enumerate(norms) if n in _NAMES[role]), None)
        if i is not None:
            take(role, i)
    energies = [i for i, n in enumerate(norms) if i not in taken and _is_energy(n)]
    # kW demand next to energy columns is not a choice to offer: energy wins
    kwh_like = [i for i in energies if unit_from_header(header[i]) is not EnergyUnit.KW]
    energies = kwh_like or energies
    if energies:
        take("energy", energies[0])
    stamp = next(
        (
            i
            for i, n in enumerate(norms)
            if i not in taken and n in _NAMES["timestamp"] and not _time_only(n)
        ),
        None,
    )
    pair = _date_time_pair([h if i not in taken else "" for i, h in enumerate(header)])
    if pair is not None and stamp is None:
        take("date", pair[0])
        take("time", pair[1])
    elif stamp is not None:
        take("timestamp", stamp)
    else:
        # "Site Time", "Start Date/Time", "Interval End (EST)": any header naming a time.
        for i, n in enumerate(norms):
            words = set(n.split())
            if i not in taken and words & {"timestamp", "datetime", "interval", "time"}:
                take("timestamp", i)
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
    stamp_col = found.get("timestamp", found.get("time"))
    if stamp_col is not None:
        mark = mark_from_header(header[stamp_col])
        if mark is None and "date" in found:
            mark = mark_from_header(header[found["date"]])
        if mark is not None:
            mapping = replace(mapping, mark=mark)
            notes.append(
                f"Time stamps {'close' if mark is StampMark.END else 'open'} their interval "
                f"(header '{header[stamp_col]}')"
            )
    missing: list[str] = []
    if "timestamp" not in found and not ("date" in found and "time" in found):
        missing.append("timestamp")
    if "energy" not in found:
        missing.append("energy")
    unplaced = tuple(h for i, h in enumerate(header) if i not in taken)
    choices = tuple(header[i] for i in energies) if len(energies) > 1 else ()
    return ColumnGuess(mapping, unplaced, tuple(missing), tuple(notes), choices)


def _time_only(norm: str) -> bool:
    """`Start Time`, `END TIME`: a time of day that needs a date column beside it."""
    words = set(norm.split())
    return bool(words & _TIME_WORDS) and not words & (_DATE_WORDS | {"timestamp", "datetime"})


def merged(explicit: ColumnMapping | None, guess: ColumnMapping) -> ColumnMapping:
    """The user's columns where given, the guess for the rest. A stamp column given by the
    user replaces a guessed date + time pair, and a date + time pair replaces a guessed stamp."""
    if explicit is None:
        return guess
    stamp_given = explicit.timestamp is not None
    pair_given = explicit.date is not None or explicit.time is not None
    return ColumnMapping(
        timestamp=explicit.timestamp if stamp_given or pair_given else guess.timestamp,
        energy=explicit.energy if explicit.energy is not None else guess.energy,
        meter=explicit.meter if explicit.meter is not None else guess.meter,
        date=(explicit.date or guess.date) if not stamp_given else None,
        time=(explicit.time or guess.time) if not stamp_given else None,
        unit=explicit.unit or (guess.unit if explicit.energy is None else None),
        mark=explicit.mark or guess.mark,
    )


def _at(header: Sequence[str], index: int | None) -> str | None:
    return None if index is None else header[index]
