"""The DGG draft: fields, derived values, JSON and check_draft."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.exchange import units_rules
from desktop.models import dgg
from desktop.models.dgg_example import EXAMPLE_DOCUMENTS, example_group, example_units
from desktop.models.issues import Severity, blocking

TODAY = date(2026, 3, 1)


def full_documents(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    docs = [{"unit_uid": u["uid"], "doc_type": t} for u in units for t in EXAMPLE_DOCUMENTS]
    docs += [
        {"unit_uid": u["uid"], "doc_type": "Schedule A"}
        for u in units
        if u["owned_by_org"] is False
    ]
    return docs


def check(group: dict[str, Any], units: list[dict[str, Any]] | None = None, docs=None):
    units = example_units() if units is None else units
    return dgg.check_draft(
        group, units, full_documents(units) if docs is None else docs, today=TODAY
    )


def test_every_field_is_declared_once_with_help_and_a_page() -> None:
    keys = [s.key for s in dgg.GROUP_FIELDS + dgg.FUEL_FIELDS + dgg.DERIVED_FIELDS]
    assert len(keys) == len(set(keys))
    for spec in dgg.GROUP_FIELDS + dgg.FUEL_FIELDS + dgg.DERIVED_FIELDS:
        assert spec.help, spec.key
        assert spec.page in dgg.PAGES, spec.key
    assert {s.page for s in dgg.GROUP_FIELDS} == {"general", "owner", "engineering"}
    assert not {s.key for s in dgg.GROUP_FIELDS} & {"group_cod", "group_nameplate_mw"}


def test_the_example_can_be_submitted_with_its_documents() -> None:
    issues = check(example_group())
    assert blocking(issues) == []
    assert {i.severity for i in issues} <= {Severity.INFO}


def test_derived_cod_and_nameplate() -> None:
    units = example_units()
    assert dgg.derived_cod(units) == date(2018, 10, 30)
    assert dgg.derived_nameplate_mw(units) == pytest.approx(0.2148)
    units[2]["unit_status"] = "Deactivated"
    assert dgg.derived_nameplate_mw(units) == pytest.approx(0.2148 - 0.0385)
    assert dgg.derived_cod([]) is None


def test_json_round_trip_is_exact_and_versioned() -> None:
    group = example_group()
    doc = dgg.to_json_doc(group)
    assert doc["format"] == "registry-desk/dgg" and doc["version"] == 1
    assert dgg.from_json_doc(doc) == group
    units = example_units()
    assert [dgg.unit_from_json(dgg.unit_to_json(u)) for u in units] == units


def test_unreadable_text_survives_the_round_trip_and_is_reported() -> None:
    group = example_group(capacity_factor="fifteen", last_meter_certification="soon")
    back = dgg.from_json_doc(dgg.to_json_doc(group))
    assert back["capacity_factor"] == "fifteen"
    fields = {i.field for i in blocking(check(back))}
    assert {"capacity_factor", "last_meter_certification"} <= fields


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format": "registry-desk/btmg", "version": 1}, "not a DGG"),
        ({"format": "registry-desk/dgg", "version": 2}, "version 2 is not supported"),
    ],
)
def test_unknown_documents_are_refused(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dgg.from_json_doc(doc)


def test_an_empty_payload_is_a_new_group() -> None:
    assert dgg.from_json_doc({}) == dgg.new_group()


@pytest.mark.parametrize(
    "key",
    [s.key for s in dgg.GROUP_FIELDS if s.required],
)
def test_required_group_fields(key: str) -> None:
    found = [i for i in blocking(check(example_group(**{key: None}))) if i.field == key]
    assert len(found) == 1 and found[0].page in ("general", "owner", "engineering")


def test_capacity_factor_or_maximum_annual_energy() -> None:
    both_missing = check(example_group(capacity_factor=None))
    assert {i.field for i in blocking(both_missing)} == {"capacity_factor", "max_annual_energy"}
    assert blocking(check(example_group(capacity_factor=None, max_annual_energy=260.0))) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("owner_email", "registry@northstar"),
        ("operator_email", "dana at example.com"),
        ("owner_phone", "555-0142"),
        ("operator_phone", "call me"),
        ("owner_postal_code", "5540"),
        ("operator_postal_code", "K1A0B"),
        ("capacity_factor", 0.0),
        ("capacity_factor", 100.5),
        ("state_province", "Atlantis"),
        ("group_type", "Industrial"),
        ("is_multi_fuel", "perhaps"),
    ],
)
def test_formats(key: str, value: Any) -> None:
    found = [i.field for i in blocking(check(example_group(**{key: value})))]
    assert key in found


@pytest.mark.parametrize(
    ("when", "then"),
    [
        ("registration_rights_assign", "registration_rights_assign_date"),
        ("court_regulator_rights_assign", "court_regulator_rights_assign_date"),
        ("is_wi_retail_elec_provider", "retail_elec_providers"),
        ("aggregate_meter", "aggregating_unit_count"),
        ("uses_hydro_3_year_avg", "hydro_3_year_avg"),
    ],
)
def test_conditional_fields(when: str, then: str) -> None:
    found = [i.field for i in blocking(check(example_group(**{when: True})))]
    assert then in found
    assert then not in [i.field for i in blocking(check(example_group(**{when: False})))]


def test_mailing_address_is_required_only_when_different() -> None:
    found = {i.field for i in blocking(check(example_group(mailing_same=False)))}
    assert {"mailing_street", "mailing_city", "mailing_postal_code"} <= found
    assert not any(i.field.startswith("mailing") for i in blocking(check(example_group())))


def test_state_must_be_in_the_country() -> None:
    found = blocking(check(example_group(country="Canada")))
    assert [i.field for i in found] == ["state_province"]


def test_group_type_consistency_with_units() -> None:
    found = blocking(check(example_group(group_type="Residential")))
    assert "group_type" in {i.field for i in found}
    assert {i.row for i in found if i.field == "customer_type"} == {2, 4, 6, 9}


def test_fuel_rows() -> None:
    assert next(i.field for i in blocking(check(example_group(fuels=[])))) == "fuel_type"
    two = example_group()
    two["fuels"].append(dgg.new_fuel(fuel_type="Wind", fuel_source="Wind"))
    messages = [i.message for i in blocking(check(two))]
    assert any("share one fuel" in m for m in messages)
    wrong = example_group(fuels=[dgg.new_fuel(fuel_type="Solar", fuel_source="Wind")])
    assert any(i.field == "fuel_source" and i.page == "fuels" for i in blocking(check(wrong)))
    abp = example_group()
    abp["fuels"][0]["eligibilities"] = ("IL ABP (Illinois Adjustable Block Program)",)
    assert "abp_app_id" in {i.field for i in blocking(check(abp))}


def test_a_group_without_units_cannot_be_submitted() -> None:
    found = blocking(dgg.check_draft(example_group(), [], [], today=TODAY))
    assert [(i.page, i.message) for i in found] == [("units", "Add at least one unit to the group")]


def test_group_total_is_one_error_in_every_view() -> None:
    """Issue 14: over 1 MW was a warning in the grid and an error on the Review page."""
    units = example_units()
    units[0]["capacity_mw"] = 0.9
    found = [i for i in check(example_group(), units) if i.field == "capacity_mw"]
    assert [i.severity for i in found] == [Severity.ERROR]
    grid = [i for i in units_rules.check(example_group(), units) if i.field == "capacity_mw"]
    assert [i.severity for i in grid] == [Severity.ERROR]


def test_document_checklist_names_the_unit_and_what_it_lacks() -> None:
    units = example_units()
    docs = [d for d in full_documents(units) if d["unit_uid"] != units[3]["uid"]]
    docs.append({"unit_uid": units[3]["uid"], "doc_type": "Interconnection Agreement"})
    found = blocking(check(example_group(), units, docs))
    assert [(i.page, i.row) for i in found] == [("documents", 3)]
    assert found[0].message == (
        "Unit 4 (Anderson residence) lacks: Engineering Documents, Certificate of Completion, "
        "Ownership documents, Schedule A"
    )


def test_schedule_a_only_for_units_not_owned() -> None:
    units = example_units()
    rows = dgg.document_checklist(units, full_documents(units))
    assert all(not r.missing for r in rows)
    assert [r.row for r in rows if "Schedule A" in r.required] == [3, 8]


def test_deactivated_units_need_no_documents() -> None:
    units = example_units()
    units[0]["unit_status"] = "Deactivated"
    docs = [d for d in full_documents(units) if d["unit_uid"] != units[0]["uid"]]
    assert blocking(check(example_group(), units, docs)) == []


def test_group_documents_warnings() -> None:
    group = example_group(has_ppa=True, reporting_entity="MISO")
    messages = [i.message for i in check(group) if i.page == "documents"]
    assert any("power purchase agreement" in m for m in messages)
    assert any("Data Release Form" in m for m in messages)


def test_every_issue_has_a_page() -> None:
    group = dgg.new_group()
    units = example_units()
    units[0]["capacity_mw"] = 2.0
    issues = dgg.check_draft(group, units, [], today=TODAY)
    assert issues and all(i.page in dgg.PAGES for i in issues)
    order = [dgg.PAGES.index(i.page) for i in issues]
    assert order == sorted(order)
