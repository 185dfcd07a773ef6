"""Request documents the sandbox accepts, declared once for validation and for /openapi.json.

Unknown attributes are refused (`extra="forbid"`) so that a misspelt field comes back as a 422
pointing at it instead of being dropped silently. Infinity and NaN are refused: JSON has none.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

YesNo = Literal["Yes", "No"]
Text = Annotated[str, Field(max_length=1000)]
Name = Annotated[str, Field(min_length=1, max_length=255)]
Megawatts = Annotated[float, Field(gt=0, le=100_000)]

OwnershipType = Literal[
    "Electric Service Provider",
    "Federal Marketer/Power Administrator",
    "Investor-Owned Utility",
    "Irrigation District",
    "Municipal Utility",
    "Privately Owned Distributed Generation",
    "Rural Electric Cooperative",
    "Tribal Organization",
    "Corporate Owner",
    "Independent Power Producer",
    "Independent Producer",
    "Other",
]
GenerationTechnology = Literal[
    "Anaerobic Digestion",
    "Biogas",
    "Biomass",
    "Biomass Combustion",
    "Biomass Gasification",
    "Biomass Liquification",
    "Co-Generation",
    "Geothermal",
    "Hydrogen (Fuel Cell)",
    "Hydropower",
    "Landfill Gas",
    "Municipal Solid Waste",
    "Solar PV",
    "Tidal or Wave Power",
    "Waste Heat Recovery/Recycled Energy",
    "Wind",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ResourceId(Strict):
    type: Annotated[str, Field(max_length=100)]
    id: Annotated[str, Field(max_length=100)]


class ToOne(Strict):
    data: ResourceId | None


class ToMany(Strict):
    data: list[ResourceId]


# --- generators ---------------------------------------------------------------------------


class GeneratorAttributes(Strict):
    """Every attribute is optional except `facility_name` on create; null clears a value."""

    facility_name: Name | None = None
    name: Text | None = None
    notes: Text | None = None
    eia_number: Text | None = None
    reporting_unit_id: Text | None = None
    wi_rrc_unit_id: Text | None = None
    wi_rrc_program_registration_date: date | None = None
    country: Literal["United States", "Canada"] | None = None
    state_province: Annotated[str, Field(min_length=2, max_length=100)] | None = None
    county: Text | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    additional_owners: Text | None = None
    ownership_type: Annotated[list[OwnershipType], Field(max_length=12)] | None = None
    registration_rights_assign: YesNo | None = None
    registration_rights_assign_date: date | None = None
    court_regulator_rights_assign: YesNo | None = None
    court_regulator_rights_assign_date: date | None = None
    is_wi_retail_elec_provider: YesNo | None = None
    retail_elec_providers: Text | None = None
    publish_contact: YesNo | None = None
    control_area_operator: Text | None = None
    interconnected_utility: Text | None = None
    generation_technology: GenerationTechnology | None = None
    is_multi_fuel: YesNo | None = None
    aggregate_meter: YesNo | None = None
    aggregating_unit_count: Annotated[int, Field(ge=0, le=100_000)] | None = None
    primary_generator: YesNo | None = None
    meter_id: Text | None = None
    meter_type: Literal["Revenue Grade", "Non-Revenue Grade"] | None = None
    meter_manufacturer: Text | None = None
    last_meter_certification: date | None = None
    commenced_operation_date: date | None = None
    nameplate_capacity: Megawatts | None = None
    capacity_factor: Annotated[float, Field(gt=0, le=1)] | None = None
    max_annual_energy: Annotated[float, Field(ge=0, le=1_000_000_000)] | None = None
    biomass_net_generation: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    repower_dates_and_added_capacities: Annotated[list[Text], Field(max_length=100)] | None = None
    uses_hydro_3_year_avg: YesNo | None = None
    hydro_3_year_avg: Annotated[float, Field(ge=0, le=1_000_000_000)] | None = None
    approved_as_a_wi_displacement_facility: YesNo | None = None
    dg_group: bool | None = None
    dg_group_type: Literal["Residential", "Commercial", "Mixed"] | None = None
    status: Literal["pending"] | None = Field(
        default=None, description="Only on update: `pending` submits a draft for review."
    )


class GeneratorCreateData(Strict):
    type: Literal["generators"]
    attributes: GeneratorAttributes


class GeneratorCreate(Strict):
    data: GeneratorCreateData


class GeneratorUpdateData(Strict):
    type: Literal["generators"]
    id: Annotated[str, Field(max_length=100)]
    attributes: GeneratorAttributes


class GeneratorUpdate(Strict):
    data: GeneratorUpdateData


# --- generator fuels ----------------------------------------------------------------------


class FuelAttributes(Strict):
    label: Text | None = None
    percentage: Annotated[float, Field(gt=0, le=100)] | None = Field(
        default=None, description="Share of generation for a multi-fuel generator, in percent."
    )


class FuelRelationships(Strict):
    generator: ToOne | None = None
    fuel_source: ToOne | None = None
    eligibilities: ToMany | None = None


class FuelCreateData(Strict):
    type: Literal["generator_fuels"]
    attributes: FuelAttributes = FuelAttributes()
    relationships: FuelRelationships


class FuelCreate(Strict):
    data: FuelCreateData


class FuelUpdateData(Strict):
    type: Literal["generator_fuels"]
    id: Annotated[str, Field(max_length=100)]
    attributes: FuelAttributes = FuelAttributes()
    relationships: FuelRelationships | None = None


class FuelUpdate(Strict):
    data: FuelUpdateData


# --- DG units -----------------------------------------------------------------------------


class DgUnitAttributes(Strict):
    name: Name | None = None
    unit_id: Text | None = None
    revenue_meter_id: Text | None = None
    commenced_operation_date: date | None = None
    nameplate_capacity: Megawatts | None = Field(default=None, description="MW AC, at most 1.")
    expansion_indicator: Literal["Yes"] | None = None
    customer_type: Literal["Residential", "Commercial"] | None = None
    street: Text | None = None
    city: Text | None = None
    state_province: Annotated[str, Field(min_length=2, max_length=100)] | None = None
    postal_code: Text | None = None
    county: Text | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    status: Literal["deactivated"] | None = Field(
        default=None, description="Only on update: a client may deactivate a unit."
    )


class DgUnitRelationships(Strict):
    generator: ToOne | None = None


class DgUnitCreateData(Strict):
    type: Literal["dg_units"]
    attributes: DgUnitAttributes
    relationships: DgUnitRelationships


class DgUnitCreate(Strict):
    data: DgUnitCreateData


class DgUnitUpdateData(Strict):
    type: Literal["dg_units"]
    id: Annotated[str, Field(max_length=100)]
    attributes: DgUnitAttributes


class DgUnitUpdate(Strict):
    data: DgUnitUpdateData


# --- generation ---------------------------------------------------------------------------


class Allocation(Strict):
    generator_fuel_id: Annotated[str, Field(max_length=100)]
    allocation: Annotated[float, Field(ge=0, le=1)]


class FuelAllocation(Strict):
    mrets_id: Annotated[str, Field(max_length=100)] | None = None
    allocations: Annotated[list[Allocation], Field(max_length=100)]


class EntryAttributes(Strict):
    generation_period_start: Annotated[str, Field(max_length=40)] | None = None
    generation_period_end: Annotated[str, Field(max_length=40)] | None = None
    vintage: Annotated[str, Field(max_length=20)] | None = Field(
        default=None, description="YYYY-MM; defaults to the month of the period end."
    )
    quantity: Annotated[float, Field(ge=0, le=1_000_000_000_000)] | None = None
    quantity_unit: Literal["mwh", "kwh"] | None = None
    fuel_allocation: Annotated[list[FuelAllocation], Field(max_length=10)] | None = None
    notes: Text | None = None


class EntryRelationships(Strict):
    generator: ToOne | None = None


class EntryCreateData(Strict):
    type: Literal["generation_entries"]
    attributes: EntryAttributes
    relationships: EntryRelationships


class EntryCreate(Strict):
    data: EntryCreateData


class EntryUpdateData(Strict):
    type: Literal["generation_entries"]
    id: Annotated[str, Field(max_length=100)]
    attributes: EntryAttributes


class EntryUpdate(Strict):
    data: EntryUpdateData


class LineAttributes(Strict):
    started_at: Annotated[str, Field(max_length=40)] | None = None
    ended_at: Annotated[str, Field(max_length=40)] | None = None
    amount: Annotated[float, Field(ge=0, le=1_000_000_000)] | None = Field(
        default=None, description="kWh in the interval."
    )
    peak: bool | None = None


class LineRelationships(Strict):
    generation_entry: ToOne | None = None


class LineCreateData(Strict):
    type: Literal["generation_entry_lines"]
    attributes: LineAttributes
    relationships: LineRelationships


def _one_or_many(value: Any) -> str:
    return "many" if isinstance(value, list) else "one"


class LineCreate(Strict):
    """`data` is one line, or (a sandbox convenience) a list of up to 1000 lines."""

    data: Annotated[
        Annotated[LineCreateData, Tag("one")]
        | Annotated[list[LineCreateData], Field(max_length=1000), Tag("many")],
        Discriminator(_one_or_many),
    ]


UNION_TAGS = ("one", "many")  # pydantic puts these in error locations; pointers drop them
