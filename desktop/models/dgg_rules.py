"""The rules for the units of a Distributed Generation Group, one unit and all units together.

Sources: reference.md §1.1 (size, location, characteristics, documents), decisions.md
"Registrations (DGG)". The rules take plain dicts so that the wizard, the units grid, file
imports and the command line share them:

- `group` is the DGG's general record. The keys read here are `state_province`, `group_type`
  (Residential | Commercial | Mixed) and the group's fuel: either `fuel_type` + `fuel_source`,
  or `fuels`, a list of rows with those two keys (the Fuels tab).
- `units` are unit records keyed by `desktop.models.units.UNIT_FIELDS`, with typed values
  (`date` for the COD, MW as float). ISO date strings and capacity texts such as "7.6 kW" are
  also read, so a record straight from JSON or a grid cell can be checked as it is.

Every issue carries `row=<index in units>`, `field=<unit field key>` and `page="units"`.
Choice sets and reference lookups are built once per call, never per cell: 10,000 units are
checked in well under 0.3 s (bench/dgg_rules.py, docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from desktop.models import reference
from desktop.models.fields import (
    FieldKind,
    FieldSpec,
    ParseError,
    check_value,
    choice_hint,
    format_mw,
    parse_capacity_mw,
    resolve_choices,
)
from desktop.models.issues import Issue, Severity, error, info, warning
from desktop.models.units import UNIT_FIELDS, UNIT_MAX_MW, is_active

UNITS_PAGE = "units"
GROUP_MAX_MW = 1.0  # decisions.md: the active units of a group total at most 1 MW AC
GROUP_TYPES = ("Residential", "Commercial", "Mixed")
# Capacities are kept to 6 decimals (1 W); anything beyond is float noise, not a real excess.
_EPSILON_MW = 5e-7

# decisions.md "Unit and group size": rejected on submit, and said while editing. A rule has
# one severity in every view (issue 14): the size limits are errors everywhere; an error never
# stops a draft from being saved, it only blocks submission.
SIZE_SEVERITY = Severity.ERROR


# --- Reading loosely typed values ----------------------------------------------------------


def as_date(value: Any) -> date | None:
    """A `date`, an ISO date text, or None when the value is missing or unreadable."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_mw(value: Any) -> float | None:
    """MW AC from a number or a capacity text ("7.6 kW"); None when missing or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.strip():
        try:
            return parse_capacity_mw(value)
        except ParseError:
            return None
    return None


def _blank(value: Any) -> bool:
    return value is None or value in ("", ())


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _unit_name(units: Sequence[Mapping[str, Any]], index: int) -> str:
    name = units[index].get("name")
    return f"row {index + 1} ({name})" if name else f"row {index + 1}"


# --- The group's fuel and its reference pairs ----------------------------------------------


def group_fuels(group: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The group's (fuel type, fuel source) pairs: explicit keys first, else the Fuels rows."""
    pairs: list[tuple[str, str]] = []
    if group.get("fuel_type") or group.get("fuel_source"):
        pairs.append((str(group.get("fuel_type") or ""), str(group.get("fuel_source") or "")))
    for row in group.get("fuels") or ():
        if isinstance(row, Mapping) and (row.get("fuel_type") or row.get("fuel_source")):
            pair = (str(row.get("fuel_type") or ""), str(row.get("fuel_source") or ""))
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def fuel_source_types() -> dict[str, frozenset[str]]:
    """Fuel source (casefolded) -> the fuel types it may be used with (resources/reference)."""
    out: dict[str, frozenset[str]] = {}
    for entry in reference.entries("fuel_sources"):
        types = entry.get("fuel_types") or [entry.get("fuel_type")]
        out[_norm(entry["value"])] = frozenset(_norm(t) for t in types if t)
    return out


def sources_for(fuel_type: str) -> tuple[str, ...]:
    """The fuel sources offered for a fuel type, in reference order (for dependent combo boxes)."""
    wanted = _norm(fuel_type)
    out: list[str] = []
    for entry in reference.entries("fuel_sources"):
        types = entry.get("fuel_types") or [entry.get("fuel_type")]
        if any(_norm(t) == wanted for t in types if t):
            out.append(str(entry["value"]))
    return tuple(out)


def state_code(state: str) -> str:
    """'Minnesota' -> 'MN' (the reference list's code); '' when unknown."""
    wanted = _norm(state)
    for entry in reference.entries("states_provinces"):
        if _norm(entry["value"]) == wanted or _norm(entry.get("code", "")) == wanted:
            return str(entry.get("code") or "")
    return ""


