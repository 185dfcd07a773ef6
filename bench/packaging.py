"""The frozen app (`make dist`): bundle size, and start times against the same commands run from
source. Needs dist/registry-desk/ (build it with `make dist`); without it this says so and
measures nothing.

Cold runs drop the operating system's page cache before each start (Linux, as root), so the
bundle's files are read from disk as after a reboot; warm runs repeat with the cache filled.
"""

from __future__ import annotations

import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._perfdoc import machine, write_section

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "registry-desk"
FROZEN = BUNDLE / "registry-desk"
DROP_CACHES = Path("/proc/sys/vm/drop_caches")
COLD_RUNS = 5
WARM_RUNS = 7
MB = 1024 * 1024


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and file count under `path` (symbolic links not followed)."""
    total = count = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
            count += 1
    return total, count


def largest_parts(limit: int = 6) -> list[tuple[str, int]]:
    internal = BUNDLE / "_internal"
    parts: dict[str, int] = {}
    for p in internal.iterdir():
        if p.is_symlink():
            continue
        size = tree_size(p)[0] if p.is_dir() else p.stat().st_size
        name = p.name
        if name.endswith((".so", ".dll", ".dylib")) or ".so." in name:
            name = "other shared libraries"
        parts[name] = parts.get(name, 0) + size
    return sorted(parts.items(), key=lambda kv: -kv[1])[:limit]


def can_drop_caches() -> bool:
    return DROP_CACHES.exists() and os.access(DROP_CACHES, os.W_OK)


def drop_caches() -> None:
    os.sync()
    DROP_CACHES.write_text("3\n", encoding="ascii")


def seconds(command: Sequence[str], cold: bool) -> float:
    if cold:
        drop_caches()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def commands_of(program: Sequence[str]) -> set[str]:
    out = subprocess.run(
        [*program, "--help"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    section = out.split("positional arguments:", 1)[-1].split("options:", 1)[0]
    return set(re.findall(r"^ {4}([a-z][a-z0-9-]*)", section, re.M))


def import_costs(data_dir: Path, limit: int = 6) -> list[tuple[str, float]]:
    """Top-level imports of `python -m desktop dgg list --json` by cumulative time."""
    err = subprocess.run(
        [
            *(sys.executable, "-X", "importtime", "-m", "desktop"),
            *("--data-dir", str(data_dir), "dgg", "list", "--json"),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    costs = []
    for line in err.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if found:  # no indent before the name: imported by desktop itself, not by a dependency
            costs.append((found.group(2), int(found.group(1)) / 1e6))
    return sorted(costs, key=lambda c: -c[1])[:limit]


def meter_file(path: Path) -> Path:
    """January 2025 of 15-minute kWh readings (2,976 rows)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Interval Start", "kWh"])
        t = datetime(2025, 1, 1)
        while t < datetime(2025, 2, 1):
            kwh = 0.5 + (t.hour % 5) * 0.25 if 7 <= t.hour < 19 else 0.0
            writer.writerow([t.strftime("%Y-%m-%d %H:%M"), f"{kwh:.3f}"])
            t += timedelta(minutes=15)
    return path


def cases(tmp: Path, available: set[str]) -> list[tuple[str, Callable[[list[str]], list[str]]]]:
    out: list[tuple[str, Callable[[list[str]], list[str]]]] = [
        ("`--version`", lambda p: [*p, "--version"])
    ]
    if "dgg" in available:
        out.append(
            (
                "`dgg list --json` (opens a store)",
                lambda p: [*p, "--data-dir", str(tmp / "store"), "dgg", "list", "--json"],
            )
        )
    if "generation" in available:
        meter = meter_file(tmp / "meter.csv")
        out.append(
            (
                "`generation build` (a month of 15-min data)",
                lambda p: [
                    *p,
                    "--data-dir",
                    str(tmp / "gen"),
                    "generation",
                    "build",
                    "--input",
                    str(meter),
                    "--input-tz",
                    "America/New_York",
                    "--timestamps",
                    "start",
                    "--generator-id",
                    "M805",
                    "--unit-id",
                    "U1",
                    "--granularity",
                    "monthly",
                    "--out",
                    str(tmp / "upload.csv"),
                ],
            )
        )
    return out


def main() -> int:
    if not FROZEN.is_file():
        print(f"packaging: no bundle at {FROZEN.relative_to(ROOT)}; run `make dist` first")
        return 0
    frozen = [str(FROZEN)]
    source = [sys.executable, "-m", "desktop"]
    cold = can_drop_caches()
    size, files = tree_size(BUNDLE)
    debs = sorted((ROOT / "dist").glob("registry-desk_*.deb"))
    rows = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for label, build in cases(tmp, commands_of(frozen) & commands_of(source)):
            for program in (frozen, source):  # warm-up, and creates the store for later runs
                seconds(build(program), cold=False)
            figures = []
            for program in (frozen, source):
                runs = COLD_RUNS if cold else 0
                cold_runs = [seconds(build(program), cold=True) for _ in range(runs)]
                warm_runs = [seconds(build(program), cold=False) for _ in range(WARM_RUNS)]
                figures.append((cold_runs, warm_runs))
            rows.append((label, figures))
        imports = "\n".join(
            f"| `{name}` | {sec:.2f} |" for name, sec in import_costs(tmp / "store")
        )

    def cell(runs: list[float]) -> str:
        if not runs:
            return "–"
        return f"{statistics.median(runs):.2f} ({min(runs):.2f}–{max(runs):.2f})"

    table = (
        "| command | frozen, cold | frozen, warm | from source, cold | from source, warm |\n"
        "|---|---|---|---|---|\n"
    )
    for label, ((fc, fw), (sc, sw)) in rows:
        table += f"| {label} | {cell(fc)} | {cell(fw)} | {cell(sc)} | {cell(sw)} |\n"
    parts = "\n".join(f"| `{name}` | {b / MB:.1f} |" for name, b in largest_parts())
    deb_line = (
        "".join(f"`dist/{d.name}`: {d.stat().st_size / MB:.1f} MB. " for d in debs)
        if debs
        else "No .deb built. "
    )
    cold_note = (
        "Cold: the page cache is dropped before each run."
        if cold
        else "No cold runs: dropping the page cache needs root on Linux."
    )
    body = f"""`bench/packaging.py` on {machine()}; bundle `dist/registry-desk/` from `make dist`
(PyInstaller one-folder).

**Bundle: {size / MB:.0f} MB in {files:,} files.** {deb_line}Largest parts of `_internal/`:

| part | MB |
|---|---|
{parts}

**Start times**, seconds, median (min–max) of {COLD_RUNS} cold and {WARM_RUNS} warm runs, from
process start to exit, Qt offscreen. {cold_note}
"From source" is `python -m desktop` from the checkout with the same Python.

{table}
The command line imports only the command group it is asked for (the window: none, and the
window's first screen does without SQLAlchemy). Slowest imports of `python -m desktop dgg list
--json`, the slowest command above (`-X importtime`, cumulative, seconds; each counted once,
where it is first imported):

| module | s |
|---|---|
{imports}
"""
    print(body)
    write_section("Packaging", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
