"""The outbox: submissions queued in the store and sent to the registry, each record once.

An item moves `queued → sending → accepted | rejected | failed | interrupted`. Its plan (see
payloads.py) is sent step by step; a step becomes *sent* only when the registry acknowledged
it (its id is stored at once, with the item's progress, in one transaction). Before a step is
sent its key is written as `in_flight`: after a crash, start-up turns `sending` items into
`interrupted` ones, and `reconcile` looks the in-flight record up in the registry before
anything is sent again, so a create that landed just before the crash is not duplicated.

Offline or a refused key leave the item queued (nothing lost) and stop the flush; a
validation refusal marks it `rejected` with the registry's messages mapped to the draft's
fields (`registry_issues`); server errors that outlast the retries mark it `failed`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.errors import AuthError, InputError, OfflineError
from desktop.models.issues import Issue, error
from desktop.store import Store
from desktop.store import outbox as rows
from desktop.store.outbox import (
    ACCEPTED,
    FAILED,
    INTERRUPTED,
    PAUSED,
    QUEUED,
    REJECTED,
    SENDING,
    ItemRow,
)
from desktop.sync.client import (
    RegistryClient,
    RegistryRefusedError,
    RegistryUnavailableError,
)
from desktop.sync.item_state import partial_state
from desktop.sync.payloads import (
    DocumentInfo,
    EntryInput,
    Step,
    dgg_plan,
    field_label,
    field_of,
    generation_plan,
)
from desktop.sync.steps import StepRunner

# Registry generator status → the draft's status in the drafts list
DRAFT_STATUS_OF = {
    "draft": "Submitted",
    "pending": "Pending review",
    "active": "Approved",
    "approved": "Approved",
    "rejected": "Rejected",
}


class ProgressLike(Protocol):
    """desktop.tasks.Progress, or anything with the same three members."""

    @property
    def cancelled(self) -> bool: ...

    def check(self) -> None: ...

    def update(self, done: int, total: int | None = None, text: str | None = None) -> None: ...


class SendCancelled(Exception):  # noqa: N818 - reads as what happened
    """The user cancelled between two records."""


class _Stopped(Exception):  # noqa: N818 - reads as what happened
    """The item was paused or cancelled (in the store, by the window or the command line)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def repository(store: Store) -> rows.Outbox:
    """The store's outbox repository (the Store may carry one; else one on its engine)."""
    found = getattr(store, "outbox", None)
    return found if isinstance(found, rows.Outbox) else rows.Outbox(store.engine)


# --- queueing ------------------------------------------------------------------------------------


def _documents(store: Store, draft_id: int) -> list[DocumentInfo]:
    return [
        DocumentInfo(d.id, d.doc_type, d.filename, d.sha256, d.unit_uid)
        for d in store.documents.list(draft_id)
    ]


def _ref_of(plan: Sequence[Step]) -> str | None:
    for step in plan:
        lookup = step.get("lookup") or {}
        if step.get("key") == "generator" and lookup.get("ref"):
            return str(lookup["ref"])
    return None


def queue_dgg(store: Store, draft_id: int, *, target: str | None = None) -> ItemRow:
    """Queue the DGG draft's registration; the draft's status becomes "Queued".

    A draft that already has an item gets that item back with a fresh plan from the current
    draft: what the registry already acknowledged is kept and not sent again. After an accepted
    submission (the group was then rejected in review and fixed), the plan updates the existing
    generator, adds what is new and submits again.
    """
    repo = repository(store)
    draft = store.drafts.get(draft_id)
    if draft.kind != "dgg":
        raise InputError(f"'{draft.name}' is not a DGG draft.")
    units = store.units.list(draft_id)
    if not any(u.get("unit_status") in (None, "", "Active") for u in units):
        raise InputError(f"'{draft.name}' has no active units to register.")
    items = [i for i in repo.list(draft_id=draft_id) if i.kind == "dgg"]
    if any(i.status == SENDING for i in items):
        raise InputError(f"'{draft.name}' is being sent right now.")
    previous = items[-1] if items else None
    ref = (_ref_of(repo.plan(previous.id)) if previous else None) or uuid.uuid4().hex[:16]
    acked = repo.acked(previous.id) if previous else {}
    registry_id = draft.registry_id or acked.get("generator")
    resubmission = registry_id is not None and (previous is None or previous.status == ACCEPTED)
    rounds = sum(1 for k in acked if k == "submit" or k.startswith("submit:"))
    plan = dgg_plan(
        draft.payload,
        units,
        _documents(store, draft_id),
        ref=ref,
        name=draft.name,
        registry_id=registry_id if resubmission else None,
        round_number=rounds + 1 if resubmission else max(rounds, 1),
    )
    if previous is not None:
        repo.requeue(previous.id, plan)
        store.drafts.save(draft_id, status="Queued")
        return repo.get(previous.id)
    with store.transaction() as conn:
        item = repo.add(
            "dgg",
            f"DGG registration: {draft.name}",
            plan,
            draft_id=draft_id,
            target=target,
            conn=conn,
        )
        store.drafts.save(draft_id, status="Queued", conn=conn)
    return item


