"""Interval meter files (CSV, TXT, XLSX) -> one `MeterSeries` per meter, every problem located.

The CSV reader is built for files of millions of rows: it reads blocks of a few megabytes,
splits them into rows (the csv module only for blocks that contain quotes), turns the block
into columns with `zip`, and then works column-wise in C: distinct stamps are parsed once
(`timestamps.StampResolver`), values go through `array('d', map(float, ...))`, and rows are
appended to their meter's arrays by runs. Only a block that holds a problem is walked row by
row, to say which line and column it is in.
"""

from __future__ import annotations

import csv
import math
import os
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import compress, groupby, islice, pairwise, repeat
from operator import ne
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange.meter_columns import (
    ROLES,
    ColumnGuess,
    ColumnMapping,
    detect_columns,
    merged,
    normalise,
    unit_from_header,
)
from desktop.exchange.meter_layout import HEAD_LINES, Layout, delimiter, find_header, split_line
from desktop.exchange.timestamps import BAD, StampResolver
from desktop.exchange.zip_guard import check_archive
from desktop.models.intervals import (
    LINE_BITS,
    Counts,
    EnergyUnit,
    HourSettings,
    MeterSeries,
    Presummed,
    SourceFile,
    StampMark,
)
from desktop.models.issues import Issue, error, info, warning

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


def sniff(
    path: Path,
    rows: int = 10,
    *,
    mapping: ColumnMapping | None = None,
    header_row: int | None = None,
) -> FileSniff:
    """Header, a few rows and the guessed mapping of a CSV or spreadsheet meter file."""
    if _is_sheet(path):
        table = [
            [_cell_text(v) for v in row]
            for row in _spreadsheet_rows(path, limit=HEAD_LINES + rows + 1)
        ]
    else:
        table = _csv_head(path, HEAD_LINES + rows)
    if not table:
        raise InputError("the file is empty", where=str(path))
    layout = find_header(table, mapping=mapping, header_row=header_row)
    body = table[layout.header_row + 1 : layout.header_row + 1 + rows]
    return FileSniff(path, layout.header, tuple(tuple(r) for r in body), layout.guess, layout)


def _csv_head(path: Path, rows: int) -> list[list[str]]:
    with _open_text(path) as f:
        head = [line for _, line in zip(range(rows + 1), f, strict=False)]
    out = []
    for number, line in enumerate(head, 1):
        try:
            out.append(next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter(line)), []))
        except csv.Error as exc:
            raise InputError(
                f"line {number} is not valid CSV ({_csv_problem(exc)})", where=str(path)
            ) from None
    return out