# --- Per-field checks, prepared once per call ------------------------------------------------

FieldCheck = Callable[[Any, int], Issue | None]


def _field_checks(specs: Sequence[FieldSpec], today: date) -> list[tuple[str, FieldCheck]]:
    """One small closure per declared field; choice sets are built here, once."""
    checks: list[tuple[str, FieldCheck]] = []
    for spec in specs:
        checks.append((spec.key, _make_check(spec, today)))
    return checks


def _make_check(spec: FieldSpec, today: date) -> FieldCheck:
    key, label, page = spec.key, spec.label, UNITS_PAGE

    def missing(row: int) -> Issue | None:
        return error(key, f"{label} is required", row=row, page=page) if spec.required else None

    if spec.kind is FieldKind.CHOICE:
        allowed = {_norm(c): c for c in resolve_choices(spec)}

        def check_choice(value: Any, row: int) -> Issue | None:
            if _blank(value):
                return (
                    error(key, f"{label} is required", row=row, page=page)
                    if spec.required
                    else None
                )
            if allowed and _norm(value) not in allowed:
                hint = choice_hint(list(allowed.values()), str(value))
                return error(
                    key, f"{label}: '{value}' is not in the list; {hint}", row=row, page=page
                )
            return None

        return check_choice

    if spec.kind is FieldKind.CAPACITY:

        def check_capacity(value: Any, row: int) -> Issue | None:
            if _blank(value):
                return (
                    error(key, f"{label} is required", row=row, page=page)
                    if spec.required
                    else None
                )
            mw = as_mw(value)
            if mw is None:
                return error(
                    key,
                    f"{label}: '{value}' is not a capacity (expected e.g. 7.6 kW or 0.0076 MW)",
                    row=row,
                    page=page,
                )
            if mw <= 0:
                return error(key, f"{label} must be more than 0 MW AC", row=row, page=page)
            return None  # the 1 MW limit is a rule of its own (UnitRules.row_issues)

        return check_capacity

    if spec.kind is FieldKind.DATE:

        def check_date(value: Any, row: int) -> Issue | None:
            if _blank(value):
                return (
                    error(key, f"{label} is required", row=row, page=page)
                    if spec.required
                    else None
                )
            day = as_date(value)
            if day is None:
                return error(
                    key,
                    f"{label}: '{value}' is not a date (expected YYYY-MM-DD)",
                    row=row,
                    page=page,
                )
            if key == "cod" and day > today:
                return error(
                    key,
                    f"{label} {day.isoformat()} is in the future; enter the date the unit first "
                    "produced power",
                    row=row,
                    page=page,
                )
            return None

        return check_date

    if spec.kind is FieldKind.BOOL:

        def check_bool(value: Any, row: int) -> Issue | None:
            if value is None:
                return (
                    error(key, f"{label} is required", row=row, page=page)
                    if spec.required
                    else None
                )
            if not isinstance(value, bool):
                return error(key, f"{label}: '{value}' is not Yes or No", row=row, page=page)
            return None

        return check_bool

    if spec.kind in (FieldKind.TEXT,) and not spec.required and not spec.max_length:
        return lambda value, row: None

    textual = spec.kind in (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.POSTAL)

    def check_other(value: Any, row: int) -> Issue | None:
        if textual and not isinstance(value, str) and value is not None:
            if not isinstance(value, int | float) or isinstance(value, bool):
                return error(key, f"{label}: '{value}' is not text", row=row, page=page)
            value = str(value)  # a meter ID typed as a number in a spreadsheet is still an ID
        if (
            spec.kind in (FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.INT)
            and isinstance(value, str)
            and value.strip()
        ):
            return error(key, f"{label}: '{value}' is not a number", row=row, page=page)
        found = check_value(spec, value, row=row)
        if not found:
            return None
        first = found[0]
        return Issue(first.field, first.severity, first.message, row=row, page=page)

    return check_other


# --- The rules -----------------------------------------------------------------------------


def check_units(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    *,
    today: date | None = None,
) -> list[Issue]:
    """Every unit-level and cross-unit rule, in row order.

    Per-field checks from UNIT_FIELDS; unit ≤ 1 MW AC; duplicated meter IDs (each duplicate
    flagged, naming the other rows); same state/province as the group; the group's fuel type
    and source; COD not in the future; customer type allowed by the DG Group Type; a Schedule A
    note for units not owned by the registering organization; the expansion indicator.
    """
    rules = UnitRules(group, today=today)
    per_row = [rules.row_issues(unit, row) for row, unit in enumerate(units)]
    for row, found in rules.meter_issues(units).items():
        per_row[row] = [*per_row[row], *found]
    return [issue for found in per_row for issue in found]


