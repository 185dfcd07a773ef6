"""The enrollment rules: every rule returns located issues, none raises."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.models import reference
from desktop.models.btmg import GeneratorOption, LocalGenerator, generator_options
from desktop.models.btmg_fields import REGISTRATION_FIELDS, SEASON_FIELDS
from desktop.models.btmg_rules import check, statements
from desktop.models.issues import Severity
from desktop.models.planning import SEASONS, Season
from tests.btmg.conftest import TODAY, complete_enrollment

GEN = {"generator:1": GeneratorOption("generator:1", "Mill CHP", 2.5, "Generator")}


def errors(issues: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {i.field: i.message for i in issues if i.severity is Severity.ERROR}


def warnings(issues: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {i.field: i.message for i in issues if i.severity is Severity.WARNING}


def test_a_complete_enrollment_has_no_errors() -> None:
    issues = check(complete_enrollment(), GEN, document_count=1, today=TODAY)
    assert errors(issues) == {} and warnings(issues) == {}


def test_every_required_field_is_reported_with_its_key_and_page() -> None:
    e = complete_enrollment()
    for spec in REGISTRATION_FIELDS:
        e.values[spec.key] = None if spec.kind.value != "bool" else False
    for season in SEASONS:
        for spec in SEASON_FIELDS:
            e.seasons[season][spec.key] = None if spec.kind.value != "bool" else False
        e.seasons[season]["generators"] = ()
    issues = check(e, GEN, document_count=1)
    found = errors(issues)
    for spec in REGISTRATION_FIELDS:
        assert (spec.key in found) is spec.required, spec.key
    for season in SEASONS:
        for spec in SEASON_FIELDS:
            assert (f"{season.value}.{spec.key}" in found) is spec.required, spec.key
    pages = {i.field: i.page for i in issues}
    assert pages["operator_email"] == "capability"
    assert pages["winter.notification"] == "seasons"
    assert found["fall.max_interruptions"] == "Fall: Max Interruptions is required"


def test_an_excluded_season_needs_none_of_its_fields() -> None:
    e = complete_enrollment()
    e.seasons[Season.FALL] = {"excluded": True, "generators": ()}
    e.seasons[Season.SPRING].update(excluded=True, max_interruptions=0, notification=None)
    found = errors(check(e, GEN, document_count=1))
    assert not any(k.startswith(("fall.", "spring.")) for k in found)
    assert found == {}


def test_excluding_every_season_is_an_error() -> None:
    e = complete_enrollment()
    for season in SEASONS:
        e.seasons[season]["excluded"] = True
    assert "Every season is excluded" in errors(check(e, GEN, document_count=1))["excluded"]


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("651-555-0100", True),
        ("(651) 555-0100 x12", True),
        ("+1 651 555 0100", True),
        ("555-0100", False),
        ("651-555-01OO", False),
    ],
)
def test_phone_is_validated_offline(phone: str, ok: bool) -> None:
    e = complete_enrollment()
    e.values["operator_phone"] = phone
    assert ("operator_phone" not in errors(check(e, GEN, document_count=1))) is ok


@pytest.mark.parametrize(
    ("email", "ok"),
    [("dana@example.com", True), ("dana@example", False), ("dana example.com", False)],
)
def test_email_is_validated_offline(email: str, ok: bool) -> None:
    e = complete_enrollment()
    e.values["operator_email"] = email
    assert ("operator_email" not in errors(check(e, GEN, document_count=1))) is ok


@pytest.mark.parametrize(
    ("xeford", "error", "warn"),
    [
        (0.0, False, False),
        (100.0, False, False),
        (12.25, False, False),
        (-0.01, True, False),
        (100.01, True, False),
        (4.125, False, True),
    ],
)
def test_xeford_is_a_percentage_0_to_100_with_two_decimals(
    xeford: float, error: bool, warn: bool
) -> None:
    e = complete_enrollment()
    e.seasons[Season.WINTER]["xeford_override"] = xeford
    issues = check(e, GEN, document_count=1)
    assert ("winter.xeford_override" in errors(issues)) is error
    assert ("winter.xeford_override" in warnings(issues)) is warn


@pytest.mark.parametrize(
    ("season", "value", "ok"),
    [
        (Season.SUMMER, 5, True),
        (Season.SUMMER, 4, False),
        (Season.WINTER, 4, False),
        (Season.FALL, 3, True),
        (Season.FALL, 2, False),
        (Season.SPRING, 3, True),
    ],
)
def test_max_interruptions_at_least_the_seasons_minimum_deployments(
    season: Season, value: int, ok: bool
) -> None:
    e = complete_enrollment()
    e.seasons[season]["max_interruptions"] = value
    found = errors(check(e, GEN, document_count=1))
    key = f"{season.value}.max_interruptions"
    assert (key not in found) is ok
    if not ok:
        assert "minimum deployments" in found[key]


def test_demand_reduction_capability_not_negative_and_not_above_capacity() -> None:
    e = complete_enrollment()
    e.values["demand_reduction_mw"] = -1.0
    assert "at least 0" in errors(check(e, GEN, document_count=1))["demand_reduction_mw"]
    e.values["demand_reduction_mw"] = 2.5  # exactly the capacity: allowed
    assert errors(check(e, GEN, document_count=1)) == {}
    e.values["demand_reduction_mw"] = 2.6
    found = errors(check(e, GEN, document_count=1))
    for season in SEASONS:
        assert (
            "above the selected generators' capacity 2.5 MW" in found[f"{season.value}.generators"]
        )
    e.seasons[Season.SUMMER]["excluded"] = True
    assert "summer.generators" not in errors(check(e, GEN, document_count=1))


def test_capacity_sums_the_season_generators_and_unknown_capacity_warns() -> None:
    e = complete_enrollment(("generator:1", "local:x"))
    e.local_generators.append(LocalGenerator("x", "Backup diesel", 0.5))
    e.values["demand_reduction_mw"] = 3.0
    options = {**GEN, "local:x": GeneratorOption("local:x", "Backup diesel", 0.5, "Added here")}
    assert errors(check(e, options, document_count=1)) == {}
    options["generator:1"] = GeneratorOption("generator:1", "Mill CHP", None, "Generator")
    issues = check(e, options, document_count=1)
    assert "capacity unknown for Mill CHP" in warnings(issues)["summer.generators"]
    assert "summer.generators" not in errors(issues)


def test_dgg_and_its_own_unit_picked_together_warn_about_double_counting() -> None:
    options = generator_options(
        [(7, "Lakeside", [{"uid": "a", "name": "Roof 1", "capacity_mw": 1.0}])], []
    )
    e = complete_enrollment(("dgg:7", "unit:7:a"))
    e.values["demand_reduction_mw"] = 1.5
    issues = check(e, options, document_count=1)
    assert "counts twice" in warnings(issues)["summer.generators"]


def test_a_generator_gone_from_the_store_uses_its_snapshot_or_is_an_error() -> None:
    e = complete_enrollment(("generator:9",))
    issues = check(e, GEN, document_count=1)
    assert "no longer available" in errors(issues)["summer.generators"]
    e.generator_snapshot["generator:9"] = {"name": "Old CHP", "capacity_mw": 3.0}
    issues = check(e, GEN, document_count=1)
    assert "summer.generators" not in errors(issues)
    assert "Old CHP" in warnings(issues)["summer.generators"]


def test_generator_options_read_capacities_defensively() -> None:
    options = generator_options(
        [
            (
                1,
                "Lakeside",
                [
                    {"uid": "a", "name": "Roof 1", "capacity_mw": 0.4},
                    {"uid": "b", "name": "Roof 2", "capacity_mw": 0.35},
                    {"uid": "c", "name": "Old", "capacity_mw": 0.9, "unit_status": "Deactivated"},
                ],
            ),
            (2, "Empty DGG", [{"uid": "z", "name": "No cap", "capacity_mw": None}]),
        ],
        [
            (3, "Text MW", {"nameplate_mw": "2.5"}),
            (4, "No MW", {}),
            (5, "Bad", {"nameplate_mw": "x"}),
            (6, "Bool", {"nameplate_mw": True}),
        ],
        [LocalGenerator("q", "Here", 0.2)],
    )
    assert options["dgg:1"].capacity_mw == 0.75  # deactivated units do not count
    assert "unit:1:c" not in options
    assert options["unit:1:b"].group_ref == "dgg:1"
    assert options["dgg:2"].capacity_mw is None
    assert options["generator:3"].capacity_mw == 2.5
    assert [options[f"generator:{n}"].capacity_mw for n in (4, 5, 6)] == [None, None, None]
    assert options["local:q"].label == "Here (Added here, 200 kW)"


@pytest.mark.parametrize(
    ("lba", "cpnode", "override", "severity", "words"),
    [
        ("NSP", "NSP.NSP", False, None, ""),
        ("NSP", "OTP.OTP", False, Severity.ERROR, "belongs to LBA OTP, not NSP"),
        (
            "NSP",
            "ALTE.ALTE",
            False,
            Severity.ERROR,
            "Local Resource Zone 2 (LBA ALTE) but LBA NSP is in Zone 1",
        ),
        ("NSP", "NSP.MILL_LOAD", False, Severity.ERROR, "tick Override CPNode"),
        ("NSP", "NSP.MILL_LOAD", True, None, ""),
        ("NSP", "ALTE.MILL", True, Severity.WARNING, "names LBA ALTE in Local Resource Zone 2"),
    ],
)
def test_lba_zone_and_cpnode_agree(
    lba: str, cpnode: str, override: bool, severity: Severity | None, words: str
) -> None:
    e = complete_enrollment()
    e.values.update(lba=lba, cpnode=cpnode, cpnode_override=override)
    found = [i for i in check(e, GEN, document_count=1) if i.field == "cpnode"]
    if severity is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].severity is severity and words in found[0].message


def test_a_cpnode_added_to_the_reference_list_with_its_lba_is_accepted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = reference.load("mect_load_zone_cpnodes")
    values = [*doc["values"], {"value": "NSPMILL.LOAD1", "lba": "NSP"}]
    reference.save_user_copy("mect_load_zone_cpnodes", {**doc, "values": values})
    e = complete_enrollment()
    e.values["cpnode"] = "NSPMILL.LOAD1"
    assert "cpnode" not in errors(check(e, GEN, document_count=1))


def test_choices_must_come_from_the_reference_list() -> None:
    e = complete_enrollment()
    e.values["lba"] = "XYZ"
    e.seasons[Season.FALL]["notification"] = "3 days"
    found = errors(check(e, GEN, document_count=1))
    assert "'XYZ' is not in the Local Balancing Authority (LBA) list" in found["lba"]
    assert (
        "Fall: Notification: '3 days' is not in the Notification list" in found["fall.notification"]
    )


def test_statements_must_all_be_accepted_and_a_changed_statement_again() -> None:
    e = complete_enrollment()
    e.statements_accepted = list(statements())[:2]
    assert "2 statements to accept" in errors(check(e, GEN, document_count=1))["statements"]
    e.statements_accepted = list(statements())
    doc = reference.load("mect_statements")
    reference.save_user_copy(
        "mect_statements", {**doc, "values": [*doc["values"][:3], "New text."]}
    )
    assert "1 statement to accept" in errors(check(e, GEN, document_count=1))["statements"]


def test_emergency_dr_and_missing_documents_only_warn() -> None:
    e = complete_enrollment()
    e.seasons[Season.SUMMER]["emergency_dr"] = True
    issues = check(e, GEN, document_count=0)
    assert errors(issues) == {}
    assert "ER25-2050" in warnings(issues)["summer.emergency_dr"]
    assert "documents" in warnings(issues)


def test_asset_owner_outside_a_non_empty_list_warns() -> None:
    e = complete_enrollment()
    assert "asset_owner" not in warnings(check(e, GEN, document_count=1))  # the list ships empty
    doc = reference.load("mect_asset_owners")
    reference.save_user_copy("mect_asset_owners", {**doc, "values": ["Other Co"]})
    assert (
        "not in your asset owner list" in warnings(check(e, GEN, document_count=1))["asset_owner"]
    )


def test_late_for_the_planning_year_is_an_error_until_submitted() -> None:
    e = complete_enrollment()  # PY 2026-2027
    assert "planning_year" not in errors(check(e, GEN, document_count=1, today=date(2026, 3, 1)))
    late = errors(check(e, GEN, document_count=1, today=date(2026, 3, 2)))
    assert "Move the draft to PY 2027-2028" in late["planning_year"]
    done = check(e, GEN, document_count=1, today=date(2026, 3, 2), submitted=True)
    assert "planning_year" not in errors(done)
