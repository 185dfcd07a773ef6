"""The sync outbox's rows: submission items and the registry records each one produced.

The queue logic lives in desktop/sync/outbox.py; this module only reads and writes rows, each
public method in one transaction (BEGIN IMMEDIATE), so that two workers can never both take
the same item and an acknowledgement is stored together with the item's progress.
"""

from __future__ import annotations

import builtins
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from desktop.errors import NotFoundError
from desktop.store import tables as t
from desktop.store.drafts import transaction
from desktop.store.engine import reading
from desktop.store.records import decode_json

# queued → sending → accepted | rejected | failed | interrupted (architecture.md rule 8);
# queued or sending → paused → queued when the user pauses and resumes an item
QUEUED = "queued"
SENDING = "sending"
ACCEPTED = "accepted"
REJECTED = "rejected"
FAILED = "failed"
INTERRUPTED = "interrupted"
PAUSED = "paused"
ITEM_STATUSES = (QUEUED, SENDING, PAUSED, ACCEPTED, REJECTED, FAILED, INTERRUPTED)
OPEN_STATUSES = (QUEUED, SENDING, PAUSED, INTERRUPTED, FAILED)
# not sent and not going to be without the user: `sync status` and `sync push` exit 1
ATTENTION_STATUSES = (REJECTED, FAILED, INTERRUPTED)


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    kind: str
    draft_id: int | None
    title: str
    target: str | None
    status: str
    done: int
    total: int
    in_flight: str | None
    message: str
    errors: list[dict[str, Any]]
    registry_id: str | None
    attempts: int
    created_at: float
    updated_at: float
    finished_at: float | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: int
    item_id: int
    key: str
    resource: str
    registry_id: str
    registry_status: str | None
    snapshot: dict[str, Any]
    registry_updated_at: str | None
    difference: list[dict[str, Any]] | None
    acked_at: float
    pulled_at: float | None


_ITEM_COLUMNS = [c for c in t.outbox_items.c if c.name != "plan"]


def _json(values: dict[str, Any], table: str, column: str, default: Any) -> Any:
    """A JSON column's value; a damaged one is a known error (desktop/store/records.py)."""
    return decode_json(
        values[column],
        table=table,
        record_id=values["id"],
        column=column,
        draft_id=values.get("draft_id"),
        default=default,
    )


def _item(r: Any) -> ItemRow:
    values = dict(r._mapping)
    values["errors"] = _json(values, "outbox_items", "errors", [])
    return ItemRow(**values)