class UnitRules:
    """The unit rules prepared once for a group and a day.

    `row_issues` depends only on the unit, its row and what was prepared here, so a caller
    that keeps unit dicts unchanged (replacing, never mutating, an edited one) can reuse a
    row's issues after an edit elsewhere (desktop/services/dgg.py). `meter_issues` is the one
    rule across units.
    """

    def __init__(self, group: Mapping[str, Any], *, today: date | None = None) -> None:
        self.checks = _field_checks(UNIT_FIELDS, today or date.today())
        self.group_state = _norm(group.get("state_province") or "")
        self.group_state_label = str(group.get("state_province") or "")
        pairs = group_fuels(group)
        self.group_types = {_norm(t) for t, _ in pairs if t}
        self.group_pairs = {(_norm(t), _norm(s)) for t, s in pairs if t and s}
        self.group_fuel_label = " / ".join(f"{t} – {s}" for t, s in pairs if t and s)
        self.source_types = fuel_source_types()
        self.allowed_customers = _customer_types_for(group.get("group_type"))
        self.group_type_label = str(group.get("group_type") or "")

    def row_issues(self, unit: Mapping[str, Any], row: int) -> list[Issue]:
        found: list[Issue] = []
        for key, check in self.checks:
            issue = check(unit.get(key), row)
            if issue is not None:
                found.append(issue)

        mw = as_mw(unit.get("capacity_mw"))
        if mw is not None and mw > UNIT_MAX_MW + _EPSILON_MW:
            found.append(
                Issue(
                    "capacity_mw",
                    SIZE_SEVERITY,
                    f"Capacity {format_mw(mw)} is above the 1 MW AC limit for a DGG unit",
                    row=row,
                    page=UNITS_PAGE,
                )
            )

        state = unit.get("state_province")
        if self.group_state and state and _norm(state) != self.group_state:
            found.append(
                error(
                    "state_province",
                    f"The unit is in {state}, but every unit of the group must be in "
                    f"{self.group_state_label}",
                    row=row,
                    page=UNITS_PAGE,
                )
            )

        fuel_type, fuel_source = unit.get("fuel_type"), unit.get("fuel_source")
        if fuel_type and fuel_source:
            known = self.source_types.get(_norm(fuel_source))
            if known is not None and _norm(fuel_type) not in known:
                found.append(
                    error(
                        "fuel_source",
                        f"'{fuel_source}' is not a fuel source of fuel type {fuel_type}",
                        row=row,
                        page=UNITS_PAGE,
                    )
                )
        if self.group_types and fuel_type and _norm(fuel_type) not in self.group_types:
            found.append(
                error(
                    "fuel_type",
                    f"Fuel type {fuel_type} differs from the group's "
                    f"({self.group_fuel_label or '—'}); the units of a DGG share the same fuel",
                    row=row,
                    page=UNITS_PAGE,
                )
            )
        elif (
            self.group_pairs
            and fuel_type
            and fuel_source
            and (_norm(fuel_type), _norm(fuel_source)) not in self.group_pairs
        ):
            found.append(
                error(
                    "fuel_source",
                    f"Fuel source {fuel_source} differs from the group's "
                    f"({self.group_fuel_label}); the units of a DGG share the same fuel",
                    row=row,
                    page=UNITS_PAGE,
                )
            )

        customer = unit.get("customer_type")
        if (
            self.allowed_customers is not None
            and isinstance(customer, str)
            and _norm(customer) in _CUSTOMER_TYPES
            and _norm(customer) not in self.allowed_customers
        ):
            found.append(
                error(
                    "customer_type",
                    f"A {customer.lower()} unit cannot be in a {self.group_type_label} group; "
                    "make the DG Group Type Mixed or change the unit",
                    row=row,
                    page=UNITS_PAGE,
                )
            )

        if unit.get("owned_by_org") is False:
            found.append(schedule_a_note(row))

        if unit.get("expansion") is True:
            found.append(
                info(
                    "expansion",
                    "Expansion of a project already registered at this premise: M-RETS may ask "
                    "which registration it extends",
                    row=row,
                    page=UNITS_PAGE,
                )
            )
        return found

    def meter_issues(self, units: Sequence[Mapping[str, Any]]) -> dict[int, list[Issue]]:
        """Each unit whose revenue meter ID another unit also has, naming the others."""
        meters: dict[str, list[int]] = {}
        for row, unit in enumerate(units):
            key = meter_key(unit)
            if key:
                meters.setdefault(key, []).append(row)
        return duplicate_meter_issues(units, meters)


