"""Conventions every client relies on: the key, JSON:API errors with pointers, pages, filters."""

from __future__ import annotations

import requests

from desktop.sandbox.launcher import SandboxProcess
from tests.sandbox.jsonapi_helpers import REC, Api, doc, pointers, rel


def test_health_needs_no_key(sandbox: SandboxProcess) -> None:
    r = requests.get(sandbox.base_url + "/healthz", timeout=5)
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_a_key_is_required_and_checked(sandbox: SandboxProcess) -> None:
    url = sandbox.base_url + REC + "/generators"
    missing = requests.get(url, timeout=5)
    wrong = requests.get(url, headers={"X-Api-Key": "sbx_not-a-key"}, timeout=5)
    for r in (missing, wrong):
        assert r.status_code == 401
        assert r.headers["Content-Type"].startswith("application/vnd.api+json")
        error = r.json()["errors"][0]
        assert error["status"] == "401" and error["title"] == "Unauthorized" and error["detail"]


def test_the_key_is_stored_only_as_a_hash(api: Api) -> None:
    raw = (api.data_dir / "sandbox.sqlite3").read_bytes()
    assert api.key.encode() not in raw


def test_pages_carry_meta_and_links(api: Api) -> None:
    first = api.get("/fuel_sources", params={"page[size]": 10})
    assert first.status_code == 200
    body = first.json()
    total = body["meta"]["total"]
    assert total > 20 and len(body["data"]) == 10
    assert body["meta"]["page"] == {"number": 1, "size": 10, "total_pages": -(-total // 10)}
    assert body["links"]["prev"] is None and "page[number]=2" in body["links"]["next"]
    last = api.get(body["links"]["last"]).json()
    assert last["links"]["next"] is None
    assert len(last["data"]) == total - 10 * (body["meta"]["page"]["total_pages"] - 1)
    seen = set()
    link = body["links"]["first"]
    while link:
        page = api.get(link).json()
        seen.update(item["id"] for item in page["data"])
        link = page["links"]["next"]
    assert len(seen) == total


def test_page_size_is_capped_at_1000(api: Api) -> None:
    assert api.get("/eligibilities", params={"page[size]": 1000}).status_code == 200
    for params in ({"page[size]": 1001}, {"page[size]": 0}, {"page[number]": 0}):
        r = api.get("/eligibilities", params=params)
        assert r.status_code == 400
        assert r.json()["errors"][0]["source"]["parameter"] in ("page[size]", "page[number]")
    r = api.get("/eligibilities", params={"page[size]": "many"})
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"parameter": "page[size]"}


def test_validation_errors_point_at_their_fields(api: Api) -> None:
    r = api.post(
        "/generators",
        doc(
            "generators",
            {"facility_name": "F", "nameplate_capacity": "lots", "country": "Mexico", "colour": 1},
        ),
    )
    assert r.status_code == 422
    assert set(pointers(r)) == {
        "/data/attributes/nameplate_capacity",
        "/data/attributes/country",
        "/data/attributes/colour",
    }
    assert all(e["status"] == "422" and e["detail"] for e in r.json()["errors"])
    r = api.post("/generators", doc("generators", {"name": "no facility"}))
    assert r.status_code == 422 and pointers(r) == ["/data/attributes/facility_name"]
    r = api.post(
        "/generators", {"data": {"type": "accounts", "attributes": {"facility_name": "x"}}}
    )
    assert r.status_code == 422 and pointers(r) == ["/data/type"]


def test_relationship_errors_point_at_the_relationship(api: Api) -> None:
    gen = api.create_generator()
    r = api.post(
        "/generator_fuels",
        doc(
            "generator_fuels",
            {},
            generator=rel("generators", gen["id"]),
            fuel_source=rel("fuel_sources", "no-such-source"),
        ),
    )
    assert r.status_code == 422
    assert pointers(r) == ["/data/relationships/fuel_source/data/id"]
    r = api.post(
        "/generator_fuels",
        doc(
            "generator_fuels",
            {},
            generator=rel("generators", gen["id"]),
            fuel_source=rel("fuel_sources", "49"),
            eligibilities={"data": [{"type": "eligibilities", "id": "atlantis"}]},
        ),
    )
    assert pointers(r) == ["/data/relationships/eligibilities/data/0/id"]


def test_malformed_json_unknown_records_and_paths(api: Api) -> None:
    r = api.session.post(
        api.url("/generators"),
        data=b"{not json",
        headers={"Content-Type": "application/vnd.api+json"},
        timeout=5,
    )
    assert r.status_code == 400 and r.json()["errors"][0]["status"] == "400"
    r = api.get("/generators/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404 and "No generator" in r.json()["errors"][0]["detail"]
    r = api.get("/no_such_things")
    assert r.status_code == 404 and r.json()["errors"][0]["status"] == "404"


def test_filters_and_sort(api: Api) -> None:
    a = api.create_generator(facility_name="Filter me: alpha")
    b = api.create_generator(facility_name="Filter me: beta")
    found = api.get("/generators", params={"filter[facility_name]": "Filter me: beta"}).json()
    assert [g["id"] for g in found["data"]] == [b["id"]]
    drafts = api.get("/generators", params={"filter[status]": "draft", "page[size]": 1000}).json()
    assert {a["id"], b["id"]} <= {g["id"] for g in drafts["data"]}
    assert all(g["attributes"]["status"] == "draft" for g in drafts["data"])
    newest_first = api.get("/generators", params={"sort": "-mrets_id", "page[size]": 2}).json()
    assert newest_first["data"][0]["id"] == b["id"]
    r = api.get("/generators", params={"sort": "colour"})
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"parameter": "sort"}


def test_reference_lists(api: Api) -> None:
    solar = api.get("/fuel_types/SO1").json()["data"]
    assert solar["attributes"]["name"] == "Solar" and solar["attributes"]["renewable"] is True
    sources = api.get("/fuel_sources", params={"filter[fuel_type]": "SO1"}).json()["data"]
    assert [s["attributes"]["description"] for s in sources] == ["Solar PV", "Solar Thermal"]
    assert sources[0]["relationships"]["fuel_type"]["data"] == {"type": "fuel_types", "id": "SO1"}
    keys = {e["id"] for e in api.get("/eligibilities", params={"page[size]": 100}).json()["data"]}
    assert {"minnesota", "wisconsin_bankable", "illinois_ares"} <= keys
    assert api.get("/eligibilities/atlantis").status_code == 404


def test_openapi_document_is_served(sandbox: SandboxProcess) -> None:
    spec = requests.get(sandbox.base_url + "/openapi.json", timeout=5).json()
    assert spec["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-Api-Key"
    assert "/v1/public/rec/generation_entries/{entry_id}/enqueue" in spec["paths"]
