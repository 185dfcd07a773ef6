"""Which months the readings cover whole, and why the others are left out.

Gaps never invent generation (docs/generation.md, "Gaps"): a month that holds no reading is
simply not in the input (never written, never zero-filled, and it stops nothing); a month with
a gap inside is left out and reported with the gap's place and length, while the other whole
months are written. `--fill-gaps zero` fills only the gaps inside months that hold readings
(each filled interval is 0 kWh, so filling changes coverage, not energy), and the report
counts the filled hours per month.

An hourly file covers standard-time months, which differ from local months by a boundary hour
(a Chicago March starts at 01:00 EST). That hour may come from the **boundary-hour carry**:
hours an earlier build of the same generator read, kept in the store like the fractional
remainder. It is used only for whole hours at a month's edge that no reading of this input
touches, so across consecutive files no hour is lost or counted twice.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import compress, pairwise

from desktop.models import calendar as cal
from desktop.models.generation import MonthEnergy
from desktop.models.month_grid import MonthGrid, duration, month_name

BOUNDARY_MINUTES = 4 * 60  # the most a standard-time month and a local month differ at an edge
CARRY_KEEP_HOURS = 24  # hours kept from each end of a build's readings for the next build

Span = tuple[int, int]  # UTC minutes [start, end)


@dataclass(frozen=True, slots=True)
class PartialMonth:
    year: int
    month: int
    reason: str


@dataclass(frozen=True, slots=True)
class Gap:
    """Minutes without readings between two runs of one meter."""

    meter: str
    start: int
    end: int
    step: int
    where: str  # "between line 1200 and line 1201 of march.csv"


@dataclass(slots=True)
class Coverage:
    """Per meter, the merged spans its readings cover, and the gaps between them."""

    spans: dict[str, list[Span]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def extent(self) -> Span:
        return (
            min(s[0][0] for s in self.spans.values()),
            max(s[-1][1] for s in self.spans.values()),
        )

    def touches(self, lo: int, hi: int) -> bool:
        """True when some reading covers a minute of [lo, hi)."""
        return any(_overlaps(sp, lo, hi) for sp in self.spans.values())


def merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _overlaps(spans: list[Span], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(spans, (hi, hi)) - 1  # the last span that starts before `hi`
    return i >= 0 and spans[i][1] > lo


def _missing(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """The parts of [lo, hi) no span covers."""
    out: list[Span] = []
    at = lo
    for a, b in spans:
        if b <= at:
            continue
        if a >= hi:
            break
        if a > at:
            out.append((at, a))
        at = max(at, b)
        if at >= hi:
            break
    if at < hi:
        out.append((at, hi))
    return out


@dataclass(slots=True)
class Months:
    """The whole months of a grid, the ones left out, filled hours and borrowed hours."""

    whole: list[MonthEnergy] = field(default_factory=list)
    partial: list[PartialMonth] = field(default_factory=list)
    filled_minutes: dict[tuple[int, int], int] = field(default_factory=dict)
    borrowed: dict[int, float] = field(default_factory=dict)  # hour index -> kWh from the carry
    absent: list[Span] = field(default_factory=list)  # stretches with no reading at all


def find_months(
    total: array[float],
    first_hour: int,
    grid: MonthGrid,
    cover: Coverage,
    *,
    fill_gaps: bool = False,
    carry: Mapping[int, float] | None = None,
) -> Months:
    """The months of `grid` the readings cover whole, summed from the hours in `total`
    (hour indexes of `grid.std` from `first_hour`). `carry` (UTC minute of an hour's start ->
    kWh) may supply boundary hours at a month's edge that no reading touches."""
    out = Months()
    if not cover.spans:
        return out
    std = grid.std
    off = std.offset_minutes
    lo_all, hi_all = cover.extent
    for y, m in grid.months(lo_all, hi_all):
        lo, hi = grid.bounds(y, m)
        if not cover.touches(lo, hi):
            continue  # no reading at all: not in the input, and no reason to say more
        holes: list[tuple[str, Span]] = []
        filled = 0
        for meter, spans in cover.spans.items():
            if not _overlaps(spans, lo, hi):
                continue  # this meter has no reading this month (another meter has)
            for a, b in _missing(spans, lo, hi):
                gap = _gap_at(cover, meter, a, b) if fill_gaps else None
                if gap is not None:
                    filled += b - a
                else:
                    holes.append((meter, (a, b)))
        name = month_name(y, m)
        if (lo + off) % 60 or (hi + off) % 60:
            out.partial.append(
                PartialMonth(
                    y,
                    m,
                    f"{name} does not start on a whole hour of {std.code} in {grid.name}: "
                    "choose a standard time whose hours line up with the generator's zone",
                )
            )
            continue
        h0, h1 = (lo + off) // 60, (hi + off) // 60
        borrowed: dict[int, float] = {}
        if holes and carry is not None and not grid.is_local:
            borrowed = _borrow(holes, cover, lo, hi, off, carry)
            if borrowed:
                holes = []
        if holes:
            out.partial.append(PartialMonth(y, m, _reason(name, holes, cover, grid, lo, hi)))
            continue
        if filled:
            out.filled_minutes[(y, m)] = filled
        out.borrowed.update(borrowed)
        # Hours as the hourly file writes them (kWh to 3 decimals), so that the monthly
        # file, the hourly file and the preview agree to the kWh.
        hours = [
            round(borrowed[h] if h in borrowed else _at(total, h - first_hour), 3)
            for h in range(h0, h1)
        ]
        flags = cal.on_peak_flags(h0, len(hours), shift_hours=cal.est_shift_hours(std))
        on = math.fsum(compress(hours, flags))
        kwh = math.fsum(hours)
        out.whole.append(MonthEnergy(y, m, kwh / 1000.0, on / 1000.0, (kwh - on) / 1000.0))
    out.absent = _absent(cover)
    return out


