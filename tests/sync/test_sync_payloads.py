"""Pure payload builders: a DGG draft and generation months become registry requests."""

from __future__ import annotations

from datetime import date

from desktop.sync.payloads import (
    LINES_PER_REQUEST,
    DocumentInfo,
    EntryInput,
    dgg_plan,
    field_of,
    generation_plan,
    reference_marker,
)
from tests.sync.helpers import dgg_payload, unit


def test_a_dgg_becomes_generator_fuels_units_documents_and_submit() -> None:
    units = [unit(0), unit(1, unit_status="Deactivated"), unit(2)]
    docs = [
        DocumentInfo(1, "Capacity factor documentation", "cf.pdf", "a" * 64),
        DocumentInfo(2, "Interconnection Agreement", "ia0.pdf", "b" * 64, "u00000"),
        DocumentInfo(3, "Interconnection Agreement", "ia1.pdf", "c" * 64, "u00001"),
        DocumentInfo(4, "Schedule A", "sa.pdf", "d" * 64, "u00002"),
    ]
    plan = dgg_plan(dgg_payload("Group A"), units, docs, ref="r1", name="Group A")
    keys = [s["key"] for s in plan]
    assert keys == [
        "generator",
        "fuel:0",
        "unit:u00000",
        "unit:u00002",  # the deactivated unit is not registered
        "document:1",
        "document:2",
        "document:4",  # nor are its documents
        "submit",
    ]
    gen = plan[0]["body"]["data"]["attributes"]
    assert gen["facility_name"] == gen["name"] == "Group A"
    assert gen["dg_group"] is True and gen["dg_group_type"] == "Residential"
    assert gen["capacity_factor"] == 0.15  # 15 % in the draft, a fraction in the API
    assert gen["is_multi_fuel"] == "No" and gen["publish_contact"] == "Yes"
    assert reference_marker("r1") in gen["notes"]
    assert "some_future_key" not in gen and "nameplate_capacity" not in gen  # derived by M-RETS
    unit_attrs = plan[2]["body"]["data"]["attributes"]
    assert unit_attrs["revenue_meter_id"] == "MTR-00000"
    assert unit_attrs["nameplate_capacity"] == 0.004
    assert "expansion_indicator" not in unit_attrs  # No → not sent (the API has Yes or null)
    assert plan[2]["body"]["data"]["relationships"]["generator"]["data"]["id"] == {
        "$ref": "generator"
    }
    fuel = plan[1]["body"]["data"]["relationships"]
    assert fuel["fuel_source"]["data"]["id"] == {"$fuel_source": "Solar PV"}
    assert fuel["eligibilities"]["data"][0]["id"] == {"$eligibility": "Minnesota Eligibility"}
    assert plan[5]["form"]["document_type"] == "interconnection_agreement"
    assert plan[4]["form"]["document_type"] == "other"
    assert plan[6]["form"]["document_type"] == "schedule_a"
    assert plan[5]["unit"] == {"$ref": "unit:u00000"} and plan[4]["unit"] is None


def test_a_resubmission_updates_the_existing_generator() -> None:
    plan = dgg_plan(dgg_payload(), [unit(0)], [], ref="r", name="x", registry_id="gen-1")
    assert plan[0]["op"] == "existing" and plan[0]["registry_id"] == "gen-1"
    assert plan[0]["key"] == "generator:update" and plan[-1]["key"] == "submit"
    again = dgg_plan(dgg_payload(), [], [], ref="r", name="x", registry_id="g", round_number=2)
    assert [s["key"] for s in again] == ["generator:update:2", "fuel:0", "submit:2"]
    assert "facility_name" not in plan[0]["body"]["data"]["attributes"]


def test_odd_values_are_converted_or_left_out() -> None:
    payload = dgg_payload(
        repower_dates="2023-06-01: 0.02 MW; 2024-01-01: 0.01 MW",
        ownership_types=["Privately Owned Distributed Generation"],
        eia_number="",
        is_multi_fuel="yes",
    )
    attrs = dgg_plan(payload, [unit(0, expansion=True)], [], ref="r", name="n")
    gen = attrs[0]["body"]["data"]["attributes"]
    assert gen["repower_dates_and_added_capacities"] == [
        "2023-06-01: 0.02 MW",
        "2024-01-01: 0.01 MW",
    ]
    assert gen["ownership_type"] == ["Privately Owned Distributed Generation"]
    assert "eia_number" not in gen
    assert gen["is_multi_fuel"] == "Yes"
    assert attrs[2]["body"]["data"]["attributes"]["expansion_indicator"] == "Yes"


def test_generation_becomes_entries_lines_and_enqueue() -> None:
    lines = [
        (f"2025-05-01T{h:02d}:00:00Z", f"2025-05-01T{h + 1:02d}:00:00Z", 1.5) for h in range(23)
    ]
    entries = [
        EntryInput("g1", date(2025, 4, 1), date(2025, 4, 30), 1.234567891),
        EntryInput(
            "g1",
            date(2025, 5, 1),
            date(2025, 5, 31),
            2.0,
            vintage="2025-05",
            fuel_allocation={"f1": 0.25, "f2": 0.75},
            lines=lines * 50,  # 1150 lines → two requests
        ),
    ]
    plan = generation_plan(entries)
    assert [s["op"] for s in plan] == ["create", "enqueue", "create", "lines", "lines", "enqueue"]
    first = plan[0]["body"]["data"]["attributes"]
    assert first == {
        "generation_period_start": "2025-04-01",
        "generation_period_end": "2025-04-30",
        "quantity": 1.234568,
        "quantity_unit": "mwh",
    }
    second = plan[2]["body"]["data"]["attributes"]
    assert second["fuel_allocation"][0]["allocations"][1] == {
        "generator_fuel_id": "f2",
        "allocation": 0.75,
    }
    assert len(plan[3]["body"]["data"]) == LINES_PER_REQUEST and len(plan[4]["body"]["data"]) == 150
    assert plan[0]["lookup"] == {
        "by": "entry",
        "generator": "g1",
        "start": "2025-04-01",
        "end": "2025-04-30",
    }
    assert plan[0]["label"] == "Generation Apr 2025"


def test_registry_attributes_map_back_to_draft_fields() -> None:
    assert field_of({"kind": "unit"}, "nameplate_capacity") == "capacity_mw"
    assert field_of({"kind": "unit"}, "revenue_meter_id") == "meter_id"
    assert field_of({"kind": "group"}, "dg_group_type") == "group_type"
    assert field_of({"kind": "group"}, "capacity_factor") == "capacity_factor"
    assert field_of({"kind": "group"}, "facility_name") == "group_name"
    assert field_of({"kind": "entry"}, "generation_period_start") == "start"
    assert field_of({"kind": "document"}, "document_type") == "documents"
    assert field_of({"kind": "unit"}, "") == "unit"
