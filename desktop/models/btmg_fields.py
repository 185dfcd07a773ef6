"""The fields of a MISO BTMG enrollment, declared once, in MECT "Add BTMG" step order.

The steps are those of MISO KA-01351 (source-texts/miso-btmg-enrollment.txt, reference.md §3.5):
registration fields (steps 4–15), season fields repeated for Summer, Fall, Winter and Spring
(16–24, 25), statements to accept (26) and Submit (27). The wizard, the MECT entry sheet, the JSON
payload and the checks derive from these declarations. Option lists MISO does not publish come
from editable reference lists (`resources/reference/mect_*.json`, decisions.md).
"""

from __future__ import annotations

from enum import StrEnum

from desktop.models.fields import FieldKind, FieldSpec, by_key

TOTAL_STEPS = 27


class Page(StrEnum):
    REGISTRATION = "registration"
    DOCUMENTS = "documents"
    CAPABILITY = "capability"
    MEASUREMENT = "measurement"
    SEASONS = "seasons"
    STATEMENTS = "statements"
    REVIEW = "review"


PAGE_TITLES: dict[Page, str] = {
    Page.REGISTRATION: "Registration",
    Page.DOCUMENTS: "Documents",
    Page.CAPABILITY: "Capability and operator",
    Page.MEASUREMENT: "Measurement",
    Page.SEASONS: "Seasons",
    Page.STATEMENTS: "Statements",
    Page.REVIEW: "Review and submit",
}
PAGE_STEPS: dict[Page, tuple[int, int]] = {
    Page.REGISTRATION: (4, 9),
    Page.DOCUMENTS: (10, 10),
    Page.CAPABILITY: (11, 14),
    Page.MEASUREMENT: (15, 15),
    Page.SEASONS: (16, 25),
    Page.STATEMENTS: (26, 26),
    Page.REVIEW: (27, 27),
}
PAGES: tuple[Page, ...] = tuple(Page)

F = FieldKind
P = Page

# --- Registration: steps 4–15 ------------------------------------------------------------------

REGISTRATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        "Name",
        F.TEXT,
        required=True,
        max_length=200,
        page=P.REGISTRATION,
        help="Name of the BTMG as it will appear in MECT. It is also this draft's name.",
    ),
    FieldSpec(
        "asset_owner",
        "Asset Owner",
        F.TEXT,
        required=True,
        choice_list="mect_asset_owners",
        max_length=200,
        page=P.REGISTRATION,
        help="The Market Participant that owns the asset, as in MECT's dropdown. "
        "Only Certified Market Participants may enroll BTMG.",
    ),
    FieldSpec(
        "lba",
        "Local Balancing Authority (LBA)",
        F.CHOICE,
        required=True,
        choice_list="mect_lbas",
        page=P.REGISTRATION,
        help="The MISO LBA the load sits in; its Local Resource Zone is shown beside it.",
    ),
    FieldSpec(
        "description",
        "Description",
        F.TEXT,
        max_length=2000,
        page=P.REGISTRATION,
        help="Free text: what the generation is, where it is and which load it serves.",
    ),
    FieldSpec(
        "cpnode",
        "Load Zone CPNode",
        F.TEXT,
        required=True,
        choice_list="mect_load_zone_cpnodes",
        max_length=100,
        page=P.REGISTRATION,
        help="The load CPNode the BTMG sits behind (LBA.assetname). It must belong to the "
        "chosen LBA unless you override it.",
    ),
    FieldSpec(
        "cpnode_override",
        "Override CPNode",
        F.BOOL,
        page=P.REGISTRATION,
        help="Tick only when MECT's default CPNode options are wrong; then type the CPNode.",
    ),
    FieldSpec(
        "demand_reduction_mw",
        "Demand Reduction Capability Forecast",
        F.DECIMAL,
        required=True,
        unit="MW",
        minimum=0,
        page=P.CAPABILITY,
        help="MW by which the BTMG can reduce load. At least 0 and not above the capacity of "
        "the generators chosen for each season.",
    ),
    FieldSpec(
        "operator_name",
        "Operator Contact Name",
        F.TEXT,
        required=True,
        max_length=200,
        page=P.CAPABILITY,
        help="The person MISO calls to deploy the resource.",
    ),
    FieldSpec(
        "operator_phone",
        "Operator Contact Phone",
        F.PHONE,
        required=True,
        page=P.CAPABILITY,
        help="10 digits, e.g. 651-555-0100; an extension may follow as 'x123'.",
    ),
    FieldSpec(
        "operator_email",
        "Operator Contact Email",
        F.EMAIL,
        required=True,
        page=P.CAPABILITY,
        help="e.g. operator@example.com",
    ),
    FieldSpec(
        "measurement_protocol",
        "Measurement Protocol",
        F.CHOICE,
        required=True,
        choice_list="mect_measurement_protocols",
        page=P.MEASUREMENT,
        help="How the load reduction is measured. Options come from an editable list: verify "
        "them against MECT.",
    ),
)

