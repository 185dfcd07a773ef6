"""Reading one meter's series: its plausible stamps, its interval, its duplicates, overlaps,
gaps and values, as regular runs of kWh with every problem located (file, line, column).

`intervals.assemble` runs a `Checker` over each meter; the reader's worker processes call
`sum_if_clean` to sum a clean piece of a big file ahead. Types the readers fill in
(`MeterSeries`, `SourceFile`, `Counts`) live here too.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import compress, pairwise

from desktop.models import calendar as cal
from desktop.models.calendar import StandardTime
from desktop.models.hour_sums import HourParts, Segment, hour_parts
from desktop.models.issues import Issue, error, info, warning

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


EARLIEST_STAMP = date(1990, 1, 1)  # before it, a stamp is a typo (a setting overrides)
DAYS_AHEAD = 366  # stamps more than this after today are typos too
GREGORIAN_CYCLE_DAYS = 146097  # days in 400 Gregorian years


@dataclass(slots=True)
class IntervalOptions:
    interval: int | None = None  # force an interval length instead of detecting it
    fill_gaps: bool = False  # fill gaps inside months with readings with 0 kWh (reported)
    clip_negative: bool = False  # set negative readings to 0 (reported) instead of refusing
    earliest: date = EARLIEST_STAMP  # plausible stamps: from this day...
    latest: date | None = None  # ...to this one (None: DAYS_AHEAD after today)

    def stamp_range(self) -> tuple[int, int]:
        """UTC minutes [lo, hi) of plausible stamps (a day of slack for any zone)."""
        latest = self.latest or date.today() + timedelta(days=DAYS_AHEAD)
        lo = (cal.day_index(self.earliest) - 1) * 1440
        return lo, (cal.day_index(latest) + 2) * 1440


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
class HourSettings:
    """What summing a meter into hours depends on besides its readings. Sums made ahead (by
    the worker processes reading a big file) are used only by an `assemble` with the same."""

    std: StandardTime
    options: IntervalOptions
    nameplate_kw: float | None


class Checker:
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
        if self.counted(kind):
            self.issues.append(issue)

    def counted(self, kind: str) -> bool:
        """Count one problem of `kind`; True while it is still among those reported.

        A monitoring export can hold tens of thousands of negative readings per meter, and
        building (and locating) an Issue for each one only to drop all but the first 50 cost
        more than reading the file.
        """
        self.kind_counts[kind] += 1
        return self.kind_counts[kind] <= MAX_ISSUES_PER_KIND

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

    def segments(self) -> list[Segment]:
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

    def cut(self, runs: list[tuple[int, int]], keep_vals: array[float], step: int) -> list[Segment]:
        """Regular runs (lo, hi) of the series as segments of checked kWh."""
        s = self.s
        shift = -step if s.mark is StampMark.END else 0
        factor = {
            EnergyUnit.KWH: 1.0,
            EnergyUnit.WH: 0.001,
            EnergyUnit.MWH: 1000.0,
            EnergyUnit.KW: step / 60.0,
        }[s.unit]
        out: list[Segment] = []
        for lo, hi in runs:
            vals = keep_vals[lo:hi]
            if factor != 1.0:
                vals = array("d", [v * factor for v in vals])
            vals = self._check_values(vals, lo, step)
            out.append(Segment(s.stamps[lo] + shift, step, vals, s.where[lo], s.where[hi - 1]))
        return out

    def _walk(self, step: int) -> tuple[list[tuple[int, int]], array[float]]:
        """The slow path for irregular series: sort, then classify every step between readings.

        Rewrites the series so that kept readings are contiguous, and returns regular runs as
        (lo, hi) positions; a gap between two readings ends a run.
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
                    # A gap ends the run; what it means for each month is month_cover's to say.
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
            clip = self.opt.clip_negative
            for i in [i for i, v in enumerate(vals) if v < 0]:
                v = vals[i]
                if clip:
                    fixed[i] = 0.0
                    self.counts.negatives_repaired += 1
                if not self.counted("neg"):
                    continue
                if clip:
                    self.issues.append(
                        warning(
                            "energy",
                            f"Meter {self.label}: negative reading {v:g} kWh set to 0",
                            **self.where(lo + i, "energy"),
                        )
                    )
                else:
                    self.issues.append(
                        error(
                            "energy",
                            f"Meter {self.label}: negative reading {v:g} kWh; generation cannot "
                            "be negative (--clip-negative sets such readings to 0)",
                            **self.where(lo + i, "energy"),
                        )
                    )
            vals = fixed
        if self.nameplate_kw is not None and vals:
            ceiling = self.nameplate_kw * step / 60.0
            if max(vals) > ceiling * (1 + 1e-9):
                for i, v in enumerate(vals):
                    if v > ceiling * (1 + 1e-9) and self.counted("max"):
                        self.issues.append(
                            error(
                                "energy",
                                f"Meter {self.label}: {v:g} kWh in {step} minutes is more than "
                                f"the nameplate can produce ({ceiling:g} kWh)",
                                **self.where(lo + i, "energy"),
                            )
                        )
        return vals


