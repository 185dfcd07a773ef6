"""Unit-level and cross-unit DGG rules (reference.md §1.1, decisions.md 'Registrations (DGG)')."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.models import reference
from desktop.models.dgg_rules import (
    active_total_mw,
    check_group_totals,
    check_group_type,
    check_units,
    sources_for,
    state_code,
)
from desktop.models.issues import Severity
from desktop.models.units import UNIT_FIELDS, new_unit

TODAY = date(2026, 3, 1)
GROUP: dict[str, Any] = {
    "state_province": "Minnesota",
    "group_type": "Residential",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}


def unit(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        name="Olson roof",
        meter_id="M-1001",
        street="12 Elm St",
        city="Saint Paul",
        state_province="Minnesota",
        postal_code="55101",
        county="Ramsey",
        capacity_mw=0.0076,
        cod=date(2024, 5, 1),
        utility="Xcel Energy",
        customer_type="Residential",
        fuel_type="Solar",
        fuel_source="Solar PV",
    )
    values.update(over)
    return new_unit(**values)


def issues_for(units: list[dict[str, Any]], group: dict[str, Any] | None = None, **kw: Any):
    return check_units(group or GROUP, units, today=TODAY, **kw)


def blocking(issues):
    return [i for i in issues if i.severity is Severity.ERROR]


def test_a_clean_unit_has_no_issues() -> None:
    assert issues_for([unit()]) == []


@pytest.mark.parametrize("key", [s.key for s in UNIT_FIELDS if s.required])
def test_every_required_unit_field_is_reported_when_missing(key: str) -> None:
    second = unit(meter_id="M-2")
    second[key] = None
    found = blocking(issues_for([unit(), second]))
    assert [(i.field, i.row, i.page) for i in found] == [(key, 1, "units")]
    assert "required" in found[0].message


@pytest.mark.parametrize(
    ("capacity", "ok"),
    [
        (1.0, True),
        (0.999999, True),
        (1.000001, False),
        (1.5, False),
        ("1 MW", True),
        ("1000 kW", True),
        ("1000.001 kW", False),
        (0.000001, True),
    ],
)
def test_unit_is_at_most_one_megawatt_ac(capacity: Any, ok: bool) -> None:
    found = [i for i in issues_for([unit(capacity_mw=capacity)]) if i.field == "capacity_mw"]
    assert (found == []) is ok
    if not ok:
        assert found[0].severity is Severity.ERROR and "1 MW AC" in found[0].message


def test_unit_size_is_an_error_wherever_it_is_checked() -> None:
    found = issues_for([unit(capacity_mw=1.2)])
    assert [(i.field, i.severity) for i in found] == [("capacity_mw", Severity.ERROR)]


@pytest.mark.parametrize("capacity", [0, -0.005, "abc", "7.6 kWh"])
def test_capacity_must_be_a_positive_capacity(capacity: Any) -> None:
    found = issues_for([unit(capacity_mw=capacity)])
    assert [(i.field, i.severity) for i in found] == [("capacity_mw", Severity.ERROR)]


def test_duplicate_meter_ids_flag_every_row_and_name_the_others() -> None:
    units = [
        unit(name="A", meter_id="M-9"),
        unit(name="B", meter_id="M-1"),
        unit(name="C", meter_id=" m-9 "),
    ]
    found = [i for i in issues_for(units) if i.field == "meter_id"]
    assert [i.row for i in found] == [0, 2]
    assert "row 3 (C)" in found[0].message
    assert "row 1 (A)" in found[1].message


def test_three_duplicates_name_both_others() -> None:
    units = [unit(name=n, meter_id="X") for n in "ABC"]
    found = [i for i in issues_for(units) if i.field == "meter_id"]
    assert len(found) == 3
    assert "row 2 (B)" in found[0].message and "row 3 (C)" in found[0].message


def test_unit_in_another_state_is_an_error() -> None:
    found = issues_for([unit(state_province="Wisconsin")])
    assert [(i.field, i.row) for i in found] == [("state_province", 0)]
    assert "Minnesota" in found[0].message and "Wisconsin" in found[0].message


def test_state_comparison_ignores_case() -> None:
    assert issues_for([unit(state_province="minnesota")]) == []


def test_unknown_state_is_an_error() -> None:
    found = issues_for([unit(state_province="Atlantis")])
    assert {i.field for i in found} == {"state_province"}


def test_unit_with_another_fuel_type_is_an_error() -> None:
    found = issues_for([unit(fuel_type="Wind", fuel_source="Wind")])
    assert [i.field for i in found] == ["fuel_type"]
    assert "Solar – Solar PV" in found[0].message


def test_unit_with_another_fuel_source_is_an_error() -> None:
    found = issues_for([unit(fuel_source="Solar Thermal")])
    assert [i.field for i in found] == ["fuel_source"]


def test_fuel_source_must_belong_to_its_type() -> None:
    group = {**GROUP, "fuels": []}
    found = issues_for([unit(fuel_type="Solar", fuel_source="Wind")], group)
    assert [i.field for i in found] == ["fuel_source"]
    assert "not a fuel source of fuel type Solar" in found[0].message


def test_explicit_group_fuel_keys_are_read_too() -> None:
    group = {"state_province": "Minnesota", "fuel_type": "Solar", "fuel_source": "Solar PV"}
    assert issues_for([unit()], group) == []
    assert [i.field for i in issues_for([unit(fuel_type="Wind", fuel_source="Wind")], group)] == [
        "fuel_type"
    ]


@pytest.mark.parametrize(
    ("cod", "ok"),
    [
        (TODAY, True),
        (date(2026, 2, 28), True),
        (date(2026, 3, 2), False),
        ("2030-01-01", False),
        ("2020-01-01", True),
        ("not a date", False),
    ],
)
def test_cod_is_not_in_the_future(cod: Any, ok: bool) -> None:
    found = issues_for([unit(cod=cod)])
    assert (found == []) is ok
    if not ok:
        assert found[0].field == "cod"


def test_cod_defaults_to_today() -> None:
    assert check_units(GROUP, [unit(cod=date(2999, 1, 1))])[0].field == "cod"


@pytest.mark.parametrize(
    ("group_type", "customer", "ok"),
    [
        ("Residential", "Residential", True),
        ("Residential", "Commercial", False),
        ("Commercial", "Residential", False),
        ("Commercial", "Commercial", True),
        ("Mixed", "Commercial", True),
        ("Mixed", "Residential", True),
        (None, "Commercial", True),
    ],
)
def test_customer_type_is_allowed_by_group_type(group_type: Any, customer: str, ok: bool) -> None:
    found = issues_for([unit(customer_type=customer)], {**GROUP, "group_type": group_type})
    assert (found == []) is ok
    if not ok:
        assert found[0].field == "customer_type" and "Mixed" in found[0].message


def test_unit_not_owned_gets_a_schedule_a_note() -> None:
    found = issues_for([unit(owned_by_org=False)])
    assert [(i.field, i.severity) for i in found] == [("owned_by_org", Severity.INFO)]
    assert "Schedule A" in found[0].message


def test_expansion_indicator_must_be_yes_or_no_and_yes_gets_a_note() -> None:
    assert [(i.field, i.severity) for i in issues_for([unit(expansion=True)])] == [
        ("expansion", Severity.INFO)
    ]
    assert [(i.field, i.severity) for i in issues_for([unit(expansion="maybe")])] == [
        ("expansion", Severity.ERROR)
    ]
    assert issues_for([unit(expansion=None)]) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("postal_code", "ABCDE"),
        ("latitude", 91.0),
        ("longitude", -181.0),
        ("name", "x" * 201),
        ("customer_type", "Industrial"),
        ("unit_status", "Sleeping"),
        ("latitude", "north"),
    ],
)
def test_per_field_formats_and_ranges(key: str, value: Any) -> None:
    found = issues_for([unit(**{key: value})])
    assert [(i.field, i.severity, i.row) for i in found] == [(key, Severity.ERROR, 0)]


def test_canadian_postal_code_is_accepted() -> None:
    assert issues_for([unit(postal_code="K1A 0B1")]) == []


def test_rules_never_raise_on_junk() -> None:
    junk = {k: object() for k in ("name", "cod", "capacity_mw", "customer_type")}
    check_units(GROUP, [unit(**junk), {}], today=TODAY)
    check_group_totals(GROUP, [{}, {"capacity_mw": "junk"}])


@pytest.mark.parametrize(
    ("capacities", "ok"),
    [([0.5, 0.5], True), ([0.25] * 4, True), ([0.5, 0.500001], False), ([0.6, 0.6], False)],
)
def test_group_total_is_at_most_one_megawatt(capacities: list[float], ok: bool) -> None:
    units = [unit(meter_id=str(i), capacity_mw=c) for i, c in enumerate(capacities)]
    found = check_group_totals(GROUP, units)
    assert (found == []) is ok
    if not ok:
        assert found[0].severity is Severity.ERROR and found[0].page == "units"


def test_group_total_counts_active_units_only() -> None:
    units = [unit(capacity_mw=0.6), unit(capacity_mw=0.6, unit_status="Deactivated")]
    assert check_group_totals(GROUP, units) == []
    assert active_total_mw(units) == 0.6
    units[1]["unit_status"] = "Active"
    found = check_group_totals(GROUP, units)
    assert [i.severity for i in found] == [Severity.ERROR]
    assert "1.2 MW" in found[0].message


def test_mixed_group_with_one_customer_type_gets_a_warning() -> None:
    found = check_group_type({**GROUP, "group_type": "Mixed"}, [unit(), unit()])
    assert [(i.field, i.severity, i.page) for i in found] == [
        ("group_type", Severity.WARNING, "general")
    ]


def test_residential_group_with_both_types_is_an_error_at_group_level() -> None:
    found = check_group_type(GROUP, [unit(), unit(customer_type="Commercial")])
    assert [(i.field, i.severity) for i in found] == [("group_type", Severity.ERROR)]


def test_reference_lists_have_what_the_rules_need() -> None:
    states = reference.entries("states_provinces")
    assert len(states) == 51 + 13
    assert state_code("Minnesota") == "MN" and state_code("on") == "ON"
    fuel_types = {e["value"]: e for e in reference.entries("fuel_types")}
    assert fuel_types["Solar"]["code"] == "SO1" and fuel_types["Solar"]["renewable"]
    assert fuel_types["Biomass"]["biomass"] and fuel_types["Pumped Hydro Storage"]["ui"]
    assert sources_for("Solar") == ("Solar PV", "Solar Thermal")
    assert "Landfill Gas" in sources_for("Municipal Solid Waste")
    for source in reference.entries("fuel_sources"):
        assert source["fuel_type"] in fuel_types
    docs = {e["value"]: e for e in reference.entries("dgg_document_types")}
    assert docs["Schedule A"]["required"] == "not_owned"
    for name in (
        "eligibilities",
        "ownership_types",
        "utility_ownership_types",
        "generation_technologies",
    ):
        assert reference.load(name)["note"] and reference.choices(name)


def test_a_choice_not_in_the_list_says_what_was_meant_or_what_is_allowed() -> None:
    from desktop.models.fields import FieldKind, FieldSpec, ParseError, choice_hint, parse_value

    choices = ["Solar PV", "Wind", "Hydro", "Biogas"]
    assert choice_hint(choices, "Photovoltaic") == "did you mean Solar PV?"
    assert choice_hint(choices, "wnd") == "did you mean Wind?"
    assert choice_hint(choices, "Coal") == "allowed: Solar PV, Wind, Hydro, Biogas"
    spec = FieldSpec("tech", "Technology", FieldKind.CHOICE, choices=tuple(choices))
    try:
        parse_value(spec, "Photovoltaic")
    except ParseError as exc:
        assert str(exc) == "'Photovoltaic' is not in the list; did you mean Solar PV?"
    else:
        raise AssertionError("Photovoltaic was accepted")
