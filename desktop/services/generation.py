"""Generation operations the window and `registry-desk generation` share: everything that
writes a generator's state to the store (its draft, remainder ledger and boundary-hour carry)
and the upload file, each one transaction, so that the two front ends cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange.generation_columns import UploadKind
from desktop.exchange.generation_pipeline import upload_rows
from desktop.exchange.mrets_upload import write_upload
from desktop.models.generation import MonthEnergy, RemainderLedger
from desktop.models.generator import Generator
from desktop.models.generator_draft import (
    KIND,
    GeneratorDraft,
    generator_from_dgg,
    record_uploaded,
)
from desktop.models.intervals import HourlyEnergy
from desktop.models.issues import summary
from desktop.store import DraftRow, Store

# --- the boundary-hour carry -----------------------------------------------------------------


def boundary_carry(store: Store | None, generator_id: str) -> dict[int, float]:
    """The boundary hours kept for a generator (M-RETS ID digits) by earlier builds."""
    if store is None or not generator_id:
        return {}
    return store.boundary_hours.get(generator_id)


def keep_boundary_hours(store: Store | None, generator_id: str, hourly: HourlyEnergy | None) -> int:
    """Keep the hours at the ends of this build's readings for the next build; how many."""
    if store is None or hourly is None or not generator_id:
        return 0
    hours = hourly.boundary_hours()
    store.boundary_hours.keep(generator_id, hours)
    return len(hours)


# --- the upload file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    kind: UploadKind
    rows: int
    bytes: int
    kept_hours: int  # boundary hours kept in the store for the next build


def write_file(
    generator: Generator,
    months: Sequence[MonthEnergy],
    hourly: HourlyEnergy | None,
    out: Path,
    *,
    granularity: str,
    layout: int = 5,
    header: bool = False,
    store: Store | None = None,
) -> Written:
    """Write the upload file (checked, atomic), then keep the boundary hours of the readings
    it came from, so that the next month's hourly file can take its first hour from them."""
    kind, rows = upload_rows(generator, months, hourly, granularity=granularity, layout=layout)
    size = write_upload(out, kind, rows, header=header)
    kept = keep_boundary_hours(store, generator.mrets_id, hourly)
    return Written(out, kind, len(rows), size, kept)


# --- generator drafts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Saved:
    row: DraftRow  # as stored now
    name_taken: bool  # the typed name belongs to another generator; the old name was kept


def save_generator(store: Store, row: DraftRow, draft: GeneratorDraft) -> Saved:
    """Save the draft's payload, name and issue counts; a name another generator has is not
    taken (the rest is saved all the same)."""
    issues = draft.issues()
    name = str(draft.record.get("name") or "").strip()
    rename = bool(name) and name != row.name
    counts: dict[str, Any] = {
        "issue_count": sum(1 for i in issues if i.blocking),
        "issue_summary": summary(issues),
    }
    taken = False
    try:
        store.drafts.save(
            row.id, payload=draft.to_payload(), name=name if rename else None, **counts
        )
    except InputError:
        taken = True
        store.drafts.save(row.id, payload=draft.to_payload(), **counts)
    return Saved(store.drafts.get(row.id), taken)


def create_generator(store: Store, name: str, draft: GeneratorDraft | None = None) -> DraftRow:
    """A new generator draft under a name no other generator has (`name`, `name (2)`, ...)."""
    draft = draft or GeneratorDraft()
    unique = store.drafts.unique_name(KIND, name)
    draft.record["name"] = unique
    issues = draft.issues()
    with store.transaction() as conn:
        row = store.drafts.create(KIND, unique, draft.to_payload(), conn=conn)
        store.drafts.save(
            row.id,
            issue_count=sum(1 for i in issues if i.blocking),
            issue_summary=summary(issues),
            conn=conn,
        )
    return store.drafts.get(row.id)


def create_from_dgg(store: Store, group: DraftRow) -> tuple[DraftRow, tuple[str, ...]]:
    """A generator draft made from a DG Group draft, and notes on what was taken."""
    made = generator_from_dgg(
        group.payload,
        store.units.list(group.id),
        draft_name=group.name,
        registry_id=group.registry_id,
    )
    name = str(made.draft.record.get("name") or group.name)
    return create_generator(store, name, made.draft), made.notes


def record_months_uploaded(
    store: Store,
    draft_id: int,
    draft: GeneratorDraft,
    ledger: RemainderLedger,
    months: Sequence[tuple[int, int]],
    on: date,
) -> DraftRow:
    """Mark the months uploaded and keep the ledger they leave, together or not at all."""
    record_uploaded(draft, months, on)
    with store.transaction() as conn:
        store.drafts.save(draft_id, payload=draft.to_payload(), conn=conn)
        store.ledgers.save(draft_id, ledger, conn=conn)
    return store.drafts.get(draft_id)


def set_remainder(
    store: Store, draft_id: int, ledger: RemainderLedger, remainders: Mapping[str, float]
) -> None:
    """Set the remainder (MWh) the registry holds per fuel, as the user read it there."""
    for fuel, mwh in remainders.items():
        ledger.remainders_kwh[fuel] = round(mwh * 1000)
    store.ledgers.save(draft_id, ledger)
