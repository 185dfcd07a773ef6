"""Meter files -> checked EST hours -> whole months -> upload rows: the one chain that both the
command line (`registry-desk generation`) and the window's Generation area run.

`assemble` reads every input (`generation_inputs.read_inputs`), sums interval data into the
generator's standard hours (`hourly_energy`) and picks the months; `upload_rows` turns them
into the rows of a monthly or hourly M-RETS file, which `mrets_upload.write_upload` checks and
writes atomically. The window runs `assemble` on a worker thread with progress and cancel.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.errors import UsageError
from desktop.exchange.generation_columns import UploadKind
from desktop.exchange.generation_inputs import Inputs, hourly_energy, read_inputs
from desktop.exchange.meter_files import ReadCancelledError, ReadOptions
from desktop.exchange.mrets_upload import Row, hourly_rows, monthly_rows
from desktop.models import calendar as cal
from desktop.models.generation import MonthEnergy
from desktop.models.generator import Generator
from desktop.models.intervals import (
    Counts,
    HourlyEnergy,
    HourSettings,
    IntervalOptions,
    PartialMonth,
)
from desktop.models.issues import Issue, Severity
from desktop.models.month_grid import MonthGrid, local_zone

GRANULARITIES = ("monthly", "hourly")
HOURLY_NEEDS_READINGS = (
    "an hourly file needs interval or hourly readings, and the input holds only monthly "
    "totals: build a monthly file from them, or give the meter's interval data"
)


@dataclass(frozen=True)
class ReadRequest:
    paths: tuple[Path, ...]
    options: ReadOptions = field(default_factory=ReadOptions)
    std: cal.StandardTime = cal.EST
    interval: IntervalOptions = field(default_factory=IntervalOptions)
    nameplate_mw: float | None = None  # intervals above what it can produce are refused
    green_button_flow: int | None = None  # 1 forward, 19 reverse; None when a file has one
    generator_tz: str | None = None  # IANA zone whose calendar months a monthly file reports
    carry: Mapping[int, float] = field(default_factory=dict)  # boundary hours kept in the store


@dataclass
class Assembled:
    inputs: Inputs
    hourly: HourlyEnergy | None
    months: list[MonthEnergy]

    @property
    def issues(self) -> list[Issue]:
        return self.inputs.readings.issues

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def counts(self) -> Counts:
        return self.inputs.readings.counts

    @property
    def notes(self) -> list[str]:
        return self.inputs.readings.notes

    @property
    def partial_months(self) -> list[PartialMonth]:
        """Months of the generator's calendar left out, and why."""
        return list(self.hourly.partial_months) if self.hourly else []

    def months_for(self, granularity: str) -> list[MonthEnergy]:
        """The whole months a file of `granularity` can hold: the generator's local months
        for a monthly file, standard-time months for an hourly one."""
        if granularity == "hourly":
            return list(self.hourly.hourly_months) if self.hourly else []
        return self.months

    def partial_for(self, granularity: str) -> list[PartialMonth]:
        if granularity == "hourly":
            return list(self.hourly.hourly_partial) if self.hourly else []
        return self.partial_months