def _record(r: Any) -> RecordRow:
    values = dict(r._mapping)
    values["snapshot"] = _json(values, "outbox_records", "snapshot", {})
    values["difference"] = _json(values, "outbox_records", "difference", None)
    return RecordRow(**values)


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- items ---------------------------------------------------------------------------------

    def add(
        self,
        kind: str,
        title: str,
        plan: Sequence[dict[str, Any]],
        *,
        draft_id: int | None = None,
        target: str | None = None,
        conn: Connection | None = None,
    ) -> ItemRow:
        now = time.time()
        values = {
            "kind": kind,
            "draft_id": draft_id,
            "title": title,
            "target": target,
            "status": QUEUED,
            "plan": json.dumps(list(plan)),
            "total": len(plan),
            "created_at": now,
            "updated_at": now,
        }
        with transaction(self.engine, conn) as c:
            new_id = c.execute(insert(t.outbox_items).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            return self.get(int(new_id), conn=c)

    def get(self, item_id: int, conn: Connection | None = None) -> ItemRow:
        q = select(*_ITEM_COLUMNS).where(t.outbox_items.c.id == item_id)
        with transaction(self.engine, conn) if conn else reading(self.engine) as c:
            r = c.execute(q).first()
        if r is None:
            raise NotFoundError(f"There is no outbox item {item_id}.")
        return _item(r)

    def plan(self, item_id: int) -> list[dict[str, Any]]:
        with reading(self.engine) as c:
            raw = c.execute(
                select(t.outbox_items.c.plan).where(t.outbox_items.c.id == item_id)
            ).scalar_one_or_none()
        if raw is None:
            raise NotFoundError(f"There is no outbox item {item_id}.")
        plan: list[dict[str, Any]] = decode_json(
            raw, table="outbox_items", record_id=item_id, column="plan", default=[]
        )
        return plan

    def list(
        self, statuses: Iterable[str] | None = None, *, draft_id: int | None = None
    ) -> builtins.list[ItemRow]:
        """Items, oldest first (the order they are sent in)."""
        q = select(*_ITEM_COLUMNS).order_by(t.outbox_items.c.id)
        if statuses is not None:
            q = q.where(t.outbox_items.c.status.in_(list(statuses)))
        if draft_id is not None:
            q = q.where(t.outbox_items.c.draft_id == draft_id)
        with reading(self.engine) as c:
            return [_item(r) for r in c.execute(q)]

    def counts(self) -> dict[str, int]:
        q = select(t.outbox_items.c.status.label("status"), func.count().label("n")).group_by(
            t.outbox_items.c.status
        )
        with reading(self.engine) as c:
            found = {str(r.status): int(r.n) for r in c.execute(q)}
        return {s: found.get(s, 0) for s in ITEM_STATUSES}

    def take(self, item_id: int) -> bool:
        """queued → sending, only if still queued: two workers never send the same item."""
        with self.engine.begin() as c:
            done = c.execute(
                update(t.outbox_items)
                .where(t.outbox_items.c.id == item_id, t.outbox_items.c.status == QUEUED)
                .values(
                    status=SENDING,
                    attempts=t.outbox_items.c.attempts + 1,
                    updated_at=time.time(),
                )
            )
            return done.rowcount == 1

    def finish(
        self,
        item_id: int,
        status: str,
        message: str = "",
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        conn: Connection | None = None,
    ) -> None:
        if status not in ITEM_STATUSES:
            raise ValueError(f"unknown outbox status {status!r}")
        now = time.time()
        values: dict[str, Any] = {"status": status, "message": message, "updated_at": now}
        if errors is not None:
            values["errors"] = json.dumps(list(errors))
        if status in (ACCEPTED, REJECTED, FAILED, INTERRUPTED):
            values["finished_at"] = now
        with transaction(self.engine, conn) as c:
            c.execute(update(t.outbox_items).where(t.outbox_items.c.id == item_id).values(**values))

    def requeue(self, item_id: int, plan: Sequence[dict[str, Any]] | None = None) -> None:
        """Back to `queued` (Retry): acknowledged records are kept, so nothing is sent twice."""
        values: dict[str, Any] = {
            "status": QUEUED,
            "message": "",
            "errors": "[]",
            "finished_at": None,
            "updated_at": time.time(),
        }
        if plan is not None:
            values["plan"] = json.dumps(list(plan))
            values["total"] = len(plan)
        with self.engine.begin() as c:
            c.execute(update(t.outbox_items).where(t.outbox_items.c.id == item_id).values(**values))

    def set_in_flight(self, item_id: int, key: str | None) -> None:
        """The step about to be sent: if the process dies now, start-up knows what to look up."""
        with self.engine.begin() as c:
            c.execute(
                update(t.outbox_items)
                .where(t.outbox_items.c.id == item_id)
                .values(in_flight=key, updated_at=time.time())
            )

    def recover_sending(self) -> builtins.list[int]:
        """Items a crash left `sending` become `interrupted` (their in-flight step is kept)."""
        sending = select(t.outbox_items.c.id).where(t.outbox_items.c.status == SENDING)
        with reading(self.engine) as c:
            # Usually none: then no write, so a store opened read-only starts without an error.
            if c.execute(sending.limit(1)).first() is None:
                return []
        with self.engine.begin() as c:
            ids = [
                int(i)
                for i in c.execute(
                    select(t.outbox_items.c.id).where(t.outbox_items.c.status == SENDING)
                ).scalars()
            ]
            if ids:
                c.execute(
                    update(t.outbox_items)
                    .where(t.outbox_items.c.id.in_(ids))
                    .values(
                        # "" marks "stopped between two requests": still a crash to reconcile
                        in_flight=func.coalesce(t.outbox_items.c.in_flight, ""),
                        status=INTERRUPTED,
                        message="Registry Desk stopped while this was being sent; it will be "
                        "checked against the registry before anything is sent again.",
                        updated_at=time.time(),
                    )
                )
        return ids

    # --- records -------------------------------------------------------------------------------

    def ack(
        self,
        item_id: int,
        key: str,
        resource: str,
        registry_id: str,
        *,
        registry_status: str | None = None,
        snapshot: dict[str, Any] | None = None,
        registry_updated_at: str | None = None,
        main: bool = False,
    ) -> None:
        """The registry acknowledged step `key`: store its id and move the item's progress on."""
        now = time.time()
        with self.engine.begin() as c:
            exists = c.execute(
                select(t.outbox_records.c.id).where(
                    t.outbox_records.c.item_id == item_id, t.outbox_records.c.key == key
                )
            ).first()
            values = {
                "resource": resource,
                "registry_id": registry_id,
                "registry_status": registry_status,
                "snapshot": json.dumps(snapshot or {}, sort_keys=True),
                "registry_updated_at": registry_updated_at,
                "acked_at": now,
            }
            if exists is None:
                c.execute(insert(t.outbox_records).values(item_id=item_id, key=key, **values))
            else:
                c.execute(
                    update(t.outbox_records)
                    .where(t.outbox_records.c.id == exists.id)
                    .values(**values)
                )
            acked = c.execute(
                select(func.count()).where(t.outbox_records.c.item_id == item_id)
            ).scalar_one()
            item_values: dict[str, Any] = {"done": acked, "in_flight": None, "updated_at": now}
            if main:
                item_values["registry_id"] = registry_id
            c.execute(
                update(t.outbox_items).where(t.outbox_items.c.id == item_id).values(**item_values)
            )

    def records(
        self, item_id: int | None = None, *, changed_only: bool = False
    ) -> builtins.list[RecordRow]:
        q = select(t.outbox_records).order_by(t.outbox_records.c.id)
        if item_id is not None:
            q = q.where(t.outbox_records.c.item_id == item_id)
        if changed_only:
            q = q.where(t.outbox_records.c.difference.is_not(None))
        with reading(self.engine) as c:
            return [_record(r) for r in c.execute(q)]

    def acked(self, item_id: int) -> dict[str, str]:
        """Step key → registry id, for every acknowledged step of the item."""
        q = select(t.outbox_records.c.key, t.outbox_records.c.registry_id).where(
            t.outbox_records.c.item_id == item_id
        )
        with reading(self.engine) as c:
            return {str(k): str(v) for k, v in c.execute(q)}

    def update_record(
        self,
        record_id: int,
        *,
        registry_status: str | None = None,
        snapshot: dict[str, Any] | None = None,
        registry_updated_at: str | None = None,
        difference: builtins.list[dict[str, Any]] | None = None,
        clear_difference: bool = False,
    ) -> None:
        values: dict[str, Any] = {"pulled_at": time.time()}
        if registry_status is not None:
            values["registry_status"] = registry_status
        if snapshot is not None:
            values["snapshot"] = json.dumps(snapshot, sort_keys=True)
        if registry_updated_at is not None:
            values["registry_updated_at"] = registry_updated_at
        if difference is not None:
            values["difference"] = json.dumps(difference, sort_keys=True)
        elif clear_difference:
            values["difference"] = None
        with self.engine.begin() as c:
            c.execute(
                update(t.outbox_records).where(t.outbox_records.c.id == record_id).values(**values)
            )

    def update_record_by_key(
        self,
        item_id: int,
        key: str,
        *,
        registry_status: str | None,
        snapshot: dict[str, Any],
        registry_updated_at: str | None,
    ) -> None:
        with self.engine.begin() as c:
            c.execute(
                update(t.outbox_records)
                .where(t.outbox_records.c.item_id == item_id, t.outbox_records.c.key == key)
                .values(
                    registry_status=registry_status,
                    snapshot=json.dumps(snapshot, sort_keys=True),
                    registry_updated_at=registry_updated_at,
                )
            )

    def record_count(self) -> int:
        with reading(self.engine) as c:
            return int(c.execute(select(func.count()).select_from(t.outbox_records)).scalar_one())
