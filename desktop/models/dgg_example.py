"""A realistic example DGG: twelve rooftop solar units in the Twin Cities, Minnesota.

Used for the user guide's screenshots, demos against the local sandbox, and tests. Every value
passes the rules except the documents, which the caller attaches (see `EXAMPLE_DOCUMENTS`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.models.dgg import new_fuel, new_group
from desktop.models.units import new_unit

_SITES: tuple[tuple[str, str, str, str, str, float, float, float, date, str], ...] = (
    # name, street, city, ZIP, county, lat, long, kW AC, COD, customer type
    (
        "Olson residence",
        "1843 Highland Pkwy",
        "Saint Paul",
        "55116",
        "Ramsey",
        44.9171,
        -93.1762,
        7.6,
        date(2019, 6, 14),
        "Residential",
    ),
    (
        "Nguyen residence",
        "412 Pascal St N",
        "Saint Paul",
        "55104",
        "Ramsey",
        44.9563,
        -93.1605,
        9.2,
        date(2020, 4, 2),
        "Residential",
    ),
    (
        "Lakeside Dental",
        "3020 Hennepin Ave",
        "Minneapolis",
        "55408",
        "Hennepin",
        44.9486,
        -93.2985,
        38.5,
        date(2018, 10, 30),
        "Commercial",
    ),
    (
        "Anderson residence",
        "5521 Zenith Ave S",
        "Edina",
        "55410",
        "Hennepin",
        44.9021,
        -93.3190,
        6.8,
        date(2021, 7, 21),
        "Residential",
    ),
    (
        "Hamline Hardware",
        "1564 Selby Ave",
        "Saint Paul",
        "55104",
        "Ramsey",
        44.9461,
        -93.1638,
        24.0,
        date(2019, 9, 9),
        "Commercial",
    ),
    (
        "Johnson residence",
        "2712 Dupont Ave N",
        "Minneapolis",
        "55411",
        "Hennepin",
        44.9964,
        -93.2929,
        5.7,
        date(2022, 3, 18),
        "Residential",
    ),
    (
        "Roseville Family Clinic",
        "2480 Fairview Ave N",
        "Roseville",
        "55113",
        "Ramsey",
        45.0130,
        -93.1770,
        60.0,
        date(2020, 11, 5),
        "Commercial",
    ),
    (
        "Schmidt residence",
        "1207 Bohland Ave",
        "Saint Paul",
        "55116",
        "Ramsey",
        44.9120,
        -93.1590,
        8.4,
        date(2023, 5, 26),
        "Residential",
    ),
    (
        "Ortiz residence",
        "4417 Upton Ave S",
        "Minneapolis",
        "55410",
        "Hennepin",
        44.9220,
        -93.3140,
        7.2,
        date(2021, 8, 13),
        "Residential",
    ),
    (
        "Woodbury Bakery",
        "8362 Tamarack Village",
        "Woodbury",
        "55125",
        "Washington",
        44.9390,
        -92.9310,
        30.0,
        date(2022, 9, 1),
        "Commercial",
    ),
    (
        "Larson residence",
        "925 Laurel Ave",
        "Saint Paul",
        "55104",
        "Ramsey",
        44.9470,
        -93.1460,
        11.4,
        date(2024, 2, 12),
        "Residential",
    ),
    (
        "Peterson residence",
        "6105 Oliver Ave S",
        "Richfield",
        "55423",
        "Hennepin",
        44.8920,
        -93.3070,
        6.0,
        date(2024, 6, 28),
        "Residential",
    ),
)

EXAMPLE_DOCUMENTS: tuple[str, ...] = (
    "Interconnection Agreement",
    "Engineering Documents",
    "Certificate of Completion",
    "Ownership documents",
)


def example_group(**overrides: Any) -> dict[str, Any]:
    group = new_group(
        group_name="North Star Community Solar DGG",
        group_type="Mixed",
        reporting_entity="Self Reporting",
        reporting_unit_id="NSCS-DGG-01",
        issuance_account="North Star Solar – Issuance",
        country="United States",
        state_province="Minnesota",
        qualifying_facility=False,
        owner_company="North Star Solar Cooperative",
        owner_street="275 Market St, Suite 540",
        owner_city="Minneapolis",
        owner_state_province="Minnesota",
        owner_postal_code="55405",
        owner_country="United States",
        owner_phone="612-555-0142",
        owner_email="registry@northstarsolar.coop",
        owner_website="https://northstarsolar.coop",
        single_owner=True,
        ownership_types=("Privately Owned Distributed Generation",),
        org_owns=False,
        has_ppa=False,
        registration_rights_assign=False,
        court_regulator_rights_assign=False,
        is_wi_retail_elec_provider=False,
        publish_contact=True,
        mailing_same=True,
        operator_name="Dana Lindqvist",
        operator_job_title="Asset Manager",
        operator_street="275 Market St, Suite 540",
        operator_city="Minneapolis",
        operator_state_province="Minnesota",
        operator_postal_code="55405",
        operator_country="United States",
        operator_phone="612-555-0157",
        operator_email="dana.lindqvist@northstarsolar.coop",
        interconnected_utility="Xcel Energy (Northern States Power – Minnesota)",
        utility_ownership_type="Investor Owned",
        balancing_authority="MISO",
        control_area_operator="MISO",
        generation_technology="Solar PV",
        is_multi_fuel=False,
        aggregate_meter=False,
        primary_generator=True,
        meter_type="Revenue Grade",
        meter_manufacturer="Itron",
        last_meter_certification=date(2024, 1, 15),
        capacity_factor=14.5,
        fuels=[
            new_fuel(
                fuel_type="Solar",
                fuel_source="Solar PV",
                label="Rooftop PV",
                eligibilities=("Minnesota Eligibility", "Minnesota SES Small Solar Eligibility"),
            )
        ],
    )
    group.update(overrides)
    return group


def example_units() -> list[dict[str, Any]]:
    units = []
    for n, (name, street, city, zip_code, county, lat, lon, kw, cod, customer) in enumerate(_SITES):
        units.append(
            new_unit(
                uid=f"example-unit-{n + 1:02d}",
                name=name,
                meter_id=f"XCEL-{48213570 + n * 37}",
                street=street,
                city=city,
                state_province="Minnesota",
                postal_code=zip_code,
                county=county,
                latitude=lat,
                longitude=lon,
                capacity_mw=round(kw / 1000, 6),
                cod=cod,
                utility="Xcel Energy",
                customer_type=customer,
                expansion=False,
                owned_by_org=n not in (3, 8),  # two host-owned homes: Schedule A needed
                fuel_type="Solar",
                fuel_source="Solar PV",
            )
        )
    return units
