"""Generation entries: issuance in whole MWh with the remainder carried, statuses, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox import admin
from tests.sandbox.jsonapi_helpers import Api, doc, pointers, rel

LATE = {"X-Sandbox-Today": "2026-12-31"}
SOON = {"X-Sandbox-Today": "2025-03-15"}  # within 62 days of January and February


def enqueue(api: Api, entry_id: str, **kw: Any) -> dict[str, Any]:
    r = api.post(f"/generation_entries/{entry_id}/enqueue", **kw)
    assert r.status_code == 200, r.text
    attrs: dict[str, Any] = r.json()["data"]["attributes"]
    return attrs


def report(api: Api, gen_id: str, start: str, end: str, mwh: float, **attrs: Any) -> str:
    r = api.entry(gen_id, start, end, mwh, **attrs)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["attributes"]["status"] == "draft"
    ident: str = r.json()["data"]["id"]
    return ident


def test_fractional_remainder_carries_across_months(api: Api) -> None:
    gen = api.active_generator(nameplate=0.1)
    jan = enqueue(api, report(api, gen["id"], "2025-01-01", "2025-01-31", 0.6))
    assert jan["status"] == "accepted" and jan["issued_quantity"] == 0
    assert jan["fractional_remainders"][0]["remainder"] == pytest.approx(0.6)
    feb = enqueue(api, report(api, gen["id"], "2025-02-01", "2025-02-28", 0.7))
    assert feb["status"] == "issued" and feb["issued_quantity"] == 1
    assert feb["fractional_remainders"][0]["remainder"] == pytest.approx(0.3)
    mar_id = report(api, gen["id"], "2025-03-01", "2025-03-31", 12.456)
    mar = enqueue(api, mar_id)
    assert mar["issued_quantity"] == 12
    assert mar["fractional_remainders"][0]["remainder"] == pytest.approx(0.756)
    assert mar["vintage"] == "2025-03" and mar["date_of_action"] == "2025-06-15"

    shown = api.get(f"/generators/{gen['id']}").json()["data"]["attributes"]
    assert shown["fractional_remainders"][0]["remainder"] == pytest.approx(0.756)

    certs = api.get("/certificates", params={"filter[generator_id]": gen["id"]}).json()["data"]
    assert [c["attributes"]["quantity"] for c in certs] == [1, 12]
    batch = certs[1]["attributes"]
    assert batch["vintage"] == "2025-03" and batch["status"] == "active"
    number = gen["attributes"]["mrets_id"][1:]
    assert batch["serial_number_base"].startswith(f"{number}-MN-03-2025-")
    assert batch["serial_number_start"] == batch["serial_number_base"] + "-1"
    assert batch["serial_number_end"] == batch["serial_number_base"] + "-12"
    assert certs[1]["relationships"]["generation_entry"]["data"]["id"] == mar_id
    assert certs[1]["relationships"]["eligibilities"]["data"] == [
        {"type": "eligibilities", "id": "minnesota"}
    ]
    by_entry = api.get("/certificates", params={"filter[generation_entry_id]": mar_id}).json()
    assert by_entry["meta"]["total"] == 1


def test_kwh_quantities_and_listing_filters(api: Api) -> None:
    gen = api.active_generator(nameplate=0.1)
    ident = report(
        api, gen["id"], "2025-04-01", "2025-04-30", 2500.5, quantity_unit="kwh", notes="meter 7"
    )
    attrs = enqueue(api, ident)
    assert attrs["quantity"] == 2500.5 and attrs["quantity_mwh"] == pytest.approx(2.5005)
    assert attrs["issued_quantity"] == 2 and attrs["notes"] == "meter 7"
    listed = api.get(
        "/generation_entries",
        params={"filter[generator_id]": gen["id"], "filter[status]": "issued"},
    ).json()
    assert [e["id"] for e in listed["data"]] == [ident]
    by_period = api.get(
        "/generation_entries",
        params={
            "filter[generator_id]": gen["id"],
            "filter[generation_period_start]": "2025-04-15",
            "filter[generation_period_end]": "2025-04-20",
        },
    ).json()
    assert by_period["meta"]["total"] == 1


def test_overlapping_periods_are_refused_at_create(api: Api) -> None:
    gen = api.active_generator()
    report(api, gen["id"], "2025-01-01", "2025-01-31", 5)
    r = api.entry(gen["id"], "2025-01-31", "2025-02-27", 5)
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["detail"] == "There's an existing generation that overlaps these dates"
    assert error["source"]["pointer"] == "/data/attributes/generation_period_start"
    assert error["code"] == "overlap"
    assert api.entry(gen["id"], "2025-02-01", "2025-02-28", 5).status_code == 201


def test_entry_validation(api: Api) -> None:
    gen = api.active_generator()
    cases = [
        (("2025-02-01", "2025-01-31", 1), {}, "/data/attributes/generation_period_end"),
        (("2025-06-01", "2025-06-30", 1), {}, "/data/attributes/generation_period_end"),  # future
        (("2025-01-01", "2025-01-31", 1), {"vintage": "2025-02"}, "/data/attributes/vintage"),
        (("01/01/2025", "2025-01-31", 1), {}, "/data/attributes/generation_period_start"),
        (("2025-01-01", "2025-01-31", -1), {}, "/data/attributes/quantity"),
    ]
    for (start, end, mwh), extra, pointer in cases:
        r = api.entry(gen["id"], start, end, mwh, **extra)
        assert r.status_code == 422, (start, end, r.text)
        assert pointers(r) == [pointer]
    draft = api.create_generator(facility_name="Not approved")
    r = api.entry(draft["id"], "2025-01-01", "2025-01-31", 1)
    assert r.status_code == 422 and pointers(r) == ["/data/relationships/generator/data/id"]


def test_pending_for_date_and_capacity_feasibility(api: Api) -> None:
    big = api.active_generator(nameplate=0.2)  # above 150 kW: 62-day window
    late = report(api, big["id"], "2025-01-01", "2025-01-31", 10)
    held = enqueue(api, late, headers={"X-Sandbox-Today": "2025-04-04"})
    assert held["status"] == "pending" and held["status_control"] == "Date Feasibility"
    on_time = report(api, big["id"], "2025-02-01", "2025-02-28", 10)
    assert enqueue(api, on_time, headers={"X-Sandbox-Today": "2025-05-01"})["status"] == "issued"

    small = api.active_generator(nameplate=0.15)  # 150 kW: a year to report
    ok = report(api, small["id"], "2025-01-01", "2025-01-31", 1)
    assert enqueue(api, ok, headers={"X-Sandbox-Today": "2026-01-31"})["status"] == "issued"

    too_much = report(api, small["id"], "2025-02-01", "2025-02-28", 100.801)  # > 0.15 x 672
    held = enqueue(api, too_much)
    assert held["status"] == "pending" and held["status_control"] == "Capacity Feasibility"
    both = report(api, small["id"], "2025-03-01", "2025-03-31", 500)
    assert enqueue(api, both, headers=LATE)["pending_reasons"] == [
        "Date Feasibility",
        "Capacity Feasibility",
    ]

    # The administrator approves the held entry: it issues, with the carry kept.
    outcome = admin.approve(api.data_dir, "generation_entry", too_much)
    assert outcome.status == "issued" and "100 certificate" in outcome.detail
    after = api.get(f"/generation_entries/{too_much}").json()["data"]["attributes"]
    assert after["issued_quantity"] == 100 and after["status_control"] is None
    assert admin.reject(api.data_dir, "generation_entry", both, "Meter data missing").status == (
        "rejected"
    )
    rejected = api.get(f"/generation_entries/{both}").json()["data"]["attributes"]
    assert rejected["status"] == "rejected" and rejected["action_info"] == "Meter data missing"
    # A rejected entry no longer blocks its period.
    assert api.entry(small["id"], "2025-03-01", "2025-03-31", 5).status_code == 201


def test_multi_fuel_waits_for_a_split(api: Api) -> None:
    gen = api.active_generator(nameplate=1.0, fuels=2)
    fuels = [f["id"] for f in gen["relationships"]["generator_fuels"]["data"]]
    ident = report(api, gen["id"], "2025-01-01", "2025-01-31", 10.5)
    held = enqueue(api, ident, headers=SOON)
    assert held["status"] == "pending" and held["status_control"] == "Pending Fuel Split"

    bad_split = [{"allocations": [{"generator_fuel_id": f, "allocation": 0.4} for f in fuels]}]
    r = api.patch(
        f"/generation_entries/{ident}",
        {
            "data": {
                "type": "generation_entries",
                "id": ident,
                "attributes": {"fuel_allocation": bad_split},
            }
        },
    )
    assert r.status_code == 422 and pointers(r) == [
        "/data/attributes/fuel_allocation/0/allocations"
    ]
    r = api.patch(
        f"/generation_entries/{ident}",
        {"data": {"type": "generation_entries", "id": ident, "attributes": {"quantity": 3}}},
    )
    assert r.status_code == 422 and pointers(r) == ["/data/attributes/quantity"]

    split = [
        {
            "mrets_id": gen["attributes"]["mrets_id"],
            "allocations": [
                {"generator_fuel_id": fuels[0], "allocation": 0.75},
                {"generator_fuel_id": fuels[1], "allocation": 0.25},
            ],
        }
    ]
    r = api.patch(
        f"/generation_entries/{ident}",
        {
            "data": {
                "type": "generation_entries",
                "id": ident,
                "attributes": {"fuel_allocation": split},
            }
        },
    )
    assert r.status_code == 200, r.text
    issued = enqueue(api, ident, headers=SOON)
    assert issued["status"] == "issued" and issued["issued_quantity"] == 9  # 7 of 7.875, 2 of 2.625
    remainders = {r["generator_fuel_id"]: r["remainder"] for r in issued["fractional_remainders"]}
    assert remainders == {fuels[0]: pytest.approx(0.875), fuels[1]: pytest.approx(0.625)}
    certs = api.get("/certificates", params={"filter[generation_entry_id]": ident}).json()["data"]
    assert sorted(
        (c["relationships"]["generator_fuel"]["data"]["id"], c["attributes"]["quantity"])
        for c in certs
    ) == sorted([(fuels[0], 7), (fuels[1], 2)])

    # The next month carries per fuel: 0.875 + 0.75 and 0.625 + 0.25.
    nxt = report(api, gen["id"], "2025-02-01", "2025-02-28", 1.0, fuel_allocation=split)
    after = enqueue(api, nxt, headers=SOON)
    assert after["issued_quantity"] == 1
    assert {r["generator_fuel_id"]: r["remainder"] for r in after["fractional_remainders"]} == {
        fuels[0]: pytest.approx(0.625),
        fuels[1]: pytest.approx(0.875),
    }


def test_split_from_generator_fuel_percentages(api: Api) -> None:
    gen = api.create_generator(
        facility_name="Percent split",
        name="u",
        country="United States",
        state_province="WI",
        commenced_operation_date="2020-01-01",
        nameplate_capacity=5,
        max_annual_energy=10000,
        is_multi_fuel="Yes",
    )
    api.add_fuel(gen["id"], "13", percentage=50)
    api.add_fuel(gen["id"], "1", percentage=50)
    api.post(f"/generators/{gen['id']}/submit")
    admin.approve(api.data_dir, "generator", gen["id"])
    attrs = enqueue(api, report(api, gen["id"], "2025-05-01", "2025-05-31", 4))
    assert attrs["status"] == "issued" and attrs["issued_quantity"] == 4


def test_enqueue_twice_is_a_conflict(api: Api) -> None:
    gen = api.active_generator()
    ident = report(api, gen["id"], "2024-11-01", "2024-11-30", 2)
    enqueue(api, ident)
    r = api.post(f"/generation_entries/{ident}/enqueue")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "invalid_state"
    r = api.session.put(api.url(f"/generation_entries/{ident}/enqueue"), timeout=5)
    assert r.status_code == 409


def test_interval_lines_must_add_up(api: Api) -> None:
    gen = api.active_generator()
    ident = report(api, gen["id"], "2024-10-01", "2024-10-01", 0.012, quantity_unit="mwh")
    lines = [
        {
            "type": "generation_entry_lines",
            "attributes": {
                "started_at": f"2024-10-01T{h:02d}:00:00Z",
                "ended_at": f"2024-10-01T{h + 1:02d}:00:00Z",
                "amount": 1.0,
                "peak": 7 <= h < 22,
            },
            "relationships": {"generation_entry": rel("generation_entries", ident)},
        }
        for h in range(11)
    ]
    r = api.post("/generation_entry_lines", {"data": lines})
    assert r.status_code == 201 and len(r.json()["data"]) == 11
    r = api.post(f"/generation_entries/{ident}/enqueue")
    assert r.status_code == 422 and "11 kWh" in r.json()["errors"][0]["detail"]
    one = dict(lines[0])
    one["attributes"] = {
        **lines[0]["attributes"],
        "started_at": "2024-10-01T11:00:00Z",
        "ended_at": "2024-10-01T12:00:00Z",
    }
    r = api.post("/generation_entry_lines", {"data": one})
    assert r.status_code == 201 and r.headers["Location"].endswith(r.json()["data"]["id"])
    attrs = enqueue(api, ident)
    assert attrs["has_entry_lines_profile"] is True
    assert attrs["entry_lines_interval_in_minutes"] == 60 and attrs["status"] == "accepted"
    listed = api.get("/generation_entry_lines", params={"filter[generation_entry_id]": ident})
    assert listed.json()["meta"]["total"] == 12
    bad = dict(lines[0])
    bad["attributes"] = {
        "started_at": "2024-10-01T05:00:00Z",
        "ended_at": "2024-10-01T04:00:00Z",
        "amount": 1,
    }
    r = api.post("/generation_entry_lines", {"data": [bad]})
    assert r.status_code == 409  # the entry is no longer a draft
    draft = report(api, gen["id"], "2024-09-01", "2024-09-30", 1)
    bad["relationships"] = {"generation_entry": rel("generation_entries", draft)}
    r = api.post("/generation_entry_lines", {"data": [bad]})
    assert r.status_code == 422 and pointers(r) == ["/data/0/attributes/ended_at"]
    r = api.post(
        "/generation_entry_lines",
        doc(
            "generation_entry_lines",
            {"amount": "x"},
            generation_entry=rel("generation_entries", draft),
        ),
    )
    assert r.status_code == 422 and pointers(r) == ["/data/attributes/amount"]
