"""Salvaging a damaged store, on real files damaged for real: whole b-tree pages overwritten
with garbage, found by walking the file's b-trees, so each test knows which rows were on them."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop.errors import StoreError
from desktop.store import StoreDamagedError, open_store, recover_store
from desktop.store.files import head_revisions, quick_check
from desktop.store.salvage import salvage
from tests.damage import leaf_pages, scribble

DRAFTS, UNITS_EACH = 40, 50


def build_store(data_dir: Path, files: Path) -> dict[str, dict[int, object]]:
    """40 drafts with 50 units and a document each, through the store API; returns what was
    written, by table and id, and leaves everything in the main file (no -wal)."""
    files.mkdir()
    written: dict[str, dict[int, object]] = {"drafts": {}, "units": {}, "documents": {}}
    with open_store(data_dir) as s:
        for i in range(DRAFTS):
            d = s.drafts.create(
                "dgg",
                f"Group {i:02d}",
                {"group_type": "Residential", "i": i, "notes": "Roof-mounted array. " * 12},
            )
            units = [
                {"uid": f"u{i}-{j}", "name": f"Roof {j}", "ac_mw": "0.005"}
                for j in range(UNITS_EACH)
            ]
            s.units.replace_all(d.id, units)
            doc = files / f"agreement-{i}.pdf"
            doc.write_bytes(bytes([i]) * 900 + b"%%EOF")
            s.documents.add(d.id, doc, "Interconnection agreement")
            written["drafts"][d.id] = d.name
        with s.engine.connect() as c:
            for row in c.exec_driver_sql("SELECT id, draft_id, uid FROM units"):
                written["units"][row[0]] = (row[1], row[2])
            for row in c.exec_driver_sql("SELECT id, draft_id FROM documents"):
                written["documents"][row[0]] = row[1]
    path = data_dir / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert (
        not path.with_name("drafts.sqlite3-wal").exists()
        or not path.with_name("drafts.sqlite3-wal").stat().st_size
    )
    return written


def damage_middle(path: Path) -> dict[str, set[int]]:
    """Scribble over a leaf page of drafts, two of units (of other drafts) and one of documents,
    all in the middle of their tables; returns the row ids that were on them."""
    drafts = sorted(leaf_pages(path, "drafts").items(), key=lambda kv: kv[1][0])
    units = sorted(leaf_pages(path, "units").items(), key=lambda kv: kv[1][0])
    documents = sorted(leaf_pages(path, "documents").items(), key=lambda kv: kv[1][0])
    hit = [drafts[1], units[len(units) // 2], units[len(units) // 2 + 5], documents[-3]]
    scribble(path, [page for page, _ in hit])
    return {
        "drafts": set(hit[0][1]),
        "units": set(hit[1][1]) | set(hit[2][1]),
        "documents": set(hit[3][1]),
    }


@pytest.fixture
def damaged(
    data_dir: Path, tmp_path: Path
) -> tuple[dict[str, dict[int, object]], dict[str, set[int]]]:
    written = build_store(data_dir, tmp_path / "files")
    on_damaged_pages = damage_middle(data_dir / "drafts.sqlite3")
    assert quick_check(data_dir / "drafts.sqlite3") != "ok"
    return written, on_damaged_pages


def _draft(row: object) -> object:
    return row[0] if isinstance(row, tuple) else row


def _expected_lost(
    written: dict[str, dict[int, object]], hit: dict[str, set[int]]
) -> dict[str, set[int]]:
    """Only the rows on damaged pages: units and documents of a lost draft are kept."""
    return {table: set(ids) for table, ids in hit.items()}


def _placeholders(written: dict[str, dict[int, object]], hit: dict[str, set[int]]) -> set[int]:
    """Lost drafts that still have a readable unit or document: remade to hold them."""
    return {
        _draft(row)  # type: ignore[misc]
        for table in ("units", "documents")
        for i, row in written[table].items()
        if _draft(row) in hit["drafts"] and i not in hit[table]
    }


def test_salvage_recovers_every_row_outside_the_damaged_pages(damaged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written, hit = damaged
    source = tmp_path / "data" / "drafts.sqlite3"
    before = source.read_bytes()
    target = tmp_path / "salvaged.sqlite3"
    report = salvage(source, target)

    lost = _expected_lost(written, hit)
    assert 0 < len(hit["drafts"]) < DRAFTS and hit["units"] and hit["documents"]
    placeholders = _placeholders(written, hit)
    assert placeholders and sorted(placeholders) == sorted(report.placeholders)
    conn = sqlite3.connect(target)
    for table in ("drafts", "units", "documents"):
        ids = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
        remade = placeholders if table == "drafts" else set()
        assert ids == (set(written[table]) - lost[table]) | remade, table
        assert report.table(table).recovered == len(ids - remade)
        assert report.table(table).lost == len(lost[table])
    for draft_id in placeholders:  # a DG Group to open, named for what it is
        kind, name, summary = conn.execute(
            "SELECT kind, name, issue_summary FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        assert (kind, name, summary) == ("dgg", f"Recovered draft {draft_id}", "")
    # Units and documents have full indexes that still list every row id; drafts have none
    # (only live names are indexed), so their loss is estimated from the unreadable ids.
    assert report.table("units").exact and report.table("documents").exact
    assert not report.table("drafts").exact
    # The new store's own revision, not the damaged file's.
    assert {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")} == set(
        head_revisions()
    )
    conn.close()
    assert quick_check(target) == "ok"
    assert source.read_bytes() == before  # the damaged file is only read
    assert not list(tmp_path.glob(".salvage-*"))  # the work folder is gone

    d, u, doc = (report.table(t) for t in ("drafts", "units", "documents"))
    assert report.summary().startswith(
        f"Recovered {d.recovered} of about {DRAFTS} drafts, "
        f"{u.recovered:,} of {DRAFTS * UNITS_EACH:,} units "
        f"and {doc.recovered} of {DRAFTS} documents. The units and documents of "
        f"{len(placeholders)} lost draft{'s' * (len(placeholders) != 1)} are kept in "
    )
    assert report.losses().startswith(
        f"About {d.lost} drafts, {u.lost:,} units and {doc.lost} documents"
    )


def test_recover_store_puts_a_readable_store_in_place_and_keeps_the_damaged_file(
    damaged,  # type: ignore[no-untyped-def]
    data_dir: Path,
) -> None:
    written, hit = damaged
    path = data_dir / "drafts.sqlite3"
    damaged_bytes = path.read_bytes()
    with pytest.raises(StoreDamagedError, match="recover what can still be read"):
        open_store(data_dir)

    report = recover_store(data_dir)

    assert report.kept is not None and report.kept.name.startswith("drafts.sqlite3.damaged-")
    assert report.kept.read_bytes() == damaged_bytes
    assert quick_check(path) == "ok"
    lost = _expected_lost(written, hit)
    placeholders = _placeholders(written, hit)
    with open_store(data_dir) as s:
        rows = s.list_drafts("dgg")
        assert {r.id for r in rows} == (set(written["drafts"]) - lost["drafts"]) | placeholders
        for row in rows:
            if row.id in placeholders:
                assert row.name == f"Recovered draft {row.id}" and row.payload == {}
            else:
                assert row.name == written["drafts"][row.id]
                assert row.payload["group_type"] == "Residential"
            assert [u["uid"] for u in s.units.list(row.id)] == [
                uid
                for unit_id, (draft, uid) in sorted(written["units"].items())  # type: ignore[misc]
                if draft == row.id and unit_id not in lost["units"]
            ]
            for doc in s.documents.list(row.id):
                assert s.documents.content(doc.id).endswith(b"%%EOF")
        # The recovered store takes edits like any other.
        s.drafts.create("dgg", "After the recovery")
    assert not (data_dir / "drafts.sqlite3.recovered").exists()


def crashed_with_an_edit_in_the_log(data_dir: Path, tmp_path: Path) -> tuple[Path, bytes]:
    """A copy of a built store, taken as a process that died after committing left it: the
    last edit ("Only in the log") only in the -wal beside the file; then a units page
    damaged. Returns the copy's folder and its -wal's bytes."""
    build_store(data_dir, tmp_path / "files")
    path = data_dir / "drafts.sqlite3"
    hit_units = sorted(leaf_pages(path, "units").items())[3][0]
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(
        "INSERT INTO drafts (kind, name, created_at, updated_at) "
        "VALUES ('dgg', 'Only in the log', 0, 0)"
    )
    for name in ("drafts.sqlite3", "drafts.sqlite3-wal"):
        shutil.copyfile(data_dir / name, crashed / name)
    writer.close()
    scribble(crashed / "drafts.sqlite3", [hit_units])
    wal = (crashed / "drafts.sqlite3-wal").read_bytes()
    assert wal
    return crashed, wal


def test_edits_still_in_the_write_ahead_log_are_recovered_and_the_log_is_kept(
    data_dir: Path, tmp_path: Path
) -> None:
    crashed, wal = crashed_with_an_edit_in_the_log(data_dir, tmp_path)

    report = recover_store(crashed)

    assert report.kept is not None
    assert report.kept.with_name(report.kept.name + "-wal").read_bytes() == wal
    assert (
        not (crashed / "drafts.sqlite3-wal").exists()
        or (crashed / "drafts.sqlite3-wal").read_bytes() != wal
    )
    with open_store(crashed) as s:
        assert "Only in the log" in {r.name for r in s.list_drafts("dgg")}
    assert report.table("drafts").lost == 0 and report.table("units").lost > 0


def test_a_store_damaged_beyond_reading_gives_an_empty_store_and_keeps_the_file(
    data_dir: Path, tmp_path: Path
) -> None:
    build_store(data_dir, tmp_path / "files")
    path = data_dir / "drafts.sqlite3"
    with path.open("r+b") as fh:  # the header and the schema: nothing says where tables are
        fh.write(random.Random(3).randbytes(4096))
    damaged_bytes = path.read_bytes()
    with pytest.raises(StoreDamagedError):
        open_store(data_dir)

    report = recover_store(data_dir)

    assert report.nothing_readable and report.lost_anything
    assert report.summary().startswith("Nothing could be read")
    assert report.kept is not None and report.kept.read_bytes() == damaged_bytes
    with open_store(data_dir) as s:
        assert s.list_drafts("dgg") == []
        s.drafts.create("dgg", "A fresh start")


def test_a_damaged_table_root_loses_that_table_only_and_its_index_counts_the_loss(
    data_dir: Path, tmp_path: Path
) -> None:
    build_store(data_dir, tmp_path / "files")
    path = data_dir / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'units'").fetchone()
    conn.close()
    assert root not in leaf_pages(path, "units")  # an interior page: every unit hangs below it
    scribble(path, [root])
    report = salvage(path, tmp_path / "new.sqlite3")
    units = report.table("units")
    assert (units.recovered, units.lost, units.exact) == (0, DRAFTS * UNITS_EACH, True)
    assert report.table("drafts").recovered == DRAFTS and not report.table("drafts").lost
    assert report.table("documents").recovered == DRAFTS
    assert report.losses().startswith(f"{DRAFTS * UNITS_EACH:,} units could not be recovered")


def test_an_interrupted_recovery_runs_again(damaged, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Killed after salvaging, before the swap: a work folder and a finished new file are left;
    the damaged file is still the store, and a second run completes."""
    written, hit = damaged
    (data_dir / ".salvage-old").mkdir()
    (data_dir / ".salvage-old" / "salvaged.sqlite3").write_bytes(b"half")
    (data_dir / "drafts.sqlite3.recovered").write_bytes(b"stale")

    report = recover_store(data_dir)

    assert not (data_dir / ".salvage-old").exists()
    assert len(list(data_dir.glob("drafts.sqlite3.damaged-*[0-9]"))) == 1
    with open_store(data_dir) as s:
        assert (
            len(s.list_drafts("dgg")) - len(report.placeholders)
            == report.table("drafts").recovered
            == DRAFTS - len(hit["drafts"])
        )
        assert set(report.placeholders) == _placeholders(written, hit)


