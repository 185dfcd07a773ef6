"""Reliability through the fault-injecting proxy: every record exactly once, nothing lost.

The proxy drops connections after the server committed, holds answers past the client's
timeout, answers 500 and bursts of 429, first from a script (so each fault surely happens on
a create) and then at random (seeded).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from desktop.sandbox import admin
from desktop.sandbox.faults import Fault, FaultPlan, FaultProxy
from desktop.sandbox.launcher import SandboxProcess
from desktop.store import Store
from desktop.store.outbox import ACCEPTED
from desktop.sync import outbox
from desktop.sync.outbox import Sender, queue_dgg, queue_generation
from tests.sync.conftest import fast_client
from tests.sync.helpers import make_dgg, months
from tests.sync.registry_counts import generators_named, group_contents

SCRIPT = [
    Fault("drop"),  # the generator's POST: created, answer lost
    Fault("pass", count=3),
    Fault("delay", seconds=2.0),  # past the 1.5 s read timeout
    Fault("error"),
    Fault("throttle", seconds=1, count=3),  # a 429 burst
    Fault("drop", count=2),  # two lost answers in a row
    Fault("pass", count=5),
    Fault("delay", seconds=2.0),
]
RATES = {"drop": 0.04, "delay": 0.01, "error": 0.04, "throttle": 0.03}


@pytest.mark.slow
def test_200_units_and_a_year_of_generation_arrive_exactly_once(
    store: Store,
    tmp_path: Path,
    sandbox: SandboxProcess,
    sandbox_dir: Path,
    api_key: str,
) -> None:
    name = "Reliability 200"
    draft_id = make_dgg(store, tmp_path, units=200, capacity_mw=0.004, unit_docs=20, name=name)
    plan = FaultPlan(script=SCRIPT, rates=RATES, seed=7, random_seconds=1.6)
    with FaultProxy(sandbox.base_url, plan, lifetime=280) as proxy:
        client = fast_client(proxy.base_url, api_key, max_attempts=12)
        item = queue_dgg(store, draft_id)
        [result] = Sender(store, client).flush()
        assert result.status == ACCEPTED, result.message
        generator = store.drafts.get(draft_id).registry_id
        assert generator
        admin.approve(sandbox_dir, "generator", generator)
        year = months(generator, 12)
        gen_item = queue_generation(store, year, title="A year of generation")
        [result] = Sender(store, client).flush()
        assert result.status == ACCEPTED, result.message
        faults = Counter(e.fault for e in proxy.events)
    # every fault kind happened, several times
    assert faults["drop"] >= 3 and faults["delay"] >= 2
    assert faults["error"] >= 2 and faults["throttle"] >= 3
    lost_creates = [
        e for e in proxy.events if e.fault in ("drop", "delay") and e.upstream_status == 201
    ]
    assert lost_creates, "the test must lose answers to creates that the server committed"
    # the registry holds every record exactly once
    direct = fast_client(sandbox.base_url, api_key)
    [gen] = generators_named(direct, name)
    contents = group_contents(direct, gen["id"])
    assert len(contents["units"]) == 200 and set(contents["unit_names"].values()) == {1}
    assert len(contents["fuels"]) == 1
    assert len(contents["documents"]) == 21
    assert len({d["attributes"]["sha256"] for d in contents["documents"]}) == 21
    periods = Counter(
        (e["attributes"]["generation_period_start"], e["attributes"]["generation_period_end"])
        for e in contents["entries"]
    )
    assert len(periods) == 12 and set(periods.values()) == {1}
    # every entry was enqueued (processed): issued, carried, or held for date feasibility (the
    # group is above 150 kW, so months older than 62 days wait for the administrator)
    statuses = Counter(e["attributes"]["status"] for e in contents["entries"])
    assert set(statuses) <= {"issued", "accepted", "pending"} and statuses["issued"] >= 1
    reported = round(sum(e.mwh for e in year), 3)
    assert round(sum(e["attributes"]["quantity_mwh"] for e in contents["entries"]), 3) == reported
    # and the outbox agrees: every step acknowledged, with the registry's ids
    repo = outbox.repository(store)
    for it in (item, gen_item):
        row = repo.get(it.id)
        assert row.status == ACCEPTED and row.done == row.total
    unit_ids = {r.registry_id for r in repo.records(item.id) if r.key.startswith("unit:")}
    assert unit_ids == {u["id"] for u in contents["units"]}
