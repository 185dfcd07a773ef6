"""The fields of a Distributed Generation Group, declared once per wizard page.

For DGGs M-RETS documents only the General and Units tabs; the Owner, Engineering and Fuels
tabs mirror the stand-alone generator registration (reference.md §1.3, §1.5), so their fields
come from that list. Group COD and nameplate are DERIVED from the units (decisions.md) and are
declared apart, read-only: no form offers them for typing.

Field keys are the payload keys, the form widgets' objectNames and the `field` of issues.
"""

from __future__ import annotations

from desktop.models.fields import FieldKind, FieldSpec

F = FieldKind

GENERAL, OWNER, ENGINEERING, FUELS, UNITS, DOCUMENTS, REVIEW = (
    "general",
    "owner",
    "engineering",
    "fuels",
    "units",
    "documents",
    "review",
)
PAGES: tuple[str, ...] = (GENERAL, OWNER, ENGINEERING, FUELS, UNITS, DOCUMENTS, REVIEW)
PAGE_TITLES: dict[str, str] = {
    GENERAL: "General",
    OWNER: "Owner",
    ENGINEERING: "Engineering",
    FUELS: "Fuels",
    UNITS: "Units",
    DOCUMENTS: "Documents",
    REVIEW: "Review",
}

GROUP_TYPES = ("Residential", "Commercial", "Mixed")
COUNTRIES = ("United States", "Canada")
GENERATOR_CLASSIFICATIONS = (
    "Wholesale Generation",
    "Wholesale Generation also serving On-Site Loads",
    "Customer-Sited Distributed Generation",
)
METER_TYPES = ("Revenue Grade", "Non-Revenue Grade")


def _address(prefix: str, page: str, who: str, *, required: bool) -> tuple[FieldSpec, ...]:
    """The contact address block the registry uses for owner, mailing and operator."""
    return (
        FieldSpec(
            f"{prefix}_street",
            "Address",
            F.TEXT,
            required=required,
            page=page,
            max_length=200,
            help=f"Street address of the {who}.",
        ),
        FieldSpec(
            f"{prefix}_street_2",
            "Address line 2",
            F.TEXT,
            page=page,
            max_length=200,
            help="Suite, unit or PO box (optional).",
        ),
        FieldSpec(
            f"{prefix}_city",
            "City",
            F.TEXT,
            required=required,
            page=page,
            max_length=100,
            help=f"City of the {who}.",
        ),
        FieldSpec(
            f"{prefix}_state_province",
            "State/Province",
            F.CHOICE,
            required=required,
            page=page,
            choice_list="states_provinces",
            help=f"State or province of the {who}.",
        ),
        FieldSpec(
            f"{prefix}_postal_code",
            "ZIP/Postal code",
            F.POSTAL,
            required=required,
            page=page,
            help="US ZIP (55101 or 55101-1234) or Canadian postal code (K1A 0B1).",
        ),
        FieldSpec(
            f"{prefix}_country",
            "Country",
            F.CHOICE,
            required=required,
            page=page,
            choices=COUNTRIES,
            help=f"Country of the {who}.",
        ),
    )


