"""Reading one big meter CSV in two processes, each taking part of the file's lines.

The file is cut at line boundaries; each part is read by a fresh interpreter started with
`python -m desktop.exchange.parallel_csv` (not multiprocessing: its `spawn` re-runs the caller's
`__main__`, which for `python -m desktop` is the command line itself), with its own stamp cache.
Arguments and results travel as pickles in temporary files; progress comes back as byte counts
on the worker's stdout; cancelling kills the workers. The parent joins the parts in file order.

The repeated autumn hour is the one thing that depends on order across a cut: parts leave those
readings at their first instant and list them, and the parent decides them (first occurrence
daylight time, second standard time) over the whole file.
"""

from __future__ import annotations

import itertools
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.exchange import meter_files as mf
from desktop.exchange.timestamps import StampResolver, zone
from desktop.models.intervals import LINE_BITS


def _read_part(
    path: str,
    file_index: int,
    options: mf.ReadOptions,
    header: list[str],
    delim: str,
    start: int,
    end: int,
    first_line: int,
) -> dict[str, Any]:
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
        "series": {m: (s.stamps, s.values, s.where) for m, s in readings.series.items()},
        "issues": readings.issues,
        "rows_read": readings.counts.rows_read,
        "rows_refused": readings.counts.rows_refused,
        "deferred": reader.deferred,
        "ambiguous": resolver.ambiguous,
        "rounded": resolver.rounded,
        "errors": resolver.errors,
        "reported": reader.reported,
    }


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
                follower = threading.Thread(target=_follow, args=(proc, done, i), daemon=True)
                follower.start()
                followers.append(follower)
            while any(p.poll() is None for p in procs):
                if cancelled is not None and cancelled():
                    raise mf.ReadCancelledError
                if progress is not None:
                    progress(data_start + sum(done))
                time.sleep(0.05)
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
        parts = [pickle.loads(out.read_bytes()) for out in results]
    _merge(reader, parts)


def _package_root() -> str:
    root = str(Path(__file__).resolve().parents[2])
    extra = os.environ.get("PYTHONPATH")
    return root + (os.pathsep + extra if extra else "")


def _follow(proc: subprocess.Popen[str], done: list[int], i: int) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip().isdigit():
            done[i] = int(line)


def _merge(reader: mf._FileReader, parts: list[dict[str, Any]]) -> None:
    r = reader.r
    resolver = reader.resolver
    seen = reader.ambiguous_seen
    for part in parts:
        offsets: dict[str, int] = {}
        for meter, (stamps, values, where) in part["series"].items():
            s = r.meter(meter, mark=reader.mark, unit=reader.unit)
            offsets[meter] = len(s.stamps)
            s.stamps.extend(stamps)
            s.values.extend(values)
            s.where.extend(where)
        for meter, pos, text in part["deferred"]:
            second = part["ambiguous"][text][1]
            key = (meter, text)
            count = seen.get(key, 0)
            seen[key] = count + 1
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


def _worker(job: Path, out: Path) -> None:
    args = pickle.loads(job.read_bytes())
    out.write_bytes(pickle.dumps(_read_part(*args), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _worker(Path(sys.argv[1]), Path(sys.argv[2]))
