"""What the store carries from one generation build to the next, per generator.

`Ledgers`: the fractional-remainder ledger of each generator draft, per fuel (decisions.md).
`get` returns the domain's `RemainderLedger`; `save` replaces a draft's remainders and history
with the ledger's in one transaction (pass `conn` to join a larger one: recording months as
uploaded saves the draft's payload and its ledger together).

`BoundaryHours`: the boundary-hour carry, the hours at the ends of earlier builds that a later
hourly file may need at its month's edge (docs/generation.md), by M-RETS ID.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from sqlalchemy import Connection, Engine, delete, insert, select

from desktop.models.generation import LedgerEntry, RemainderLedger
from desktop.store import tables as t
from desktop.store.drafts import transaction
from desktop.store.engine import reading


class Ledgers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, draft_id: int, generator_id: str = "") -> RemainderLedger:
        """The draft's ledger; an empty one when nothing was recorded yet."""
        led = t.generation_ledger
        ent = t.generation_ledger_entries
        with reading(self.engine) as conn:
            remainders = {
                r.fuel: int(r.remainder_kwh)
                for r in conn.execute(
                    select(led.c.fuel, led.c.remainder_kwh).where(led.c.draft_id == draft_id)
                )
            }
            history = [
                LedgerEntry(
                    r.vintage,
                    r.fuel,
                    int(r.carry_in_kwh),
                    int(r.added_kwh),
                    int(r.certificates),
                    int(r.carry_out_kwh),
                )
                for r in conn.execute(
                    select(ent).where(ent.c.draft_id == draft_id).order_by(ent.c.position)
                )
            ]
        return RemainderLedger(generator_id or str(draft_id), remainders, history)

    def save(self, draft_id: int, ledger: RemainderLedger, conn: Connection | None = None) -> None:
        """Make the stored ledger of `draft_id` exactly `ledger`, all or nothing."""
        remainders = [
            {"draft_id": draft_id, "fuel": fuel, "remainder_kwh": int(kwh)}
            for fuel, kwh in sorted(ledger.remainders_kwh.items())
        ]
        entries = [
            {
                "draft_id": draft_id,
                "position": i,
                "vintage": e.vintage,
                "fuel": e.fuel,
                "carry_in_kwh": e.carry_in_kwh,
                "added_kwh": e.added_kwh,
                "certificates": e.certificates,
                "carry_out_kwh": e.carry_out_kwh,
            }
            for i, e in enumerate(ledger.history)
        ]
        with transaction(self.engine, conn) as c:
            c.execute(delete(t.generation_ledger).where(t.generation_ledger.c.draft_id == draft_id))
            c.execute(
                delete(t.generation_ledger_entries).where(
                    t.generation_ledger_entries.c.draft_id == draft_id
                )
            )
            if remainders:
                c.execute(insert(t.generation_ledger), remainders)
            if entries:
                c.execute(insert(t.generation_ledger_entries), entries)


KEEP_BOUNDARY_HOURS = 2000  # per generator: years of monthly builds; older ones are dropped


class BoundaryHours:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, generator_id: str) -> dict[int, float]:
        """UTC minute of each kept hour's start -> kWh."""
        b = t.generation_boundary_hours
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(b.c.hour_start, b.c.kwh).where(b.c.generator_id == generator_id)
            )
            return {int(r.hour_start): float(r.kwh) for r in rows}

    def keep(
        self, generator_id: str, hours: Mapping[int, float], conn: Connection | None = None
    ) -> None:
        """Add or replace `hours`, then drop the oldest beyond KEEP_BOUNDARY_HOURS."""
        if not hours:
            return
        b = t.generation_boundary_hours
        now = time.time()
        with transaction(self.engine, conn) as c:
            c.execute(
                delete(b).where(b.c.generator_id == generator_id, b.c.hour_start.in_(sorted(hours)))
            )
            c.execute(
                insert(b),
                [
                    {"generator_id": generator_id, "hour_start": h, "kwh": v, "kept_at": now}
                    for h, v in sorted(hours.items())
                ],
            )
            stale = (
                select(b.c.id)
                .where(b.c.generator_id == generator_id)
                .order_by(b.c.hour_start.desc())
                .offset(KEEP_BOUNDARY_HOURS)
            )
            c.execute(delete(b).where(b.c.id.in_(stale)))