GENERAL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "group_name",
        "Group name",
        F.TEXT,
        required=True,
        page=GENERAL,
        max_length=200,
        help="Any name your organization chooses; M-RETS requires no naming convention.",
    ),
    FieldSpec(
        "group_type",
        "DG Group Type",
        F.CHOICE,
        required=True,
        page=GENERAL,
        choices=GROUP_TYPES,
        help="Residential, Commercial, or Mixed when the group holds both kinds of units.",
    ),
    FieldSpec(
        "reporting_entity",
        "Reporting entity",
        F.TEXT,
        required=True,
        page=GENERAL,
        max_length=200,
        help=(
            "Who uploads the generation: 'Self Reporting' (your organization) or another "
            "organization such as a QRE, MISO, SPP or the utility."
        ),
    ),
    FieldSpec(
        "reporting_unit_id",
        "Reporting unit ID",
        F.TEXT,
        required=True,
        page=GENERAL,
        max_length=100,
        help="The MISO node or an identifier you create for reporting this group's generation.",
    ),
    FieldSpec(
        "issuance_account",
        "Issuance account",
        F.TEXT,
        required=True,
        page=GENERAL,
        max_length=200,
        help="The M-RETS account that receives the certificates issued for this group.",
    ),
    FieldSpec(
        "country",
        "Country",
        F.CHOICE,
        required=True,
        page=GENERAL,
        choices=COUNTRIES,
        help="Country of the units (United States or Canada).",
    ),
    FieldSpec(
        "state_province",
        "State/Province",
        F.CHOICE,
        required=True,
        page=GENERAL,
        choice_list="states_provinces",
        help="Every unit of a DGG must be in this state or province (M-RETS rule).",
    ),
    FieldSpec(
        "eia_number",
        "EIA number",
        F.TEXT,
        page=GENERAL,
        max_length=20,
        help="EIA Entity ID, if any. Optional for groups; it speeds up approval.",
    ),
    FieldSpec(
        "qualifying_facility",
        "Qualifying Facility (PURPA)",
        F.BOOL,
        page=GENERAL,
        help="Yes if the group is a PURPA Qualifying Facility (FERC Form 556).",
    ),
    FieldSpec(
        "wi_rrc_unit_id",
        "WI RRC unit ID",
        F.TEXT,
        page=GENERAL,
        max_length=50,
        help="Wisconsin PSC renewable resource credit unit ID (Wisconsin only).",
    ),
    FieldSpec(
        "wi_rrc_program_registration_date",
        "WI RRC program registration date",
        F.DATE,
        page=GENERAL,
        help="Date of registration in the Wisconsin RRC program (Wisconsin only).",
    ),
)

OWNER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "owner_company",
        "Company name",
        F.TEXT,
        required=True,
        page=OWNER,
        max_length=200,
        help="The company that owns the units of this group.",
    ),
    *_address("owner", OWNER, "owner", required=True),
    FieldSpec(
        "owner_phone",
        "Phone",
        F.PHONE,
        page=OWNER,
        help="Owner's phone number, e.g. 651-555-0100.",
    ),
    FieldSpec(
        "owner_email",
        "Email",
        F.EMAIL,
        page=OWNER,
        help="Owner's email address.",
    ),
    FieldSpec(
        "owner_website",
        "Website",
        F.TEXT,
        page=OWNER,
        max_length=200,
        help="Owner's website (optional).",
    ),
    FieldSpec(
        "single_owner",
        "Single-owner facility",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes if one company owns every unit; No to list the other owners.",
    ),
    FieldSpec(
        "additional_owners",
        "Additional owner(s)",
        F.TEXT,
        page=OWNER,
        max_length=500,
        help="The other owners, when the facility is not single-owner.",
    ),
    FieldSpec(
        "ownership_types",
        "Ownership type(s)",
        F.MULTI_CHOICE,
        required=True,
        page=OWNER,
        choice_list="ownership_types",
        help="One or more, e.g. Privately Owned Distributed Generation.",
    ),
    FieldSpec(
        "org_owns",
        "Your organization owns the units",
        F.BOOL,
        required=True,
        page=OWNER,
        help="No when another party owns them: each unit not owned needs a Schedule A.",
    ),
    FieldSpec(
        "has_ppa",
        "Power purchase agreement",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes if there is a PPA; attach it on the Documents page.",
    ),
    FieldSpec(
        "registration_rights_assign",
        "Assignment of registration rights",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes if the owner assigned the right to register to your organization (Schedule A).",
    ),
    FieldSpec(
        "registration_rights_assign_date",
        "Date Schedule A signed",
        F.DATE,
        page=OWNER,
        help="Date the assignment (Schedule A) was signed; required when rights were assigned.",
    ),
    FieldSpec(
        "court_regulator_rights_assign",
        "Court/regulator assignment of rights",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes if a court or regulator assigned the rights; attach the order.",
    ),
    FieldSpec(
        "court_regulator_rights_assign_date",
        "Date of the order",
        F.DATE,
        page=OWNER,
        help="Date of the court or regulator order; required when rights were so assigned.",
    ),
    FieldSpec(
        "is_wi_retail_elec_provider",
        "Owner is a WI electricity retailer",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes if the owner is a Wisconsin retail electricity provider.",
    ),
    FieldSpec(
        "retail_elec_providers",
        "Retail electricity provider(s)",
        F.TEXT,
        page=OWNER,
        max_length=500,
        help="Name the Wisconsin retail provider(s); required when the owner is one.",
    ),
    FieldSpec(
        "publish_contact",
        "Publish contact information",
        F.BOOL,
        required=True,
        page=OWNER,
        help="Yes to show the owner contact in the registry's public reports.",
    ),
    FieldSpec(
        "mailing_same",
        "Mailing address same as owner",
        F.BOOL,
        page=OWNER,
        help="Yes to use the owner address for mail; No to enter a mailing address below.",
    ),
    *_address("mailing", OWNER, "mailing address", required=False),
    FieldSpec(
        "operator_name",
        "Operator name",
        F.TEXT,
        required=True,
        page=OWNER,
        max_length=200,
        help="The person or company operating the units.",
    ),
    FieldSpec(
        "operator_job_title",
        "Operator job title",
        F.TEXT,
        page=OWNER,
        max_length=100,
        help="Optional.",
    ),
    *_address("operator", OWNER, "operator", required=True),
    FieldSpec(
        "operator_phone",
        "Operator phone",
        F.PHONE,
        page=OWNER,
        help="Operator's phone number, e.g. 651-555-0100.",
    ),
    FieldSpec(
        "operator_email",
        "Operator email",
        F.EMAIL,
        page=OWNER,
        help="Operator's email address.",
    ),
)

