"""The real DGG model's draft (the example group, as the wizard saves it) goes to the registry."""

from __future__ import annotations

from pathlib import Path

from desktop.models import dgg
from desktop.models.dgg_example import EXAMPLE_DOCUMENTS, example_group, example_units
from desktop.models.generation import MonthEnergy
from desktop.store import Store
from desktop.store.outbox import ACCEPTED
from desktop.sync.client import RegistryClient
from desktop.sync.outbox import Sender, queue_dgg
from desktop.sync.payloads import entries_for_months
from tests.sync.registry_counts import generators_named, group_contents


def test_the_example_dgg_is_registered_as_the_wizard_saved_it(
    store: Store, tmp_path: Path, client: RegistryClient
) -> None:
    group = example_group(group_name="Example group via the model")
    units = example_units()
    draft = store.drafts.create("dgg", "Example", dgg.to_json_doc(group))
    store.units.replace_all(draft.id, [dgg.unit_to_json(u) for u in units])
    for n, unit in enumerate(units[:3]):
        for doc_type in EXAMPLE_DOCUMENTS:
            path = tmp_path / f"{n}-{doc_type}.pdf"
            path.write_bytes(f"%PDF {n} {doc_type}".encode())
            store.documents.add(draft.id, path, doc_type, unit_uid=unit["uid"])
    queue_dgg(store, draft.id)
    [result] = Sender(store, client).flush()
    assert result.status == ACCEPTED, result.message
    [gen] = generators_named(client, "Example group via the model")
    attrs = gen["attributes"]
    assert attrs["dg_group_type"] == "Mixed" and attrs["capacity_factor"] == 0.145
    assert (
        attrs["meter_type"] == "Revenue Grade" and attrs["last_meter_certification"] == "2024-01-15"
    )
    contents = group_contents(client, gen["id"])
    assert len(contents["units"]) == len(units)
    [fuel] = contents["fuels"]
    assert {e["id"] for e in fuel["relationships"]["eligibilities"]["data"]} == {
        "minnesota",
        "minnesota_ses_small_solar",
    }
    types = sorted(d["attributes"]["document_type"] for d in contents["documents"])
    assert types.count("interconnection_agreement") == 3 and len(types) == 3 * len(
        EXAMPLE_DOCUMENTS
    )


def test_generation_months_become_monthly_entries() -> None:
    entries = entries_for_months("g", [MonthEnergy(2024, 12, 1.5), MonthEnergy(2025, 2, 0.25)])
    assert [(e.start.isoformat(), e.end.isoformat(), e.vintage) for e in entries] == [
        ("2024-12-01", "2024-12-31", "2024-12"),
        ("2025-02-01", "2025-02-28", "2025-02"),
    ]
