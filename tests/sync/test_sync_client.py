"""The client over real HTTP: typed errors, 429 waits, retries and lookup-before-retry."""

from __future__ import annotations

import socket

import pytest

from desktop.errors import AuthError, OfflineError, RegistryError
from desktop.sandbox.faults import Fault, FaultPlan, FaultProxy
from desktop.sandbox.launcher import SandboxProcess
from desktop.sync.client import ClientConfig, RegistryClient, RegistryRefusedError
from tests.sync.conftest import fast_client

GEN = {"data": {"type": "generators", "attributes": {"facility_name": "Client test"}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lists_page_through_everything(client: RegistryClient) -> None:
    sources = client.list_all("fuel_sources.list")
    assert len(sources) > 50 and {"id", "attributes"} <= set(sources[0])
    assert "Connected to" in client.test_connection()


def test_a_wrong_key_is_an_auth_error(sandbox: SandboxProcess) -> None:
    c = fast_client(sandbox.base_url, "sbx_not-a-key")
    with pytest.raises(AuthError, match="Enter the key again"):
        c.test_connection()


def test_validation_errors_carry_their_pointers(client: RegistryClient) -> None:
    bad = {
        "data": {"type": "generators", "attributes": {"facility_name": "x", "capacity_factor": 7}}
    }
    with pytest.raises(RegistryRefusedError) as caught:
        client.call("generators.create", json=bad)
    assert caught.value.status == 422
    assert [p.attribute for p in caught.value.problems] == ["capacity_factor"]


def test_nobody_listening_is_offline_quickly() -> None:
    c = fast_client(f"http://127.0.0.1:{free_port()}", "k")
    with pytest.raises(OfflineError, match="stays queued"):
        c.test_connection()


def test_tls_is_required_away_from_loopback() -> None:
    with pytest.raises(RegistryError, match="https"):
        ClientConfig("http://registry.example.com", "k")
    assert "[redacted]" in repr(ClientConfig("https://api-sandbox.mrets.org", "secret-key"))
    assert "secret-key" not in repr(ClientConfig("https://api-sandbox.mrets.org", "secret-key"))


def test_429_and_500_are_waited_out_for_reads(sandbox: SandboxProcess, api_key: str) -> None:
    plan = FaultPlan(script=[Fault("throttle", seconds=1, count=2), Fault("error", count=2)])
    with FaultProxy(sandbox.base_url, plan, lifetime=60) as proxy:
        c = fast_client(proxy.base_url, api_key)
        assert c.list_all("eligibilities.list")
        assert [e.fault for e in proxy.events] == ["throttle", "throttle", "error", "error", "pass"]
        assert c.stats.throttled == 2 and c.stats.retried == 2


def test_a_lost_create_is_looked_up_not_duplicated(sandbox: SandboxProcess, api_key: str) -> None:
    name = "Lost answer test"
    body = {"data": {"type": "generators", "attributes": {"facility_name": name}}}
    plan = FaultPlan(script=[Fault("drop")], methods=frozenset({"POST"}))
    with FaultProxy(sandbox.base_url, plan, lifetime=60) as proxy:
        c = fast_client(proxy.base_url, api_key)

        def lookup() -> dict | None:  # type: ignore[type-arg]
            found = c.list_all("generators.list", {"facility_name": name})
            return found[0] if found else None

        record = c.create("generators.create", json=body, lookup=lookup)
        assert proxy.events[0].fault == "drop" and proxy.events[0].upstream_status == 201
    direct = fast_client(sandbox.base_url, api_key)
    assert [g["id"] for g in direct.list_all("generators.list", {"facility_name": name})] == [
        record["id"]
    ]


def test_a_lost_create_that_did_not_land_is_sent_again(
    sandbox: SandboxProcess, api_key: str
) -> None:
    name = "Refused by the proxy"
    body = {"data": {"type": "generators", "attributes": {"facility_name": name}}}
    plan = FaultPlan(script=[Fault("error")], methods=frozenset({"POST"}))
    with FaultProxy(sandbox.base_url, plan, lifetime=60) as proxy:
        c = fast_client(proxy.base_url, api_key)
        c.create(
            "generators.create",
            json=body,
            lookup=lambda: next(iter(c.list_all("generators.list", {"facility_name": name})), None),
        )
        assert [e.fault for e in proxy.events if e.method == "POST"] == ["error", "pass"]
    assert (
        len(
            fast_client(sandbox.base_url, api_key).list_all(
                "generators.list", {"facility_name": name}
            )
        )
        == 1
    )