def assemble(
    request: ReadRequest,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Assembled:
    """Read, check and sum; problems are issues on the result (files that cannot be opened,
    and meter data mixed with monthly files, raise a KnownError)."""
    inputs = read_inputs(
        list(request.paths),
        read_options(request),
        std=request.std,
        green_button_flow=request.green_button_flow,
        progress=progress,
        cancelled=cancelled,
    )
    # A cancel that arrives during the last block is seen here, not lost: the user asked to
    # stop, so nothing is produced even if the reading itself got to the end.
    if cancelled is not None and cancelled():
        raise ReadCancelledError()
    hourly = None
    if inputs.has_intervals:
        hourly = hourly_energy(
            inputs,
            std=request.std,
            options=request.interval,
            nameplate_kw=_kw(request),
            grid=month_grid(request),
            carry=request.carry,
        )
    collapse_repeats(inputs.readings.issues)
    if hourly is not None and inputs.monthly:
        raise UsageError("give either meter data or M-RETS monthly files, not both")
    months = list(hourly.months) if hourly is not None else list(inputs.monthly)
    return Assembled(inputs, hourly, months)


def month_grid(request: ReadRequest) -> MonthGrid | None:
    """The generator's calendar months (its zone), or None for the standard time's."""
    if not request.generator_tz:
        return None
    try:
        return MonthGrid(request.std, local_zone(request.generator_tz))
    except ValueError as exc:
        raise UsageError(f"the generator's time zone: {exc}") from None


_QUOTED = re.compile(r"'[^']*'")
_SHOWN_REPEATS = 3  # lines named in a collapsed message
_MORE = re.compile(r"(\d+) more time stamp problems")


def collapse_repeats(issues: list[Issue]) -> None:
    """One message per cause: the same problem on many rows of a file (every stamp of a
    local-time file without its zone, say) becomes one issue at its first row that counts the
    others and names a few, instead of thousands of identical lines."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for n, i in enumerate(issues):
        if i.severity is not Severity.INFO and i.row is not None:
            groups[(i.severity, i.file, i.column, _QUOTED.sub("'…'", i.message))].append(n)
    drop: set[int] = set()
    for (_sev, file, column, _msg), positions in groups.items():
        if len(positions) < 2:
            continue
        first = issues[positions[0]]
        count = len(positions)
        # The reader stops listing a kind of problem after a few hundred rows and counts the
        # rest: when every listed problem of the column is this one, so are the rest.
        alone = all(
            n in positions
            for n, i in enumerate(issues)
            if i.file == file and i.column == column and i.severity is not Severity.INFO
        )
        for n, i in enumerate(issues):
            more = _MORE.fullmatch(i.message) if i.severity is Severity.INFO else None
            if alone and more and i.file == file and _cause_sentence(first.message, 0):
                count += int(more[1])
                drop.add(n)
        rows = [issues[p].row for p in positions[1 : 1 + _SHOWN_REPEATS]]
        lines = ", ".join(str(r + 1) for r in rows if r is not None)
        etc = "…" if count > 1 + _SHOWN_REPEATS else ""
        message = _cause_sentence(first.message, count) or (
            f"{first.message} (and {count - 1} more line(s) like it: {lines}{etc})"
        )
        issues[positions[0]] = replace(first, message=message)
        drop.update(positions[1:])
    if drop:
        issues[:] = [i for n, i in enumerate(issues) if n not in drop]


def _cause_sentence(message: str, count: int) -> str | None:
    """The sentence for a cause that has a single fix, whatever row it is seen on."""
    if "has no UTC offset" in message:
        example = _QUOTED.search(message)
        shown = f" (e.g. {example[0]} on this line)" if example else ""
        return (
            f"the time stamps have no UTC offset{shown}, {count:,} rows: choose the meter's "
            "time zone (--input-tz)"
        )
    return None


def read_options(request: ReadRequest) -> ReadOptions:
    """The request's read options, saying how the meters will be summed: a big file read in
    parts is then checked and summed in the worker processes too."""
    return replace(
        request.options, presum=HourSettings(request.std, request.interval, _kw(request))
    )


def _kw(request: ReadRequest) -> float | None:
    return request.nameplate_mw * 1000.0 if request.nameplate_mw else None


def upload_rows(
    generator: Generator,
    months: Sequence[MonthEnergy],
    hourly: HourlyEnergy | None,
    *,
    granularity: str,
    layout: int = 5,
) -> tuple[UploadKind, list[Row]]:
    """The kind and rows of the upload file (not yet checked: `write_upload` checks)."""
    if granularity == "monthly":
        return UploadKind.MONTHLY, monthly_rows(generator, months)
    if granularity != "hourly":
        raise UsageError(f"granularity '{granularity}' is not monthly or hourly")
    if hourly is None:
        raise UsageError(HOURLY_NEEDS_READINGS)
    kind = UploadKind.HOURLY if layout == 5 else UploadKind.HOURLY6
    return kind, hourly_rows(generator, hourly, layout=layout)
