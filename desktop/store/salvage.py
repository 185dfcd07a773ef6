"""Salvage a damaged store: copy every row SQLite can still read into a fresh store.

Debian's `sqlite3 .recover` does not work (engineering-notes.md); reading rows in rowid ranges
and splitting a range that raises `DatabaseError` down to single rows loses only the rows on
damaged pages. The damaged file is never written to: it is copied (with its write-ahead log,
which may hold the newest edits) into a work folder and read there.

The new store is made at the newest schema by the normal migrations, filled in one transaction
with foreign keys on, and moved to `target` only once complete. Units and documents whose draft
row was lost are kept: they go into a new DG Group draft named "Recovered draft <id>" (units
only exist in DG Groups), so that hundreds of typed units do not go with one damaged page.
Other rows the new store refuses (ledger or outbox rows of a lost draft) are counted as lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.errors import StoreError
from desktop.store.records import JSON_COLUMNS, SetAside, screen_row

# What the user calls each table's rows, in the order the summary names them.
ROW_NAMES = {
    "drafts": ("draft", "drafts"),
    "units": ("unit", "units"),
    "documents": ("document", "documents"),
    "generation_ledger": ("ledger remainder", "ledger remainders"),
    "generation_ledger_entries": ("ledger entry", "ledger entries"),
    "outbox_items": ("queued submission", "queued submissions"),
    "outbox_records": ("registry record", "registry records"),
}
# Tables whose rows outlive a lost draft, in a placeholder draft (see the module's doc).
KEPT_WITHOUT_DRAFT = frozenset({"units", "documents"})
PLACEHOLDER_NAME = "Recovered draft {id}"
# Single unreadable rows probed per table at most; a damaged rightmost page with no known
# upper rowid would otherwise be probed up to the end of the range.
PROBE_BUDGET = 100_000
UNKNOWN_END = 2**31


@dataclass
class TableSalvage:
    """One table's outcome. `lost` counts rows that could not be read plus rows the new store
    refused; `exact` is False when the damaged file no longer says how many rows it held and
    `lost` is an estimate from the unreadable row ids; `readable` is False when nothing of the
    table could be read at all."""

    table: str
    recovered: int = 0
    lost: int = 0
    exact: bool = True
    readable: bool = True

    @property
    def total(self) -> int:
        return self.recovered + self.lost

    def noun(self, count: int) -> str:
        one, many = ROW_NAMES.get(self.table, (f"{self.table} row", f"{self.table} rows"))
        return one if count == 1 else many


@dataclass
class SalvageReport:
    source: Path
    tables: list[TableSalvage] = field(default_factory=list)
    # Where the damaged file was kept, once recover_store has put the new store in place.
    kept: Path | None = None
    # Ids of lost drafts remade as placeholders, to hold their units and documents.
    placeholders: list[int] = field(default_factory=list)
    # Rows left out because their content cannot be decoded, and the file that keeps them.
    set_aside: list[SetAside] = field(default_factory=list)
    set_aside_file: Path | None = None

    def table(self, name: str) -> TableSalvage:
        return next(t for t in self.tables if t.table == name)

    @property
    def lost_anything(self) -> bool:
        return bool(self.set_aside) or any(
            t.lost or not t.exact or not t.readable for t in self.tables
        )

    @property
    def nothing_readable(self) -> bool:
        return all(not t.readable for t in self.tables)

    def summary(self) -> str:
        """One sentence for the user, e.g. "Recovered 48 of 50 drafts, 1,912 of 2,000 units and
        12 of 12 documents."."""
        if self.nothing_readable:
            return (
                "Nothing could be read from the damaged draft store; "
                "a new, empty store was started."
            )
        shown = [t for t in self.tables if t.table == "drafts" or t.total or not t.readable]
        if not self.lost_anything:
            parts = [f"{t.recovered:,} {t.noun(t.recovered)}" for t in shown]
            return f"Recovered everything: {_join(parts)}."
        kept = ""
        if self.placeholders:
            n = len(self.placeholders)
            kept = (
                f" The units and documents of {n} lost draft{'s' * (n != 1)} are kept in "
                f"{'new DG Group drafts' if n != 1 else 'a new DG Group draft'} named "
                f"'{PLACEHOLDER_NAME.format(id=self.placeholders[0])}'"
                + (" and so on" if n > 1 else "")
                + "."
            )
        parts = []
        for t in shown:
            if not t.readable:
                parts.append(f"no {t.noun(2)} (they could not be read)")
            else:
                about = "" if t.exact else "about "
                parts.append(f"{t.recovered:,} of {about}{t.total:,} {t.noun(t.total)}")
        return f"Recovered {_join(parts)}.{kept}"

    def losses(self) -> str:
        """What was lost, in one sentence (empty when nothing was)."""
        parts = []
        for t in self.tables:
            if not t.readable:
                parts.append(f"all {t.noun(2)}")
            elif t.lost or not t.exact:
                about = "" if t.exact else "about "
                parts.append(f"{about}{t.lost:,} {t.noun(t.lost)}")
        if not parts:
            return ""
        text = _join(parts)
        lost = (
            f"{text[0].upper()}{text[1:]} could not be recovered: they were on damaged parts of "
            "the file, their content could not be read, or they belonged to a draft that was lost."
        )
        if self.set_aside:
            kept = f" (kept in {self.set_aside_file.name})" if self.set_aside_file else ""
            lost += (
                f" Set aside as unreadable{kept}: "
                + "; ".join(r.record.describe() for r in self.set_aside)
                + "."
            )
        return lost

    def to_json(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "kept": str(self.kept) if self.kept else None,
            "summary": self.summary(),
            "placeholder_drafts": list(self.placeholders),
            "set_aside": [r.record.to_json() for r in self.set_aside],
            "set_aside_file": str(self.set_aside_file) if self.set_aside_file else None,
            "tables": {
                t.table: {
                    "recovered": t.recovered,
                    "lost": t.lost,
                    "exact": t.exact,
                    "readable": t.readable,
                }
                for t in self.tables
            },
        }


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class _TargetError(Exception):
    """The new store could not be written (disk full...): stops the salvage. Not a
    DatabaseError, so the read loop does not take it for a damaged page."""


