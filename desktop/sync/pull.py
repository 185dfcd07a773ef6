"""Status pull: refresh what the registry says about the records Registry Desk sent.

Statuses belong to the registry (pending → active, waiting_approval → approved, an entry
issued or held): they are applied to the outbox records and to the draft's registry status.
Everything else belongs to the user: when a record's other attributes changed in the registry
since they were last seen (someone edited it in the portal), the change is kept as a
*difference* beside the record and shown; neither the draft nor the last-seen snapshot is
overwritten until the user accepts it (`accept_difference`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.errors import RegistryError
from desktop.store import Store
from desktop.store.outbox import RecordRow
from desktop.sync.client import RegistryClient, RegistryRefusedError
from desktop.sync.outbox import DRAFT_STATUS_OF, ProgressLike, repository

# Attributes the registry changes by itself in a record's normal life (not user edits).
REGISTRY_OWNED = frozenset(
    {
        "status",
        "status_reason",
        "status_control",
        "pending_reasons",
        "effective_date",
        "created_at",
        "updated_at",
        "mrets_id",
        "fractional_remainders",
        "issued_quantity",
        "quantity_mwh",
        "date_of_action",
        "action_info",
        "has_entry_lines_profile",
        "entry_lines_interval_in_minutes",
        "nameplate_capacity_unit",
        "generator_fuels",
    }
)
# A DG group's nameplate and COD are derived from its units by the registry.
DERIVED_FOR_GROUP = frozenset({"nameplate_capacity", "commenced_operation_date"})
FINAL = {
    "generators": {"active", "rejected"},
    "dg_units": {"approved", "rejected", "deactivated"},
    "generation_entries": {"issued", "accepted", "rejected"},
}


@dataclass(frozen=True, slots=True)
class StatusChange:
    record_id: int
    label: str
    before: str | None
    after: str | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Difference:
    record_id: int
    label: str
    fields: list[dict[str, Any]]


@dataclass
class PullResult:
    checked: int = 0
    changes: list[StatusChange] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "status_changes": [
                {"record": c.label, "from": c.before, "to": c.after, "reason": c.reason}
                for c in self.changes
            ],
            "differences": [{"record": d.label, "fields": d.fields} for d in self.differences],
        }


def compare(
    before: Mapping[str, Any], after: Mapping[str, Any], *, dg_group: bool
) -> list[dict[str, Any]]:
    """User-owned attributes whose value differs: [{field, before, after}]."""
    ignored = REGISTRY_OWNED | (DERIVED_FOR_GROUP if dg_group else frozenset())
    out = []
    for name in sorted(set(before) | set(after)):
        if name in ignored:
            continue
        if before.get(name) != after.get(name):
            out.append({"field": name, "before": before.get(name), "after": after.get(name)})
    return out


def _label(record: RecordRow) -> str:
    name = record.snapshot.get("facility_name") or record.snapshot.get("name")
    if record.resource == "generation_entries":
        start = str(record.snapshot.get("generation_period_start") or "")[:10]
        end = str(record.snapshot.get("generation_period_end") or "")[:10]
        return f"Generation {start}–{end}"
    kind = {"generators": "Group", "dg_units": "Unit"}.get(record.resource, record.resource)
    return f"{kind} {name or record.registry_id}"


def _tracked(record: RecordRow) -> bool:
    return record.key == "generator" or record.key.startswith(("unit:", "entry:"))


def pull(
    store: Store,
    client: RegistryClient,
    progress: ProgressLike | None = None,
    *,
    everything: bool = False,
) -> PullResult:
    """Refresh every record that is not final (or all of them with `everything`)."""
    repo = repository(store)
    records = [r for r in repo.records() if _tracked(r)]
    if not everything:
        records = [
            r
            for r in records
            if r.registry_status not in FINAL.get(r.resource, set()) or r.key == "generator"
        ]
    result = PullResult()
    check = progress.check if progress is not None else None
    units_by_generator: dict[str, dict[str, dict[str, Any]]] = {}
    generator_of_item: dict[int, str] = {
        r.item_id: r.registry_id for r in repo.records() if r.key == "generator"
    }
    for done, record in enumerate(records):
        if progress is not None:
            progress.update(done, len(records), f"Checking {_label(record)}")
        try:
            if record.resource == "dg_units" and record.item_id in generator_of_item:
                generator = generator_of_item[record.item_id]
                if generator not in units_by_generator:
                    units_by_generator[generator] = {
                        str(u["id"]): u
                        for u in client.iter_list(
                            "dg_units.list", {"generator_id": generator}, check=check
                        )
                    }
                fresh = units_by_generator[generator].get(record.registry_id)
            else:
                name = {
                    "generators": "generators.show",
                    "dg_units": "dg_units.show",
                    "generation_entries": "entries.show",
                }[record.resource]
                fresh = client.get(name, record.registry_id, check=check)
        except RegistryRefusedError as exc:
            if exc.status != 404:
                raise
            fresh = None
        result.checked += 1
        if fresh is None:
            repo.update_record(
                record.id,
                registry_status="deleted",
                difference=[{"field": "(record)", "before": "present", "after": "deleted"}],
            )
            result.differences.append(Difference(record.id, _label(record), []))
            continue
        _apply(store, record, fresh, result)
    if progress is not None:
        progress.update(len(records), len(records), "Statuses are up to date")
    return result


def _apply(store: Store, record: RecordRow, fresh: Mapping[str, Any], result: PullResult) -> None:
    repo = repository(store)
    attrs: dict[str, Any] = dict(fresh.get("attributes") or {})
    status = attrs.get("status")
    diff = compare(record.snapshot, attrs, dg_group=bool(record.snapshot.get("dg_group")))
    # The snapshot keeps the user-owned values last agreed on; only registry-owned ones move.
    snapshot = dict(record.snapshot)
    snapshot.update({k: v for k, v in attrs.items() if k in REGISTRY_OWNED or k not in snapshot})
    repo.update_record(
        record.id,
        registry_status=status,
        snapshot=snapshot,
        registry_updated_at=attrs.get("updated_at"),
        difference=diff or None,
        clear_difference=not diff,
    )
    if status != record.registry_status:
        reason = (
            attrs.get("status_reason") or attrs.get("action_info") or attrs.get("status_control")
        )
        result.changes.append(
            StatusChange(record.id, _label(record), record.registry_status, status, reason)
        )
    if diff:
        result.differences.append(Difference(record.id, _label(record), diff))
    if record.key == "generator":
        item = repo.get(record.item_id)
        if item.draft_id is not None:
            store.drafts.save(
                item.draft_id,
                status=DRAFT_STATUS_OF.get(str(status), None),
                registry_status=str(status or ""),
            )


def accept_difference(store: Store, record_id: int) -> None:
    """The user saw the registry's change and keeps it: it becomes the last-seen value."""
    repo = repository(store)
    record = next((r for r in repo.records() if r.id == record_id), None)
    if record is None:
        raise RegistryError(f"There is no synced record {record_id}.")
    snapshot = dict(record.snapshot)
    for change in record.difference or []:
        if change.get("field") != "(record)":
            snapshot[str(change["field"])] = change.get("after")
    repo.update_record(record_id, snapshot=snapshot, clear_difference=True)


def differences(store: Store) -> list[RecordRow]:
    """Records with a registry change not yet accepted."""
    return [r for r in repository(store).records(changed_only=True) if r.difference]
