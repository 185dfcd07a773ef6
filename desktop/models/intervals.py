"""Meter intervals -> hour-ending energy in a fixed standard time, with every problem located.

Readers (desktop.exchange) hand over one `MeterSeries` per meter: UTC minutes of the stamps as
written, the raw values, and where each row came from. `assemble` then

1. refuses stamps outside a plausible range (a typo such as year 9999), each on its own line;
2. finds each meter's interval (5, 15, 30 or 60 minutes) and checks the series: duplicates
   (identical ones are repaired, conflicting ones refused), overlaps, negative values (refused,
   or clipped to zero when asked), and intervals above what the nameplate can produce; gaps cut
   the series into runs (`month_cover` decides what they mean for each month);
3. converts values to kWh (Wh, MWh, or kW demand × interval length);
4. sums the meters into hours of the generator's standard time (EST unless it says otherwise,
   `hour_sums`). Working in UTC minutes and a fixed offset means a daylight-saving change day
   simply has 24 standard hours: no interval is lost or counted twice;
5. finds the whole months twice (`month_cover`): the generator's local calendar months for a
   monthly file and the preview, and standard-time months for an hourly file.

The hot path works on whole arrays: a regular series is recognised by comparing it with a
`range` (C speed), and hours are summed with strided slices, so 5 million rows take seconds.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from desktop.models import calendar as cal
from desktop.models.calendar import StandardTime
from desktop.models.generation import MonthEnergy
from desktop.models.hour_sums import (
    HourParts,
    Segment,
    add_parts,
    add_uneven,
    hour_parts,
    join_parts,
)
from desktop.models.interval_checks import (
    ALLOWED_INTERVALS,
    LINE_BITS,
    LINE_MASK,
    MAX_ISSUES_PER_KIND,
    Checker,
    Counts,
    EnergyUnit,
    HourSettings,
    IntervalOptions,
    MeterSeries,
    SourceFile,
    StampMark,
    drop_implausible,
    pack_where,
    sum_if_clean,
)
from desktop.models.issues import Issue, Severity, error, info
from desktop.models.month_cover import (
    Coverage,
    Gap,
    Months,
    PartialMonth,
    boundary_hours,
    find_months,
    merged,
)
from desktop.models.month_grid import MonthGrid, duration, month_name

__all__ = [
    "ALLOWED_INTERVALS",
    "LINE_BITS",
    "LINE_MASK",
    "Counts",
    "EnergyUnit",
    "HourParts",
    "HourSettings",
    "HourlyEnergy",
    "IntervalOptions",
    "MeterSeries",
    "PartialMonth",
    "Presummed",
    "SourceFile",
    "StampMark",
    "assemble",
    "hour_parts",
    "join_parts",
    "pack_where",
    "sum_if_clean",
]


@dataclass(slots=True)
class HourlyEnergy:
    """kWh per standard hour summed over meters, and the months it covers whole: `months` of
    the generator's local calendar (monthly files, the preview), `hourly_months` of the
    standard time (hourly files), each with the months left out and why."""

    std: StandardTime
    first_hour: int  # hour index of kwh[0]
    kwh: array[float]
    months: list[MonthEnergy]
    partial_months: list[PartialMonth]
    meters: list[str]
    issues: list[Issue]
    counts: Counts
    notes: list[str]  # how conversions were done (daylight saving, units, intervals)
    grid: MonthGrid | None = None  # the generator's months (None: the standard time's)
    coverage: Coverage = field(default_factory=Coverage)
    hourly_months: list[MonthEnergy] = field(default_factory=list)
    hourly_partial: list[PartialMonth] = field(default_factory=list)
    borrowed: dict[int, float] = field(default_factory=dict)  # hour index -> kWh carried in
    filled_minutes: dict[tuple[int, int], int] = field(default_factory=dict)  # local month

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    def month_hours(self, year: int, month: int) -> array[float]:
        """kWh of each standard hour of a month (HE1 of day 1 first), boundary hours that
        came from the carry included."""
        r = cal.month_hour_range(year, month)
        lo = r.start - self.first_hour
        hours = self.kwh[max(lo, 0) : lo + len(r)]
        if len(hours) == len(r) and not self.borrowed:
            return hours
        n = len(self.kwh)
        return array(
            "d",
            (
                self.borrowed.get(h, self.kwh[i] if 0 <= (i := h - self.first_hour) < n else 0.0)
                for h in r
            ),
        )

    def boundary_hours(self) -> dict[int, float]:
        """Hours at each end of the readings a later build may need (UTC minute -> kWh)."""
        return boundary_hours(self.kwh, self.first_hour, self.std, self.coverage)


@dataclass(slots=True)
class Presummed:
    """Meters already checked and summed into hours by the reader, with the settings used."""

    settings: HourSettings
    meters: dict[str, HourParts] = field(default_factory=dict)


def assemble(
    series: Iterable[MeterSeries],
    files: list[SourceFile],
    std: StandardTime = cal.EST,
    *,
    options: IntervalOptions | None = None,
    nameplate_kw: float | None = None,
    counts: Counts | None = None,
    issues: list[Issue] | None = None,
    notes: list[str] | None = None,
    presummed: Presummed | None = None,
    grid: MonthGrid | None = None,
    carry: Mapping[int, float] | None = None,
) -> HourlyEnergy:
    """Check every meter, sum them into standard hours, and find the whole months.

    `grid` gives the generator's months (its local calendar; None: the standard time's);
    `carry` boundary hours kept from earlier builds (UTC minute of the hour -> kWh). A meter in
    `presummed` (made with the same settings, over the same readings) was already checked and
    summed by the reader and is taken as it is.
    """
    opt = options or IntervalOptions()
    counts = counts if counts is not None else Counts()
    issues = issues if issues is not None else []
    notes = notes if notes is not None else []
    ready: dict[str, HourParts] = {}
    if presummed is not None and presummed.settings == HourSettings(std, opt, nameplate_kw):
        ready = presummed.meters

    def locate(packed: int, role: str) -> dict[str, object]:
        f = files[packed >> LINE_BITS] if files else SourceFile("")
        line = packed & LINE_MASK
        return {"file": f.name, "row": line - 1, "column": f.columns.get(role, role)}

    def between(before: int, after: int) -> str:
        """'between line 41 and line 42 of march.csv' (each file named when they differ)."""
        names = [
            files[p >> LINE_BITS].name.replace("\\", "/").rsplit("/", 1)[-1] if files else ""
            for p in (before, after)
        ]
        lines = [f"line {p & LINE_MASK}" for p in (before, after)]
        if names[0] == names[1]:
            return f"between {lines[0]} and {lines[1]}" + (f" of {names[0]}" if names[0] else "")
        return f"between {lines[0]} of {names[0]} and {lines[1]} of {names[1]}"

    off = std.offset_minutes
    stamp_lo, stamp_hi = opt.stamp_range()
    cover = Coverage()
    runs: list[HourParts | Segment] = []  # in meter order: the order of the additions
    steps: set[int] = set()
    for s in series:
        if not len(s):
            continue
        done = ready.get(s.meter_id)
        if done is not None and done.count == len(s):
            runs.append(done)
            cover.spans.setdefault(s.meter_id, []).append((done.start, done.end))
            steps.add(done.step)
            continue
        drop_implausible(s, stamp_lo, stamp_hi, opt, locate, issues, counts)
        if not len(s):
            continue
        checker = Checker(s, opt, nameplate_kw, locate, issues, counts)
        segs = checker.segments()
        for n in checker.kind_counts.values():
            if n > MAX_ISSUES_PER_KIND:
                issues.append(
                    info(
                        "", f"Meter {checker.label}: {n - MAX_ISSUES_PER_KIND} more like the above"
                    )
                )
        for seg in segs:
            runs.append(hour_parts(seg.start, seg.step, seg.kwh, off) or seg)
            cover.spans.setdefault(s.meter_id, []).append((seg.start, seg.end))
            steps.add(seg.step)
        for a, b in pairwise(segs):
            if b.start > a.end:
                where = between(a.last_where, b.first_where)
                cover.gaps.append(Gap(s.meter_id, a.end, b.start, a.step, where))
    if not runs:
        return HourlyEnergy(std, 0, array("d"), [], [], [], issues, counts, notes, grid)

    first_hour = min(run.start + off for run in runs) // 60
    last_hour = (max(run.end + off for run in runs) - 1) // 60
    total = array("d", bytes(8 * (last_hour - first_hour + 1)))
    for run in runs:
        if isinstance(run, HourParts):
            counts.rows_used += run.count
            counts.kwh_read += run.energy()
            add_parts(total, first_hour, run)
        else:
            counts.rows_used += len(run.kwh)
            counts.kwh_read += math.fsum(run.kwh)
            add_uneven(total, first_hour, run, off)
    counts.kwh_placed = sum(total)
    cover.spans = {m: merged(sp) for m, sp in cover.spans.items()}
    if steps:
        notes.append(
            "Intervals of " + ", ".join(f"{s} minutes" for s in sorted(steps)) + f" summed into "
            f"hour-ending 1–24 {std.label}."
        )
    if nameplate_kw is not None and len(cover.spans) > 1:
        ceiling = nameplate_kw * (1 + 1e-9)
        over = [i for i, v in enumerate(total) if v > ceiling]
        for i in over[:MAX_ISSUES_PER_KIND]:
            day, he = cal.hour_of_index(first_hour + i)
            issues.append(
                error(
                    "energy",
                    f"The meters together produced {total[i]:g} kWh in HE{he:02d} {std.code} of "
                    f"{day.isoformat()}, more than the nameplate allows ({nameplate_kw:g} kWh)",
                )
            )
    std_grid = MonthGrid(std)
    local = find_months(total, first_hour, grid or std_grid, cover, fill_gaps=opt.fill_gaps)
    hourly = find_months(total, first_hour, std_grid, cover, fill_gaps=opt.fill_gaps, carry=carry)
    _month_notes(local, hourly, grid or std_grid, cover, counts, notes)
    return HourlyEnergy(
        std,
        first_hour,
        total,
        local.whole,
        local.partial,
        sorted(cover.spans),
        issues,
        counts,
        notes,
        grid,
        cover,
        hourly.whole,
        hourly.partial,
        hourly.borrowed,
        local.filled_minutes,
    )


def _month_notes(
    local: Months,
    hourly: Months,
    grid: MonthGrid,
    cover: Coverage,
    counts: Counts,
    notes: list[str],
) -> None:
    """Say which months the input does not hold, what was filled, and what was carried in."""
    for a, b in local.absent:
        months = [
            (y, m)
            for y, m in grid.months(a, b)
            if grid.bounds(y, m)[0] >= a and grid.bounds(y, m)[1] <= b
        ]
        if months:
            shown = month_name(*months[0]) + (
                f" to {month_name(*months[-1])}" if len(months) > 1 else ""
            )
            notes.append(
                f"No readings from {grid.show(a)} to {grid.show(b)} {grid.name}: {shown} "
                "are not in the input (nothing is written or filled for them)."
            )
    steps = {g.meter: g.step for g in cover.gaps}
    step = min(steps.values()) if steps else 60
    counts.intervals_filled = sum(local.filled_minutes.values()) // step
    for (y, m), minutes in sorted(local.filled_minutes.items()):
        notes.append(
            f"{month_name(y, m)}: {duration(minutes)} of missing readings filled with 0 kWh "
            f"({minutes / 60:g} hour(s))."
        )
    if hourly.borrowed:
        hours = sorted(hourly.borrowed)
        shown = ", ".join(
            f"{d:%m/%d/%Y} HE{he}" for d, he in (cal.hour_of_index(h) for h in hours[:4])
        )
        notes.append(
            f"Boundary hour(s) {shown} {grid.std.code} of the hourly file came from an earlier "
            "build of this generator (kept in the store)."
        )