def salvage(damaged: Path, target: Path) -> SalvageReport:
    """Copy what can be read from `damaged` into a new store at `target` (replaced atomically).

    `damaged` and its sidecars are only read. Raises StoreError when the new store cannot be
    written (no space, no permission); a damaged file gives a report, never an error.
    """
    _check_space(damaged, target.parent)
    work = Path(tempfile.mkdtemp(prefix=".salvage-", dir=target.parent))
    try:
        source = work / "damaged.sqlite3"
        shutil.copyfile(damaged, source)
        wal = damaged.with_name(damaged.name + "-wal")
        if wal.exists():  # committed edits not yet checkpointed; the copy replays them
            shutil.copyfile(wal, source.with_name(source.name + "-wal"))
        fresh = work / "salvaged.sqlite3"
        _new_store(fresh)
        report = SalvageReport(source=damaged)
        _copy_all(source, fresh, report)
        os.replace(fresh, target)
        return report
    except OSError as exc:
        raise StoreError(
            f"The damaged store could not be recovered: {exc.strerror or exc}. Nothing was "
            "changed; free some disk space or check the folder's permissions, then try again.",
            where=str(target.parent),
        ) from None
    except _TargetError as exc:
        raise StoreError(
            f"The recovered store could not be written: {exc}. Nothing was changed; free "
            "some disk space, then try again.",
            where=str(target.parent),
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_space(damaged: Path, folder: Path) -> None:
    size = damaged.stat().st_size
    wal = damaged.with_name(damaged.name + "-wal")
    if wal.exists():
        size += wal.stat().st_size
    need = 2 * size + 16 * 2**20  # the copy read from, and the new store
    free = shutil.disk_usage(folder).free
    if free < need:
        raise StoreError(
            f"Recovering the draft store needs about {need / 2**20:,.0f} MB of free disk "
            f"space and only {free / 2**20:,.0f} MB is free. Free some space, then try again.",
            where=str(folder),
        )


def _new_store(path: Path) -> None:
    """An empty store at the newest schema, through the same migrations as every store."""
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415 - SQLAlchemy, lazily

    from desktop.store.engine import make_engine, migrate  # noqa: PLC0415

    engine = make_engine(path)
    try:
        migrate(engine, path, path.parent / "backups")
    except SQLAlchemyError as exc:  # no space for even an empty store, a read-only folder
        raise _TargetError(str(getattr(exc, "orig", None) or exc)) from None
    finally:
        engine.dispose()


def _copy_all(source: Path, fresh: Path, report: SalvageReport) -> None:
    dst = sqlite3.connect(fresh, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys=ON")
        dst.execute("PRAGMA synchronous=FULL")
        tables = _tables_in_order(dst)
        src: sqlite3.Connection | None = None
        try:
            # An empty file would read as an empty database: nothing in it can be read.
            if source.stat().st_size:
                src = sqlite3.connect(source, isolation_level=None)
        except sqlite3.DatabaseError:
            src = None
        try:
            present = _source_tables(src) if src is not None else None
            dst.execute("BEGIN IMMEDIATE")
            for table in tables:
                report.tables.append(_copy_table(src, dst, table, present, report))
            dst.execute("COMMIT")
        finally:
            if src is not None:
                src.close()
        # A single file, no -wal beside it, so that moving it moves everything; the app's
        # engine turns WAL back on when it connects.
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise _TargetError(str(exc)) from None
    finally:
        dst.close()


def _source_tables(src: sqlite3.Connection) -> set[str] | None:
    """The damaged file's tables; None when its schema cannot be read (then nothing can)."""
    try:
        # More damage shows up as an error instead of as garbage values.
        src.execute("PRAGMA cell_size_check=ON")
        src.execute("PRAGMA query_only=ON")
        return {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        return None


def _tables_in_order(dst: sqlite3.Connection) -> list[str]:
    """The new schema's tables, each after the tables it references (drafts before units)."""
    names = [
        r[0]
        for r in dst.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' ORDER BY rowid"
        )
    ]
    refs = {n: {r[2] for r in dst.execute(f'PRAGMA foreign_key_list("{n}")')} for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and refs[n] <= {*ordered, n}]
        ordered.extend(ready or [n for n in names if n not in ordered])  # a cycle: keep order
    return ordered


def _copy_table(
    src: sqlite3.Connection | None,
    dst: sqlite3.Connection,
    table: str,
    present: set[str] | None,
    report: SalvageReport,
) -> TableSalvage:
    result = TableSalvage(table)
    if present is not None and table not in present:
        # The schema was read, so the file never had this table (made before the migration
        # that adds it): nothing to copy, nothing lost.
        return result
    try:
        have = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')} if src else set()
    except sqlite3.DatabaseError:
        have = set()
    if src is None or not have:  # the schema or the table's definition cannot be read
        result.readable = False
        result.exact = False
        return result
    columns = [r[1] for r in dst.execute(f'PRAGMA table_info("{table}")') if r[1] in have]
    col_list = ", ".join(f'"{c}"' for c in columns)
    # JSON columns as bytes: text that is not UTF-8 must reach screen_row, not fail the read.
    json_columns = JSON_COLUMNS.get(table, ((), None, ""))[0]
    read_list = ", ".join(
        f'CAST("{c}" AS BLOB)' if c in json_columns else f'"{c}"' for c in columns
    )
    select = f'SELECT rowid, {read_list} FROM "{table}" NOT INDEXED WHERE '
    ranges = select + "rowid >= ? AND rowid < ? ORDER BY rowid"
    insert = f'INSERT INTO "{table}" ({col_list}) VALUES ({", ".join("?" * len(columns))})'
    draft_at = (
        columns.index("draft_id") if table in KEPT_WITHOUT_DRAFT and "draft_id" in columns else None
    )
    expected = _expected_rowids(src, table)
    first, last, last_known = _rowid_bounds(src, table, expected)

    read: set[int] = set()
    unreadable: list[int] = []
    refused = 0
    for rowid, stored in _readable_rows(
        src, ranges, select + "rowid = ?", first, last + 1, unreadable
    ):
        read.add(rowid)
        values, aside = screen_row(table, rowid, columns, stored, lambda d: _name(dst, d))
        if aside is not None:  # its content cannot be decoded: kept aside, counted as lost
            report.set_aside.append(aside)
            refused += 1
            continue
        try:
            try:
                dst.execute(insert, values)
            except sqlite3.IntegrityError:
                draft_id = values[draft_at] if draft_at is not None else None
                if not _placeholder(dst, draft_id, report):
                    raise
                dst.execute(insert, values)  # into the draft made for it
        except sqlite3.IntegrityError:  # a duplicate live name, garbage, a lost draft's ledger
            refused += 1
        except sqlite3.Error as exc:
            raise _TargetError(str(exc)) from None
    result.recovered = len(read) - refused
    count = len(expected) if expected is not None else _row_count(src, table)
    if expected is not None:
        result.lost = len(expected - read) + refused
    elif count is not None:
        result.lost = max(count - len(read), 0) + refused
    else:
        # Nothing says how many rows there were: row ids are handed out in order, so the
        # unreadable ids up to the highest one known are a fair estimate.
        result.exact = False
        bound = last if last_known else max(read, default=0)
        result.lost = sum(1 for r in unreadable if r <= bound) + refused
    if not read and result.lost == 0 and unreadable:
        result.readable = False
    return result


def _name(dst: sqlite3.Connection, draft_id: int | None) -> str | None:
    row = dst.execute("SELECT name FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    return str(row[0]) if row else None


def _placeholder(dst: sqlite3.Connection, draft_id: object, report: SalvageReport) -> bool:
    """Make a DG Group draft with the lost draft's id to hold its units and documents; False
    when the draft is there already (the row was refused for another reason) or the id is not
    one (garbage)."""
    if not isinstance(draft_id, int) or draft_id in report.placeholders:
        return False
    if dst.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
        return False
    now = time.time()
    base = PLACEHOLDER_NAME.format(id=draft_id)
    for n in range(1, 100):
        name = base if n == 1 else f"{base} ({n})"
        try:
            dst.execute(
                "INSERT INTO drafts (id, kind, name, status, payload, page, issue_count, "
                "issue_summary, created_at, updated_at) "
                "VALUES (?, 'dgg', ?, 'Draft', '{}', '', 0, '', ?, ?)",
                (draft_id, name, now, now),
            )
        except sqlite3.IntegrityError:
            continue  # a live draft has that name already
        report.placeholders.append(draft_id)
        return True
    return False


def _readable_rows(
    src: sqlite3.Connection,
    ranges: str,
    single: str,
    start: int,
    end: int,
    unreadable: list[int],
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Rows with rowid in [start, end), skipping damaged pages: a range that raises is split
    in two, down to single rows, and the rows read before the error are kept.

    A single row is looked up by `rowid = ?`: a range scan steps on to the next row to see
    where the range ends, and Python's sqlite3 steps ahead too, so the last row before a
    damaged page would be lost with it.
    """
    budget = PROBE_BUDGET
    pending = [(start, end)]
    while pending:
        lo, hi = pending.pop()
        done = lo
        try:
            rows = src.execute(single, (lo,)) if hi - lo == 1 else src.execute(ranges, (lo, hi))
            for row in rows:
                done = int(row[0]) + 1
                yield done - 1, tuple(row[1:])
        except sqlite3.DatabaseError:
            if hi - done <= 1:
                if hi - done == 1:
                    unreadable.append(done)
                    budget -= 1
                continue
            if budget <= 0:
                continue  # give up on this range; the counts say how much was lost
            mid = (done + hi) // 2
            pending.append((mid, hi))
            pending.append((done, mid))  # popped first: rows come out in rowid order


def _expected_rowids(src: sqlite3.Connection, table: str) -> set[int] | None:
    """The table's row ids as one of its (full) indexes lists them: an index lives on pages of
    its own, so it often still says which rows a damaged table held."""
    try:
        indexes = [r[1] for r in src.execute(f'PRAGMA index_list("{table}")') if not r[4]]
    except sqlite3.DatabaseError:
        return None
    for index in indexes:
        try:
            return {
                int(r[0]) for r in src.execute(f'SELECT rowid FROM "{table}" INDEXED BY "{index}"')
            }
        except sqlite3.DatabaseError:
            continue
    return None


def _row_count(src: sqlite3.Connection, table: str) -> int | None:
    try:
        return int(src.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def _rowid_bounds(
    src: sqlite3.Connection, table: str, expected: set[int] | None
) -> tuple[int, int, bool]:
    """The lowest and highest row id to read, and whether the highest is known: from the table,
    else its index, else a wide guess (a damaged first or last page hides them)."""
    low: int | None = min(expected) if expected else None
    high: int | None = max(expected) if expected else None
    known = expected is not None
    for func in ("min", "max"):
        try:
            value = src.execute(f'SELECT {func}(rowid) FROM "{table}"').fetchone()[0]
        except sqlite3.DatabaseError:
            continue
        if func == "max":
            known = True  # the table's own last page answered, even if with "empty"
        if value is None:
            continue
        if func == "min":
            low = int(value) if low is None else min(low, int(value))
        else:
            high = int(value) if high is None else max(high, int(value))
    first = min(low, 1) if low is not None else 1
    if high is not None:
        return first, high, True
    return (1, 0, True) if known else (first, UNKNOWN_END, False)
