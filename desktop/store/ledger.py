"""The fractional-remainder ledger of each generator draft, per fuel (decisions.md).

`get` returns the domain's `RemainderLedger`; `save` replaces a draft's remainders and history
with the ledger's in one transaction (pass `conn` to join a larger one: recording months as
uploaded saves the draft's payload and its ledger together).
"""

from __future__ import annotations

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
