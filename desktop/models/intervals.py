"""Meter intervals -> hour-ending energy in a fixed standard time, with every problem located.

Readers (desktop.exchange) hand over one `MeterSeries` per meter: UTC minutes of the stamps as
written, the raw values, and where each row came from. `assemble` then

1. finds each meter's interval (5, 15, 30 or 60 minutes) and checks the series: duplicates
   (identical ones are repaired, conflicting ones refused), overlaps, gaps (refused, or filled
   with zero when asked), negative values (refused, or clipped to zero when asked), and intervals
   above what the nameplate can physically produce;
2. converts values to kWh (Wh, MWh, or kW demand × interval length);
3. sums the meters into hours of the generator's standard time (EST unless it says otherwise).
   Working in UTC minutes and a fixed offset means a daylight-saving change day simply has
   24 standard hours: no interval is lost or counted twice;
4. decides which months are covered whole; others are left out and reported.

The hot path works on whole arrays: a regular series is recognised by comparing it with a
`range` (C speed), and hours are summed with strided slices, so 5 million rows take seconds.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import chain, compress, pairwise
from operator import add

from desktop.models import calendar as cal
from desktop.models.calendar import StandardTime
from desktop.models.generation import MonthEnergy
from desktop.models.issues import Issue, Severity, error, info, warning

ALLOWED_INTERVALS = (5, 15, 30, 60)
LINE_BITS = 32
LINE_MASK = (1 << LINE_BITS) - 1
MAX_ISSUES_PER_KIND = 50  # per meter; the count in the report says how many there were


class EnergyUnit(StrEnum):
    KWH = "kWh"
    WH = "Wh"
    MWH = "MWh"
    KW = "kW"  # average demand over the interval: kWh = kW × minutes / 60


class StampMark(StrEnum):
    START = "start"  # a stamp opens its interval
    END = "end"  # a stamp closes its interval


def pack_where(file_index: int, line: int) -> int:
    return (file_index << LINE_BITS) | line


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file read, and the header of each column role (timestamp, energy, meter) in it."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class MeterSeries:
    """One meter's readings as read: `stamps` UTC minutes, `values` raw, `where` packed origin."""

    meter_id: str
    stamps: array[int] = field(default_factory=lambda: array("q"))
    values: array[float] = field(default_factory=lambda: array("d"))
    where: array[int] = field(default_factory=lambda: array("q"))
    interval: int | None = None  # minutes, when the file states it (Green Button)
    mark: StampMark = StampMark.START
    unit: EnergyUnit = EnergyUnit.KWH

    def __len__(self) -> int:
        return len(self.stamps)


@dataclass(slots=True)
class IntervalOptions:
    interval: int | None = None  # force an interval length instead of detecting it
    fill_gaps: bool = False  # fill missing intervals with 0 kWh (reported) instead of refusing
    clip_negative: bool = False  # set negative readings to 0 (reported) instead of refusing


@dataclass(slots=True)
class Counts:
    """What the report counts: nothing is dropped without being counted here."""

    rows_read: int = 0
    rows_used: int = 0
    rows_refused: int = 0
    duplicates_repaired: int = 0
    negatives_repaired: int = 0
    intervals_filled: int = 0
    stamps_rounded: int = 0
    repeated_hour_readings: int = 0  # readings in the repeated DST hour placed by their order
    kwh_read: float = 0.0  # energy of the readings used
    kwh_placed: float = 0.0  # energy in the hours built from them

    def to_json(self) -> dict[str, float | int]:
        return {
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_refused": self.rows_refused,
            "duplicates_repaired": self.duplicates_repaired,
            "negatives_repaired": self.negatives_repaired,
            "intervals_filled": self.intervals_filled,
            "stamps_rounded": self.stamps_rounded,
            "repeated_hour_readings": self.repeated_hour_readings,
            "kwh_read": round(self.kwh_read, 6),
            "kwh_placed": round(self.kwh_placed, 6),
        }