# Step 10 is an action (attach files), not a value: declared for its label, step and help.
DOCUMENTS_FIELD = FieldSpec(
    "documents",
    "Documents",
    F.TEXT,
    page=P.DOCUMENTS,
    help="Supporting documents to upload in MECT (e.g. one-line diagram, metering, contracts). "
    "Files are copied into the draft store.",
)

# --- Per season: steps 16–24 -------------------------------------------------------------------

SEASON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "status_option",
        "Status Option",
        F.CHOICE,
        required=True,
        choice_list="mect_status_options",
        page=P.SEASONS,
        help="The resource's status for this season, as MECT lists it.",
    ),
    FieldSpec(
        "excluded",
        "Exclude from season",
        F.BOOL,
        page=P.SEASONS,
        help="Tick to leave the asset out of this season; its other season fields are then "
        "not needed.",
    ),
    FieldSpec(
        "generators",
        "Generators",
        F.MULTI_CHOICE,
        required=True,
        page=P.SEASONS,
        help="The generators or units backing the BTMG this season: from your DGG and "
        "generator drafts, or added here with their capacity.",
    ),
    FieldSpec(
        "xeford_override",
        "XEFORd Override",
        F.PERCENT,
        unit="%",
        minimum=0,
        maximum=100,
        page=P.SEASONS,
        help="Optional. Forced outage rate on demand excluding outside-management-control "
        "events, 0–100 % with up to two decimals.",
    ),
    FieldSpec(
        "emergency_dr",
        "Emergency Demand Response",
        F.BOOL,
        page=P.SEASONS,
        help="MISO ended LMRs also registering as Emergency DR (FERC ER25-2050); kept for "
        "older drafts.",
    ),
    FieldSpec(
        "max_interruptions",
        "Max Interruptions",
        F.INT,
        required=True,
        minimum=0,
        page=P.SEASONS,
        help="At least the season's minimum deployments: 5 in Summer and Winter, 3 in Fall "
        "and Spring.",
    ),
    FieldSpec(
        "max_duration_hours",
        "Max Duration hours",
        F.CHOICE,
        required=True,
        choice_list="mect_max_duration_hours",
        page=P.SEASONS,
        help="Longest interruption the resource can sustain. MISO requires 4 consecutive hours.",
    ),
    FieldSpec(
        "monthly_availability",
        "Monthly Availability",
        F.CHOICE,
        required=True,
        choice_list="mect_monthly_availability",
        page=P.SEASONS,
        help="The months of the season the resource is available.",
    ),
    FieldSpec(
        "notification",
        "Notification",
        F.CHOICE,
        required=True,
        choice_list="mect_notification_times",
        page=P.SEASONS,
        help="Advance notice the resource needs before a deployment (current LMRs: 6 hours "
        "at most).",
    ),
)

STATEMENTS_FIELD = FieldSpec(
    "statements",
    "Statements",
    F.MULTI_CHOICE,
    required=True,
    choice_list="mect_statements",
    page=P.STATEMENTS,
    help="Every statement must be accepted before the enrollment can be submitted.",
)

STEPS: dict[str, int] = {
    "name": 4,
    "asset_owner": 5,
    "lba": 6,
    "description": 7,
    "cpnode": 8,
    "cpnode_override": 9,
    "documents": 10,
    "demand_reduction_mw": 11,
    "operator_name": 12,
    "operator_phone": 13,
    "operator_email": 14,
    "measurement_protocol": 15,
    "status_option": 16,
    "excluded": 17,
    "generators": 18,
    "xeford_override": 19,
    "emergency_dr": 20,
    "max_interruptions": 21,
    "max_duration_hours": 22,
    "monthly_availability": 23,
    "notification": 24,
    "statements": 26,
}
STEP_TITLES: dict[int, str] = {
    1: "Planning Resources (header menu)",
    2: "Registrations",
    3: "Add BTMG",
    25: "Repeat steps 16–24 for each season",
    27: "Submit, Save Draft or Cancel",
}
REG = by_key(REGISTRATION_FIELDS)
SEASON = by_key(SEASON_FIELDS)


def step_title(step: int) -> str:
    if step in STEP_TITLES:
        return STEP_TITLES[step]
    for key, s in STEPS.items():
        if s == step:
            return spec_for(key).label
    raise KeyError(step)


def step_caption(step: int) -> str:
    """'Step 11 of 27 · Demand Reduction Capability Forecast' (what MECT's screen shows next)."""
    return f"Step {step} of {TOTAL_STEPS} · {step_title(step)}"


def spec_for(key: str) -> FieldSpec:
    if key in REG:
        return REG[key]
    if key in SEASON:
        return SEASON[key]
    if key == DOCUMENTS_FIELD.key:
        return DOCUMENTS_FIELD
    if key == STATEMENTS_FIELD.key:
        return STATEMENTS_FIELD
    raise KeyError(key)
