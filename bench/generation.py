"""Generation benchmark: 150 meters × one year of 15-minute local-time data -> M-RETS files.

Generates its own input (≈5.3 million rows of CSV with daylight saving, America/New_York),
then runs in separate processes, so that each has its own peak memory:

- `csv`: the stdlib csv module only iterating the rows (the floor of a pure-Python reader);
- `pandas-read`: `pandas.read_csv` of the file (the fastest reader available here);
- `ours`: Registry Desk end to end: read + check + EST hours + hourly file + monthly file +
  issuance preview;
- `pandas`: a plain pandas script doing the same aggregation (local -> EST hour-ending,
  hourly and monthly sums, on/off-peak split), writing the same two files.

pandas is only used here and is not a dependency of the app: when it is not installed the
comparisons are skipped with a note. Prints a table and rewrites the `## Generation` section
of docs/performance.md.

It also runs the meter export shapes of docs/generation.md at the same scale, against the plain
CSV case measured again in the same run (bench/generation_shapes.py; `--no-shapes` skips them,
`--shapes-only` runs only them).

Usage: python bench/generation.py [--meters 150] [--keep] [--rounds 3] [--no-shapes|--shapes-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONE = "America/New_York"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_csv(path: Path) -> dict[str, float]:
    import csv

    t = time.perf_counter()
    n = 0
    with open(path, newline="") as f:
        for _ in csv.reader(f):
            n += 1
    return {"seconds": time.perf_counter() - t, "rows": n - 1}


def run_pandas_read(path: Path) -> dict[str, float]:
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_csv(path)
    return {"seconds": time.perf_counter() - t, "rows": len(df)}


def run_ours(path: Path, out: Path) -> dict[str, float]:
    from desktop.exchange.generation_columns import UploadKind
    from desktop.exchange.generation_inputs import hourly_energy, read_inputs
    from desktop.exchange.generation_pipeline import ReadRequest, read_options
    from desktop.exchange.meter_files import ReadOptions
    from desktop.exchange.mrets_upload import hourly_rows, monthly_rows, write_upload
    from desktop.models.generation import preview
    from desktop.models.generator import Generator

    gen = Generator("805", "805", 0.78, capacity_factor=12.0, fuels=("Solar",), is_dgg=True)
    request = ReadRequest((path,), ReadOptions(input_tz=ZONE), nameplate_mw=gen.nameplate_mw)
    # The two steps of generation_pipeline.assemble, timed apart.
    t0 = time.perf_counter()
    inputs = read_inputs([path], read_options(request), std=request.std)
    t1 = time.perf_counter()
    hourly = hourly_energy(
        inputs, std=request.std, options=request.interval, nameplate_kw=gen.nameplate_kw
    )
    t2 = time.perf_counter()
    if hourly.has_errors:
        raise SystemExit(f"benchmark input has errors: {hourly.issues[:3]}")
    write_upload(out / "hourly.csv", UploadKind.HOURLY, hourly_rows(gen, hourly))
    write_upload(out / "monthly.csv", UploadKind.MONTHLY, monthly_rows(gen, hourly.months))
    t3 = time.perf_counter()
    result = preview(hourly.months, gen, today=date(2026, 1, 15))
    t4 = time.perf_counter()
    presummed = inputs.readings.presummed
    return {
        "seconds": t4 - t0,
        "read": t1 - t0,
        "assemble": t2 - t1,
        "write": t3 - t2,
        "preview": t4 - t3,
        "rows": inputs.readings.counts.rows_read,
        "presummed": len(presummed.meters) if presummed else 0,
        "certificates": result.certificates,
        "mwh": sum(m.mwh for m in hourly.months),
    }


def run_pandas(path: Path, out: Path) -> dict[str, float]:
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(path, names=["meter", "stamp", "kwh"], header=0)
    local = pd.to_datetime(df["stamp"], format="%Y-%m-%d %H:%M")
    # The repeated autumn hour: each meter's first reading of a stamp is daylight time.
    dst = ~df.duplicated(["meter", "stamp"], keep="first")
    stamps = local.dt.tz_localize(ZONE, ambiguous=dst.to_numpy(), nonexistent="raise")
    est = stamps.dt.tz_convert("Etc/GMT+5").dt.tz_localize(None)
    hour = est.dt.floor("h")
    hourly = df["kwh"].groupby(hour).sum()
    hourly = hourly[(hourly.index >= "2025-01-01") & (hourly.index < "2026-01-01")]
    rows = pd.DataFrame(
        {
            "g": "805",
            "u": "805",
            "date": hourly.index.strftime("%m/%d/%Y"),
            "he": hourly.index.hour + 1,
            "kwh": hourly.round(3).map("{:.3f}".format),
        }
    )
    rows.to_csv(out / "pandas-hourly.csv", header=False, index=False)
    idx = hourly.index
    weekday = idx.day_of_week < 5
    he = idx.hour + 1
    on = weekday & (he >= 7) & (he <= 22)
    month = idx.to_period("M")
    monthly = hourly.groupby(month).sum() / 1000.0
    on_peak = hourly[on].groupby(month[on]).sum() / 1000.0
    monthly.round(3).to_csv(out / "pandas-monthly.csv", header=False)
    return {
        "seconds": time.perf_counter() - t0,
        "mwh": float(monthly.sum()),
        "on": float(on_peak.sum()),
    }


def child(kind: str, path: Path, out: Path) -> None:
    fn = {
        "csv": lambda: run_csv(path),
        "pandas-read": lambda: run_pandas_read(path),
        "ours": lambda: run_ours(path, out),
        "pandas": lambda: run_pandas(path, out),
    }[kind]
    result = fn()
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def measure(kind: str, path: Path, out: Path) -> dict[str, float] | None:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        if "No module named 'pandas'" in proc.stderr:
            return None
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def have_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


LOAD = os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meters", type=int, default=150)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per export shape")
    parser.add_argument("--no-shapes", action="store_true", help="skip the export shapes")
    parser.add_argument("--shapes-only", action="store_true", help="only the export shapes")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    from bench.generation_data import write_meter_csv

    work = Path(tempfile.mkdtemp(prefix="rd-genbench-"))
    data = work / "meters.csv"
    t = time.perf_counter()
    rows, kwh, _nameplate = write_meter_csv(data, meters=args.meters, zone=ZONE)
    gen_s = time.perf_counter() - t
    size_mb = data.stat().st_size / 1e6
    print(f"input: {rows:,} rows, {size_mb:.0f} MB, {args.meters} meters ({gen_s:.1f} s to make)")
    global LOAD  # noqa: PLW0603 - recorded once per run for the report
    LOAD = os.getloadavg()
    if not args.no_shapes:
        from bench.generation_shapes import run_all, table, write_section

        shapes = run_all(data, ["--input-tz", ZONE], work, args.meters, args.rounds)
        write_section(table(shapes, args.meters, args.rounds))
    if args.shapes_only:
        if not args.keep:
            shutil.rmtree(work)
        return
    results: dict[str, dict[str, float] | None] = {}
    for kind in ("csv", "pandas-read", "ours", "pandas"):
        results[kind] = (
            measure(kind, data, work) if kind in ("csv", "ours") or have_pandas() else None
        )
        r = results[kind]
        shown = f"{r['seconds']:.2f} s, peak {r['peak_mb']:.0f} MB" if r else "skipped (no pandas)"
        print(f"{kind:<12} {shown}")
    ours = results["ours"]
    assert ours is not None
    if abs(ours["mwh"] * 1000 - kwh) > 0.0005 * 8760 * 2:
        raise SystemExit(f"energy check failed: {ours['mwh'] * 1000} kWh vs {kwh} kWh generated")
    write_doc(results, rows, size_mb, args.meters)
    if not args.keep:
        shutil.rmtree(work)


def write_doc(
    results: dict[str, dict[str, float] | None], rows: int, size_mb: float, meters: int
) -> None:
    ours = results["ours"]
    assert ours is not None
    csv_r = results["csv"]
    pd_read = results["pandas-read"]
    pd_full = results["pandas"]
    fastest = min(
        (r["seconds"], k) for k, r in results.items() if k in ("csv", "pandas-read") and r
    )
    lines = [
        "## Generation",
        "",
        f"`python bench/generation.py` on {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, {date.today().isoformat()}. "
        f"Input made by the benchmark: {meters} rooftop-solar meters × one year of 15-minute "
        f"readings in local time ({ZONE}, with both daylight-saving changes) = {rows:,} rows, "
        f"{size_mb:.0f} MB of CSV.",
        "",
        "| Run | Time | Peak memory |",
        "|---|---:|---:|",
        f"| stdlib `csv.reader`, iterate only | {csv_r['seconds']:.2f} s | "
        f"{csv_r['peak_mb']:.0f} MB |"
        if csv_r
        else "| stdlib csv | – | – |",
        (
            f"| `pandas.read_csv`, read only | {pd_read['seconds']:.2f} s | "
            f"{pd_read['peak_mb']:.0f} MB |"
            if pd_read
            else "| pandas read | skipped: pandas not installed | |"
        ),
        f"| **Registry Desk end to end** (read, check, EST hours, hourly + monthly files, "
        f"preview) | **{ours['seconds']:.2f} s** | **{ours['peak_mb']:.0f} MB** |",
        f"| – of which reading, with checking and EST-hour sums in the two workers | "
        f"{ours['read']:.2f} s | |",
        f"| – of which joining the workers' hours, months and notes | {ours['assemble']:.2f} s | |",
        f"| – of which writing both files | {ours['write']:.2f} s | |",
        f"| – of which the preview | {ours['preview']:.3f} s | |",
        (
            f"| plain pandas script, same aggregation and files | {pd_full['seconds']:.2f} s | "
            f"{pd_full['peak_mb']:.0f} MB |"
            if pd_full
            else "| plain pandas script | skipped: pandas not installed | |"
        ),
        "",
        f"Goal: ≤ 15 s and ≤ 1.5 GB on 2 cores: **{ours['seconds']:.1f} s, "
        f"{ours['peak_mb'] / 1024:.2f} GB**. Ratio to the fastest plain read "
        f"({fastest[1]}): **{ours['seconds'] / fastest[0]:.1f}×** (aim ≤ 3×)."
        + (
            (
                f" Versus the pandas script: **{pd_full['seconds'] / ours['seconds']:.2f}× "
                f"faster**."
                if pd_full["seconds"] > ours["seconds"]
                else f" Versus the pandas script: **{ours['seconds'] / pd_full['seconds']:.2f}× "
                f"slower** (goal not met in this run)."
            )
            if pd_full
            else " The pandas comparison was skipped: pandas is not installed."
        )
        + f" Load average while measuring: {LOAD[0]:.1f} before, {os.getloadavg()[0]:.1f} "
        "after (the 2 cores are shared: with other work running, both multi-process reading "
        "and the comparison runs are slowed).",
        "",
        "How the hot path stays fast without a dependency: the file is read in 4 MB blocks; a "
        "block without quotes and with the same number of commas on every line is split once "
        "into a flat list whose columns are strided slices (no list per row). Stamps: a run of "
        "one meter whose texts equal the previous meter's at the same positions takes that "
        "meter's minutes after one list comparison (no hashing per row); other runs look each "
        "text up in a cache where every distinct text was parsed and resolved once "
        "(`zoneinfo` is called once per local day, and per stamp only on the two days the "
        "clocks change). Values go through `array('d', map(float, ...))`; rows join their "
        "meter's arrays by runs found in C; the repeated autumn hour's rows are found by "
        "searching the minutes' bytes and resolved by order per meter (first daylight time, "
        "then standard time). A meter's series is recognised as regular by comparing it with "
        "a `range`, and hours are summed by one nested `map(operator.add)` over strided "
        "slices. Only blocks and meters that hold a problem are walked row by row, to name the "
        "line and column.",
        "",
        "Big files (≥ 48 MB) are read by two worker processes, each taking half of the lines "
        "(`desktop/exchange/parallel_csv.py`). Each worker also checks its piece of every meter "
        "and sums it into EST hours, keeping the readings of hours it holds only in part; the "
        "parent joins a meter's pieces (bit for bit the sums of one pass) when every piece was "
        "clean, they follow each other without a gap and the repeated hour was decided the same "
        "over the whole file, and checks any other meter from its arrays as one process would. "
        "The arrays come back raw (`array.tofile`/`fromfile`, no pickling of millions of "
        "numbers), so the reader's result is the same as in one process (tested, and the "
        "results of both paths are tested to be identical). The installed (frozen) app starts "
        "its workers as `registry-desk -m desktop.exchange.parallel_csv` (its smoke test reads "
        "a 53 MB file of 640 meters that way).",
        "",
        "Dependencies weighed (installed size): pandas + numpy ≈ 130–160 MB (84 + 45 MB "
        "measured in the venv), polars ≈ 180 MB, pyarrow ≈ 170 MB. None is used at run time: "
        "the stdlib path meets the time and memory goals, and a desktop bundle is much smaller "
        "without them. pandas is installed in "
        "the dev venv only to run this comparison; the app does not import it. Spreadsheets "
        "use python-calamine (≈2 MB, already a dependency, ~12× faster than openpyxl to "
        "read), Green Button XML uses defusedxml's SAX parser (already a dependency).",
        "",
    ]
    doc = ROOT / "docs" / "performance.md"
    doc.parent.mkdir(exist_ok=True)
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    section = "\n".join(lines)
    pattern = re.compile(r"^## Generation\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    doc.write_text(text, encoding="utf-8")
    print(f"wrote {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