def drop_implausible(
    s: MeterSeries,
    lo: int,
    hi: int,
    opt: IntervalOptions,
    locate: Callable[[int, str], dict[str, object]],
    issues: list[Issue],
    counts: Counts,
) -> None:
    """Refuse stamps outside the plausible range, each on its own line (a year-9999 typo would
    otherwise make a gap of centuries). min/max run at C speed: a clean file pays nothing."""
    st = s.stamps
    if min(st) >= lo and max(st) < hi:
        return
    keep = [lo <= t < hi for t in st]
    bad = [i for i, k in enumerate(keep) if not k]
    latest = cal.day_of_index(hi // 1440 - 2)
    for n, i in enumerate(bad):
        if n == MAX_ISSUES_PER_KIND:
            issues.append(info("", f"{len(bad) - n} more time stamps outside that range"))
            break
        issues.append(
            error(
                "timestamp",
                f"the time stamp of this line ({_show_minute(st[i])} UTC) is outside the "
                f"plausible range "
                f"{opt.earliest.isoformat()} to {latest.isoformat()}: correct it or remove the "
                "row (the range is a setting)",
                **locate(s.where[i], "timestamp"),
            )
        )
    counts.rows_refused += len(bad)
    s.stamps = array("q", compress(st, keep))
    s.values = array("d", compress(s.values, keep))
    s.where = array("q", compress(s.where, keep))


def _show_minute(minute: int) -> str:
    """A UTC minute as text, also for years no `date` can hold (a 400-year cycle of the
    Gregorian calendar has a whole number of days, so the date is shifted by cycles)."""
    day, rest = divmod(minute, 1440)
    ordinal = day + cal.EPOCH_ORDINAL
    cycles = 0
    if ordinal > date.max.toordinal():
        cycles = -(-(ordinal - date.max.toordinal()) // GREGORIAN_CYCLE_DAYS)
    elif ordinal < 1:
        cycles = -(-(1 - ordinal) // GREGORIAN_CYCLE_DAYS) * -1
    ordinal -= cycles * GREGORIAN_CYCLE_DAYS
    d = date.fromordinal(ordinal)
    return f"{d.year + 400 * cycles:04d}-{d:%m-%d} {rest // 60:02d}:{rest % 60:02d}"


def sum_if_clean(series: MeterSeries, settings: HourSettings) -> HourParts | None:
    """The hour sums of a series that `assemble` would take whole without a word (regular, in
    step with the hour, nothing refused or repaired); None for any other series."""
    if not len(series):
        return None
    issues: list[Issue] = []
    counts = Counts()
    checker = Checker(
        series, settings.options, settings.nameplate_kw, lambda _p, _r: {}, issues, counts
    )
    step = checker.regular_step()
    lo, hi = settings.options.stamp_range()
    if step is None or series.stamps[0] < lo or series.stamps[-1] >= hi:
        return None
    segs = checker.cut([(0, len(series))], series.values, step)
    if issues or counts != Counts():
        return None
    return hour_parts(segs[0].start, step, segs[0].kwh, settings.std.offset_minutes)
