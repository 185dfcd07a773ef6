"""Reading one big meter CSV in two processes, each taking part of the file's lines.

The file is cut at line boundaries; each part is read by a fresh interpreter started with
`python -m desktop.exchange.parallel_csv` (not multiprocessing: its `spawn` re-runs the caller's
`__main__`, which for `python -m desktop` is the command line itself), with its own stamp cache.
In the frozen app `sys.executable` is the app, which runs `-m desktop.<module>` the same way
(installers/pyi_rth_run_module.py).
Arguments travel as a pickle in a temporary file; a worker's result is a small pickle followed
by its meters' arrays written raw (`array.tofile`), which the parent appends to its own arrays
with `array.fromfile`: no pickling of millions of numbers. Progress comes back as byte counts
on the worker's stdout; cancelling kills the workers. The parent joins the parts in file order.

The repeated autumn hour is the one thing that depends on order across a cut: parts leave those
readings at their first instant and list them, and the parent decides them (first occurrence
daylight time, second standard time) over the whole file.

When the reader is told how the meters will be summed (`ReadOptions.presum`), each worker also
checks its piece of every meter and sums it into hours (`intervals.sum_if_clean`), deciding the
repeated hour within its part. The parent joins a meter's pieces (`intervals.join_parts`) when
every piece was clean, each starts where the one before ended, and no repeated-hour reading was
decided differently over the whole file; those meters are not checked or summed again. Any
other meter is checked from its arrays as in one process, so results are the same.
"""

from __future__ import annotations

import itertools
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.exchange import meter_files as mf
from desktop.exchange.timestamps import StampResolver, zone
from desktop.models.intervals import (
    LINE_BITS,
    HourParts,
    HourSettings,
    MeterSeries,
    Presummed,
    join_parts,
    sum_if_clean,
)


def _read_part(
    path: str,
    file_index: int,
    options: mf.ReadOptions,
    header: list[str],
    delim: str,
    start: int,
    end: int,
    first_line: int,
) -> tuple[dict[str, Any], list[MeterSeries]]:
    resolver = StampResolver(zone(options.input_tz) if options.input_tz else None)
    readings = mf.MeterReadings()
    reader = mf._FileReader(Path(path), file_index, options, resolver, readings)
    reader.defer_folds = True
    reader.start(header)

    def progress(pos: int) -> None:
        sys.stdout.write(f"{pos - start}\n")
        sys.stdout.flush()

    mf.read_range(reader, Path(path), start, end, first_line, delim, progress=progress)
    return {
        "series": [(m, len(s)) for m, s in readings.series.items()],
        "sums": _presum(reader, options) if options.presum is not None else {},
        "issues": readings.issues,
        "rows_read": readings.counts.rows_read,
        "rows_refused": readings.counts.rows_refused,
        "deferred": reader.deferred,
        "ambiguous": resolver.ambiguous,
        "rounded": resolver.rounded,
        "errors": resolver.errors,
        "reported": reader.reported,
    }, list(readings.series.values())


def _presum(reader: mf._FileReader, options: mf.ReadOptions) -> dict[str, HourParts]:
    """Each meter's piece checked and summed, with the repeated hour decided within the part
    (the parent keeps a sum only where the whole file decides it the same way)."""
    assert options.presum is not None
    folds: dict[str, list[tuple[int, str]]] = {}
    for meter, pos, text in reader.deferred:
        folds.setdefault(meter, []).append((pos, text))
    out: dict[str, HourParts] = {}
    for meter, s in reader.r.series.items():
        seen: dict[str, int] = {}
        undo: list[tuple[int, int]] = []
        for pos, text in folds.get(meter, ()):
            seen[text] = seen.get(text, 0) + 1
            if seen[text] > 1:
                undo.append((pos, s.stamps[pos]))
                s.stamps[pos] = reader.resolver.ambiguous[text][1]
        parts = sum_if_clean(s, options.presum)
        for pos, stamp in undo:  # the arrays go to the parent as read
            s.stamps[pos] = stamp
        if parts is not None:
            out[meter] = parts
    return out


def _line_count(path: Path, start: int, end: int) -> int:
    n = 0
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            b = f.read(min(8 << 20, left))
            if not b:
                break
            n += b.count(b"\n")
            left -= len(b)
    return n


