"""What the meter readers are told (`ReadOptions`) and what they produce (`MeterReadings`),
with the limits they work to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.exchange.meter_columns import (
    ColumnGuess,
    ColumnMapping,
)
from desktop.exchange.meter_layout import Layout
from desktop.models.intervals import (
    Counts,
    EnergyUnit,
    HourSettings,
    MeterSeries,
    Presummed,
    SourceFile,
    StampMark,
)
from desktop.models.issues import Issue

BLOCK_BYTES = 4 << 20
PARALLEL_MIN_BYTES = 48 << 20  # below this, starting processes costs more than it saves
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
MAX_ROW_ISSUES = 200  # per file and kind; the counts say how many there were in all
TOTAL_CHECK_ROWS = 1_000_000  # a stated total is checked in files up to this long
TEMPLATE_ROWS = 110_000  # stamps kept as a template: a year of 5-minute readings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ReadCancelledError(Exception):
    """The user cancelled reading; nothing was produced."""


@dataclass(slots=True)
class ReadOptions:
    input_tz: str | None = None  # IANA zone of stamps without an offset
    mark: StampMark | None = None  # None: from the header, else START
    unit: EnergyUnit | None = None  # None: from the header, else kWh
    mapping: ColumnMapping | None = None  # None: detect from the header
    meter_per_file: bool = False  # files without a meter column: one meter per file
    workers: int | None = None  # processes for big CSV files; None: 2 when cores allow, 1: never
    # A mapping per file (keyed by str(path)) wins over `mapping`: files of different layouts
    # can be read together (the window's mapping dialog maps each file on its own).
    file_mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    # How the meters will be summed into hours: a file read in parts is then also checked and
    # summed in the worker processes, meter by meter (`MeterReadings.presummed`).
    presum: HourSettings | None = None
    header_row: int | None = None  # 0-based line of the header; None: found below metadata


@dataclass(slots=True)
class MeterReadings:
    """What the readers produced, before the intervals are checked and summed."""

    files: list[SourceFile] = field(default_factory=list)
    series: dict[str, MeterSeries] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    notes: list[str] = field(default_factory=list)
    presummed: Presummed | None = None  # meters the workers checked and summed whole

    def meter(self, meter_id: str, **defaults: Any) -> MeterSeries:
        s = self.series.get(meter_id)
        if s is None:
            s = self.series[meter_id] = MeterSeries(meter_id, **defaults)
        return s


@dataclass(frozen=True, slots=True)
class FileSniff:
    """The header, a few rows and the mapping guessed from the header (for a mapping dialog),
    with where the header was found and the metadata lines above it."""

    path: Path
    header: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    guess: ColumnGuess
    layout: Layout | None = None
