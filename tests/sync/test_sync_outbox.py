"""The outbox over real HTTP: push, refusals mapped to fields, retry, cancel, crash recovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.sandbox import admin
from desktop.sandbox.launcher import SandboxProcess
from desktop.store import Store
from desktop.store.outbox import ACCEPTED, INTERRUPTED, QUEUED, REJECTED, SENDING
from desktop.sync import outbox
from desktop.sync.client import RegistryClient
from desktop.sync.outbox import Sender, queue_dgg, queue_generation, registry_issues
from tests.sync.helpers import dgg_payload, make_dgg, months, unit
from tests.sync.registry_counts import generators_named, group_contents


def test_a_dgg_is_registered_with_every_record_once(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    draft_id = make_dgg(store, tmp_path, units=12, unit_docs=5, name="Outbox push")
    item = queue_dgg(store, draft_id)
    assert store.drafts.get(draft_id).status == "Queued"
    assert item.total == 1 + 1 + 12 + 6 + 1
    [result] = Sender(store, client).flush()
    assert result.status == ACCEPTED and result.sent == item.total
    draft = store.drafts.get(draft_id)
    assert draft.status == "Pending review" and draft.registry_status == "pending"
    [gen] = generators_named(client, "Outbox push")
    assert gen["id"] == draft.registry_id and gen["attributes"]["status"] == "pending"
    contents = group_contents(client, gen["id"])
    assert len(contents["units"]) == 12 and max(contents["unit_names"].values()) == 1
    assert len(contents["documents"]) == 6 and len(contents["fuels"]) == 1
    assert gen["attributes"]["nameplate_capacity"] == pytest.approx(0.048)
    records = outbox.repository(store).records(item.id)
    assert len(records) == item.total and all(r.registry_id for r in records)
    # nothing left to send: a second flush sends nothing
    assert Sender(store, client).flush() == []


def test_refusals_come_back_on_the_draft_fields_and_retry_sends_the_rest(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    draft_id = make_dgg(store, tmp_path, units=3, name="Refused group")
    rows = store.units.list(draft_id)
    rows[1]["state_province"] = "WI"  # the registry refuses a unit outside the group's state
    store.units.replace_all(draft_id, rows)
    item = queue_dgg(store, draft_id)
    [result] = Sender(store, client).flush()
    assert result.status == REJECTED
    issues = registry_issues(store, draft_id)
    assert [(i.field, i.row) for i in issues] == [("state_province", 1)]
    assert "group's state" in issues[0].message and issues[0].message.startswith("Registry:")
    assert store.drafts.get(draft_id).status == "Rejected"
    acked = outbox.repository(store).acked(item.id)
    assert set(acked) == {"generator", "fuel:0", "unit:u00000"}
    # the user fixes the unit and submits again: the same item goes on, nothing twice
    rows[1]["state_province"] = "MN"
    store.units.replace_all(draft_id, rows)
    again = outbox.retry(store, item.id)
    assert again.id == item.id and again.status == QUEUED
    [result] = Sender(store, client).flush()
    assert result.status == ACCEPTED and registry_issues(store, draft_id) == []
    [gen] = generators_named(client, "Refused group")
    assert len(group_contents(client, gen["id"])["units"]) == 3


def test_cancel_keeps_the_item_until_retry(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    draft_id = make_dgg(store, tmp_path, units=1, name="Cancelled group")
    item = queue_dgg(store, draft_id)
    assert outbox.cancel(store, item.id).status == INTERRUPTED
    assert store.drafts.get(draft_id).status == "Ready to submit"
    assert Sender(store, client).flush() == []  # not sent while cancelled
    assert outbox.retry(store, item.id).status == QUEUED
    assert Sender(store, client).flush()[0].status == ACCEPTED


def test_cancel_while_sending_stops_between_records(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    draft_id = make_dgg(store, tmp_path, units=6, name="Stopped midway")
    item = queue_dgg(store, draft_id)

    class StopAfter:
        def __init__(self, n: int) -> None:
            self.updates = 0
            self.n = n

        @property
        def cancelled(self) -> bool:
            return self.updates > self.n

        def check(self) -> None:
            pass

        def update(self, done: int, total: int | None = None, text: str | None = None) -> None:
            self.updates += 1

    [result] = Sender(store, client).flush(StopAfter(4))
    assert result.status == INTERRUPTED and 0 < result.sent < item.total
    outbox.retry(store, item.id)
    [result] = Sender(store, client).flush()
    assert result.status == ACCEPTED
    [gen] = generators_named(client, "Stopped midway")
    assert len(group_contents(client, gen["id"])["units"]) == 6


def test_a_create_that_landed_before_a_crash_is_found_not_duplicated(
    store: Store, tmp_path: Path, client: RegistryClient, sandbox: SandboxProcess, sandbox_dir: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=2, name="Crash group")
    queue_dgg(store, draft_id)
    Sender(store, client).flush()
    generator = store.drafts.get(draft_id).registry_id
    assert generator is not None
    admin.approve(sandbox_dir, "generator", generator)
    [entry] = months(generator, 1)
    item = queue_generation(store, [entry], title="One month")
    repo = outbox.repository(store)
    plan = repo.plan(item.id)
    # The process takes the item, sends the entry's POST (it lands) and dies before the answer
    # is stored: exactly the state a crash leaves behind.
    assert repo.take(item.id)
    repo.set_in_flight(item.id, plan[0]["key"])
    landed = client.call("entries.create", json=plan[0]["body"])["data"]
    assert repo.get(item.id).status == SENDING
    # start-up
    assert outbox.recover(store) == [item.id]
    assert repo.get(item.id).status == INTERRUPTED
    results = Sender(store, client).flush()
    assert [r.status for r in results] == [ACCEPTED]
    assert repo.acked(item.id)[plan[0]["key"]] == landed["id"]
    entries = group_contents(client, generator)["entries"]
    assert [e["id"] for e in entries] == [landed["id"]]
    assert entries[0]["attributes"]["status"] in ("issued", "accepted")


def test_a_crash_on_the_last_step_is_accepted_by_reconciliation_alone(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    draft_id = make_dgg(store, tmp_path, units=1, name="Crash on submit")
    item = queue_dgg(store, draft_id)
    repo = outbox.repository(store)
    plan = repo.plan(item.id)

    class StopBeforeSubmit:
        cancelled = False

        def check(self) -> None:
            pass

        def update(self, done: int, total: int | None = None, text: str | None = None) -> None:
            self.cancelled = bool(text and "Submit" in text)

    Sender(store, client).flush(StopBeforeSubmit())
    assert set(repo.acked(item.id)) == {s["key"] for s in plan} - {"submit"}
    # as if the submit was sent and the process died: PUT status pending lands, no ack
    generator = repo.acked(item.id)["generator"]
    repo.requeue(item.id)
    assert repo.take(item.id)
    repo.set_in_flight(item.id, "submit")
    client.call(
        "generators.submit",
        path={"id": generator},
        json=plan[-1]["body"]
        | {"data": {"type": "generators", "id": generator, "attributes": {"status": "pending"}}},
    )
    outbox.recover(store)
    assert Sender(store, client).reconcile() == [item.id]
    assert repo.get(item.id).status == ACCEPTED
    assert store.drafts.get(draft_id).registry_id == generator


def test_a_draft_without_active_units_is_not_queued(store: Store) -> None:
    draft = store.drafts.create("dgg", "Empty", dgg_payload("Empty"))
    store.units.replace_all(draft.id, [unit(0, unit_status="Deactivated")])
    from desktop.errors import InputError

    with pytest.raises(InputError, match="no active units"):
        queue_dgg(store, draft.id)


def test_a_group_rejected_in_review_is_fixed_and_submitted_again_without_duplicates(
    store: Store, tmp_path: Path, client: RegistryClient, sandbox_dir: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=3, name="Rejected in review")
    item = queue_dgg(store, draft_id)
    Sender(store, client).flush()
    generator = store.drafts.get(draft_id).registry_id
    assert generator
    admin.reject(sandbox_dir, "generator", generator, "Attach the meter certificate")
    from desktop.sync import pull

    pull.pull(store, client)
    assert store.drafts.get(draft_id).status == "Rejected"
    # the user fixes the group and adds a unit, then submits again
    draft = store.drafts.get(draft_id)
    store.drafts.save(draft_id, payload={**draft.payload, "meter_manufacturer": "Itron"})
    store.units.replace_all(draft_id, [*store.units.list(draft_id), unit(3)])
    again = queue_dgg(store, draft_id)
    assert again.id == item.id
    [result] = Sender(store, client).flush()
    assert result.status == ACCEPTED, result.message
    assert result.sent == 3  # the update, the new unit, the submit
    [gen] = generators_named(client, "Rejected in review")
    assert gen["id"] == generator and gen["attributes"]["status"] == "pending"
    assert gen["attributes"]["meter_manufacturer"] == "Itron"
    assert len(group_contents(client, generator)["units"]) == 4
    assert store.drafts.get(draft_id).status == "Pending review"
