"""Regular runs of one meter's kWh summed into whole hours of a standard time, and joined.

`hour_parts` sums a run with strided slices (C speed), keeping the readings of an hour the run
covers only in part apart, so that runs cut at any reading (the worker processes reading a big
file in pieces) can be joined by `join_parts` into exactly the sums one pass would give.
`add_parts` and `add_uneven` add runs into the hour totals of `intervals.assemble`.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, pairwise
from operator import add


@dataclass(slots=True)
class Segment:
    start: int  # UTC minute of the first interval's start
    step: int
    kwh: array[float]
    first_where: int = 0  # packed origin of the first and the last reading (gap reports)
    last_where: int = 0

    @property
    def end(self) -> int:
        return self.start + self.step * len(self.kwh)


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


def add_parts(total: array[float], first_hour: int, run: HourParts) -> None:
    h = run.first_hour - first_hour
    for v in run.head:
        total[h - 1] += v
    n = len(run.sums)
    if n:
        total[h : h + n] = array("d", map(add, total[h : h + n], run.sums))
    for v in run.tail:
        total[h + n] += v


def add_uneven(total: array[float], first_hour: int, seg: Segment, off: int) -> None:
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
