"""Import profiles: how one portal's meter export is read, kept per generator by name.

A utility portal writes next month's export with the same header as this month's. A profile
holds that header (normalised) and the columns the user chose for it (`ColumnMapping`, with
the unit and stamp convention), so the next export that has the same header is mapped
without asking. Profiles are stored as JSON in the generator's input settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.exchange.meter_columns import ColumnMapping, normalise
from desktop.models.intervals import EnergyUnit, StampMark


def mapping_to_json(m: ColumnMapping) -> dict[str, Any]:
    return {
        "timestamp": m.timestamp,
        "energy": m.energy,
        "meter": m.meter,
        "date": m.date,
        "time": m.time,
        "unit": m.unit.value if m.unit else None,
        "mark": m.mark.value if m.mark else None,
    }


def mapping_from_json(raw: Mapping[str, Any]) -> ColumnMapping | None:
    """A stored mapping, or None when it is not one (a damaged draft)."""

    def ref(key: str) -> str | int | None:
        v = raw.get(key)
        return v if isinstance(v, str | int) and not isinstance(v, bool) else None

    try:
        unit = EnergyUnit(raw["unit"]) if raw.get("unit") else None
        mark = StampMark(raw["mark"]) if raw.get("mark") else None
    except (ValueError, TypeError):
        return None
    m = ColumnMapping(
        timestamp=ref("timestamp"),
        energy=ref("energy"),
        meter=ref("meter"),
        date=ref("date"),
        time=ref("time"),
        unit=unit,
        mark=mark,
    )
    has_time = m.timestamp is not None or (m.date is not None and m.time is not None)
    return m if has_time and m.energy is not None else None


@dataclass(frozen=True, slots=True)
class ImportProfile:
    name: str
    header: tuple[str, ...]  # the export's header cells, normalised
    mapping: ColumnMapping

    @classmethod
    def made(cls, name: str, header: Sequence[str], mapping: ColumnMapping) -> ImportProfile:
        return cls(name.strip(), tuple(normalise(h) for h in header), mapping)

    def matches(self, header: Sequence[str]) -> bool:
        return self.header == tuple(normalise(h) for h in header)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "header": list(self.header),
            "mapping": mapping_to_json(self.mapping),
        }

    @classmethod
    def from_json(cls, raw: Any) -> ImportProfile | None:
        """A stored profile, or None when it is not one (a damaged draft)."""
        if not isinstance(raw, Mapping):
            return None
        name, header, mapping = raw.get("name"), raw.get("header"), raw.get("mapping")
        if not isinstance(name, str) or not name.strip() or not isinstance(header, list):
            return None
        m = mapping_from_json(mapping) if isinstance(mapping, Mapping) else None
        if m is None or not all(isinstance(h, str) for h in header):
            return None
        return cls(name.strip(), tuple(header), m)


def profile_for(profiles: Sequence[ImportProfile], header: Sequence[str]) -> ImportProfile | None:
    """The profile made from an export with this header (the newest one when several are)."""
    return next((p for p in reversed(profiles) if p.matches(header)), None)


def with_profile(profiles: Sequence[ImportProfile], new: ImportProfile) -> list[ImportProfile]:
    """The profiles with `new` in place of any of the same name or the same header."""
    return [p for p in profiles if p.name != new.name and p.header != new.header] + [new]
