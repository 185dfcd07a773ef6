"""The core of the meter readers: a file's rows or columns -> its meters' arrays.

`_FileReader` takes the header (with the layout `meter_layout` found), decides the columns, unit
and stamp convention, and then takes blocks of rows as columns: distinct stamps are parsed once
(`timestamps.StampResolver`), values go through `array('d', map(float, ...))`, and rows are
appended to their meter's arrays by runs. Only a block that holds a problem is walked row by
row, to say which line and column it is in. The CSV reader (`meter_files`), the spreadsheet
reader (`meter_xlsx`) and the worker processes (`parallel_csv`) feed it.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Sequence
from dataclasses import replace
from itertools import compress, islice, pairwise, repeat
from operator import add, ne
from pathlib import Path

from desktop.exchange.meter_columns import (
    ROLES,
    detect_columns,
    merged,
    unit_from_header,
)
from desktop.exchange.meter_layout import Layout
from desktop.exchange.meter_options import (
    MAX_ROW_ISSUES,
    TEMPLATE_ROWS,
    TOTAL_CHECK_ROWS,
    MeterReadings,
    ReadOptions,
)
from desktop.exchange.timestamps import BAD, StampResolver
from desktop.models.intervals import (
    LINE_BITS,
    EnergyUnit,
    SourceFile,
    StampMark,
)
from desktop.models.issues import Issue, error, info, warning


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
            # joined in C: `date + " " + time` for every row
            texts = list(map(add, map(add, cols[self.i_date], repeat(" ")), cols[self.i_time]))
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
        runs = _runs(meters if isinstance(meters, list) else list(meters)) if meters else []
        for pos, end in runs:  # the runs are found in C, not row by row
            meter, size = meters[pos], end - pos
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
