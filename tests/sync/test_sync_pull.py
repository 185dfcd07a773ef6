"""Status pull: registry statuses come back; a record edited in the registry is a difference."""

from __future__ import annotations

from pathlib import Path

from desktop.sandbox import admin
from desktop.store import Store
from desktop.sync import outbox, pull
from desktop.sync.client import RegistryClient
from desktop.sync.outbox import Sender, queue_dgg, queue_generation
from tests.sync.helpers import make_dgg, months


def test_statuses_come_back_and_edits_in_the_registry_are_shown_not_applied(
    store: Store, tmp_path: Path, client: RegistryClient, sandbox_dir: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=3, name="Pulled group")
    queue_dgg(store, draft_id)
    Sender(store, client).flush()
    payload_before = store.drafts.get(draft_id).payload
    first = pull.pull(store, client)
    assert first.changes == [] and first.differences == []
    generator = store.drafts.get(draft_id).registry_id
    assert generator
    admin.approve(sandbox_dir, "generator", generator)
    result = pull.pull(store, client)
    changed = {(c.label.split()[0], c.before, c.after) for c in result.changes}
    assert ("Group", "pending", "active") in changed
    assert ("Unit", "waiting_approval", "approved") in changed
    draft = store.drafts.get(draft_id)
    assert draft.status == "Approved" and draft.registry_status == "active"
    # someone edits the group in the registry's portal
    client.call(
        "generators.update",
        path={"id": generator},
        json={
            "data": {
                "type": "generators",
                "id": generator,
                "attributes": {"interconnected_utility": "Dakota Electric"},
            }
        },
    )
    result = pull.pull(store, client)
    [diff] = result.differences
    assert diff.fields == [
        {"field": "interconnected_utility", "before": "Xcel Energy", "after": "Dakota Electric"}
    ]
    assert store.drafts.get(draft_id).payload == payload_before  # never overwritten silently
    # it stays visible on every pull until the user accepts it
    assert pull.pull(store, client).differences[0].fields == diff.fields
    [record] = pull.differences(store)
    pull.accept_difference(store, record.id)
    assert pull.differences(store) == []
    assert pull.pull(store, client).differences == []


def test_generation_statuses_are_refreshed(
    store: Store, tmp_path: Path, client: RegistryClient, sandbox_dir: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=60, capacity_mw=0.004, name="Held generation")
    queue_dgg(store, draft_id)
    Sender(store, client).flush()
    generator = store.drafts.get(draft_id).registry_id
    assert generator
    admin.approve(sandbox_dir, "generator", generator)
    # 0.24 MW is above 150 kW: a month ended over 62 days ago is held for date feasibility
    old = months(generator, 1, end=months(generator, 6)[0].end)
    item = queue_generation(store, old, title="Old month")
    Sender(store, client).flush()
    records = {r.key: r for r in outbox.repository(store).records(item.id)}
    entry = next(r for k, r in records.items() if k.startswith("entry:"))
    assert entry.registry_status == "pending"
    admin.approve(sandbox_dir, "generation_entry", entry.registry_id)
    result = pull.pull(store, client)
    assert any(c.before == "pending" and c.after in ("issued", "accepted") for c in result.changes)
