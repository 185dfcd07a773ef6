"""A generator as generation uploads see it: a stand-alone generator or a DGG.

`GENERATOR_FIELDS` declares each field once (reference.md §1.5, §2.3, §2.8; decisions.md,
"Generation uploads"). `Generator` is the typed view the upload builder and the issuance
preview work with; `check_generator` returns the issues of a record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.models import calendar as cal
from desktop.models.fields import FieldKind, FieldSpec, check_record
from desktop.models.issues import Issue, error

F = FieldKind
KINDS = ("Stand-alone generator", "Distributed Generation Group")
SMALL_GENERATOR_MAX_KW = 150.0  # 1–150 kW have a one-year upload window (reference.md §2.9)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Fallback when the editable `fuel_types` reference list is absent (reference.md §1.5 Fuels).
FUEL_TYPES = (
    "Biogas",
    "Biomass",
    "Coal",
    "Diesel",
    "Flared Gas",
    "Fuel Cells",
    "Geothermal Energy",
    "Hydroelectric Water",
    "Hydrogen",
    "Jet",
    "Municipal Solid Waste",
    "Natural Gas",
    "Nuclear",
    "Oil",
    "Pumped Hydro Storage",
    "Solar",
    "Tidal or Wave",
    "Tire Derived Fuel",
    "Waste Heat Recovery",
    "Waste Oil",
    "Wind",
)
CURVE_KEYS = tuple(f"curve_{m:02d}" for m in range(1, 13))
# The IANA zones generators in the registry's footprint keep (generator_draft maps states).
TIME_ZONES = (
    "America/New_York",
    "America/Detroit",
    "America/Indiana/Indianapolis",
    "America/Kentucky/Louisville",
    "America/Chicago",
    "America/Winnipeg",
    "America/Regina",
    "America/Denver",
    "America/Boise",
    "America/Edmonton",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/St_Johns",
)

GENERATOR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "kind",
        "Generator kind",
        F.CHOICE,
        required=True,
        choices=KINDS,
        help="A stand-alone generator, or a Distributed Generation Group whose units are summed.",
        aliases=("kind", "type"),
    ),
    FieldSpec(
        "name",
        "Generator name",
        F.TEXT,
        max_length=200,
        help="The name the registry shows for this generator or group.",
        aliases=("name", "generator name", "unit name"),
    ),
    FieldSpec(
        "mrets_id",
        "M-RETS ID",
        F.TEXT,
        required=True,
        max_length=20,
        help="The registry's ID, e.g. M805. Upload files carry only the number (805).",
        aliases=("m-rets id", "mrets id", "generator id"),
    ),
    FieldSpec(
        "reporting_unit_id",
        "Reporting unit ID",
        F.TEXT,
        required=True,
        max_length=100,
        help="The MISO node or your own identifier registered for this generator (column 2).",
        aliases=("reporting unit id", "unit id"),
    ),
    FieldSpec(
        "nameplate_mw",
        "Nameplate capacity",
        F.CAPACITY,
        required=True,
        unit="MW AC",
        minimum=0.000001,
        help="AC nameplate in MW (7.6 kW = 0.0076). The physical ceiling of every interval.",
        aliases=("nameplate", "nameplate capacity", "capacity"),
    ),
    FieldSpec(
        "capacity_factor",
        "Capacity factor",
        F.PERCENT,
        unit="%",
        minimum=0.0,
        maximum=100.0,
        help="Registered annual capacity factor; give this or the maximum annual energy.",
        aliases=("capacity factor", "cf"),
    ),
    FieldSpec(
        "max_annual_energy_mwh",
        "Maximum annual energy",
        F.DECIMAL,
        unit="MWh",
        minimum=0.0,
        help="Registered maximum MWh in 365 days; give this or the capacity factor.",
        aliases=("maximum annual energy", "max annual energy"),
    ),
    *(
        FieldSpec(
            key,
            f"{MONTH_NAMES[i]} capacity factor",
            F.PERCENT,
            unit="%",
            minimum=0.0,
            maximum=100.0,
            page="validation curve",
            help=(
                f"Expected capacity factor in {MONTH_NAMES[i]} (validation curve); "
                "leave all twelve empty to use the annual figure."
            ),
        )
        for i, key in enumerate(CURVE_KEYS)
    ),
    FieldSpec(
        "fuels",
        "Fuels",
        F.MULTI_CHOICE,
        required=True,
        choices=FUEL_TYPES,
        choice_list="fuel_types",
        help="One fuel, or several for a multi-fuel generator (then each month needs a split).",
        aliases=("fuel", "fuels", "fuel type"),
    ),
    FieldSpec(
        "reporting_entity",
        "Reporting entity",
        F.TEXT,
        required=True,
        max_length=200,
        help="Who uploads the generation: 'Self Reporting', or the QRE, MISO or utility.",
        aliases=("reporting entity",),
    ),
    FieldSpec(
        "registration_date",
        "Registration date",
        F.DATE,
        help="Date the registry approved the generator; generation from 3 months before it counts.",
        aliases=("registration date", "registered"),
    ),
    FieldSpec(
        "standard_time",
        "Hour convention",
        F.CHOICE,
        required=True,
        choices=tuple(st.label for st in cal.STANDARD_TIMES),
        help="Hour-ending 1–24 in this standard time, no daylight saving. MISO uses EST.",
        aliases=("hour convention", "standard time"),
    ),
    FieldSpec(
        "time_zone",
        "Time zone",
        F.CHOICE,
        choices=TIME_ZONES,
        help=(
            "Where the generator is: a monthly upload reports its local calendar months, "
            "midnight to midnight in this zone. Empty: months of the hour convention."
        ),
        aliases=("time zone", "zone", "generator time zone"),
    ),
)

GENERATOR_KEYS = tuple(f.key for f in GENERATOR_FIELDS)
_MRETS_ID = re.compile(r"^[Mm]?(\d+)$")


def mrets_digits(mrets_id: str) -> str | None:
    """`M805` and `805` -> `805`; anything else -> None."""
    m = _MRETS_ID.fullmatch(mrets_id.strip())
    return m[1] if m else None


def new_generator(**values: Any) -> dict[str, Any]:
    record: dict[str, Any] = {key: None for key in GENERATOR_KEYS}
    record.update(kind=KINDS[0], reporting_entity="Self Reporting", standard_time=cal.EST.label)
    record.update(values)
    return record


def check_generator(record: Mapping[str, Any]) -> list[Issue]:
    issues = check_record(GENERATOR_FIELDS, record)
    mrets_id = record.get("mrets_id")
    if mrets_id and mrets_digits(str(mrets_id)) is None:
        issues.append(error("mrets_id", f"M-RETS ID '{mrets_id}' is not M followed by digits"))
    if record.get("capacity_factor") is None and record.get("max_annual_energy_mwh") is None:
        issues.append(
            error(
                "capacity_factor",
                "Give the capacity factor or the maximum annual energy (the registry needs one)",
            )
        )
    curve = [record.get(k) for k in CURVE_KEYS]
    given = sum(v is not None for v in curve)
    if 0 < given < 12:
        missing = [MONTH_NAMES[i] for i, v in enumerate(curve) if v is None]
        issues.append(
            error(
                CURVE_KEYS[curve.index(None)],
                f"The validation curve needs all twelve months (missing: {', '.join(missing)})",
                page="validation curve",
            )
        )
    return issues


def _curve(values: list[Any]) -> tuple[float, ...] | None:
    if any(v is None for v in values):
        return None
    return tuple(float(v) for v in values)


@dataclass(frozen=True, slots=True)
class Generator:
    """The typed facts an upload and its preview need."""

    mrets_id: str  # digits only, as upload files carry it
    reporting_unit_id: str
    nameplate_mw: float
    capacity_factor: float | None = None  # percent
    max_annual_energy_mwh: float | None = None
    validation_curve: tuple[float, ...] | None = None  # 12 monthly capacity factors, percent
    fuels: tuple[str, ...] = ()
    reporting_entity: str = "Self Reporting"
    registration_date: date | None = None
    standard_time: cal.StandardTime = cal.EST
    is_dgg: bool = False
    name: str = ""
    time_zone: str | None = None  # IANA zone of its calendar months (None: the standard time's)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Generator:
        """A checked record (see `check_generator`) -> Generator."""
        digits = mrets_digits(str(record.get("mrets_id") or ""))
        if digits is None:
            raise ValueError(f"M-RETS ID '{record.get('mrets_id')}' is not M followed by digits")
        curve = [record.get(k) for k in CURVE_KEYS]
        return cls(
            mrets_id=digits,
            reporting_unit_id=str(record.get("reporting_unit_id") or digits),
            nameplate_mw=float(record.get("nameplate_mw") or 0.0),
            capacity_factor=record.get("capacity_factor"),
            max_annual_energy_mwh=record.get("max_annual_energy_mwh"),
            validation_curve=_curve(curve),
            fuels=tuple(record.get("fuels") or ()),
            reporting_entity=str(record.get("reporting_entity") or "Self Reporting"),
            registration_date=record.get("registration_date"),
            standard_time=cal.standard_time(str(record.get("standard_time") or "EST")),
            is_dgg=record.get("kind") == KINDS[1],
            name=str(record.get("name") or ""),
            time_zone=str(record.get("time_zone") or "") or None,
        )

    @property
    def nameplate_kw(self) -> float:
        return self.nameplate_mw * 1000.0

    @property
    def is_small(self) -> bool:
        """1–150 kW nameplate: the one-year upload window applies (reference.md §2.9)."""
        return self.nameplate_kw <= SMALL_GENERATOR_MAX_KW

    @property
    def is_multi_fuel(self) -> bool:
        return len(self.fuels) > 1

    def capacity_factor_for(self, month: int) -> float | None:
        """The month's expected capacity factor (fraction): curve, else registered CF."""
        if self.validation_curve is not None:
            return self.validation_curve[month - 1] / 100.0
        if self.capacity_factor is not None:
            return self.capacity_factor / 100.0
        return None

    def expected_mwh(self, year: int, month: int) -> float | None:
        """Expected output of a whole month: nameplate × hours × CF, or max energy × days/365."""
        cf = self.capacity_factor_for(month)
        if cf is not None:
            return self.nameplate_mw * cal.month_hours(year, month) * cf
        if self.max_annual_energy_mwh is not None:
            return self.max_annual_energy_mwh * cal.days_in_month(year, month) / 365.0
        return None

    def physical_max_mwh(self, hours: float) -> float:
        """The most the nameplate can produce in `hours` hours."""
        return self.nameplate_mw * hours
