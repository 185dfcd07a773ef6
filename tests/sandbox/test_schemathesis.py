"""Property-based: whatever schemathesis generates from /openapi.json (valid and invalid
documents, parameters and headers), the live server never answers 5xx.

schemathesis's pytest plugin does not load under pytest 9, so the test drives its Python API:
a Hypothesis strategy per operation and generation mode, a few examples each, once with random
path ids and once with ids of real records so that the handlers behind the 404 run too.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from desktop.sandbox.launcher import SandboxProcess
from tests.sandbox.jsonapi_helpers import Api, doc, rel

EXAMPLES = 5


@pytest.fixture(scope="module")
def live_schema(sandbox: SandboxProcess) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(sandbox.base_url + "/openapi.json")


def test_schema_lists_the_registry_paths(live_schema: schemathesis.BaseSchema) -> None:
    paths = {op.ok().path for op in live_schema.get_all_operations()}
    for path in (
        "/v1/public/rec/generators",
        "/v1/public/rec/generator_fuels",
        "/v1/public/rec/dg_units",
        "/v1/public/rec/generators/{generator_id}/documents",
        "/v1/public/rec/generation_entries",
        "/v1/public/rec/generation_entries/{entry_id}/enqueue",
        "/v1/public/rec/certificates",
        "/v1/public/rec/fuel_types",
        "/v1/public/rec/fuel_sources",
        "/v1/public/rec/eligibilities",
    ):
        assert path in paths


def real_ids(api: Api) -> dict[str, str]:
    """One record of each kind, so generated requests reach past the 'not found' answer."""
    gen = api.active_generator(nameplate=0.5)
    group = api.create_generator(facility_name="Fuzz DGG", dg_group=True, state_province="MN")
    unit = api.post(
        "/dg_units",
        doc(
            "dg_units",
            {"name": "u", "nameplate_capacity": 0.01},
            generator=rel("generators", group["id"]),
        ),
    ).json()["data"]
    document = api.session.post(
        api.url(f"/generators/{gen['id']}/documents"),
        data={"document_type": "other"},
        files={"file": ("a.txt", b"fuzz")},
        timeout=10,
    ).json()["data"]
    entry = api.entry(gen["id"], "2024-01-01", "2024-01-31", 3.5).json()["data"]
    line = api.post(
        "/generation_entry_lines",
        doc(
            "generation_entry_lines",
            {"started_at": "2024-01-01T00:00:00Z", "ended_at": "2024-01-01T01:00:00Z", "amount": 1},
            generation_entry=rel("generation_entries", entry["id"]),
        ),
    ).json()["data"]
    issued = api.entry(gen["id"], "2024-02-01", "2024-02-29", 2.0).json()["data"]
    api.post(
        f"/generation_entries/{issued['id']}/enqueue", headers={"X-Sandbox-Today": "2024-03-10"}
    )
    certificate = api.get("/certificates", params={"filter[generator_id]": gen["id"]}).json()
    return {
        "generator_id": gen["id"],
        "fuel_id": gen["relationships"]["generator_fuels"]["data"][0]["id"],
        "unit_id": unit["id"],
        "document_id": document["id"],
        "entry_id": entry["id"],
        "line_id": line["id"],
        "certificate_id": certificate["data"][0]["id"],
        "code": "SO1",
        "source_id": "49",
        "key": "minnesota",
    }


@pytest.mark.slow
def test_no_server_errors(
    live_schema: schemathesis.BaseSchema, sandbox: SandboxProcess, api: Api
) -> None:
    ids = real_ids(api)
    failures: list[str] = []
    calls = 0

    def run(strategy: Any, label: str) -> None:
        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            case.headers = {**(case.headers or {}), "X-Api-Key": api.key}
            response = case.call(base_url=sandbox.base_url, timeout=10)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} ({label}) -> "
                    f"{response.status_code}: {response.text[:300]}"
                )

        # Unsatisfiable: nothing to make invalid (no parameters, no body); positive mode covers it.
        with contextlib.suppress(Unsatisfiable):
            call()

    for result in live_schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        for mode in schemathesis.GenerationMode:
            run(operation.as_strategy(generation_mode=mode), mode.value)
            if names:
                fixed = {n: ids[n] for n in names}
                run(
                    operation.as_strategy(generation_mode=mode, path_parameters=fixed),
                    f"{mode.value}, real ids",
                )
    assert calls > 300
    assert not failures, "\n".join(failures)
