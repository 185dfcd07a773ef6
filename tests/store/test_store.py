"""The draft store on real SQLite files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.errors import InputError, NotFoundError, StoreError, StoreLockedError
from desktop.store import StoreDamagedError, open_store, restore_newest_backup
from desktop.store.files import head_revisions, list_backups


def test_new_store_is_migrated_to_every_head(data_dir: Path) -> None:
    with open_store(data_dir) as s, s.engine.connect() as c:
        revs = {r[0] for r in c.execute(text("SELECT version_num FROM alembic_version"))}
        assert revs == head_revisions()
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_create_list_save_and_reopen(data_dir: Path) -> None:
    with open_store(data_dir) as s:
        d = s.drafts.create("dgg", "Olson Solar", {"group_type": "Residential"})
        s.drafts.save(d.id, payload={"group_type": "Mixed"}, page="units", issue_count=2)
    with open_store(data_dir) as s:
        (row,) = s.list_drafts("dgg")
        assert row.name == "Olson Solar"
        assert row.payload == {"group_type": "Mixed"}
        assert (row.page, row.issue_count, row.status) == ("units", 2, "Draft")


def test_names_are_unique_per_kind_among_live_drafts(store) -> None:  # type: ignore[no-untyped-def]
    store.drafts.create("dgg", "A")
    store.drafts.create("btmg", "A")  # another kind may share the name
    with pytest.raises(InputError, match="already exists"):
        store.drafts.create("dgg", "A")
    assert store.drafts.by_name("dgg", "a").name == "A"
    with pytest.raises(NotFoundError, match="no DGG draft named 'B'"):
        store.drafts.by_name("dgg", "B")


def test_trash_frees_the_name_and_restore_renames(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    store.drafts.trash(d.id)
    assert store.list_drafts("dgg") == []
    assert [r.name for r in store.list_drafts("dgg", trashed=True)] == ["A"]
    store.drafts.create("dgg", "A")
    restored = store.drafts.restore(d.id)
    assert restored.name == "A (2)"
    assert sorted(r.name for r in store.list_drafts("dgg")) == ["A", "A (2)"]


def test_purge_only_from_trash_and_cascades(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    store.units.replace_all(d.id, [{"uid": "u1", "name": "x"}])
    f = tmp_path / "ia.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    store.documents.add(d.id, f, "interconnection_agreement", unit_uid="u1")
    store.drafts.purge(d.id)  # not trashed: nothing happens
    assert store.units.list(d.id)
    store.drafts.trash(d.id)
    store.drafts.purge(d.id)
    assert store.units.list(d.id) == []
    assert store.documents.list(d.id) == []


def test_duplicate_copies_units_and_documents(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A", {"x": 1})
    store.units.replace_all(d.id, [{"uid": "u1", "name": "one"}, {"uid": "u2", "name": "two"}])
    f = tmp_path / "sched.pdf"
    f.write_bytes(b"schedule a")
    store.documents.add(d.id, f, "schedule_a", unit_uid="u2")
    copy = store.drafts.duplicate(d.id)
    assert copy.name == "A (copy)"
    assert copy.payload == {"x": 1}
    assert [u["name"] for u in store.units.list(copy.id)] == ["one", "two"]
    (doc,) = store.documents.list(copy.id)
    assert store.documents.content(doc.id) == b"schedule a"


def test_document_hash_and_change_detection(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    f = tmp_path / "ia.pdf"
    f.write_bytes(b"v1")
    doc = store.documents.add(d.id, f, "interconnection_agreement")
    assert doc.sha256 == "3bfc269594ef649228e9a74bab00f042efc91d5acc6fbee31a382e80d42388fe"
    assert store.documents.original_changed(doc) is False
    f.write_bytes(b"v2")
    assert store.documents.original_changed(doc) is True
    f.unlink()
    assert store.documents.original_changed(doc) is None
    out = store.documents.save_copy(doc.id, tmp_path / "copy.pdf")
    assert out.read_bytes() == b"v1"


def test_unreadable_document_is_a_located_error(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    with pytest.raises(InputError) as info:
        store.documents.add(d.id, tmp_path / "missing.pdf", "other")
    assert "missing.pdf" in str(info.value)


def test_bulk_save_is_all_or_nothing(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    good = [{"uid": f"u{i}", "name": str(i)} for i in range(10_000)]
    store.units.replace_all(d.id, good)
    bad = [*good[:7000], {"uid": "u5", "name": "duplicate uid"}, *good[7000:]]
    with pytest.raises(Exception, match="UNIQUE"):
        store.units.replace_all(d.id, bad)
    assert len(store.units.list(d.id)) == 10_000  # the earlier set is intact


def test_one_transaction_for_a_whole_action(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("dgg", "A")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.drafts.save(d.id, payload={"changed": True}, conn=conn)
        store.units.replace_all(d.id, [{"uid": "u1"}], conn=conn)
        raise RuntimeError("user action failed half way")
    assert store.drafts.get(d.id).payload == {}
    assert store.units.list(d.id) == []


def test_second_editor_is_refused_with_the_holder(data_dir: Path) -> None:
    with open_store(data_dir), pytest.raises(StoreLockedError, match="process"):
        open_store(data_dir)
    open_store(data_dir).close()  # released on close


def test_clean_exit_rotates_backups(data_dir: Path) -> None:
    for _ in range(4):
        open_store(data_dir).close(backup_keep=2)
    assert len(list_backups(data_dir / "backups")) == 2


def test_damaged_store_is_detected_and_restorable(data_dir: Path) -> None:
    s = open_store(data_dir)
    s.drafts.create("dgg", "Keep me")
    s.close(backup_keep=5)
    path = data_dir / "drafts.sqlite3"
    blob = bytearray(path.read_bytes())
    for offset in range(4096, len(blob), 512):  # scribble over every page after the first
        blob[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(blob))
    with pytest.raises(StoreDamagedError) as info:
        open_store(data_dir)
    assert info.value.backups
    restore_newest_backup(data_dir)
    with open_store(data_dir) as s:
        assert [r.name for r in s.list_drafts("dgg")] == ["Keep me"]
    assert list(data_dir.glob("drafts.sqlite3.damaged-*"))  # the damaged file is kept


def test_migration_from_an_old_store_backs_up_first(data_dir: Path) -> None:
    """A store at the first schema revision upgrades to every head, after a backup."""
    path = data_dir / "drafts.sqlite3"
    with open_store(data_dir) as s:
        s.drafts.create("dgg", "Old")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    first = {"drafts", "units", "documents", "alembic_version"}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in tables - first:  # later revisions' tables, dropped to look like a 0001 store
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    if head_revisions() == {"0001"}:
        pytest.skip("only one schema revision exists so far")
    with open_store(data_dir) as s:
        assert s.migration_backup is not None and s.migration_backup.exists()
        assert [r.name for r in s.list_drafts("dgg")] == ["Old"]


def test_head_revisions_read_from_files_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from desktop.store.engine import alembic_config

    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_reads_do_not_wait_for_a_writer(store) -> None:  # type: ignore[no-untyped-def]
    """The window reads while a background job holds the write lock: a read begins deferred
    (a WAL snapshot) instead of queueing for the lock, and sees only committed data."""
    from desktop.store.outbox import Outbox

    d = store.drafts.create("dgg", "A", {"v": 1})
    store.units.replace_all(d.id, [{"uid": "u1", "name": "one"}])
    with store.transaction() as writer:  # BEGIN IMMEDIATE: the write lock is held
        store.drafts.save(d.id, payload={"v": 2}, conn=writer)
        assert [r.payload for r in store.list_drafts("dgg")] == [{"v": 1}]
        assert store.drafts.by_name("dgg", "A").payload == {"v": 1}
        assert [u["name"] for u in store.units.list(d.id)] == ["one"]
        assert store.documents.list(d.id) == []
        assert Outbox(store.engine).list() == []
    assert store.drafts.get(d.id).payload == {"v": 2}


def test_draft_columns_are_the_tables_columns() -> None:
    """The sqlite3 list read names its columns once; they must be the table's, all of them."""
    from desktop.store import tables
    from desktop.store.draft_rows import COLUMNS

    assert set(COLUMNS) == {c.name for c in tables.drafts.c}