@dataclass(frozen=True, slots=True)
class PartialMonth:
    year: int
    month: int
    reason: str


@dataclass(slots=True)
class HourlyEnergy:
    """kWh per standard hour summed over meters, and the months it covers whole."""

    std: StandardTime
    first_hour: int  # hour index of kwh[0]
    kwh: array[float]
    months: list[MonthEnergy]
    partial_months: list[PartialMonth]
    meters: list[str]
    issues: list[Issue]
    counts: Counts
    notes: list[str]  # how conversions were done (daylight saving, units, intervals)

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    def month_hours(self, year: int, month: int) -> array[float]:
        """kWh of each hour of a month (HE1 of day 1 first)."""
        r = cal.month_hour_range(year, month)
        lo = r.start - self.first_hour
        return self.kwh[lo : lo + len(r)]


@dataclass(slots=True)
class _Segment:
    start: int  # UTC minute of the first interval's start
    step: int
    kwh: array[float]

    @property
    def end(self) -> int:
        return self.start + self.step * len(self.kwh)


@dataclass(frozen=True, slots=True)
class HourSettings:
    """What summing a meter into hours depends on besides its readings. Sums made ahead (by
    the worker processes reading a big file) are used only by an `assemble` with the same."""

    std: StandardTime
    options: IntervalOptions
    nameplate_kw: float | None


@dataclass(slots=True)
class HourParts:
    """A regular run of one meter's kWh, summed into whole hours of a standard time.

    Readings of an hour the run covers only in part stay single (`head` belongs to the hour
    before `first_hour`, `tail` to the hour after the last sum), so runs cut at any reading can
    be joined later with exactly the sums one pass over the whole run would give.
    """

    start: int  # UTC minute of the first interval's start
    step: int
    count: int
    first_hour: int  # standard-time hour index of sums[0]
    head: array[float]
    sums: array[float]  # each hour's readings added in order
    tail: array[float]

    @property
    def end(self) -> int:
        return self.start + self.step * self.count

    def energy(self) -> float:
        return math.fsum(chain(self.head, self.sums, self.tail))


@dataclass(slots=True)
class Presummed:
    """Meters already checked and summed into hours by the reader, with the settings used."""

    settings: HourSettings
    meters: dict[str, HourParts] = field(default_factory=dict)


