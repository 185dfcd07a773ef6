"""Where a meter file's header is, and what the lines above it say.

Utility portals put metadata lines above the header (`Name,LAKEVIEW FOODS`, `Total Usage,…`,
`UOM,kWh`), sometimes with a blank line before it (docs/generation.md lists the shapes). The
header is the first of the file's first lines whose cells name a time stamp (or a date and a
time) and an energy column, or the columns the user named; `--header-row N` says it outright.
The lines above are kept as key/value metadata: the unit, and a total to check the reading by.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.exchange.meter_columns import (
    ColumnGuess,
    ColumnMapping,
    detect_columns,
    merged,
    normalise,
)
from desktop.models.intervals import EnergyUnit

HEAD_LINES = 60  # a header further down than this is named with --header-row
_TOTAL_KEYS = ("total usage", "total consumption", "total kwh", "total")
_UNIT_KEYS = ("uom", "unit", "units", "unit of measure")
_UNITS = {"kwh": EnergyUnit.KWH, "wh": EnergyUnit.WH, "mwh": EnergyUnit.MWH}


def delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def split_line(line: str, delim: str | None = None) -> list[str]:
    """The cells of one line (quotes honoured; a line the csv module refuses is split plainly)."""
    d = delim or delimiter(line)
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=d), [])
    except csv.Error:
        return line.rstrip("\r\n").split(d)


@dataclass(frozen=True, slots=True)
class Layout:
    """The header row (0-based line), its cells, and the metadata lines above it."""

    header_row: int
    header: tuple[str, ...]
    metadata: tuple[tuple[str, str], ...]
    guess: ColumnGuess
    found: bool  # False: no line looked like a header; row 0 is used and refused with reasons

    def meta(self, *keys: str) -> str | None:
        for k, v in self.metadata:
            if normalise(k) in keys:
                return v
        return None

    @property
    def unit(self) -> EnergyUnit | None:
        """The unit a `UOM,kWh` line states for the values."""
        text = self.meta(*_UNIT_KEYS)
        return _UNITS.get(normalise(text)) if text else None

    @property
    def total(self) -> tuple[str, float] | None:
        """A total the file states for its own values (`Total Usage,12675.04`)."""
        for k, v in self.metadata:
            if normalise(k) in _TOTAL_KEYS:
                try:
                    x = float(v.replace(",", "").strip())
                except ValueError:
                    continue
                if math.isfinite(x):
                    return k.strip(), x
        return None


def find_header(
    rows: Sequence[Sequence[str]],
    *,
    mapping: ColumnMapping | None = None,
    header_row: int | None = None,
) -> Layout:
    """The layout of a file from its first rows (cells as text).

    With `header_row` that row is the header. Otherwise the header is the first row that names
    every column of `mapping` the user gave, or (without one) where detection finds a time
    stamp and an energy column.
    """
    if header_row is not None:
        at: int | None = header_row if header_row < len(rows) else None
    else:
        at = next((i for i, row in enumerate(rows[:HEAD_LINES]) if _is_header(row, mapping)), None)
    found = at is not None
    k = at if at is not None else 0
    header = tuple(c.strip() for c in rows[k]) if rows else ()
    metadata = tuple(
        (row[0].strip(), row[1].strip())
        for row in rows[:k]
        if len(row) >= 2 and row[0].strip() and not any(c.strip() for c in row[2:])
    )
    return Layout(k, header, metadata, detect_columns(header), found)


def _is_header(row: Sequence[str], mapping: ColumnMapping | None) -> bool:
    cells = [c.strip() for c in row]
    if len(cells) < 2:
        return False
    guess = detect_columns(cells)
    if mapping is None:
        return guess.complete
    named = [
        r
        for r in (mapping.timestamp, mapping.energy, mapping.meter, mapping.date, mapping.time)
        if isinstance(r, str)
    ]
    norms = {normalise(c) for c in cells}
    if not all(normalise(r) in norms for r in named):
        return False
    m = merged(mapping, guess.mapping)
    has_stamp = m.timestamp is not None or (m.date is not None and m.time is not None)
    return has_stamp and m.energy is not None