def read_in_parts(
    reader: mf._FileReader,
    path: Path,
    data_start: int,
    size: int,
    header: list[str],
    delim: str,
    workers: int,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    bounds = [data_start]
    with open(path, "rb") as f:
        for i in range(1, workers):
            f.seek(data_start + (size - data_start) * i // workers)
            f.readline()
            bounds.append(max(f.tell(), bounds[-1]))
    bounds.append(size)
    first_lines = [2]
    for a, b in itertools.pairwise(bounds[:-1]):
        first_lines.append(first_lines[-1] + _line_count(path, a, b))
    done = [0] * workers
    procs: list[subprocess.Popen[str]] = []
    followers: list[threading.Thread] = []
    ended = threading.Semaphore(0)
    with tempfile.TemporaryDirectory(prefix="rd-read-") as tmp:
        results = []
        try:
            for i, (a, b, line) in enumerate(
                zip(bounds[:-1], bounds[1:], first_lines, strict=True)
            ):
                job = Path(tmp) / f"part{i}.in"
                out = Path(tmp) / f"part{i}.out"
                args = (str(path), reader.base >> LINE_BITS, reader.opt, header, delim, a, b, line)
                job.write_bytes(pickle.dumps(args))
                results.append(out)
                proc = subprocess.Popen(
                    [sys.executable, "-m", "desktop.exchange.parallel_csv", str(job), str(out)],
                    stdout=subprocess.PIPE,
                    text=True,
                    env={**os.environ, "PYTHONPATH": _package_root()},
                )
                procs.append(proc)
                follower = threading.Thread(
                    target=_follow, args=(proc, done, i, ended), daemon=True
                )
                follower.start()
                followers.append(follower)
            waiting = len(procs)
            while waiting:
                if cancelled is not None and cancelled():
                    raise mf.ReadCancelledError
                if progress is not None:
                    progress(data_start + sum(done))
                # Woken as soon as a worker ends (its output closes), not at the next tick.
                if ended.acquire(timeout=0.05):
                    waiting -= 1
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                p.wait()
            for follower in followers:
                follower.join()
            for p in procs:
                if p.stdout is not None:
                    p.stdout.close()
        failed = [i for i, p in enumerate(procs) if p.returncode != 0]
        if failed:
            raise RuntimeError(f"reading part {failed[0]} of {path} failed in its worker")
        _merge(reader, results)


def _package_root() -> str:
    root = str(Path(__file__).resolve().parents[2])
    extra = os.environ.get("PYTHONPATH")
    return root + (os.pathsep + extra if extra else "")


def _follow(
    proc: subprocess.Popen[str], done: list[int], i: int, ended: threading.Semaphore
) -> None:
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.strip().isdigit():
                done[i] = int(line)
    finally:
        ended.release()


def _merge(reader: mf._FileReader, results: list[Path]) -> None:
    r = reader.r
    resolver = reader.resolver
    seen = reader.ambiguous_seen
    pieces: dict[str, list[tuple[HourParts | None, int, int]]] = {}  # sums, offset, length
    decided_apart: set[str] = set()  # meters whose repeated hour a part decided on its own
    for out in results:
        with open(out, "rb") as f:
            part = pickle.loads(f.read(int.from_bytes(f.read(8), "little")))
            offsets: dict[str, int] = {}
            for meter, n in part["series"]:
                s = r.meter(meter, mark=reader.mark, unit=reader.unit)
                offsets[meter] = len(s.stamps)
                s.stamps.fromfile(f, n)
                s.values.fromfile(f, n)
                s.where.fromfile(f, n)
                pieces.setdefault(meter, []).append((part["sums"].get(meter), offsets[meter], n))
        in_part: dict[tuple[str, str], int] = {}
        for meter, pos, text in part["deferred"]:
            second = part["ambiguous"][text][1]
            key = (meter, text)
            count = seen.get(key, 0)
            seen[key] = count + 1
            local = in_part.get(key, 0)
            in_part[key] = local + 1
            if (count >= 1) != (local >= 1):
                decided_apart.add(meter)
            r.counts.repeated_hour_readings += 1
            if count >= 1:
                r.series[meter].stamps[offsets[meter] + pos] = second
        r.issues.extend(part["issues"])
        r.counts.rows_read += part["rows_read"]
        r.counts.rows_refused += part["rows_refused"]
        resolver.ambiguous.update(part["ambiguous"])
        resolver.rounded.update(part["rounded"])
        resolver.errors.update(part["errors"])
        for kind, n in part["reported"].items():
            reader.reported[kind] = reader.reported.get(kind, 0) + n
    settings = reader.opt.presum
    if settings is None:
        return
    if r.presummed is None or r.presummed.settings != settings:
        r.presummed = Presummed(settings)
    for meter, runs in pieces.items():
        if meter in decided_apart:
            continue
        clean = [_single(r.series[meter], settings, runs, k) for k in range(len(runs))]
        if any(run is None for run in clean):
            continue
        whole = [run for run in clean if run is not None]
        joined = whole[0] if len(whole) == 1 else join_parts(whole, settings.std.offset_minutes)
        if joined is not None:
            r.presummed.meters[meter] = joined


def _single(
    s: MeterSeries,
    settings: HourSettings,
    runs: list[tuple[HourParts | None, int, int]],
    k: int,
) -> HourParts | None:
    """A piece's sums; a piece of one reading (a cut just after a meter's first reading or
    before its last) has no interval of its own and is checked here with its neighbours'."""
    parts, offset, n = runs[k]
    if parts is not None or n != 1 or settings.options.interval:
        return parts
    steps = {p.step for p, _, _ in runs if p is not None}
    if len(steps) != 1:
        return None
    piece = MeterSeries(
        s.meter_id,
        s.stamps[offset : offset + 1],
        s.values[offset : offset + 1],
        s.where[offset : offset + 1],
        mark=s.mark,
        unit=s.unit,
    )
    forced = replace(settings, options=replace(settings.options, interval=steps.pop()))
    return sum_if_clean(piece, forced)


def _worker(job: Path, out: Path) -> None:
    args = pickle.loads(job.read_bytes())
    part, series = _read_part(*args)
    head = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
    with open(out, "wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for s in series:
            s.stamps.tofile(f)
            s.values.tofile(f)
            s.where.tofile(f)


if __name__ == "__main__":
    _worker(Path(sys.argv[1]), Path(sys.argv[2]))