class _Checker:
    """Checks one meter's series and cuts it into regular segments of kWh."""

    def __init__(
        self,
        series: MeterSeries,
        options: IntervalOptions,
        nameplate_kw: float | None,
        locate: Callable[[int, str], dict[str, object]],
        issues: list[Issue],
        counts: Counts,
    ) -> None:
        self.s = series
        self.opt = options
        self.nameplate_kw = nameplate_kw
        self.locate = locate
        self.issues = issues
        self.counts = counts
        self.kind_counts: Counter[str] = Counter()

    def report(self, kind: str, issue: Issue) -> None:
        self.kind_counts[kind] += 1
        if self.kind_counts[kind] <= MAX_ISSUES_PER_KIND:
            self.issues.append(issue)

    def where(self, pos: int, role: str) -> dict[str, object]:
        return self.locate(self.s.where[pos], role)

    def step(self) -> int | None:
        if self.opt.interval:
            return self.opt.interval
        if self.s.interval:
            return self.s.interval
        st = self.s.stamps
        diffs = Counter(b - a for a, b in pairwise(st[:2001]) if b > a)
        if not diffs:
            self.issues.append(
                error(
                    "interval",
                    f"Meter {self.label}: cannot tell the interval length from one reading; "
                    "give it with --interval",
                    **self.where(0, "timestamp"),
                )
            )
            return None
        step = diffs.most_common(1)[0][0]
        if step not in ALLOWED_INTERVALS:
            self.issues.append(
                error(
                    "interval",
                    f"Meter {self.label}: readings are {step} minutes apart; "
                    "expected 5, 15, 30 or 60",
                    **self.where(0, "timestamp"),
                )
            )
            return None
        return step

    @property
    def label(self) -> str:
        return self.s.meter_id or "(no meter ID)"

    def regular_step(self) -> int | None:
        """The step `step` would find, when every reading follows the one before by it (the
        usual series, recognised without counting the steps); None for any other series."""
        st = self.s.stamps
        forced = self.opt.interval or self.s.interval
        if forced:
            step = forced
        elif len(st) >= 2 and st[1] - st[0] in ALLOWED_INTERVALS:
            step = st[1] - st[0]
        else:
            return None
        first = st[0]
        return step if st == array("q", range(first, first + len(st) * step, step)) else None

    def segments(self) -> list[_Segment]:
        s = self.s
        step = self.regular_step()
        if step is not None:
            return self.cut([(0, len(s))], s.values, step)
        step = self.step()
        if step is None:
            self.counts.rows_refused += len(s)
            return []
        runs, keep_vals = self._walk(step)
        return self.cut(runs, keep_vals, step)

    def cut(
        self, runs: list[tuple[int, int]], keep_vals: array[float], step: int
    ) -> list[_Segment]:
        """Regular runs (lo, hi) of the series as segments of checked kWh."""
        s = self.s
        shift = -step if s.mark is StampMark.END else 0
        factor = {
            EnergyUnit.KWH: 1.0,
            EnergyUnit.WH: 0.001,
            EnergyUnit.MWH: 1000.0,
            EnergyUnit.KW: step / 60.0,
        }[s.unit]
        out: list[_Segment] = []
        for lo, hi in runs:
            vals = keep_vals[lo:hi]
            if factor != 1.0:
                vals = array("d", [v * factor for v in vals])
            vals = self._check_values(vals, lo, step)
            out.append(_Segment(s.stamps[lo] + shift, step, vals))
        return out

    def _walk(self, step: int) -> tuple[list[tuple[int, int]], array[float]]:
        """The slow path for irregular series: sort, then classify every step between readings.

        Rewrites the series so that kept readings are contiguous, and returns regular runs as
        (lo, hi) positions. Zero-filled gaps become readings of 0 in the rewritten series.
        """
        s = self.s
        n = len(s)
        order = list(range(n))
        if any(b < a for a, b in zip(s.stamps, s.stamps[1:], strict=False)):
            order.sort(key=s.stamps.__getitem__)
            self.issues.append(
                info(
                    "timestamp",
                    f"Meter {self.label}: readings were not in time order; they were sorted",
                    **self.where(0, "timestamp"),
                )
            )
        stamps, values, where = array("q"), array("d"), array("q")
        runs: list[tuple[int, int]] = []
        run_lo = 0
        prev = None
        prev_pos = -1
        for pos in order:
            t = s.stamps[pos]
            if prev is not None:
                diff = t - prev
                if diff == 0:
                    if s.values[pos] == values[-1]:
                        self.counts.duplicates_repaired += 1
                        self.report(
                            "dup",
                            warning(
                                "timestamp",
                                f"Meter {self.label}: the same reading appears twice "
                                f"(first at line {(s.where[prev_pos] & LINE_MASK)}); "
                                "kept once",
                                **self.where(pos, "timestamp"),
                            ),
                        )
                    else:
                        self.counts.rows_refused += 1
                        self.report(
                            "conflict",
                            error(
                                "timestamp",
                                f"Meter {self.label}: a second, different reading for the same "
                                f"interval (first at line {(s.where[prev_pos] & LINE_MASK)}); "
                                "keep only the right one",
                                **self.where(pos, "timestamp"),
                            ),
                        )
                    continue
                if diff < step or diff % step:
                    self.counts.rows_refused += 1
                    self.report(
                        "overlap",
                        error(
                            "timestamp",
                            f"Meter {self.label}: this interval overlaps or is out of step with "
                            f"the one at line {(s.where[prev_pos] & LINE_MASK)} "
                            f"(readings are {step} minutes apart)",
                            **self.where(pos, "timestamp"),
                        ),
                    )
                    continue
                if diff > step:
                    missing = diff // step - 1
                    if self.opt.fill_gaps:
                        self.counts.intervals_filled += missing
                        for k in range(1, missing + 1):
                            stamps.append(prev + k * step)
                            values.append(0.0)
                            where.append(s.where[prev_pos])
                        self.report(
                            "filled",
                            warning(
                                "timestamp",
                                f"Meter {self.label}: {missing} missing interval(s) before this "
                                "line were filled with 0 kWh",
                                **self.where(pos, "timestamp"),
                            ),
                        )
                    else:
                        self.report(
                            "gap",
                            error(
                                "timestamp",
                                f"Meter {self.label}: {missing} interval(s) of {step} minutes are "
                                f"missing between line {(s.where[prev_pos] & LINE_MASK)} and this "
                                "line (every interval is needed; --fill-gaps zero fills them)",
                                **self.where(pos, "timestamp"),
                            ),
                        )
                        runs.append((run_lo, len(stamps)))
                        run_lo = len(stamps)
            stamps.append(t)
            values.append(s.values[pos])
            where.append(s.where[pos])
            prev, prev_pos = t, pos
        runs.append((run_lo, len(stamps)))
        s.stamps, s.values, s.where = stamps, values, where
        return [r for r in runs if r[1] > r[0]], values

    def _check_values(self, vals: array[float], lo: int, step: int) -> array[float]:
        if vals and min(vals) < 0:
            fixed = array("d", vals)
            for i, v in enumerate(vals):
                if v >= 0:
                    continue
                if self.opt.clip_negative:
                    fixed[i] = 0.0
                    self.counts.negatives_repaired += 1
                    self.report(
                        "neg",
                        warning(
                            "energy",
                            f"Meter {self.label}: negative reading {v:g} kWh set to 0",
                            **self.where(lo + i, "energy"),
                        ),
                    )
                else:
                    self.report(
                        "neg",
                        error(
                            "energy",
                            f"Meter {self.label}: negative reading {v:g} kWh; generation cannot "
                            "be negative (--clip-negative sets such readings to 0)",
                            **self.where(lo + i, "energy"),
                        ),
                    )
            vals = fixed
        if self.nameplate_kw is not None and vals:
            ceiling = self.nameplate_kw * step / 60.0
            if max(vals) > ceiling * (1 + 1e-9):
                for i, v in enumerate(vals):
                    if v > ceiling * (1 + 1e-9):
                        self.report(
                            "max",
                            error(
                                "energy",
                                f"Meter {self.label}: {v:g} kWh in {step} minutes is more than "
                                f"the nameplate can produce ({ceiling:g} kWh)",
                                **self.where(lo + i, "energy"),
                            ),
                        )
        return vals


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
) -> HourlyEnergy:
    """Check every meter, sum them into standard hours, and find the whole months.

    A meter in `presummed` (made with the same settings, over the same readings) was already
    checked and summed by the reader and is taken as it is.
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

    off = std.offset_minutes
    spans: dict[str, list[tuple[int, int]]] = {}  # per meter, UTC minutes of its runs
    runs: list[HourParts | _Segment] = []  # in meter order: the order of the additions
    steps: set[int] = set()
    for s in series:
        if not len(s):
            continue
        done = ready.get(s.meter_id)
        if done is not None and done.count == len(s):
            runs.append(done)
            spans.setdefault(s.meter_id, []).append((done.start, done.end))
            steps.add(done.step)
            continue
        checker = _Checker(s, opt, nameplate_kw, locate, issues, counts)
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
            spans.setdefault(s.meter_id, []).append((seg.start, seg.end))
            steps.add(seg.step)
    if not runs:
        return HourlyEnergy(std, 0, array("d"), [], [], [], issues, counts, notes)

    first_hour = min(run.start + off for run in runs) // 60
    last_hour = (max(run.end + off for run in runs) - 1) // 60
    total = array("d", bytes(8 * (last_hour - first_hour + 1)))
    for run in runs:
        if isinstance(run, HourParts):
            counts.rows_used += run.count
            counts.kwh_read += run.energy()
            _add_parts(total, first_hour, run)
        else:
            counts.rows_used += len(run.kwh)
            counts.kwh_read += math.fsum(run.kwh)
            _add_uneven(total, first_hour, run, off)
    counts.rows_used -= counts.intervals_filled
    counts.kwh_placed = sum(total)
    if steps:
        notes.append(
            "Intervals of " + ", ".join(f"{s} minutes" for s in sorted(steps)) + f" summed into "
            f"hour-ending 1–24 {std.label}."
        )
    if nameplate_kw is not None and len(spans) > 1:
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
    months, partial = _months(spans, total, first_hour, std)
    return HourlyEnergy(
        std, first_hour, total, months, partial, sorted(spans), issues, counts, notes
    )


def hour_parts(start: int, step: int, kwh: array[float], off: int) -> HourParts | None:
    """A regular run's readings summed into hours `off` minutes east of UTC; None when the
    intervals are out of step with the hour (then each is split across the hours it touches)."""
    s = start + off  # standard-time minute of the first interval's start
    if 60 % step or s % step:
        return None
    k = 60 // step
    n = len(kwh)
    head = min(((-s) % 60) // step, n)
    hours = (n - head) // k
    end = head + hours * k
    # Each hour's readings added in order, ((r0 + r1) + r2) + r3, over strided slices in C.
    acc: Iterable[float] = kwh[head:end:k]
    for j in range(1, k):
        acc = map(add, acc, kwh[head + j : end : k])
    sums = array("d", acc)
    return HourParts(
        start,
        step,
        n,
        s // 60 + (1 if head else 0),
        kwh[:head],
        sums,
        kwh[end:],
    )


def join_parts(runs: list[HourParts], off: int) -> HourParts | None:
    """One meter's consecutive runs (each starting where the one before ended, same step) as
    one run, with the sums `hour_parts` gives for all their readings; None if they do not
    follow each other so."""
    step = runs[0].step
    if any(b.step != step or b.start != a.end for a, b in pairwise(runs)):
        return None
    k = 60 // step
    count = sum(r.count for r in runs)
    s = runs[0].start + off
    first = s // 60 + (1 if min(((-s) % 60) // step, count) else 0)
    head, sums, tail = array("d"), array("d"), array("d")
    open_hour, pending = None, array("d")  # an hour whose readings are cut between runs

    def close() -> bool:
        nonlocal open_hour, pending, head, tail
        if open_hour is None:
            return True
        if len(pending) == k and open_hour == first + len(sums):
            acc = pending[0]
            for v in pending[1:]:
                acc = acc + v  # the same order of additions as one pass over the run
            sums.append(acc)
        elif open_hour == first - 1 and not sums and not head:
            head = pending
        elif open_hour == first + len(sums) and not tail:
            tail = pending
        else:
            return False
        open_hour, pending = None, array("d")
        return True

    for r in runs:
        groups = ((r.first_hour - 1, r.head), (r.first_hour + len(r.sums), r.tail))
        hour, part = groups[0]
        if part:
            if hour != open_hour and not close():
                return None
            open_hour = hour
            pending.extend(part)
        if r.sums:
            if not close() or r.first_hour != first + len(sums) or tail:
                return None
            sums.extend(r.sums)
        hour, part = groups[1]
        if part:
            if hour != open_hour and not close():
                return None
            open_hour = hour
            pending.extend(part)
    if not close() or len(head) + len(sums) * k + len(tail) != count:
        return None
    return HourParts(runs[0].start, step, count, first, head, sums, tail)


def sum_if_clean(series: MeterSeries, settings: HourSettings) -> HourParts | None:
    """The hour sums of a series that `assemble` would take whole without a word (regular, in
    step with the hour, nothing refused or repaired); None for any other series."""
    if not len(series):
        return None
    issues: list[Issue] = []
    counts = Counts()
    checker = _Checker(
        series, settings.options, settings.nameplate_kw, lambda _p, _r: {}, issues, counts
    )
    step = checker.regular_step()
    if step is None:
        return None
    segs = checker.cut([(0, len(series))], series.values, step)
    if issues or counts != Counts():
        return None
    return hour_parts(segs[0].start, step, segs[0].kwh, settings.std.offset_minutes)


def _add_parts(total: array[float], first_hour: int, run: HourParts) -> None:
    h = run.first_hour - first_hour
    for v in run.head:
        total[h - 1] += v
    n = len(run.sums)
    if n:
        total[h : h + n] = array("d", map(add, total[h : h + n], run.sums))
    for v in run.tail:
        total[h + n] += v


def _add_uneven(total: array[float], first_hour: int, seg: _Segment, off: int) -> None:
    """Intervals out of step with the hour (a half-hour zone, or odd stamps): each is split
    across the hours it touches, in proportion to the minutes in each."""
    step, s = seg.step, seg.start + off
    for i, v in enumerate(seg.kwh):
        a = s + i * step
        b = a + step
        h = a // 60
        while a < b:
            edge = min(b, (h + 1) * 60)
            total[h - first_hour] += v * (edge - a) / step
            a, h = edge, h + 1


def _merged(spans: list[tuple[int, int]], off: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted((a + off, b + off) for a, b in spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _months(
    runs: dict[str, list[tuple[int, int]]], total: array[float], first_hour: int, std: StandardTime
) -> tuple[list[MonthEnergy], list[PartialMonth]]:
    off = std.offset_minutes
    spans = {m: _merged(r, off) for m, r in runs.items()}
    lo = min(s[0][0] for s in spans.values())
    hi = max(s[-1][1] for s in spans.values())
    first_day = cal.day_of_index(lo // 1440)
    last_day = cal.day_of_index((hi - 1) // 1440)
    months: list[MonthEnergy] = []
    partial: list[PartialMonth] = []
    shift = cal.est_shift_hours(std)
    y, m = first_day.year, first_day.month
    while (y, m) <= (last_day.year, last_day.month):
        r = cal.month_hour_range(y, m)
        m_lo, m_hi = r.start * 60, r.stop * 60
        problem = ""
        for meter, sp in spans.items():
            i = bisect.bisect_right(sp, (m_lo, 1 << 62)) - 1
            inside = any(a < m_hi and b > m_lo for a, b in sp)
            if not inside:
                continue
            if i < 0 or sp[i][1] < m_hi or sp[i][0] > m_lo:
                who = f"meter {meter}" if meter else "the data"
                problem = f"{who} covers {_describe_cover(sp, m_lo, m_hi, std)}"
                break
        name = date(y, m, 1).strftime("%B %Y")
        if problem:
            partial.append(
                PartialMonth(y, m, f"{name} is covered only in part ({problem}); left out")
            )
        else:
            start = r.start - first_hour
            # Hours as the hourly file writes them (kWh to 3 decimals), so that the monthly
            # file, the hourly file and the preview agree to the kWh.
            hours = [round(v, 3) for v in total[start : start + len(r)]]
            flags = cal.on_peak_flags(r.start, len(r), shift_hours=shift)
            on = math.fsum(compress(hours, flags))
            kwh = math.fsum(hours)
            months.append(MonthEnergy(y, m, kwh / 1000.0, on / 1000.0, (kwh - on) / 1000.0))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months, partial


def _describe_cover(spans: list[tuple[int, int]], lo: int, hi: int, std: StandardTime) -> str:
    def show(minute: int) -> str:
        d = cal.day_of_index(minute // 1440)
        hm = minute % 1440
        return f"{d.isoformat()} {hm // 60:02d}:{hm % 60:02d}"

    parts = [f"{show(max(a, lo))} to {show(min(b, hi))}" for a, b in spans if a < hi and b > lo]
    return "only " + ", ".join(parts[:3]) + f" {std.code}" + (" …" if len(parts) > 3 else "")
