"""Meter files -> checked EST hours -> whole months -> upload rows: the one chain that both the
command line (`registry-desk generation`) and the window's Generation area run.

`assemble` reads every input (`generation_inputs.read_inputs`), sums interval data into the
generator's standard hours (`hourly_energy`) and picks the months; `upload_rows` turns them
into the rows of a monthly or hourly M-RETS file, which `mrets_upload.write_upload` checks and
writes atomically. The window runs `assemble` on a worker thread with progress and cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

GRANULARITIES = ("monthly", "hourly")


@dataclass(frozen=True)
class ReadRequest:
    paths: tuple[Path, ...]
    options: ReadOptions = field(default_factory=ReadOptions)
    std: cal.StandardTime = cal.EST
    interval: IntervalOptions = field(default_factory=IntervalOptions)
    nameplate_mw: float | None = None  # intervals above what it can produce are refused
    green_button_flow: int | None = None  # 1 forward, 19 reverse; None when a file has one


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
        return list(self.hourly.partial_months) if self.hourly else []


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
        )
    if hourly is not None and inputs.monthly:
        raise UsageError("give either meter data or M-RETS monthly files, not both")
    months = list(hourly.months) if hourly is not None else list(inputs.monthly)
    return Assembled(inputs, hourly, months)


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
        raise UsageError("an hourly file needs interval or hourly input, not monthly totals")
    kind = UploadKind.HOURLY if layout == 5 else UploadKind.HOURLY6
    return kind, hourly_rows(generator, hourly, layout=layout)
