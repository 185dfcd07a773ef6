"""Time the units grid and the units file with 10,000 units, against plain openpyxl / csv.

Run: QT_QPA_PLATFORM=offscreen python bench/units.py [--units N] [--write]
(--write replaces the "## Units grid and units file" section of docs/performance.md)

Every input is generated here. Each figure is the median of --repeat runs; peak memory is the
process's maximum resident size at the end (the whole run, Qt included).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from desktop.exchange import units_rules
from desktop.exchange.units_file import export_units, read_units_file
from desktop.models.fields import check_record
from desktop.models.units import UNIT_FIELDS, new_unit
from desktop.store import open_store
from desktop.views.units_clipboard import parse_tsv, to_tsv
from desktop.views.units_grid_view import UnitsGridView
from desktop.views.units_table_model import FIELDS

GROUP = {
    "state_province": "Minnesota",
    "group_type": "Mixed",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}
SECTION = "## Units grid and units file"


def make_units(n: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        new_unit(
            name=f"Site {i:05d}",
            meter_id=f"M{100000 + i}",
            street=f"{100 + i} Main St",
            city=rng.choice(["Saint Paul", "Minneapolis", "Duluth", "Rochester"]),
            state_province="Minnesota",
            postal_code=f"55{rng.randint(100, 999)}",
            county="Ramsey",
            latitude=round(44.9 + rng.random() / 10, 4),
            longitude=round(-93.1 - rng.random() / 10, 4),
            capacity_mw=round(rng.uniform(0.05, 0.09) / 1000, 6),
            cod=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
            utility="Xcel Energy",
            customer_type=rng.choice(["Residential", "Commercial"]),
            expansion=rng.random() < 0.05,
            owned_by_org=True,
            fuel_type="Solar",
            fuel_source="Solar PV",
        )
        for i in range(n)
    ]


def median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def open_grid(app: QApplication, store: Any, draft_id: int) -> UnitsGridView:
    view = UnitsGridView(store, draft_id)
    watcher = FirstPaint()
    view.table.viewport().installEventFilter(watcher)
    view.resize(1200, 700)
    view.show()
    while not watcher.painted:
        app.processEvents()
    view.table.viewport().removeEventFilter(watcher)
    return view


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    n, repeat = args.units, args.repeat
    app = QApplication.instance() or QApplication([])
    units = make_units(n)
    tmp = Path(tempfile.mkdtemp(prefix="bench-units-"))
    store = open_store(tmp / "data")
    draft = store.drafts.create("dgg", "Bench", dict(GROUP))
    store.units.replace_all(draft.id, units_rules.units_to_json(units))
    rows: list[tuple[str, float, str, float | None, str]] = []

    # Open the grid: store -> typed units -> model -> first paint of the table.
    views: list[UnitsGridView] = []

    def do_open() -> None:
        views.append(open_grid(app, store, draft.id))

    t = median(do_open, repeat)
    rows.append(("open the grid to first paint", t, "≤ 0.5", None, ""))
    view = views[-1]
    app.processEvents()  # the deferred first validation

    # Paste a 10,000 x 15 block (parse, undo command, validation) into the grid.
    block = [
        [("" if j == 9 else str(v)) for j, v in enumerate(row[:15])]
        for row in (
            [
                f"P{i}",
                f"X{i}",
                "2 Elm St",
                "Duluth",
                "MN",
                "55802",
                "St. Louis",
                "46.78",
                "-92.1",
                "0.0000 kW",
                "2020-05-01",
                "Minnesota Power",
                "Residential",
                "No",
                "Yes",
            ]
            for i in range(n)
        )
    ]
    text = to_tsv(block)

    def do_paste() -> None:
        view.select_block(0, 0, 0, 0)
        view.paste(text)

    t = median(do_paste, repeat)
    csv_t = median(lambda: parse_tsv(text), repeat)
    rows.append(
        (f"paste {n:,} × 15 cells with validation", t, "≤ 2", csv_t, "csv.reader of the text")
    )
    view.saver.flush()

    # Sort: the slowest of all columns.
    model = view.model
    worst = 0.0
    for column in range(len(FIELDS)):
        worst = max(worst, median(lambda c=column: model.sort(c), repeat))
    plain = list(units)
    base = median(lambda: sorted(plain, key=lambda u: u["name"]), repeat)
    rows.append(("sort any column (slowest column)", worst, "≤ 0.2", base, "sorted() of the dicts"))

    t = median(lambda: units_rules.check(GROUP, units), repeat)
    base = median(lambda: [check_record(UNIT_FIELDS, u) for u in units], repeat)
    rows.append(("validate every unit (DGG rules)", t, "≤ 0.3", base, "fields.check_record only"))

    xlsx, csv_path = tmp / "units.xlsx", tmp / "units.csv"
    t = median(lambda: export_units(xlsx, units), repeat)
    base = median(lambda: _openpyxl_write(tmp / "plain.xlsx", units), repeat)
    rows.append(("export XLSX", t, "≤ 3", base, "openpyxl write_only, plain rows"))
    t = median(lambda: export_units(csv_path, units), repeat)
    base = median(lambda: _csv_write(tmp / "plain.csv", units), repeat)
    rows.append(("export CSV", t, "", base, "csv.writer, plain rows"))

    def do_import(path: Path) -> None:
        result = read_units_file(path)
        result.evaluate(GROUP)
        assert not result.blocking_rows, result.issues[:3]

    t = median(lambda: do_import(xlsx), repeat)
    base = median(lambda: _openpyxl_read(xlsx), repeat)
    rows.append(("import XLSX (read + check)", t, "≤ 1.5", base, "openpyxl read_only, values only"))
    t = median(lambda: do_import(csv_path), repeat)
    base = median(lambda: _csv_read(csv_path), repeat)
    rows.append(("import CSV (read + check)", t, "≤ 0.5", base, "csv.reader, values only"))

    view.flush()
    view.close()
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory (MB, whole run)", peak, "≤ 400", None, ""))
    table = render(rows, n)
    print(table)
    if args.write:
        write_section(table, n)


def _openpyxl_write(path: Path, units: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Units")
    sheet.append([s.label for s in UNIT_FIELDS])
    for unit in units:
        sheet.append([_plain(unit.get(s.key)) for s in UNIT_FIELDS])
    book.save(path)


def _openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    count = sum(1 for _ in book["Units"].iter_rows(values_only=True))
    book.close()
    return count


def _csv_write(path: Path, units: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([s.label for s in UNIT_FIELDS])
        writer.writerows([_plain(unit.get(s.key)) for s in UNIT_FIELDS] for unit in units)


def _csv_read(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return sum(1 for _ in csv.reader(fh))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def render(rows: list[tuple[str, float, str, float | None, str]], n: int) -> str:
    lines = [
        f"| operation ({n:,} units) | Registry Desk (s) | target (s) | baseline (s) "
        "| baseline is |",
        "|---|---:|---:|---:|---|",
    ]
    for name, value, target, base, what in rows:
        figure = f"{value:.0f}" if name.startswith("peak") else f"{value:.3f}"
        shown = f"{base:.3f}" if base is not None else "—"
        lines.append(f"| {name} | {figure} | {target} | {shown} | {what} |")
    return "\n".join(lines)


def write_section(table: str, n: int) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    body = (
        f"{SECTION}\n\n"
        f"`bench/units.py`: {n:,} generated units, median of 3 runs, offscreen Qt, 2-core "
        "Debian 12, Python 3.11, other jobs sharing the CPUs. Baselines do the same I/O with "
        "openpyxl or the csv module alone, without header matching, type conversion or checks. "
        "The grid opens without a fetchMore window: the view asks only for visible cells, so "
        "first paint does not grow with the row count (the cost is reading the store); the "
        "checks run right after the first paint.\n\n"
        f"{table}\n"
    )
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