ENGINEERING_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "generator_classification",
        "Generator classification",
        F.CHOICE,
        page=ENGINEERING,
        choices=GENERATOR_CLASSIFICATIONS,
        help="DGG units are usually Customer-Sited Distributed Generation.",
    ),
    FieldSpec(
        "interconnected_utility",
        "Interconnected utility",
        F.TEXT,
        required=True,
        page=ENGINEERING,
        max_length=200,
        help="The utility the units are connected to, e.g. Xcel Energy.",
    ),
    FieldSpec(
        "utility_ownership_type",
        "Utility ownership type",
        F.CHOICE,
        page=ENGINEERING,
        choice_list="utility_ownership_types",
        help="How the interconnected utility is owned, e.g. Investor Owned.",
    ),
    FieldSpec(
        "balancing_authority",
        "Balancing authority",
        F.TEXT,
        page=ENGINEERING,
        max_length=200,
        help="Optional, e.g. MISO.",
    ),
    FieldSpec(
        "control_area_operator",
        "Control area operator",
        F.TEXT,
        required=True,
        page=ENGINEERING,
        max_length=100,
        help="The RTO or control area, e.g. MISO or SPP.",
    ),
    FieldSpec(
        "generation_technology",
        "Generation technology",
        F.CHOICE,
        required=True,
        page=ENGINEERING,
        choice_list="generation_technologies",
        help="How the units make electricity, e.g. Solar PV.",
    ),
    FieldSpec(
        "is_multi_fuel",
        "Multi-fuel facility",
        F.BOOL,
        required=True,
        page=ENGINEERING,
        help="No for a DGG: its units share one fuel type and source.",
    ),
    FieldSpec(
        "aggregate_meter",
        "Aggregate metering",
        F.BOOL,
        required=True,
        page=ENGINEERING,
        help="No for a DGG: aggregate meters are for units that do NOT share characteristics.",
    ),
    FieldSpec(
        "aggregating_unit_count",
        "Aggregating unit count",
        F.INT,
        page=ENGINEERING,
        minimum=2,
        help="Number of units on the aggregate meter (only with aggregate metering).",
    ),
    FieldSpec(
        "primary_generator",
        "Primary generator",
        F.BOOL,
        required=True,
        page=ENGINEERING,
        help="Yes if this group is the primary generator at its sites.",
    ),
    FieldSpec(
        "meter_type",
        "Meter type",
        F.CHOICE,
        page=ENGINEERING,
        choices=METER_TYPES,
        help="Revenue-grade meters are no longer required (since 2020).",
    ),
    FieldSpec(
        "meter_manufacturer",
        "Meter manufacturer",
        F.TEXT,
        page=ENGINEERING,
        max_length=100,
        help="Manufacturer of the units' meters, e.g. Itron.",
    ),
    FieldSpec(
        "last_meter_certification",
        "Last meter certification",
        F.DATE,
        page=ENGINEERING,
        help="Date the meters were last certified.",
    ),
    FieldSpec(
        "capacity_factor",
        "Capacity factor",
        F.PERCENT,
        page=ENGINEERING,
        unit="%",
        minimum=0.01,
        maximum=100,
        help="Expected annual capacity factor, e.g. 15 for solar. This or maximum annual energy.",
    ),
    FieldSpec(
        "max_annual_energy",
        "Maximum annual energy",
        F.DECIMAL,
        page=ENGINEERING,
        unit="MWh",
        minimum=0.001,
        help="Most MWh the group can produce in 365 days. This or the capacity factor.",
    ),
    FieldSpec(
        "biomass_net_generation",
        "Biomass net generation heat rate",
        F.DECIMAL,
        page=ENGINEERING,
        unit="BTU/kWh",
        minimum=0,
        help="Biomass only: net heat rate.",
    ),
    FieldSpec(
        "repower_dates",
        "Repower date(s) and added capacities",
        F.TEXT,
        page=ENGINEERING,
        max_length=500,
        help="Optional, e.g. '2023-06-01: 0.02 MW'.",
    ),
    FieldSpec(
        "uses_hydro_3_year_avg",
        "WI: uses a 3-year hydro average",
        F.BOOL,
        page=ENGINEERING,
        help="Wisconsin hydro only.",
    ),
    FieldSpec(
        "hydro_3_year_avg",
        "WI: 3-year hydro average",
        F.DECIMAL,
        page=ENGINEERING,
        unit="MWh",
        minimum=0,
        help="Wisconsin hydro only; required when the 3-year average is used.",
    ),
    FieldSpec(
        "wi_displacement_facility",
        "WI: approved displacement facility",
        F.BOOL,
        page=ENGINEERING,
        help="Wisconsin only.",
    ),
)