def test_no_disk_space_is_a_known_error_and_changes_nothing(
    damaged,  # type: ignore[no-untyped-def]
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = data_dir / "drafts.sqlite3"
    before = sorted(p.name for p in data_dir.iterdir())
    damaged_bytes = path.read_bytes()
    almost_full = SimpleNamespace(total=10**9, used=10**9 - 2**20, free=2**20)
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: almost_full)
    with pytest.raises(StoreError, match="free disk space"):
        recover_store(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert path.read_bytes() == damaged_bytes


def test_a_file_from_before_a_migration_recovers_into_the_newest_schema(
    data_dir: Path, tmp_path: Path
) -> None:
    """A file made before the outbox existed: its tables are simply absent (nothing is counted
    as lost) and the new store has them, at the newest revision."""
    build_store(data_dir, tmp_path / "files")
    path = data_dir / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE outbox_records")
    conn.execute("DROP TABLE outbox_items")
    conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.commit()
    conn.close()
    report = salvage(path, tmp_path / "new.sqlite3")
    assert not report.lost_anything
    assert report.summary().startswith(
        f"Recovered everything: {DRAFTS} drafts, {DRAFTS * UNITS_EACH:,} units and "
        f"{DRAFTS} documents."
    )
    new = sqlite3.connect(tmp_path / "new.sqlite3")
    assert new.execute("SELECT count(*) FROM outbox_items").fetchone() == (0,)
    assert {r[0] for r in new.execute("SELECT version_num FROM alembic_version")} == set(
        head_revisions()
    )
    new.close()


def test_command_line_recovers_and_leaves_a_healthy_store_alone(
    damaged,  # type: ignore[no-untyped-def]
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from desktop.cli import main

    _, hit = damaged
    assert main(["dgg", "list", "--data-dir", str(data_dir)]) == 1
    assert "Run 'registry-desk store recover'" in capsys.readouterr().err

    assert main(["store", "recover", "--data-dir", str(data_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["damaged"] is True and out["kept"].startswith(
        str(data_dir / "drafts.sqlite3.damaged-")
    )
    assert out["tables"]["drafts"]["recovered"] == DRAFTS - len(hit["drafts"])
    assert out["summary"].startswith("Recovered ")

    assert main(["store", "recover", "--data-dir", str(data_dir)]) == 0
    assert "not damaged" in capsys.readouterr().out
    assert len(list(data_dir.glob("drafts.sqlite3.damaged-*[0-9]"))) == 1
    assert main(["dgg", "list", "--data-dir", str(data_dir)]) == 0


def test_the_start_up_check_leaves_a_damaged_stores_log_for_recovery(
    data_dir: Path, tmp_path: Path
) -> None:
    """open_store's quick_check reads the file read-only: closing it must not fold the -wal
    (the newest edits) into the damaged file before recovery copies both."""
    crashed, wal = crashed_with_an_edit_in_the_log(data_dir, tmp_path)

    with pytest.raises(StoreDamagedError):
        open_store(crashed)

    assert (crashed / "drafts.sqlite3-wal").read_bytes() == wal  # the log is still there
    report = recover_store(crashed)
    assert report.kept is not None
    assert report.kept.with_name(report.kept.name + "-wal").read_bytes() == wal
    with open_store(crashed) as s:
        assert "Only in the log" in {r.name for r in s.list_drafts("dgg")}