def queue_generation(
    store: Store,
    entries: Sequence[EntryInput],
    *,
    title: str,
    draft_id: int | None = None,
    target: str | None = None,
) -> ItemRow:
    """Queue generation entries (one item; each entry created, then enqueued)."""
    if not entries:
        raise InputError("There is no generation to send.")
    plan = generation_plan(entries)
    return repository(store).add("generation", title, plan, draft_id=draft_id, target=target)


def retry(store: Store, item_id: int) -> ItemRow:
    """Retry a failed, rejected or interrupted item (a DGG gets a fresh plan from its draft)."""
    repo = repository(store)
    item = repo.get(item_id)
    if item.status in (QUEUED, SENDING, ACCEPTED):
        return item
    if item.status == PAUSED:
        return resume(store, item_id)
    if item.kind == "dgg" and item.draft_id is not None:
        return queue_dgg(store, item.draft_id, target=item.target)
    repo.requeue(item_id)
    return repo.get(item_id)


def cancel(store: Store, item_id: int) -> ItemRow:
    """Stop an item (queued, paused or being sent) from going on; it becomes `interrupted`
    and says what the registry holds of it. One being sent stops after the record in flight
    (the sender sees the change before its next record). Retry sends the rest."""
    repo = repository(store)
    item = repo.get(item_id)
    if item.status not in (QUEUED, PAUSED, SENDING):
        return item
    if item.status == SENDING:
        repo.finish(item_id, INTERRUPTED, "Cancelling after the record being sent…")
        return repo.get(item_id)
    repo.set_in_flight(item_id, None)
    repo.finish(item_id, INTERRUPTED, _stopped_message("Cancelled", item, repo))
    if item.draft_id is not None and item.kind == "dgg":
        store.drafts.save(item.draft_id, status="Ready to submit")
    return repo.get(item_id)


def pause(store: Store, item_id: int) -> ItemRow:
    """Hold a queued item, or one being sent after the record in flight; Resume goes on."""
    repo = repository(store)
    item = repo.get(item_id)
    if item.status == QUEUED:
        repo.finish(item_id, PAUSED, f"Paused at {item.done} of {item.total} records.")
    elif item.status == SENDING:
        repo.finish(item_id, PAUSED, "Pausing after the record being sent…")
    return repo.get(item_id)


def resume(store: Store, item_id: int) -> ItemRow:
    """A paused item goes back to the queue (what the registry acknowledged is kept)."""
    repo = repository(store)
    if repo.get(item_id).status == PAUSED:
        repo.requeue(item_id)
    return repo.get(item_id)


def retry_failed(store: Store) -> list[ItemRow]:
    """Queue every failed item again; the record a failure left in flight is looked up in the
    registry before it is sent again (see Sender._send_item)."""
    return [retry(store, i.id) for i in repository(store).list((FAILED,))]


def _stopped_message(what: str, item: ItemRow, repo: rows.Outbox) -> str:
    explained = partial_state(repo.plan(item.id), repo.acked(item.id), kind=item.kind)
    return f"{what} after {item.done} of {item.total} records. {explained}"


def recover(store: Store) -> list[int]:
    """At start-up: items a crash left `sending` become `interrupted` (no network needed)."""
    return repository(store).recover_sending()


def registry_issues(store: Store, draft_id: int) -> list[Issue]:
    """The registry's refusal of the draft's last submission, as issues on the draft's fields."""
    items = [i for i in repository(store).list(draft_id=draft_id) if i.kind == "dgg"]
    if not items or items[-1].status != REJECTED:
        return []
    out: list[Issue] = []
    for e in items[-1].errors:
        row = e.get("row")
        out.append(
            error(
                str(e.get("field") or ""),
                f"Registry: {e.get('message')}",
                row=int(row) if isinstance(row, int) else None,
                page=e.get("page"),
            )
        )
    return out


# --- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendResult:
    item_id: int
    title: str
    status: str
    message: str
    sent: int  # steps acknowledged in this run


