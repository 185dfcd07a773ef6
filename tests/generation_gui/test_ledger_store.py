"""The remainder ledger and generator drafts in the store, on real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from desktop.models.generation import MonthEnergy, RemainderLedger, preview
from desktop.models.generator import Generator
from desktop.models.generator_draft import KIND, GeneratorDraft
from desktop.store import open_store


def sample_ledger() -> RemainderLedger:
    book = RemainderLedger("805")
    book.apply("01/2025", "Biogas", 1_250)
    book.apply("01/2025", "Biomass", 430)
    book.apply("02/2025", "Biogas", 2_900)
    return book


def test_ledger_round_trips_through_a_reopened_store(data_dir: Path) -> None:
    with open_store(data_dir) as s:
        d = s.drafts.create(KIND, "Digester")
        s.ledgers.save(d.id, sample_ledger())
    with open_store(data_dir) as s:
        got = s.ledgers.get(d.id, "805")
    want = sample_ledger()
    assert got.remainders_kwh == want.remainders_kwh == {"Biogas": 150, "Biomass": 430}
    assert got.history == want.history
    assert got.to_json() == want.to_json()


def test_an_unknown_draft_has_an_empty_ledger(store) -> None:  # type: ignore[no-untyped-def]
    book = store.ledgers.get(999, "805")
    assert book.remainders_kwh == {} and book.history == []


def test_save_replaces_the_whole_ledger(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create(KIND, "G")
    store.ledgers.save(d.id, sample_ledger())
    store.ledgers.save(d.id, RemainderLedger("805", {"Solar": -120}))
    got = store.ledgers.get(d.id)
    assert got.remainders_kwh == {"Solar": -120}  # negative remainders (adjustments) are kept
    assert got.history == []


def test_ledgers_of_two_drafts_stay_apart(store) -> None:  # type: ignore[no-untyped-def]
    a = store.drafts.create(KIND, "A")
    b = store.drafts.create(KIND, "B")
    store.ledgers.save(a.id, sample_ledger())
    store.ledgers.save(b.id, RemainderLedger("9", {"Wind": 5}))
    assert store.ledgers.get(a.id).remainders_kwh == {"Biogas": 150, "Biomass": 430}
    assert store.ledgers.get(b.id).remainders_kwh == {"Wind": 5}


def test_payload_and_ledger_are_saved_all_or_nothing(store) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create(KIND, "G", GeneratorDraft().to_payload())
    draft = GeneratorDraft.from_payload(store.drafts.get(d.id).payload)
    draft.workspace.uploaded[(2025, 1)] = "2025-02-03"
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.drafts.save(d.id, payload=draft.to_payload(), conn=conn)
        store.ledgers.save(d.id, sample_ledger(), conn=conn)
        raise RuntimeError("the disk filled up")
    assert store.ledgers.get(d.id).remainders_kwh == {}
    assert GeneratorDraft.from_payload(store.drafts.get(d.id).payload).workspace.uploaded == {}
    with store.transaction() as conn:
        store.drafts.save(d.id, payload=draft.to_payload(), conn=conn)
        store.ledgers.save(d.id, sample_ledger(), conn=conn)
    assert store.ledgers.get(d.id).remainders_kwh == {"Biogas": 150, "Biomass": 430}
    assert GeneratorDraft.from_payload(store.drafts.get(d.id).payload).workspace.uploaded == {
        (2025, 1): "2025-02-03"
    }


def test_purging_a_generator_removes_its_ledger(store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    d = store.drafts.create(KIND, "G")
    store.ledgers.save(d.id, sample_ledger())
    store.drafts.trash(d.id)
    assert store.ledgers.get(d.id).remainders_kwh  # the trash keeps everything
    store.drafts.purge(d.id)
    conn = sqlite3.connect(data_dir / "drafts.sqlite3")
    try:
        for table in ("generation_ledger", "generation_ledger_entries"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)
    finally:
        conn.close()


def test_a_first_schema_store_gains_the_ledger_tables(data_dir: Path) -> None:
    path = data_dir / "drafts.sqlite3"
    with open_store(data_dir) as s:
        d = s.drafts.create(KIND, "Old generator")
    conn = sqlite3.connect(path)
    first = {"drafts", "units", "documents", "alembic_version"}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in tables - first:  # every later revision's tables: a store at revision 0001
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.commit()
    conn.close()
    with open_store(data_dir) as s:
        assert s.migration_backup is not None
        s.ledgers.save(d.id, sample_ledger())
        assert s.ledgers.get(d.id).remainders_kwh["Biogas"] == 150
        assert s.drafts.get(d.id).name == "Old generator"


def test_a_stored_ledger_carries_into_the_next_preview(store) -> None:  # type: ignore[no-untyped-def]
    gen = Generator("805", "U1", 0.5, capacity_factor=20.0, fuels=("Solar",))
    d = store.drafts.create(KIND, "G")
    first = preview([MonthEnergy(2025, 1, 1.6)], gen, today=date(2025, 2, 1))
    store.ledgers.save(d.id, first.ledger)
    again = preview(
        [MonthEnergy(2025, 2, 1.5)], gen, today=date(2025, 3, 1), ledger=store.ledgers.get(d.id)
    )
    assert [m.carry_in_mwh for m in again.months] == [0.6]
    assert [m.certificates for m in again.months] == [2]
    assert again.ledger.remainder("Solar") == 100