def meter_key(unit: Mapping[str, Any]) -> str:
    """The unit's meter ID as compared for duplicates; "" when it has none."""
    meter = unit.get("meter_id")
    if isinstance(meter, str | int) and not isinstance(meter, bool) and str(meter).strip():
        return _norm(meter)
    return ""


def duplicate_meter_issues(
    units: Sequence[Mapping[str, Any]], meters: Mapping[str, list[int]]
) -> dict[int, list[Issue]]:
    """`meters` maps a meter key to the rows that have it (in row order)."""
    out: dict[int, list[Issue]] = {}
    for rows in meters.values():
        if len(rows) < 2:
            continue
        for row in rows:
            others = ", ".join(_unit_name(units, r) for r in rows if r != row)
            out.setdefault(row, []).append(
                error(
                    "meter_id",
                    f"Meter ID '{units[row]['meter_id']}' is also used by {others}; "
                    "each unit needs its own revenue meter",
                    row=row,
                    page=UNITS_PAGE,
                )
            )
    return out


SCHEDULE_A_NOTE = (
    "Not owned by the registering organization: attach a Schedule A for this unit "
    "on the Documents page"
)


def schedule_a_note(row: int) -> Issue:
    """The Units page's note; the draft's check drops it once the Schedule A is attached."""
    return info("owned_by_org", SCHEDULE_A_NOTE, row=row, page=UNITS_PAGE)


_CUSTOMER_TYPES = frozenset({"residential", "commercial"})


def _customer_types_for(group_type: Any) -> set[str] | None:
    """Customer types a group type allows; None when the group type is unset or Mixed."""
    kind = _norm(group_type or "")
    if kind == "residential":
        return {"residential"}
    if kind == "commercial":
        return {"commercial"}
    return None


def active_mw(unit: Mapping[str, Any]) -> float:
    """What the unit adds to the group's nameplate: its MW when active and readable, else 0."""
    if is_active(unit):
        mw = as_mw(unit.get("capacity_mw"))
        if mw is not None and mw > 0:
            return mw
    return 0.0


def active_total_mw(units: Sequence[Mapping[str, Any]]) -> float:
    """Sum of the active units' nameplates (the group nameplate the registry computes)."""
    total = 0.0
    for unit in units:
        total += active_mw(unit)
    return round(total, 6)


def check_group_totals(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
) -> list[Issue]:
    """The active units total at most 1 MW AC (an error, like every size limit)."""
    return group_total_issues(active_total_mw(units))


def group_total_issues(total: float) -> list[Issue]:
    """`check_group_totals` from the active total (`active_total_mw`)."""
    if total <= GROUP_MAX_MW + _EPSILON_MW:
        return []
    severity = SIZE_SEVERITY
    over = round(total - GROUP_MAX_MW, 6)
    return [
        Issue(
            "capacity_mw",
            severity,
            f"The active units total {format_mw(total)}, {format_mw(over)} over the 1 MW AC "
            "limit for a DGG; remove or deactivate units, or register a second group",
            page=UNITS_PAGE,
        )
    ]


def check_group_type(group: Mapping[str, Any], units: Sequence[Mapping[str, Any]]) -> list[Issue]:
    """Group-level consistency of the DG Group Type with its units' customer types.

    Row-level conflicts (a commercial unit in a Residential group) come from `check_units`;
    this adds the notes about the group as a whole.
    """
    present = {_norm(u.get("customer_type")) for u in units if u.get("customer_type")}
    return group_type_issues(group, present)


def customer_key(unit: Mapping[str, Any]) -> str | None:
    """The unit's customer type as `check_group_type` compares it; None when it has none."""
    value = unit.get("customer_type")
    return _norm(value) if value else None


def group_type_issues(group: Mapping[str, Any], present: set[str]) -> list[Issue]:
    """`check_group_type` from the set of the units' customer types (`customer_key`)."""
    kind = _norm(group.get("group_type") or "")
    if not kind or not present:
        return []
    if kind == "mixed" and len(present) == 1:
        only = next(iter(present)).capitalize()
        return [
            warning(
                "group_type",
                f"Every unit is {only.lower()}: the DG Group Type could be {only} instead of Mixed",
                page="general",
            )
        ]
    if kind in ("residential", "commercial") and len(present) > 1:
        return [
            error(
                "group_type",
                "The group holds residential and commercial units: its DG Group Type must be Mixed",
                page="general",
            )
        ]
    return []
