"""A DGG unit: one small customer-sited generator inside a Distributed Generation Group.

`UNIT_FIELDS` is the single declaration of a unit's fields. The Add Unit dialog, the units grid
columns, the units CSV/XLSX columns (in this order) and the per-field checks all derive from it.
Sources: reference.md §1.3 (unit data dictionary) and §1.5; decisions.md (units upload columns).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from desktop.models.fields import FieldKind, FieldSpec

UNIT_MAX_MW = 1.0  # decisions.md: a unit is at most 1 MW AC
CUSTOMER_TYPES = ("Residential", "Commercial")
UNIT_STATUSES = ("Active", "Deactivated")

F = FieldKind
UNIT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        "Unit name",
        F.TEXT,
        required=True,
        max_length=200,
        help="A name that tells this unit apart, e.g. the site or customer: 'Olson roof'.",
        aliases=("unit name", "unit", "generator name", "site name"),
    ),
    FieldSpec(
        "meter_id",
        "Revenue meter ID",
        F.TEXT,
        required=True,
        max_length=100,
        help=(
            "Serial or ID of the meter that measures this unit's output. "
            "Must be unique in the group."
        ),
        aliases=("meter id", "revenue meter id", "meter", "meter number", "revenue_meter_id"),
    ),
    FieldSpec(
        "street",
        "Street address",
        F.TEXT,
        required=True,
        max_length=200,
        help="Street address of the site where the unit is installed.",
        aliases=("address", "street", "address 1", "site address"),
    ),
    FieldSpec(
        "city",
        "City",
        F.TEXT,
        required=True,
        max_length=100,
        help="City of the site.",
    ),
    FieldSpec(
        "state_province",
        "State/Province",
        F.CHOICE,
        required=True,
        choice_list="states_provinces",
        help="Every unit of a group must be in the group's state or province (M-RETS rule).",
        aliases=("state", "province", "state/province", "state_province"),
    ),
    FieldSpec(
        "postal_code",
        "ZIP/Postal code",
        F.POSTAL,
        required=True,
        help="US ZIP (55101 or 55101-1234) or Canadian postal code (K1A 0B1).",
        aliases=("zip", "zip code", "postal code", "postal_code"),
    ),
    FieldSpec(
        "county",
        "County or municipality",
        F.TEXT,
        required=True,
        max_length=100,
        help="County (US) or municipality (Canada) of the site.",
        aliases=("county", "municipality"),
    ),
    FieldSpec(
        "latitude",
        "Latitude",
        F.DECIMAL,
        minimum=-90,
        maximum=90,
        unit="°",
        help="Optional. Decimal degrees, e.g. 44.9537.",
        aliases=("lat",),
    ),
    FieldSpec(
        "longitude",
        "Longitude",
        F.DECIMAL,
        minimum=-180,
        maximum=180,
        unit="°",
        help="Optional. Decimal degrees, west is negative, e.g. -93.0900.",
        aliases=("lon", "long", "lng"),
    ),
    FieldSpec(
        "capacity_mw",
        "Nameplate capacity (AC)",
        F.CAPACITY,
        required=True,
        unit="MW AC",
        minimum=0.000001,
        maximum=UNIT_MAX_MW,
        help="AC nameplate, not the panel (DC) rating. Type 7.6 kW or 0.0076; at most 1 MW.",
        aliases=(
            "capacity",
            "nameplate",
            "nameplate capacity",
            "capacity (mw)",
            "mw ac",
            "capacity mw",
            "nameplate_capacity",
            "kw",
            "capacity (kw)",
        ),
    ),
    FieldSpec(
        "cod",
        "Commenced operation date",
        F.DATE,
        required=True,
        help="The date the unit first produced power (COD). Not in the future.",
        aliases=("commenced operation date", "cod", "in service date", "commenced_operation_date"),
    ),
    FieldSpec(
        "utility",
        "Interconnected utility",
        F.TEXT,
        required=True,
        max_length=200,
        help="The utility the unit is interconnected with, e.g. Xcel Energy.",
        aliases=("utility", "interconnected utility", "interconnecting utility"),
    ),
    FieldSpec(
        "customer_type",
        "Customer type",
        F.CHOICE,
        required=True,
        choices=CUSTOMER_TYPES,
        help="Residential or Commercial. A group with both must be of type Mixed.",
        aliases=("customer type", "customer", "type"),
    ),
    FieldSpec(
        "expansion",
        "Expansion indicator",
        F.BOOL,
        help="Yes if the unit adds to a project already registered at this premise; No if new.",
        aliases=("expansion indicator", "expansion", "expansion_indicator"),
    ),
    FieldSpec(
        "owned_by_org",
        "Owned by registering organization",
        F.BOOL,
        required=True,
        help="No if someone else owns the unit: then a Schedule A is required for it.",
        aliases=("owned by organization", "owned", "org owned", "owned by org"),
    ),
    FieldSpec(
        "fuel_type",
        "Fuel type",
        F.CHOICE,
        required=True,
        choice_list="fuel_types",
        help="Must be the group's fuel type (units share essential characteristics).",
        aliases=("fuel type", "fuel"),
    ),
    FieldSpec(
        "fuel_source",
        "Fuel source",
        F.CHOICE,
        required=True,
        choice_list="fuel_sources",
        help="Must be the group's fuel source, e.g. Solar PV.",
        aliases=("fuel source",),
    ),
    FieldSpec(
        "unit_status",
        "Unit status",
        F.CHOICE,
        choices=UNIT_STATUSES,
        help="Deactivated units stay on record but do not count toward the 1 MW group total.",
        aliases=("status",),
    ),
    FieldSpec(
        "documents",
        "Document file names",
        F.TEXT,
        max_length=2000,
        help="File names of this unit's documents, separated by ';' (filled in from attachments).",
        aliases=("documents", "document files", "files"),
    ),
)

UNIT_KEYS = tuple(f.key for f in UNIT_FIELDS)


def new_uid() -> str:
    return uuid.uuid4().hex


def new_unit(**values: Any) -> dict[str, Any]:
    """An empty unit with a fresh uid and the defaults a new unit should have."""
    unit: dict[str, Any] = {key: None for key in UNIT_KEYS}
    unit.update(unit_status="Active", expansion=False, owned_by_org=True)
    unit.update(values)
    unit["uid"] = values.get("uid") or new_uid()
    return unit


def is_active(unit: Mapping[str, Any]) -> bool:
    return unit.get("unit_status") in (None, "Active")
