"""Time the DGG unit rules on generated groups (10,000 units is the largest group we plan for).

Run: python bench/dgg_rules.py [--write]   (--write updates the "## DGG rules" section of
docs/performance.md)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.models.dgg_rules import check_group_totals, check_units
from desktop.models.units import new_unit

GROUP = {
    "state_province": "Minnesota",
    "group_type": "Mixed",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}


def make_units(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    units = []
    for i in range(n):
        units.append(
            new_unit(
                name=f"Site {i:05d}",
                meter_id=f"M{100000 + i}",
                street=f"{100 + i} Main St",
                city="Saint Paul",
                state_province="Minnesota",
                postal_code=f"55{rng.randint(100, 999)}",
                county="Ramsey",
                latitude=44.9 + rng.random() / 10,
                longitude=-93.1 - rng.random() / 10,
                capacity_mw=round(rng.uniform(0.003, 0.012), 6),
                cod=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                utility="Xcel Energy",
                customer_type=rng.choice(["Residential", "Commercial"]),
                expansion=rng.random() < 0.05,
                owned_by_org=rng.random() < 0.8,
                fuel_type="Solar",
                fuel_source="Solar PV",
            )
        )
    # a few realistic problems so the issue paths are timed too
    units[10]["meter_id"] = units[20]["meter_id"]
    units[30]["state_province"] = "Wisconsin"
    units[40]["cod"] = None
    return units


def timed(fn, *args, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    rows = []
    for n in (100, 1_000, 10_000):
        units = make_units(n)
        t_units = timed(lambda u: check_units(GROUP, u, today=date(2026, 1, 1)), units)
        t_total = timed(lambda u: check_group_totals(GROUP, u), units)
        rows.append((n, t_units, t_total))
    lines = ["| units | check_units (s) | check_group_totals (s) |", "|---:|---:|---:|"]
    lines += [f"| {n:,} | {a:.3f} | {b:.4f} |" for n, a, b in rows]
    table = "\n".join(lines)
    print(table)
    if "--write" in sys.argv:
        write_section(table)


def write_section(table: str) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    body = (
        "## DGG rules\n\n"
        "`bench/dgg_rules.py`: every unit-level and cross-unit rule over generated groups "
        "(median of 5 runs, 2-core Debian 12, Python 3.11). "
        "Target: 10,000 units in at most 0.3 s.\n\n"
        f"{table}\n"
    )
    start = text.find("## DGG rules")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
