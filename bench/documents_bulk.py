"""Bulk documents: match a developer's folder to a DGG's units, then store it in one transaction.

* matching 4,000 files to 1,000 units, from the dropped folder to the preview's plan
  (`desktop.services.units.match_documents`: units read from the store, folder walked, every
  file matched): goal ≤ 1 s
* attaching them (`attach_documents`: read, SHA-256, insert, units' file names and the issue
  summary, one transaction) against hashing the same files with hashlib alone, in interleaved
  rounds, min and median: goal ≤ 1.5×

    python bench/documents_bulk.py [--units 1000] [--rounds 5] [--no-write]

The inputs are generated in a temporary folder (tests/dgg/document_folders.py: four small
PDFs per unit, 2-12 KB, named by meter ID, address, sub-folder and compact meter ID) that is
removed afterwards. Writes the "## Documents in bulk" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._perfdoc import machine, write_section
from desktop.services.units import attach_documents, match_documents
from desktop.store import open_store
from desktop.store.documents import Attachment
from tests.dgg.document_folders import make_group, write_folder


def hash_alone(files: list[Path]) -> None:
    for path in files:
        with open(path, "rb") as fh:
            hashlib.sha256(fh.read()).hexdigest()


def run(n_units: int, rounds: int, root: Path) -> dict[str, float]:
    data = root / "data"
    with open_store(data) as store:
        draft_id, units = make_group(store, "Bench", n_units)
    folder = root / "docs"
    files = []
    for start in range(0, n_units, 100):  # sizes vary: 2-12 KB
        part = units[start : start + 100]
        files += write_folder(folder, part, size=2048 + (start * 97) % 10240, seed=start)

    match_times: list[float] = []
    with open_store(data) as store:
        for _ in range(rounds):
            t0 = time.perf_counter()
            plan = match_documents(store, draft_id, [folder])
            match_times.append(time.perf_counter() - t0)
    assert plan.complete and len(plan.matches) == len(files), plan.counts()

    hash_times: list[float] = []
    attach_times: list[float] = []
    store_times: list[float] = []
    for r in range(rounds):
        t0 = time.perf_counter()
        hash_alone(files)
        hash_times.append(time.perf_counter() - t0)
        # a fresh store each round, so every round attaches into the same state
        round_data = root / f"round{r}"
        shutil.copytree(data, round_data, ignore=shutil.ignore_patterns("*.lock"))
        with open_store(round_data) as store:
            t0 = time.perf_counter()
            result = attach_documents(store, draft_id, plan.matches)
            attach_times.append(time.perf_counter() - t0)
            assert result.documents == len(files)
        shutil.rmtree(round_data)
        # the floor: the same files read, hashed and inserted, committed, nothing else
        shutil.copytree(data, round_data, ignore=shutil.ignore_patterns("*.lock"))
        with open_store(round_data) as store:
            items = [Attachment(m.file.path, m.doc_type or "", m.unit_uids) for m in plan.matches]
            t0 = time.perf_counter()
            store.documents.add_many(draft_id, items)
            store_times.append(time.perf_counter() - t0)
        shutil.rmtree(round_data)
    return {
        "store_min": min(store_times),
        "store_median": statistics.median(store_times),
        "files": len(files),
        "megabytes": sum(p.stat().st_size for p in files) / 1e6,
        "match_min": min(match_times),
        "match_median": statistics.median(match_times),
        "hash_min": min(hash_times),
        "hash_median": statistics.median(hash_times),
        "attach_min": min(attach_times),
        "attach_median": statistics.median(attach_times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="registry-desk-bench-") as tmp:
        r = run(args.units, args.rounds, Path(tmp))
    ratio_min = r["attach_min"] / r["hash_min"]
    ratio_median = r["attach_median"] / r["hash_median"]
    ok = r["match_median"] <= 1.0 and ratio_min <= 1.5 and ratio_median <= 1.5
    table = (
        "| measure | min | median | goal |\n|---|---:|---:|---:|\n"
        f"| match {int(r['files']):,} files to {args.units:,} units (to the preview) "
        f"| {r['match_min']:.3f} s | {r['match_median']:.3f} s | ≤ 1 s |\n"
        f"| hashlib alone: read + SHA-256 of every file | {r['hash_min']:.3f} s "
        f"| {r['hash_median']:.3f} s | |\n"
        f"| attach all in one transaction (read, SHA-256, insert, summary) "
        f"| {r['attach_min']:.3f} s | {r['attach_median']:.3f} s | |\n"
        f"| attach ÷ hashlib alone | {ratio_min:.2f}× | {ratio_median:.2f}× | ≤ 1.5× |\n"
        f"| of which the store alone (read, SHA-256, insert, commit: `add_many`) "
        f"| {r['store_min']:.3f} s | {r['store_median']:.3f} s | |\n"
    )
    print(table)
    verdict = "All goals met." if ok else "GOAL MISSED."
    body = (
        f"`bench/documents_bulk.py` on {machine()}, {args.rounds} interleaved rounds. "
        f"{int(r['files']):,} generated PDFs ({r['megabytes']:.0f} MB, 2–12 KB each) for "
        f"{args.units:,} units, named by meter ID, street address, a sub-folder per unit and "
        "the meter ID without its dash; every file matches.\n\n"
        f"{table}\n{verdict} Matching indexes every unit's meter ID, name and address once "
        "(words joined without separators) and looks up each run of words in a file name, so "
        "a file costs a few dozen dictionary look-ups whatever the number of units. Storing "
        "reads and hashes files on three threads ahead of the single writer (file reads and "
        "hashlib release the GIL) and inserts in batches of 200 rows.\n\n"
        "The 1.5× goal is not met. Writing the copies is the floor: decisions.md keeps every "
        "file inside the store, so each byte hashed is also written into SQLite (WAL pages) "
        "and made durable by the commit's fsync (`synchronous=FULL`); the store alone "
        "(`add_many`, last row) already costs several times the hashing. The rest of the "
        "attach is the draft's issue count and the units' file names in the same "
        "transaction. Left to decide: keep the copies in the store (durable, one file to "
        "back up) or store content-addressed files beside it."
    )
    if not args.no_write:
        write_section("Documents in bulk", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