class Sender:
    """Sends queued items with one client. Run it off the main thread (desktop.tasks)."""

    def __init__(
        self,
        store: Store,
        client: RegistryClient,
        *,
        load_document: Callable[[int], bytes] | None = None,
    ) -> None:
        self.store = store
        self.repo = repository(store)
        self.client = client
        self.load_document = load_document or store.documents.content
        self._progress: ProgressLike | None = None
        self.steps = StepRunner(client, self._check, self.load_document)

    # -- public --

    def flush(
        self, progress: ProgressLike | None = None, *, item_ids: Sequence[int] | None = None
    ) -> list[SendResult]:
        """Reconcile interrupted items, then send every queued item in order.

        Stops at the first OfflineError or AuthError (raised after the item is back in the
        queue); other items' outcomes are in the results.
        """
        self._progress = progress
        self.reconcile()
        queued = [i for i in self.repo.list((QUEUED,)) if item_ids is None or i.id in item_ids]
        total = sum(max(0, i.total - i.done) for i in queued)
        done = 0
        results: list[SendResult] = []
        for item in queued:
            if not self.repo.take(item.id):
                continue  # another worker took it
            result = self._send_item(self.repo.get(item.id), done, total)
            done += max(0, item.total - item.done)
            results.append(result)
        if progress is not None:
            progress.update(total, total, "Outbox sent" if queued else "Nothing to send")
        return results

    def reconcile(self) -> list[int]:
        """Items interrupted by a crash: look up the request that was in flight, acknowledge it
        if it landed, then queue the item again (or accept it when nothing is left)."""
        done: list[int] = []
        for item in self.repo.list((INTERRUPTED,)):
            if item.in_flight is None:
                continue  # cancelled by the user: waits for Retry
            plan = self.repo.plan(item.id)
            acked = self.repo.acked(item.id)
            step = next((s for s in plan if s["key"] == item.in_flight), None)
            if step is not None and step["key"] not in acked:
                found = self.steps.look_up(step, acked)
                if found is not None:
                    self._ack(item.id, step, found)
                    acked[step["key"]] = str(found["id"])
            self.repo.set_in_flight(item.id, None)
            if all(s["key"] in acked for s in plan):
                self._accepted(item, plan, acked)
            else:
                self.repo.requeue(item.id)
            done.append(item.id)
        return done

    # -- one item --

    def _check(self) -> None:
        if self._progress is not None and self._progress.cancelled:
            raise SendCancelled()

    def _control(self, item_id: int) -> None:
        """Paused or cancelled since it was taken? Then stop before the next record."""
        status = self.repo.get(item_id).status
        if status != SENDING:
            raise _Stopped(status)

    def _send_item(self, item: ItemRow, done_before: int, total: int) -> SendResult:
        if item.message:  # an answer from an earlier attempt ("cannot be reached") is stale now
            self.repo.finish(item.id, SENDING, "")
        plan = self.repo.plan(item.id)
        acked = self.repo.acked(item.id)
        sent = 0
        current: Step | None = None
        for step in plan:
            if step["op"] == "existing" and "generator" not in acked:
                # the group is known to the registry (the outbox was lost or is new)
                known = {"id": step["registry_id"], "type": "generators"}
                self._ack(item.id, {"key": "generator", "op": "known", "main": True}, known)
                acked["generator"] = str(step["registry_id"])
        try:
            for step in plan:
                if step["key"] in acked:
                    continue
                self._check()
                self._control(item.id)
                current = step
                if self._progress is not None:
                    self._progress.update(
                        done_before + sent, total, f"{item.title}: {step['label']}"
                    )
                if item.in_flight == step["key"]:
                    found = self.steps.look_up(step, acked)  # the crash may have left it created
                    if found is not None:
                        self._ack(item.id, step, found)
                        acked[step["key"]] = str(found["id"])
                        sent += 1
                        continue
                self.repo.set_in_flight(item.id, step["key"])
                record = self.steps.run(step, acked)
                self._ack(item.id, step, record)
                acked[step["key"]] = str(record["id"])
                sent += 1
            current = None
            self._accepted(item, plan, acked)
            return self._result(item.id, sent)
        except SendCancelled:
            self.repo.set_in_flight(item.id, None)
            row = self.repo.get(item.id)
            self.repo.finish(item.id, INTERRUPTED, _stopped_message("Cancelled", row, self.repo))
            return self._result(item.id, sent)
        except _Stopped as stop:
            self.repo.set_in_flight(item.id, None)
            row = self.repo.get(item.id)
            if stop.status == PAUSED:
                message = f"Paused at {row.done} of {row.total} records; Resume sends the rest."
            else:
                message = _stopped_message("Cancelled", row, self.repo)
                if item.draft_id is not None and item.kind == "dgg":
                    self.store.drafts.save(item.draft_id, status="Ready to submit")
            self.repo.finish(item.id, stop.status, message)
            return self._result(item.id, sent)
        except (OfflineError, AuthError) as exc:
            # Nothing is lost: back to the queue. in_flight stays set, so the next attempt
            # looks the record up before sending it again.
            self.repo.requeue(item.id)
            self.repo.finish(item.id, QUEUED, str(exc))
            raise
        except RegistryRefusedError as exc:
            self.repo.set_in_flight(item.id, None)
            errors = self._map_errors(current, exc)
            self.repo.finish(item.id, REJECTED, exc.message, errors=errors)
            if item.draft_id is not None and item.kind == "dgg":
                self.store.drafts.save(item.draft_id, status="Rejected")
            return self._result(item.id, sent)
        except RegistryUnavailableError as exc:
            self.repo.finish(item.id, FAILED, str(exc))
            return self._result(item.id, sent)
        except Exception as exc:
            self.repo.finish(item.id, FAILED, f"Unexpected problem: {type(exc).__name__}: {exc}")
            raise

    def _result(self, item_id: int, sent: int) -> SendResult:
        row = self.repo.get(item_id)
        return SendResult(row.id, row.title, row.status, row.message, sent)

    def _accepted(self, item: ItemRow, plan: Sequence[Step], acked: Mapping[str, str]) -> None:
        records = {r.key: r for r in self.repo.records(item.id)}
        submits = [r for k, r in records.items() if k == "submit" or k.startswith("submit:")]
        submit = max(submits, key=lambda r: r.acked_at) if submits else None
        status = submit.registry_status if submit else None
        message = f"The registry acknowledged all {len(plan)} records."
        if item.kind == "dgg" and item.draft_id is not None:
            generator = acked.get("generator")
            self.store.drafts.save(
                item.draft_id,
                status=DRAFT_STATUS_OF.get(status or "", "Submitted"),
                registry_id=generator,
                registry_status=status or "",
            )
            if status == "pending":
                message += " The group is pending the registry's review."
        if item.kind == "generation":
            statuses = [r.registry_status for r in records.values() if r.key.startswith("enqueue:")]
            summary = ", ".join(
                f"{n} {s}" for s, n in sorted(_count(statuses).items()) if s is not None
            )
            if summary:
                message += f" Entries: {summary}."
        self.repo.finish(item.id, ACCEPTED, message)

    # -- steps --

    def _ack(self, item_id: int, step: Step, record: Mapping[str, Any]) -> None:
        attributes = record.get("attributes") or {}
        self.repo.ack(
            item_id,
            step["key"],
            str(record.get("type") or step.get("endpoint", "").split(".")[0]),
            str(record["id"]),
            registry_status=attributes.get("status"),
            snapshot=attributes,
            registry_updated_at=attributes.get("updated_at"),
            main=bool(step.get("main")),
        )
        # Submitting or processing changes the record itself: keep its snapshot current, so
        # that the status pull compares against what the registry last said.
        base = "generator" if step["op"] == "submit" else None
        if step["op"] == "enqueue":
            base = str(step["entry"]["$ref"])
        if base is not None:
            self.repo.update_record_by_key(
                item_id,
                base,
                registry_status=attributes.get("status"),
                snapshot=attributes,
                registry_updated_at=attributes.get("updated_at"),
            )

    def _map_errors(self, step: Step | None, exc: RegistryRefusedError) -> list[dict[str, Any]]:
        scope = (step or {}).get("scope") or {"kind": "group"}
        out = []
        for p in exc.problems:
            kind = scope.get("kind")
            out.append(
                {
                    "field": field_of(scope, p.attribute),
                    "field_label": field_label(field_of(scope, p.attribute)),
                    "message": p.detail,
                    "row": scope.get("index") if kind in ("unit", "fuel", "entry") else None,
                    "uid": scope.get("uid"),
                    "page": {"unit": "units", "fuel": "fuels", "document": "documents"}.get(
                        str(kind)
                    ),
                    "step": (step or {}).get("key"),
                    "label": (step or {}).get("label"),
                    "pointer": p.pointer,
                    "code": p.code,
                }
            )
        return out


def _count(values: Sequence[str | None]) -> dict[str | None, int]:
    out: dict[str | None, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out
