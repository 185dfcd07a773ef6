"""The meter export shapes of docs/generation.md at the benchmark's scale, timed against the plain
CSV case in the same run (called by bench/generation.py; `--shapes-only` runs just these).

Each shape is built by tests/generation/export_shapes.py for a local year. Shapes with a meter
column hold every meter in one file; shapes without one (Opower, MeterWatch, monitoring
platforms: one export per meter) are one file per meter, read with `--meter-per-file`. Every
case runs in its own process, `rounds` times; the table gives the min and median of the rounds
and the ratio of each shape's median to the plain case's. The energy read is checked against
the total the builder wrote.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "generation"))

PLAIN = "plain CSV (bench/generation.py's input)"
PER_FILE = {"2 Opower", "4 MeterWatch", "5 monitoring"}
SKIPPED = {"1 portal XLSX": "a year of 150 meters is beyond a worksheet's 1,048,576 rows"}


def make(shape_name: str, folder: Path, meters: int) -> tuple[list[Path], float]:
    """The input files of a shape and the kWh of the whole months they hold."""
    from export_shapes import SHAPES  # type: ignore[import-not-found]

    shape = next(s for s in SHAPES if s.name == shape_name)
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / ("m000-" + shape.file)
    if shape.name not in PER_FILE:
        return [first], shape.build(first, meters, 12)
    kwh = shape.build(first, 1, 12)
    paths = [first]
    for m in range(1, meters):  # the same export for each meter (read as its own meter)
        paths.append(folder / f"m{m:03d}-{shape.file}")
        shutil.copyfile(first, paths[-1])
    return paths, kwh * meters


def options(shape_name: str) -> list[str]:
    from export_shapes import SHAPES  # type: ignore[import-not-found]

    shape = next(s for s in SHAPES if s.name == shape_name)
    return [*shape.options, *(["--meter-per-file"] if shape.name in PER_FILE else [])]


def run_case(paths: list[Path], args: list[str]) -> dict[str, float]:
    """In a child process: read, check and sum as `generation build` does; seconds and kWh."""
    from desktop.commands.generation import _input_options, _request
    from desktop.exchange.generation_pipeline import assemble
    from desktop.models import calendar as cal

    parser = argparse.ArgumentParser(parents=[_input_options()])
    parsed = parser.parse_args([a for p in paths for a in ("--input", str(p))] + args)
    t = time.perf_counter()
    done = assemble(_request(parsed, cal.EST, None))
    seconds = time.perf_counter() - t
    errors = [i.located() for i in done.issues if i.blocking]
    if errors:
        raise SystemExit(f"errors: {errors[:3]}")
    return {
        "seconds": seconds,
        "rows": done.counts.rows_read,
        "kwh": sum(m.mwh for m in done.months) * 1000.0,
        "months": len(done.months),
    }


def measure(paths: list[Path], args: list[str], rounds: int) -> list[dict[str, float]]:
    out = []
    for _ in range(rounds):
        listing = paths[0].parent / "inputs.json"
        listing.write_text(json.dumps([str(p) for p in paths]))
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(listing), *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if proc.returncode != 0:
            raise SystemExit(f"{paths[0].name} failed:\n{proc.stderr[-2000:]}")
        out.append(dict(json.loads(proc.stdout.strip().splitlines()[-1])))
    return out


def run_all(
    plain: Path, plain_args: list[str], work: Path, meters: int, rounds: int
) -> list[tuple[str, int, list[dict[str, float]] | str, float]]:
    """(case, rows, round results or why skipped, kWh expected) for the plain case and shapes."""
    from export_shapes import SHAPES  # type: ignore[import-not-found]

    results: list[tuple[str, int, list[dict[str, float]] | str, float]] = []
    base = measure([plain], plain_args, rounds)
    results.append((PLAIN, int(base[0]["rows"]), base, base[0]["kwh"]))
    print(f"{PLAIN}: {[round(r['seconds'], 2) for r in base]}")
    for shape in SHAPES:
        if shape.name in SKIPPED:
            results.append((shape.name, 0, SKIPPED[shape.name], 0.0))
            continue
        paths, kwh = make(shape.name, work / shape.file, meters)
        rs = measure(paths, options(shape.name), rounds)
        if abs(rs[0]["kwh"] - kwh) > 1e-6 * max(kwh, 1.0) + 0.01:
            raise SystemExit(f"{shape.name}: read {rs[0]['kwh']} kWh, the files hold {kwh}")
        results.append((shape.name, int(rs[0]["rows"]), rs, kwh))
        print(f"{shape.name}: {[round(r['seconds'], 2) for r in rs]} ({len(paths)} file(s))")
        shutil.rmtree(work / shape.file)
    return results


def table(
    results: list[tuple[str, int, list[dict[str, float]] | str, float]], meters: int, rounds: int
) -> list[str]:
    base = results[0][2]
    assert isinstance(base, list)
    base_median = statistics.median(r["seconds"] for r in base)
    lines = [
        "## Generation: meter export shapes",
        "",
        f"`python bench/generation.py` (its shapes part, `bench/generation_shapes.py`): the export "
        f"shapes of docs/generation.md at {meters} meters × one local year of readings, each "
        f"read, checked and summed into EST hours as `generation build` does, {rounds} rounds "
        "in fresh processes, with the plain CSV case measured again in the same run. Shapes "
        "without a meter column are one export per meter (`--meter-per-file`). The energy of "
        "the whole months read is checked against what the builder wrote.",
        "",
        "| Case | Rows | Min | Median | Median ÷ plain |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, rows, rs, _ in results:
        if isinstance(rs, str):
            lines.append(f"| {name} | – | – | – | skipped: {rs} |")
            continue
        secs = [r["seconds"] for r in rs]
        med = statistics.median(secs)
        lines.append(
            f"| {name} | {rows:,} | {min(secs):.2f} s | {med:.2f} s | {med / base_median:.2f}× |"
        )
    lines += [
        "",
        "Aim: every shape within 2× of the plain case. Load average while measuring: "
        f"{os.getloadavg()[0]:.1f} (the 2 cores are shared with other work).",
        "",
    ]
    return lines


def write_section(lines: list[str]) -> None:
    import re

    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")
    section = "\n".join(lines)
    pattern = re.compile(r"^## Generation: meter export shapes\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    doc.write_text(text, encoding="utf-8")
    print(f"wrote {doc.relative_to(ROOT)} (meter export shapes)")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        paths = [Path(p) for p in json.loads(Path(sys.argv[2]).read_text())]
        print(json.dumps(run_case(paths, sys.argv[3:])))
        return
    raise SystemExit("run through bench/generation.py (or bench/generation.py --shapes-only)")


if __name__ == "__main__":
    main()
