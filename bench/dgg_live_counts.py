"""Live issue counts in the DGG wizard: the count after one edit in a 10,000-unit draft.

The wizard's session (`DggSession.issues()`, which is `desktop.services.dgg.LiveIssues`) is
asked for the draft's issues after each kind of edit, on the main thread, as the steps, the
page and the Review page ask after every keystroke:

* a field of the group typed (the Owner page)
* one unit replaced (an edit on the Units page)
* one document attached (the documents list replaced by the store's new list)

Goal: ≤ 50 ms each. The first count (opening the draft) is shown for comparison: it checks
every unit. The saves themselves are not timed (they run after the typing pauses).

    python bench/dgg_live_counts.py [--units 10000] [--edits 20] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication

from bench._perfdoc import machine, write_section
from desktop.services.dgg import draft_issues
from desktop.store import open_store
from desktop.store.documents import DocumentRow
from desktop.wizards.dgg_session import DggSession
from tests.dgg.document_folders import make_group


def run(n_units: int, edits: int, root: Path) -> dict[str, list[float]]:
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    out: dict[str, list[float]] = {"first": [], "group": [], "unit": [], "document": []}
    with open_store(root / "data") as store:
        draft_id, _units = make_group(store, "Bench", n_units)
        session = DggSession(store, draft_id)
        t0 = time.perf_counter()
        session.issues()
        out["first"].append(time.perf_counter() - t0)
        for n in range(edits):
            session.group["owner_city"] = f"Saint Paul {n}"
            t0 = time.perf_counter()
            session.touch()
            session.issues()
            out["group"].append(time.perf_counter() - t0)

            units = list(session.units)
            k = (n * 397) % len(units)
            units[k] = {**units[k], "capacity_mw": 0.00011 + n / 1e7}
            t0 = time.perf_counter()
            session.units = units
            session.issues()
            out["unit"].append(time.perf_counter() - t0)

            doc = DocumentRow(
                n + 1, draft_id, units[k]["uid"], "Schedule A", "a.pdf", "", "0" * 64, 1, 0.0
            )
            t0 = time.perf_counter()
            session.documents = [*session.documents, doc]
            issues = session.issues()
            out["document"].append(time.perf_counter() - t0)
        assert issues == draft_issues(session.group, session.units, session.documents)
        session.deleteLater()
    del app
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="registry-desk-bench-") as tmp:
        r = run(args.units, args.edits, Path(tmp))
    rows = [
        ("a group field typed", "group"),
        ("one unit replaced", "unit"),
        ("one document attached", "document"),
    ]
    ok = all(statistics.median(r[key]) <= 0.05 for _label, key in rows)
    table = (
        "| count after | min (ms) | median (ms) | max (ms) | goal |\n|---|---:|---:|---:|---:|\n"
    )
    for label, key in rows:
        times = r[key]
        table += (
            f"| {label} | {1000 * min(times):.1f} | {1000 * statistics.median(times):.1f} "
            f"| {1000 * max(times):.1f} | ≤ 50 ms |\n"
        )
    table += f"| (opening the draft: every unit checked) | | {1000 * r['first'][0]:.0f} | | |\n"
    print(table)
    verdict = "All goals met." if ok else "GOAL MISSED."
    body = (
        f"`bench/dgg_live_counts.py` on {machine()}: a {args.units:,}-unit DGG draft open in "
        f"the wizard's session, {args.edits} edits of each kind, the count asked on the main "
        "thread right after each edit.\n\n"
        f"{table}\n{verdict} `LiveIssues` keeps what the rules read from each unit object (its "
        "own issues, meter, capacity, customer type, documents lacking) and puts the draft's "
        "issues together in one pass; an edit of the group alone reuses that pass. The result "
        "is checked equal to `draft_issues` (what `dgg check` and the drafts list use)."
    )
    if not args.no_write:
        write_section("DGG live issue counts", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
