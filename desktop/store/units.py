"""DGG units of a draft, saved in bulk (Core executemany: 10,000 rows in about 0.1 s)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from desktop.store import tables as t
from desktop.store.drafts import transaction
from desktop.store.engine import reading


class Units:
    """Units are JSON documents keyed by a stable `uid` (documents refer to units by uid)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self, draft_id: int) -> list[dict[str, Any]]:
        q = (
            select(t.units.c.uid, t.units.c.data)
            .where(t.units.c.draft_id == draft_id)
            .order_by(t.units.c.position)
        )
        with reading(self.engine) as conn:
            return [{**json.loads(r.data), "uid": r.uid} for r in conn.execute(q)]

    def count(self, draft_id: int) -> int:
        with reading(self.engine) as conn:
            rows = conn.execute(select(t.units.c.id).where(t.units.c.draft_id == draft_id))
            return len(rows.all())

    def replace_all(
        self,
        draft_id: int,
        units: Sequence[Mapping[str, Any]],
        conn: Connection | None = None,
    ) -> None:
        """Make the stored units exactly `units`, in order, in one transaction.

        Each unit must carry its `uid`. Rewriting the whole set is simpler than diffing and is
        fast enough for the largest groups (see docs/performance.md).
        """
        rows = []
        for position, unit in enumerate(units):
            uid = str(unit["uid"])
            data = {k: v for k, v in unit.items() if k != "uid"}
            rows.append(
                {
                    "draft_id": draft_id,
                    "uid": uid,
                    "position": position,
                    "data": json.dumps(data, sort_keys=True),
                }
            )
        with transaction(self.engine, conn) as c:
            c.execute(delete(t.units).where(t.units.c.draft_id == draft_id))
            if rows:
                c.execute(insert(t.units), rows)