def _at(total: array[float], i: int) -> float:
    return total[i] if 0 <= i < len(total) else 0.0


def _gap_at(cover: Coverage, meter: str, a: int, b: int) -> Gap | None:
    """The gap of `meter` that holds [a, b), if the hole is inside one (not at the data's edge)."""
    for g in cover.gaps:
        if g.meter == meter and g.start <= a and b <= g.end:
            return g
    return None


def _borrow(
    holes: list[tuple[str, Span]],
    cover: Coverage,
    lo: int,
    hi: int,
    off: int,
    carry: Mapping[int, float],
) -> dict[int, float]:
    """The carried hours that complete the month, or {} when the holes are not all whole
    boundary hours no reading touches, held by the carry."""
    hours: dict[int, float] = {}
    for _meter, (a, b) in holes:
        at_edge = (a == lo or b == hi) and b - a <= BOUNDARY_MINUTES
        if not at_edge or (a + off) % 60 or (b + off) % 60:
            return {}
        for start in range(a, b, 60):
            if cover.touches(start, start + 60) or start not in carry:
                return {}
            hours[(start + off) // 60] = carry[start]
    return hours


def _reason(
    name: str,
    holes: list[tuple[str, Span]],
    cover: Coverage,
    grid: MonthGrid,
    lo: int,
    hi: int,
) -> str:
    parts: list[str] = []
    for meter, (a, b) in holes[:3]:
        who = f"meter {meter}: " if meter and len(cover.spans) > 1 else ""
        gap = _gap_at(cover, meter, a, b)
        if gap is not None:
            count = (b - a) // gap.step
            parts.append(
                f"{who}a gap of {duration(b - a)} ({count} interval(s) of {gap.step} minutes) "
                f"from {grid.show_span(a, b)} {grid.name}, {gap.where}"
            )
        elif a == lo and b - a <= BOUNDARY_MINUTES and not grid.is_local:
            parts.append(f"{who}{_boundary_text(a, b, grid)}")
        elif a == lo:
            parts.append(f"{who}no reading before {grid.show(b)} {grid.name}")
        elif b == hi:
            parts.append(f"{who}no reading after {grid.show(a)} {grid.name}")
        else:
            parts.append(f"{who}no reading from {grid.show_span(a, b)} {grid.name}")
    more = f"; and {len(holes) - 3} more" if len(holes) > 3 else ""
    how = (
        " (--fill-gaps zero fills them)"
        if any(_gap_at(cover, mt, a, b) for mt, (a, b) in holes)
        else ""
    )
    return f"{name} is incomplete: " + "; ".join(parts) + more + how


def _boundary_text(a: int, b: int, grid: MonthGrid) -> str:
    std = grid.std
    first = (a + std.offset_minutes) // 60
    last = (b + std.offset_minutes) // 60 - 1
    day, he = cal.hour_of_index(first)
    hours = f"{day:%m/%d} HE{he}" + (f"–HE{cal.hour_of_index(last)[1]}" if last > first else "")
    return (
        f"it lacks {hours} {std.code}, the last hour(s) of the month before in local time, "
        "which this input does not hold: add the export that holds them (e.g. the previous "
        "month's) to the inputs, or build the previous month first into the same store"
    )


def _absent(cover: Coverage) -> list[Span]:
    """Stretches where no meter has a reading, between the first and the last reading."""
    every = merged([s for spans in cover.spans.values() for s in spans])
    return [(a[1], b[0]) for a, b in pairwise(every)]


def boundary_hours(
    total: array[float], first_hour: int, std: cal.StandardTime, cover: Coverage
) -> dict[int, float]:
    """The hours at each end of the readings a later build may need as boundary hours:
    UTC minute of the hour's start -> kWh, for whole hours every meter present covers."""
    if not cover.spans:
        return {}
    off = std.offset_minutes
    lo, hi = cover.extent
    keep: dict[int, float] = {}
    first = -(-(lo + off) // 60)
    last = (hi + off) // 60
    ends = list(range(first, min(first + CARRY_KEEP_HOURS, last)))
    ends += list(range(max(last - CARRY_KEEP_HOURS, first), last))
    for h in sorted(set(ends)):
        a = h * 60 - off
        present = [sp for sp in cover.spans.values() if _overlaps(sp, a, a + 60)]
        if present and all(not _missing(sp, a, a + 60) for sp in present):
            keep[a] = _at(total, h - first_hour)
    return keep