def test_list_read_agrees_with_get_for_every_field(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create("btmg", "Site", {"year": "2027-2028", "n": [1, 2]})
    store.drafts.save(d.id, status="Queued", page="owner", issue_count=3, issue_summary="3 issues")
    store.drafts.save(d.id, registry_id="G-1", registry_status="Approved")
    (listed,) = store.list_drafts("btmg")
    assert listed == store.drafts.get(d.id)
    store.drafts.trash(d.id)
    assert store.list_drafts("btmg") == []
    assert store.list_drafts("btmg", trashed=True)[0].deleted_at is not None


def test_a_current_store_opens_and_lists_without_sqlalchemy(data_dir: Path) -> None:
    """The window's first paint needs only the lock, the checks and the drafts list; SQLAlchemy
    loads afterwards (bench/startup.py). A new store still migrates (and so loads it)."""
    with open_store(data_dir) as s:
        s.drafts.create("dgg", "Roofs")
    probe = (
        "import sys; from pathlib import Path; from desktop.store import open_store\n"
        f"s = open_store(Path({str(data_dir)!r}))\n"
        "names = [r.name for r in s.list_drafts('dgg')]\n"
        "before = 'sqlalchemy' in sys.modules\n"
        "s.load(); after = 'sqlalchemy' in sys.modules\n"
        "s.close(); print(names, before, after)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "['Roofs'] False True"


def test_a_damaged_list_read_is_a_known_error(store) -> None:  # type: ignore[no-untyped-def]
    store.drafts.create("dgg", "A")
    conn = sqlite3.connect(store.paths.store)
    conn.execute("ALTER TABLE drafts RENAME TO drafts_gone")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="The drafts cannot be read: no such table: drafts"):
        store.list_drafts("dgg")


def test_restoring_a_backup_keeps_the_replaced_store_and_survives_a_leftover(
    data_dir: Path,
) -> None:
    """The backup is copied beside the store and moved in at once (a crash midway leaves the old
    store, never none); the replaced file is kept byte for byte; a half copy left by an
    interrupted restore is simply redone."""
    from desktop.store.files import restore_backup

    with open_store(data_dir) as s:
        s.drafts.create("dgg", "In the backup")
        backup = s.backup("manual")
        s.drafts.create("dgg", "After the backup")
    path = data_dir / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    (data_dir / "drafts.sqlite3.restoring").write_bytes(b"half a copy")

    restore_backup(backup, path)

    (kept,) = data_dir.glob("drafts.sqlite3.damaged-*[0-9]")
    assert kept.read_bytes() == before
    assert not (data_dir / "drafts.sqlite3.restoring").exists()
    with open_store(data_dir) as s:
        assert [r.name for r in s.list_drafts("dgg")] == ["In the backup"]