# Shown on the Engineering page, never typed: the registry computes them from the units.
DERIVED_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "group_cod",
        "Commenced operation date (oldest unit)",
        F.DATE,
        page=ENGINEERING,
        help="Derived: the oldest commenced operation date among the units.",
    ),
    FieldSpec(
        "group_nameplate_mw",
        "Nameplate capacity (active units)",
        F.CAPACITY,
        page=ENGINEERING,
        unit="MW AC",
        help="Derived: the sum of the active units' AC nameplates; at most 1 MW.",
    ),
)

FUEL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "fuel_type",
        "Fuel type",
        F.CHOICE,
        required=True,
        page=FUELS,
        choice_list="fuel_types",
        help="The group's fuel, e.g. Solar. Every unit carries the same fuel type.",
    ),
    FieldSpec(
        "fuel_source",
        "Fuel source",
        F.CHOICE,
        required=True,
        page=FUELS,
        choice_list="fuel_sources",
        help="The source within the fuel type, e.g. Solar PV.",
    ),
    FieldSpec(
        "label",
        "Label",
        F.TEXT,
        page=FUELS,
        max_length=100,
        help="Optional label for this fuel row.",
    ),
    FieldSpec(
        "eligibilities",
        "Program eligibilities",
        F.MULTI_CHOICE,
        page=FUELS,
        choice_list="eligibilities",
        help="Programs whose eligibility the certificates should carry; M-RETS verifies them.",
    ),
    FieldSpec(
        "abp_app_id",
        "IL ABP application ID",
        F.TEXT,
        page=FUELS,
        max_length=50,
        help="Needed with the Illinois Adjustable Block Program eligibility.",
    ),
)

GROUP_FIELDS: tuple[FieldSpec, ...] = GENERAL_FIELDS + OWNER_FIELDS + ENGINEERING_FIELDS
FIELDS_BY_PAGE: dict[str, tuple[FieldSpec, ...]] = {
    GENERAL: GENERAL_FIELDS,
    OWNER: OWNER_FIELDS,
    ENGINEERING: ENGINEERING_FIELDS,
    FUELS: FUEL_FIELDS,
}