def _open_text(path: Path) -> Any:
    try:
        return open(path, encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", where=str(path)) from None


def _is_sheet(path: Path) -> bool:
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


class _FileReader:
    """Reads one file into `readings`; one instance per file."""

    def __init__(
        self,
        path: Path,
        file_index: int,
        options: ReadOptions,
        resolver: StampResolver,
        readings: MeterReadings,
    ) -> None:
        self.path = path
        self.name = str(path)
        self.base = file_index << LINE_BITS
        self.opt = options
        self.resolver = resolver
        self.r = readings
        self.reported: dict[str, int] = {}
        self.ambiguous_seen: dict[tuple[str, str], int] = {}
        # A reader working on part of a file leaves repeated-hour stamps at their first
        # instant and lists them (meter, position, text); the caller decides them in file order.
        self.defer_folds = False
        self.deferred: list[tuple[str, int, str]] = []
        self._amb_rows: list[tuple[int, str]] = []
        # Stamp texts repeat meter after meter: the previous meter's texts and their minutes
        # serve as a template, compared run by run as whole lists (see `_stamps`).
        self._template: tuple[list[str], array[int]] = ([], array("q"))
        self._current: tuple[str | None, list[str], array[int]] = (None, [], array("q"))
        self._rows_of: dict[str, int] = {}
        self.layout: Layout | None = None
        self.total_cols: dict[int, str] = {}  # columns summed to check the file's own total
        self.sums: dict[int, list[float]] = {}
        self.read_in_parts = False
        self.total_skipped = False
        self.needed = 1

    # -- set-up from the header -------------------------------------------------------------

    def start(self, header: Sequence[str], layout: Layout | None = None) -> bool:
        header = [h.strip() for h in header]
        guess = layout.guess if layout is not None else detect_columns(header)
        chosen = self.opt.file_mappings.get(self.name) or self.opt.mapping
        mapping = merged(chosen, guess.mapping)
        self.ncols = len(header)
        idx = {role: mapping.index(header, role) for role in ROLES}
        self.i_ts, self.i_val, self.i_meter = idx["timestamp"], idx["energy"], idx["meter"]
        self.i_date, self.i_time = idx["date"], idx["time"]
        if self.i_ts is not None:
            self.i_date = self.i_time = None
        problems = []
        if self.i_ts is None and (self.i_date is None or self.i_time is None):
            problems.append("time stamp column")
        if self.i_val is None:
            problems.append("energy column")
        if problems:
            self.r.issues.append(
                error(
                    "columns",
                    f"No {' and no '.join(problems)} was recognised in the header "
                    f"({', '.join(header) or 'empty'}); map the columns explicitly",
                    file=self.name,
                    row=layout.header_row if layout is not None else 0,
                )
            )
            return False
        i_val = self.i_val
        assert i_val is not None
        if guess.energy_choices and (chosen is None or chosen.energy is None):
            self.r.issues.append(
                error(
                    "columns",
                    f"The file has several energy columns ({', '.join(guess.energy_choices)}); "
                    "say which one is the generator's output (--energy-column NAME)",
                    file=self.name,
                    row=layout.header_row if layout is not None else 0,
                )
            )
            return False
        unit = (
            self.opt.unit
            or (chosen.unit if chosen else None)
            or unit_from_header(header[i_val])
            or (layout.unit if layout is not None else None)
        )
        asked_kw = EnergyUnit.KW in (self.opt.unit, chosen.unit if chosen else None)
        if unit is EnergyUnit.KW and not asked_kw:
            self.r.issues.append(
                error(
                    "energy",
                    f"The energy column '{header[i_val]}' looks like kW demand; to use "
                    "it, ask for demand × interval length (--unit kW)",
                    file=self.name,
                    row=layout.header_row if layout is not None else 0,
                    column=header[i_val],
                )
            )
            return False
        self.unit = unit or EnergyUnit.KWH
        self.mark = self.opt.mark or mapping.mark or StampMark.START
        self.i_energy: int = i_val
        # the columns this reader uses: a row as long as that is whole (short rows are normal)
        used = [
            i for i in (self.i_ts, i_val, self.i_meter, self.i_date, self.i_time) if i is not None
        ]
        self.needed = max(used) + 1
        # what was decided, for worker processes reading parts of this file to decide the same
        resolved = replace(mapping, unit=self.unit, mark=self.mark)
        self.opt = replace(self.opt, file_mappings={**self.opt.file_mappings, self.name: resolved})
        self.layout = layout
        if layout is not None and layout.total is not None:
            # a stated total may be any energy column's (`Total Usage` is the consumption's)
            names = guess.energy_choices or (header[i_val],)
            self.total_cols = {header.index(n): n for n in names if n in header}
            self.total_cols[i_val] = header[i_val]
        cols = {"energy": header[i_val]}
        if self.i_ts is not None:
            cols["timestamp"] = header[self.i_ts]
        else:
            assert self.i_date is not None and self.i_time is not None
            cols["timestamp"] = f"{header[self.i_date]} + {header[self.i_time]}"
        if self.i_meter is not None:
            cols["meter"] = header[self.i_meter]
        self.r.files.append(SourceFile(self.name, cols))
        self.default_meter = self.path.stem if self.opt.meter_per_file else ""
        ts_name = cols["timestamp"]
        above = (
            f" (header on line {layout.header_row + 1}, below {len(layout.metadata)} lines of "
            "metadata)"
            if layout is not None and layout.header_row
            else ""
        )
        self.r.notes.append(
            f"{self.path.name}: time stamps from '{ts_name}' ({self.mark.value} of interval), "
            f"energy from '{cols['energy']}' in {self.unit.value}"
            + (f", meters from '{cols['meter']}'" if "meter" in cols else "")
            + above
        )
        return True

    def check_total(self) -> None:
        """Compare a total the file states (`Total Usage`) with the columns read from it."""
        stated = self.layout.total if self.layout is not None else None
        if stated is None:
            return
        if self.read_in_parts or self.total_skipped:
            self.r.notes.append(
                f"{self.path.name}: the file's own {stated[0]} was not checked: the file has "
                f"more than {TOTAL_CHECK_ROWS:,} rows"
            )
            return
        key, total = stated
        unit = self.unit.value
        read = {name: math.fsum(self.sums.get(i, ())) for i, name in self.total_cols.items()}
        close = [n for n, x in read.items() if abs(x - total) <= max(0.005, abs(total) * 1e-6)]
        if close:
            self.r.notes.append(
                f"{self.path.name}: the file's own {key} ({total:g} {unit}) is what its "
                f"'{close[0]}' values add up to"
            )
            return
        shown = ", ".join(f"'{n}' {x:.3f}" for n, x in read.items())
        self.r.issues.append(
            warning(
                "energy",
                f"the file states {key} {total:g} {unit}, but no energy column read adds up to "
                f"it ({shown}); check that no rows are missing",
                file=self.name,
                row=self.layout.header_row if self.layout is not None else 0,
            )
        )

    def issue(self, kind: str, item: Issue) -> None:
        n = self.reported.get(kind, 0) + 1
        self.reported[kind] = n
        if n <= MAX_ROW_ISSUES:
            self.r.issues.append(item)

    def finish(self) -> None:
        for kind, n in self.reported.items():
            if n > MAX_ROW_ISSUES:
                self.r.issues.append(
                    info("", f"{n - MAX_ROW_ISSUES} more {kind} problems", file=self.name)
                )

    # -- rows ------------------------------------------------------------------------------

    def rows(self, rows: list[list[str]], first_line: int) -> None:
        """Take a block of split rows whose first row is on line `first_line` (1-based)."""
        n = len(rows)
        if not n:
            return
        if set(map(len, rows)) == {self.ncols}:
            lines = array("q", range(self.base + first_line, self.base + first_line + n))
            self.columns(list(zip(*rows, strict=True)), lines)
            return
        good: list[list[str]] = []
        kept: list[int] = []
        for k, row in enumerate(rows):
            line = first_line + k
            if len(row) == self.ncols or self.needed <= len(row) < self.ncols:
                # a row that leaves out empty trailing fields still has every column used
                good.append(row + [""] * (self.ncols - len(row)))
                kept.append(self.base + line)
                continue
            self.r.counts.rows_read += 1
            self.r.counts.rows_refused += 1
            if not any(c.strip() for c in row):
                self.issue(
                    "empty line", warning("", "empty line skipped", file=self.name, row=line - 1)
                )
            else:
                self.issue(
                    "column count",
                    error(
                        "",
                        f"{len(row)} fields where the header has {self.ncols}",
                        file=self.name,
                        row=line - 1,
                    ),
                )
        if good:
            self.columns(list(zip(*good, strict=True)), array("q", kept))

    def columns(self, cols: Sequence[Sequence[str]], lines: array[int]) -> None:
        """Take a block as columns; `lines` holds each row's packed origin."""
        n = len(lines)
        self.r.counts.rows_read += n
        if self.i_ts is not None:
            texts: Sequence[str] = cols[self.i_ts]
        else:
            assert self.i_date is not None and self.i_time is not None
            texts = [f"{d} {t}" for d, t in zip(cols[self.i_date], cols[self.i_time], strict=True)]
        meters: list[str] = (
            list(cols[self.i_meter]) if self.i_meter is not None else [self.default_meter] * n
        )
        if self.total_cols and self.r.counts.rows_read <= TOTAL_CHECK_ROWS:
            for i in self.total_cols:
                self.sums.setdefault(i, []).append(_number_sum(cols[i]))
        elif self.total_cols:
            self.total_cols = {}  # a stated total belongs to an account's export, not this
            self.total_skipped = True
        stamps = self._stamps(texts, meters)
        stamps, values = self._stamps_and_values(texts, stamps, cols[self.i_energy], meters, lines)
        self._append(meters, stamps, values, lines)

    def _stamps(self, texts: Sequence[str], meters: list[str]) -> array[int]:
        """UTC minutes of the stamp texts (repeated hours at their first instant).

        A run of one meter whose texts equal the previous meter's at the same positions (one
        list comparison, no hashing) takes that meter's minutes; any other run is looked up
        text by text in the resolver's cache. Rows in time order (runs of a row or a few) are
        looked up whole.
        """
        runs = _runs(meters)
        if len(runs) * 64 > len(texts):
            return self._lookup(texts)
        out = array("q")
        for a, b in runs:
            meter = meters[a]
            at = self._rows_of.get(meter, 0)
            self._rows_of[meter] = at + b - a
            current, cur_texts, cur_stamps = self._current
            if meter != current:
                if cur_texts:
                    self._template = (cur_texts, cur_stamps)
                cur_texts, cur_stamps = [], array("q")
                self._current = (meter, cur_texts, cur_stamps)
            piece = texts[a:b]
            tpl_texts, tpl_stamps = self._template
            if tpl_texts[at : at + b - a] == piece:
                part = tpl_stamps[at : at + b - a]
            else:
                part = self._lookup(piece)
            out += part
            if len(cur_texts) < TEMPLATE_ROWS:  # bounded: a single-meter file may be huge
                cur_texts += piece
                cur_stamps += part
        return out

    def _lookup(self, texts: Sequence[str]) -> array[int]:
        res = self.resolver
        try:  # after the first meter every stamp is usually cached: no set needed
            return array("q", map(res.cache.__getitem__, texts))
        except KeyError:
            res.resolve_all(set(texts))
            return array("q", map(res.cache.__getitem__, texts))

    def _stamps_and_values(
        self,
        texts: Sequence[str],
        stamps: array[int],
        raw_values: Sequence[str],
        meters: list[str],
        lines: array[int],
    ) -> tuple[array[int], array[float]]:
        res = self.resolver
        bad = bytearray(len(texts))
        if res.errors and BAD in stamps:
            for k, t in enumerate(texts):
                if stamps[k] == BAD:
                    bad[k] = 1
                    self.issue(
                        "time stamp",
                        error(
                            "timestamp",
                            res.errors.get(t, f"'{t}' is not a time stamp"),
                            **self._where(lines[k], "timestamp"),
                        ),
                    )
        amb = res.ambiguous
        hits = _repeated_hour_rows(texts, stamps, amb) if amb else []
        if hits and self.defer_folds:
            self._amb_rows = [(k, texts[k]) for k in hits]
        elif hits:
            seen = self.ambiguous_seen
            for k in hits:
                t = texts[k]
                pair = amb[t]
                key = (meters[k], t)
                count = seen.get(key, 0)
                seen[key] = count + 1
                self.r.counts.repeated_hour_readings += 1
                if count >= 1:
                    stamps[k] = pair[1]
        try:
            values = array("d", map(float, raw_values))
            finite = math.isfinite(sum(values))
        except ValueError:
            values, finite = array("d", bytes(8 * len(raw_values))), False
        if not finite:
            for k, v in enumerate(raw_values):
                try:
                    x = float(v)
                except ValueError:
                    x = math.nan
                if math.isfinite(x):
                    values[k] = x
                    continue
                bad[k] = 1
                what = "empty" if not v.strip() else f"'{v}' is not a number"
                self.issue(
                    "value",
                    error("energy", f"energy value {what}", **self._where(lines[k], "energy")),
                )
        if any(bad):
            keep = [not b for b in bad]
            refused = len(bad) - sum(keep)
            self.r.counts.rows_refused += refused
            stamps = array("q", compress(stamps, keep))
            values = array("d", compress(values, keep))
            lines[:] = array("q", compress(lines, keep))
            meters[:] = list(compress(meters, keep))
            if self._amb_rows:
                shift = [0] * (len(bad) + 1)
                for k, b in enumerate(bad):
                    shift[k + 1] = shift[k] + b
                self._amb_rows = [(k - shift[k], t) for k, t in self._amb_rows if not bad[k]]
        return stamps, values

    def _where(self, packed: int, role: str) -> dict[str, object]:
        cols = self.r.files[-1].columns if self.r.files else {}
        return {
            "file": self.name,
            "row": (packed & ((1 << LINE_BITS) - 1)) - 1,
            "column": cols.get(role, role),
        }

    def _append(
        self, meters: Sequence[str], stamps: array[int], values: array[float], lines: array[int]
    ) -> None:
        pos = 0
        for meter, group in groupby(meters):
            size = sum(1 for _ in group)
            s = self.r.meter(meter.strip(), mark=self.mark, unit=self.unit)
            if s.mark is not self.mark or s.unit is not self.unit:
                self.r.issues.append(
                    error(
                        "columns",
                        f"Meter {meter or '(no meter ID)'} is in files with different units or "
                        "stamp conventions; read them with the same settings",
                        file=self.name,
                    )
                )
                pos += size
                continue
            if self._amb_rows:
                base_len = len(s.stamps)
                self.deferred.extend(
                    (s.meter_id, base_len + k - pos, t)
                    for k, t in self._amb_rows
                    if pos <= k < pos + size
                )
            s.stamps.extend(stamps[pos : pos + size])
            s.values.extend(values[pos : pos + size])
            s.where.extend(lines[pos : pos + size])
            pos += size
        self._amb_rows = []


def _number_sum(texts: Sequence[str]) -> float:
    """The sum of the cells that are numbers (the others are reported where they are read)."""
    try:
        return sum(map(float, texts))
    except ValueError:
        total = 0.0
        for t in texts:
            try:
                total += float(t)
            except ValueError:
                continue
        return total


def _runs(meters: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of equal meter IDs, found in C."""
    n = len(meters)
    cuts = compress(range(1, n), map(ne, meters, islice(meters, 1, None)))
    return list(pairwise((0, *cuts, n)))


def _repeated_hour_rows(
    texts: Sequence[str], stamps: array[int], amb: dict[str, tuple[int, int]]
) -> list[int]:
    """Rows whose text is a repeated wall time, in order. Such a row holds the first instant of
    its text, so the rows are found by searching the minutes' bytes for those instants (C
    speed); only the rows found are compared with the texts."""
    raw = stamps.tobytes()
    found: set[int] = set()
    for first in {pair[0] for pair in amb.values()}:
        pattern = first.to_bytes(8, sys.byteorder, signed=True)
        at = raw.find(pattern)
        while at >= 0:
            if at % 8:
                at = raw.find(pattern, at + 1)
                continue
            found.add(at // 8)
            at = raw.find(pattern, at + 8)
    return [k for k in sorted(found) if texts[k] in amb]


def read_csv(
    path: Path,
    file_index: int,
    options: ReadOptions,
    resolver: StampResolver,
    readings: MeterReadings,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    reader = _FileReader(path, file_index, options, resolver, readings)
    head = _head_lines(path)
    if not any(line.strip() for line in head):
        readings.issues.append(error("", "the file is empty or has no header row", file=str(path)))
        return
    layout = find_header(
        [split_line(line) for line in head],
        mapping=options.file_mappings.get(str(path)) or options.mapping,
        header_row=options.header_row,
    )
    header_line = head[layout.header_row] if layout.header_row < len(head) else ""
    delim = delimiter(header_line)
    try:
        header = next(csv.reader([header_line.rstrip("\r\n")], delimiter=delim))
    except csv.Error as exc:
        readings.issues.append(
            error(
                "",
                f"the header row is not valid CSV ({_csv_problem(exc)})",
                file=str(path),
                row=layout.header_row,
            )
        )
        return
    if not reader.start(header, layout):
        return
    data_start = _bom(path) + sum(
        len(line.encode("utf-8", errors="surrogateescape"))
        for line in head[: layout.header_row + 1]
    )
    size = file_size(path)
    workers = options.workers if options.workers is not None else min(2, os.cpu_count() or 1)
    if workers > 1 and size - data_start >= PARALLEL_MIN_BYTES:
        from desktop.exchange.parallel_csv import read_in_parts  # noqa: PLC0415 - big files only

        reader.read_in_parts = True
        read_in_parts(reader, path, data_start, size, header, delim, workers, progress, cancelled)
    else:
        first = layout.header_row + 2
        read_range(
            reader, path, data_start, size, first, delim, progress=progress, cancelled=cancelled
        )
    reader.check_total()
    reader.finish()


def _head_lines(path: Path) -> list[str]:
    """The file's first lines as text, line ends kept (their byte lengths locate the data)."""
    try:
        with open(path, "rb") as f:
            raw = [f.readline() for _ in range(HEAD_LINES + 1)]
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", where=str(path)) from None
    lines = [line for line in raw if line]
    if lines:
        lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
    return [line.decode("utf-8", errors="surrogateescape") for line in lines]


def read_range(
    reader: _FileReader,
    path: Path,
    start: int,
    end: int,
    first_line: int,
    delim: str,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Read the whole lines between byte offsets `start` and `end` (line `first_line` first)."""
    line = first_line
    carry = b""
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        while pos < end:
            if cancelled is not None and cancelled():
                raise ReadCancelledError
            chunk = f.read(min(BLOCK_BYTES, end - pos))
            if not chunk:
                break
            pos += len(chunk)
            data = carry + chunk
            if pos < end:
                cut = data.rfind(b"\n")
                if cut < 0:
                    carry = data
                    continue
                carry, data = data[cut + 1 :], data[:cut]
            else:
                carry = b""
                if data.endswith(b"\n"):
                    data = data[:-1]
                if not data.strip():
                    break
            text = data.decode("utf-8", errors="replace")
            line += _split_block(reader, text, line, delim)
            if progress is not None:
                progress(pos)


def _split_block(reader: _FileReader, block: str, first_line: int, delim: str) -> int:
    """Split a block of whole lines; returns how many lines it held.

    Without quotes and with the same number of delimiters on every line, the block is split
    once into a flat list and each column is a strided slice of it: no list per row. Portals
    that quote every cell (`"07731234","3/14/2026",...`) take the same path once the quotes
    are dropped, and so do exports whose rows all leave out the same empty trailing fields.
    """
    if "\r" in block:
        block = block.replace("\r\n", "\n")
    lines = block.split("\n")
    n = len(lines)
    ncols = reader.ncols
    if '"' in block and block.count('"') == 2 * n * ncols and '""' not in block:
        # every cell in quotes, none holding a quote: without them the block splits the same
        # way unless a cell holds a delimiter, which the width check below then catches
        bare = block.replace('"', "")
        if set(map(str.count, bare.split("\n"), repeat(delim, n))) == {ncols - 1}:
            block = bare
    if '"' not in block:
        widths = set(map(str.count, lines, repeat(delim, n)))
        # every line as wide as the header, or every line leaving out the same empty trailing
        # fields (Opower-style exports) while keeping every column the reader uses
        width = widths.pop() + 1 if len(widths) == 1 else 0
        if reader.needed <= width <= ncols:
            flat = block.replace("\n", delim).split(delim)
            cols = [flat[i::width] for i in range(width)]
            cols += [[""] * n for _ in range(ncols - width)]
            base = reader.base + first_line
            reader.columns(cols, array("q", range(base, base + n)))
            return n
    if '"' in block:
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            _quoted_lines(reader, lines, first_line, delim)
            return n
    else:
        rows = [ln.split(delim) for ln in lines]
    reader.rows(rows, first_line)
    return n


def _quoted_lines(reader: _FileReader, lines: list[str], first_line: int, delim: str) -> None:
    """A block the csv module refuses: read it line by line and locate the lines it refuses."""
    run: list[list[str]] = []
    run_start = first_line
    for k, text in enumerate(lines):
        try:
            run.append(next(csv.reader([text], delimiter=delim), []))
            continue
        except csv.Error as exc:
            problem = _csv_problem(exc)
        reader.rows(run, run_start)
        run, run_start = [], first_line + k + 1
        reader.r.counts.rows_read += 1
        reader.r.counts.rows_refused += 1
        reader.issue(
            "CSV",
            error(
                "",
                f"this line is not valid CSV ({problem})",
                file=reader.name,
                row=first_line + k - 1,
            ),
        )
    reader.rows(run, run_start)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "new-line character" in text:
        return "a carriage return inside a field that is not in quotes"
    if "field larger than field limit" in text:
        return f"a field longer than {csv.field_size_limit():,} characters"
    return text


# --- Spreadsheets --------------------------------------------------------------------------


def _cell_text(v: Any, *, stamp: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        # calamine gives a date-time at midnight as a date: in a stamp column it is midnight.
        return f"{v.isoformat()} 00:00" if stamp else v.isoformat()
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _spreadsheet_rows(path: Path, limit: int | None = None) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only spreadsheets need it

    if _is_zip(path):
        # calamine inflates whole parts into memory: a bomb is refused before it sees one
        check_archive(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        data = (
            sheet.to_python(skip_empty_area=False, nrows=limit)
            if limit
            else sheet.to_python(skip_empty_area=False)
        )
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(f"cannot read the spreadsheet ({exc})", where=str(path)) from None
    return [list(row) for row in data]


def read_spreadsheet(
    path: Path,
    file_index: int,
    options: ReadOptions,
    resolver: StampResolver,
    readings: MeterReadings,
    *,
    cancelled: Cancelled | None = None,
) -> None:
    raw = _spreadsheet_rows(path)
    reader = _FileReader(path, file_index, options, resolver, readings)
    while raw and all(v is None or str(v).strip() == "" for v in raw[-1]):
        raw.pop()  # a sheet's used range often ends in blank rows: not data
    if not raw:
        readings.issues.append(error("", "the sheet is empty", file=str(path)))
        return
    layout = find_header(
        [[_cell_text(v) for v in row] for row in raw[:HEAD_LINES]],
        mapping=options.file_mappings.get(str(path)) or options.mapping,
        header_row=options.header_row,
    )
    if not reader.start(layout.header, layout):
        return
    ts = reader.i_ts
    chunk = 100_000
    for lo in range(layout.header_row + 1, len(raw), chunk):
        if cancelled is not None and cancelled():
            raise ReadCancelledError
        rows = [
            [_cell_text(v, stamp=i == ts) for i, v in enumerate(row)]
            for row in raw[lo : lo + chunk]
        ]
        reader.rows(rows, lo + 1)
    reader.check_total()
    reader.finish()


def _bom(path: Path) -> int:
    with open(path, "rb") as f:
        return 3 if f.read(3) == b"\xef\xbb\xbf" else 0


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # calamine says why it cannot open it


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def header_matches(header: Sequence[str], names: Sequence[str]) -> bool:
    return [normalise(h) for h in header] == [normalise(n) for n in names]
