"""Ask the sandbox directly (no outbox) what it holds, to check "exactly once"."""

from __future__ import annotations

from collections import Counter
from typing import Any

from desktop.sync.client import RegistryClient


def generators_named(client: RegistryClient, name: str) -> list[dict[str, Any]]:
    return client.list_all("generators.list", {"facility_name": name})


def group_contents(client: RegistryClient, generator_id: str) -> dict[str, Any]:
    units = client.list_all("dg_units.list", {"generator_id": generator_id})
    return {
        "fuels": client.list_all("fuels.list", {"generator_id": generator_id}),
        "units": units,
        "unit_names": Counter(u["attributes"]["name"] for u in units),
        "documents": client.list_all("documents.list", path={"id": generator_id}),
        "entries": client.list_all("entries.list", {"generator_id": generator_id}),
    }
