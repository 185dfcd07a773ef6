"""DGG units of a draft, saved in bulk (Core executemany: 10,000 rows in about 0.1 s)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, cast, delete, insert, select

from desktop.store import tables as t
from desktop.store.drafts import transaction
from desktop.store.engine import reading
from desktop.store.records import decode_json, draft_name_in


class Units:
    """Units are JSON documents keyed by a stable `uid` (documents refer to units by uid)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self, draft_id: int) -> list[dict[str, Any]]:
        """The draft's units in order; RecordDamagedError names a unit that cannot be read."""
        q = (
            select(t.units.c.id, t.units.c.uid, cast(t.units.c.data, LargeBinary).label("data"))
            .where(t.units.c.draft_id == draft_id)
            .order_by(t.units.c.position)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(q).all()
        return [{**self._data(r.id, r.data, draft_id), "uid": r.uid} for r in rows]

    def _data(self, unit_id: int, raw: bytes, draft_id: int) -> dict[str, Any]:
        data = decode_json(
            raw,
            table="units",
            record_id=unit_id,
            column="data",
            draft_id=draft_id,
            draft_name=lambda: draft_name_in(Path(str(self.engine.url.database)), draft_id),
            default={},
            expect=dict,
        )
        return dict(data)

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
