"""The fault-injecting proxy: each fault, determinism, and that it stops itself."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from desktop.sandbox.faults import Fault, FaultPlan, FaultProxy
from desktop.sandbox.launcher import SandboxProcess
from tests.sandbox.jsonapi_helpers import REC, Api, doc

POST_ONLY = frozenset({"POST"})


def create(
    session: requests.Session, base: str, name: str, timeout: float = 5
) -> requests.Response:
    return session.post(
        base + REC + "/generators", json=doc("generators", {"facility_name": name}), timeout=timeout
    )


def count(api: Api, name: str) -> int:
    found = api.get("/generators", params={"filter[facility_name]": name}).json()
    total: int = found["meta"]["total"]
    return total


@pytest.fixture
def session(api: Api) -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.headers["X-Api-Key"] = api.key
        yield s


def test_drop_loses_the_answer_after_the_server_committed(
    sandbox: SandboxProcess, api: Api, session: requests.Session
) -> None:
    plan = FaultPlan(script=[Fault("drop")], methods=POST_ONLY)
    with FaultProxy(sandbox.base_url, plan, lifetime=30) as proxy:
        with pytest.raises(requests.ConnectionError):
            create(session, proxy.base_url, "dropped answer")
        assert count(api, "dropped answer") == 1  # committed although the client saw nothing
        assert proxy.events[0].fault == "drop" and proxy.events[0].upstream_status == 201
        # GETs pass, and the next POST is not faulted: the client can look the record up.
        listed = session.get(proxy.base_url + REC + "/generators", timeout=5)
        assert listed.status_code == 200
        assert create(session, proxy.base_url, "after the drop").status_code == 201
    assert [e.fault for e in proxy.events] == ["drop", "pass", "pass"]


def test_delay_outlasts_the_client_timeout(
    sandbox: SandboxProcess, api: Api, session: requests.Session
) -> None:
    plan = FaultPlan(script=[Fault("delay", seconds=3)], methods=POST_ONLY)
    with FaultProxy(sandbox.base_url, plan, lifetime=30) as proxy:
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            create(session, proxy.base_url, "slow answer", timeout=0.5)
        assert time.monotonic() - started < 2.5
        assert count(api, "slow answer") == 1
    assert proxy.events[0].upstream_status == 201


def test_error_answers_500_without_reaching_the_server(
    sandbox: SandboxProcess, api: Api, session: requests.Session
) -> None:
    plan = FaultPlan(script=[Fault("error")], methods=POST_ONLY)
    with FaultProxy(sandbox.base_url, plan, lifetime=30) as proxy:
        r = create(session, proxy.base_url, "never arrived")
        assert r.status_code == 500 and r.json()["errors"][0]["status"] == "500"
        assert count(api, "never arrived") == 0
    assert proxy.events[0].upstream_status is None


def test_throttle_bursts_429_with_retry_after(
    sandbox: SandboxProcess, api: Api, session: requests.Session
) -> None:
    plan = FaultPlan(script=[Fault("throttle", seconds=2, count=3)])
    with FaultProxy(sandbox.base_url, plan, lifetime=30) as proxy:
        url = proxy.base_url + REC + "/fuel_types"
        answers = [session.get(url, timeout=5) for _ in range(4)]
    assert [a.status_code for a in answers] == [429, 429, 429, 200]
    assert all(a.headers["Retry-After"] == "2" for a in answers[:3])
    assert answers[0].json()["errors"][0]["title"] == "Too Many Requests"


def test_random_faults_repeat_for_the_same_seed(sandbox: SandboxProcess, api: Api) -> None:
    def run(seed: int) -> list[str]:
        plan = FaultPlan(rates={"error": 0.3, "throttle": 0.3}, seed=seed)
        with FaultProxy(sandbox.base_url, plan, lifetime=30) as proxy, requests.Session() as s:
            s.headers["X-Api-Key"] = api.key
            for _ in range(20):
                s.get(proxy.base_url + REC + "/eligibilities", timeout=5)
        return [e.fault for e in proxy.events]

    first, again, other = run(7), run(7), run(8)
    assert first == again and first != other
    assert {"error", "throttle", "pass"} <= set(first)


def test_the_proxy_stops_itself(sandbox: SandboxProcess, api: Api) -> None:
    proxy = FaultProxy(sandbox.base_url, FaultPlan(), lifetime=0.5).start()
    time.sleep(1.0)
    assert proxy.stopped
    with pytest.raises(requests.ConnectionError):
        requests.get(proxy.base_url + "/healthz", timeout=2)
    proxy.stop()

    limited = FaultProxy(sandbox.base_url, FaultPlan(), max_requests=2, lifetime=30).start()
    for _ in range(2):
        assert requests.get(limited.base_url + "/healthz", timeout=2).status_code == 200
    deadline = time.monotonic() + 5
    while not limited.stopped and time.monotonic() < deadline:
        time.sleep(0.05)
    assert limited.stopped
    limited.stop()


def test_plan_and_fault_checks() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        Fault("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="http://"):
        FaultProxy("ftp://example.org")
    assert FaultPlan(methods=POST_ONLY, path_prefix="/v1").matches("POST", "/v1/public/rec/x")
    assert not FaultPlan(methods=POST_ONLY).matches("GET", "/v1")
