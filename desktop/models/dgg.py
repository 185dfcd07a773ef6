"""A Distributed Generation Group draft: its record, its JSON form, and every rule over it.

The group is a plain dict keyed by the fields in `dgg_fields` (typed values, see
`desktop.models.fields`) plus `fuels`, a list of fuel rows keyed by `FUEL_FIELDS`. Units are
unit dicts (`desktop.models.units`), documents anything with `unit_uid` and `doc_type`
(the store's DocumentRow, or a mapping). `check_draft` is what the wizard, the review page and
`registry-desk dgg check` all ask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from desktop.models import reference
from desktop.models.dgg_fields import (
    DERIVED_FIELDS,
    DOCUMENTS,
    ENGINEERING,
    ENGINEERING_FIELDS,
    FIELDS_BY_PAGE,
    FUEL_FIELDS,
    FUELS,
    GENERAL,
    GENERAL_FIELDS,
    GROUP_FIELDS,
    GROUP_TYPES,
    OWNER,
    OWNER_FIELDS,
    PAGE_TITLES,
    PAGES,
    REVIEW,
    UNITS,
)
from desktop.models.dgg_rules import (
    SCHEDULE_A_NOTE,
    active_total_mw,
    as_date,
    check_group_totals,
    check_group_type,
    check_units,
    fuel_source_types,
)
from desktop.models.fields import (
    FieldKind,
    FieldSpec,
    check_record,
    choice_hint,
    from_json,
    resolve_choices,
    to_json,
)
from desktop.models.issues import Issue, error, warning
from desktop.models.units import UNIT_FIELDS, is_active, new_uid

__all__ = [
    "DERIVED_FIELDS",
    "DOCUMENTS",
    "ENGINEERING",
    "ENGINEERING_FIELDS",
    "FIELDS_BY_PAGE",
    "FORMAT",
    "FUELS",
    "FUEL_FIELDS",
    "GENERAL",
    "GENERAL_FIELDS",
    "GROUP_FIELDS",
    "GROUP_TYPES",
    "OWNER",
    "OWNER_FIELDS",
    "PAGES",
    "PAGE_TITLES",
    "REVIEW",
    "UNITS",
    "VERSION",
    "ChecklistRow",
    "check_documents",
    "check_draft",
    "check_fuels",
    "check_group",
    "check_ownership",
    "check_page",
    "check_shapes",
    "derived_cod",
    "derived_nameplate_mw",
    "document_checklist",
    "documents_by_unit",
    "drop_settled_notes",
    "from_json_doc",
    "group_documents_issues",
    "missing_documents_issue",
    "new_fuel",
    "new_group",
    "no_units_issue",
    "ownership_issues",
    "required_unit_documents",
    "to_json_doc",
    "unit_document_rules",
    "unit_from_json",
    "unit_missing_documents",
    "unit_to_json",
]

FORMAT = "registry-desk/dgg"
VERSION = 1
KIND = "dgg"

IL_ABP = "IL ABP (Illinois Adjustable Block Program)"


# --- Records ---------------------------------------------------------------------------------


def new_group(**values: Any) -> dict[str, Any]:
    """An empty group with the defaults a DGG usually has (each can be changed)."""
    group: dict[str, Any] = {spec.key: None for spec in GROUP_FIELDS}
    group.update(
        country="United States",
        generator_classification="Customer-Sited Distributed Generation",
        is_multi_fuel=False,
        aggregate_meter=False,
        mailing_same=True,
        fuels=[],
    )
    group.update(values)
    return group


def new_fuel(**values: Any) -> dict[str, Any]:
    fuel: dict[str, Any] = {spec.key: None for spec in FUEL_FIELDS}
    fuel["eligibilities"] = ()
    fuel.update(values)
    return fuel


def derived_cod(units: Iterable[Mapping[str, Any]]) -> date | None:
    """The group's commenced operation date: the oldest unit COD (as the registry computes it)."""
    days = [d for d in (as_date(u.get("cod")) for u in units) if d is not None]
    return min(days) if days else None


def derived_nameplate_mw(units: Sequence[Mapping[str, Any]]) -> float:
    """The group's nameplate: the sum of the active units' AC capacities (MW)."""
    return active_total_mw(units)


# --- JSON --------------------------------------------------------------------------------------


def _loose_from_json(spec: FieldSpec, raw: Any) -> Any:
    """from_json, but a value of the wrong shape is kept as it is for the rules to report."""
    try:
        return from_json(spec, raw)
    except (ValueError, TypeError):
        return raw


def _safe_to_json(spec: FieldSpec, value: Any) -> Any:
    """to_json, but text kept in a typed field (unreadable input) is saved as the text."""
    if isinstance(value, str) and spec.kind is not FieldKind.MULTI_CHOICE:
        return value
    try:
        return to_json(spec, value)
    except (AttributeError, TypeError):
        return str(value)


def to_json_doc(group: Mapping[str, Any]) -> dict[str, Any]:
    """The group as the store payload and the export's `payload` (versioned)."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    doc.update({s.key: _safe_to_json(s, group.get(s.key)) for s in GROUP_FIELDS})
    doc["fuels"] = [
        {s.key: _safe_to_json(s, fuel.get(s.key)) for s in FUEL_FIELDS}
        for fuel in group.get("fuels") or ()
        if isinstance(fuel, Mapping)
    ]
    return doc


def from_json_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A group from a payload. An empty payload (a draft just created) gives a new group.

    Raises ValueError naming the format and version when the document is another kind or a
    newer version than this release reads.
    """
    if not doc:
        return new_group()
    fmt, version = doc.get("format", FORMAT), doc.get("version", VERSION)
    if fmt != FORMAT:
        raise ValueError(f"this is a '{fmt}' document, not a DGG ('{FORMAT}')")
    if not isinstance(version, int) or version < 1 or version > VERSION:
        raise ValueError(
            f"DGG format version {version} is not supported (this release reads version "
            f"{VERSION}); update Registry Desk"
        )
    group = new_group()
    for spec in GROUP_FIELDS:
        if spec.key in doc:
            group[spec.key] = _loose_from_json(spec, doc[spec.key])
    fuels = doc.get("fuels") or []
    group["fuels"] = [
        new_fuel(**{s.key: _loose_from_json(s, row.get(s.key)) for s in FUEL_FIELDS})
        for row in fuels
        if isinstance(row, Mapping)
    ]
    for fuel in group["fuels"]:
        fuel["eligibilities"] = tuple(fuel["eligibilities"] or ())
    return group


def unit_to_json(unit: Mapping[str, Any]) -> dict[str, Any]:
    out = {s.key: _safe_to_json(s, unit.get(s.key)) for s in UNIT_FIELDS}
    out["uid"] = str(unit.get("uid") or new_uid())
    return out


def unit_from_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    unit = {s.key: _loose_from_json(s, raw.get(s.key)) for s in UNIT_FIELDS}
    unit["uid"] = str(raw.get("uid") or new_uid())
    return unit


# --- Documents ------------------------------------------------------------------------------


class DocumentLike(Protocol):
    @property
    def unit_uid(self) -> str | None: ...
    @property
    def doc_type(self) -> str: ...


def _doc_key(doc: DocumentLike | Mapping[str, Any]) -> tuple[str | None, str]:
    if isinstance(doc, Mapping):
        return doc.get("unit_uid"), str(doc.get("doc_type") or "")
    return doc.unit_uid, doc.doc_type


def _unit_document_rules() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(types every unit needs, types a unit not owned by the organization needs too)."""
    always: list[str] = []
    not_owned: list[str] = []
    for entry in reference.entries("dgg_document_types"):
        if entry.get("scope") != "unit":
            continue
        needed = entry.get("required")
        if needed == "always":
            always.append(str(entry["value"]))
            not_owned.append(str(entry["value"]))
        elif needed == "not_owned":
            not_owned.append(str(entry["value"]))
    return tuple(always), tuple(not_owned)


def required_unit_documents(
    unit: Mapping[str, Any], rules: tuple[tuple[str, ...], tuple[str, ...]] | None = None
) -> tuple[str, ...]:
    """The document types a unit needs (resources/reference/dgg_document_types.json);
    `rules` is `_unit_document_rules()` read once by a caller going through many units."""
    always, not_owned = rules or _unit_document_rules()
    return not_owned if unit.get("owned_by_org") is False else always


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One unit's documents: what it needs, what is attached, what is missing."""

    row: int
    uid: str
    name: str
    required: tuple[str, ...]
    present: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        have = {p.casefold() for p in self.present}
        return tuple(r for r in self.required if r.casefold() not in have)


def document_checklist(
    units: Sequence[Mapping[str, Any]], documents: Iterable[DocumentLike | Mapping[str, Any]]
) -> list[ChecklistRow]:
    """Per active unit, the required document types and those attached for it."""
    by_unit: dict[str | None, list[str]] = {}
    for doc in documents:
        uid, doc_type = _doc_key(doc)
        by_unit.setdefault(uid, []).append(doc_type)
    rows: list[ChecklistRow] = []
    rules = _unit_document_rules()
    for index, unit in enumerate(units):
        if not is_active(unit):
            continue
        uid = str(unit.get("uid") or "")
        rows.append(
            ChecklistRow(
                row=index,
                uid=uid,
                name=str(unit.get("name") or f"Unit {index + 1}"),
                required=required_unit_documents(unit, rules),
                present=tuple(dict.fromkeys(by_unit.get(uid, []))),
            )
        )
    return rows


def check_documents(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    documents: Iterable[DocumentLike | Mapping[str, Any]],
) -> list[Issue]:
    docs = list(documents)
    issues: list[Issue] = []
    for item in document_checklist(units, docs):
        if item.missing:
            issues.append(missing_documents_issue(item.row, item.name, item.missing))
    group_types = {t.casefold() for uid, t in map(_doc_key, docs) if uid is None}
    return issues + group_documents_issues(group, group_types)


def missing_documents_issue(row: int, name: str, missing: Sequence[str]) -> Issue:
    return error(
        "documents",
        f"Unit {row + 1} ({name}) lacks: {', '.join(missing)}",
        row=row,
        page=DOCUMENTS,
    )


def documents_by_unit(
    documents: Iterable[DocumentLike | Mapping[str, Any]],
) -> tuple[dict[str | None, tuple[str, ...]], set[str]]:
    """(uid -> its document types in order, without repeats; the group's types casefolded)."""
    by_unit: dict[str | None, list[str]] = {}
    for doc in documents:
        uid, doc_type = _doc_key(doc)
        by_unit.setdefault(uid, []).append(doc_type)
    group_types = {t.casefold() for t in by_unit.get(None, ())}
    return {u: tuple(dict.fromkeys(t)) for u, t in by_unit.items()}, group_types


def unit_missing_documents(
    unit: Mapping[str, Any],
    present: Sequence[str],
    rules: tuple[tuple[str, ...], tuple[str, ...]],
) -> tuple[str, ...]:
    """The required types an (active) unit lacks, as `ChecklistRow.missing` says them."""
    required = required_unit_documents(unit, rules)
    if not present:
        return required
    have = {p.casefold() for p in present}
    return tuple(r for r in required if r.casefold() not in have)


def unit_document_rules() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What `required_unit_documents` reads, for callers that go through many units."""
    return _unit_document_rules()


def group_documents_issues(group: Mapping[str, Any], group_types: set[str]) -> list[Issue]:
    """The group-wide documents the Owner and Engineering answers call for."""
    issues: list[Issue] = []
    if group.get("has_ppa") is True and "power purchase agreement" not in group_types:
        issues.append(
            warning("documents", "Attach the power purchase agreement (PPA)", page=DOCUMENTS)
        )
    if group.get("court_regulator_rights_assign") is True and "regulatory order" not in group_types:
        issues.append(
            warning(
                "documents",
                "Attach the court or regulator order that assigned the rights",
                page=DOCUMENTS,
            )
        )
    entity = str(group.get("reporting_entity") or "").casefold()
    if ("miso" in entity or "spp" in entity) and not any("data release" in t for t in group_types):
        issues.append(
            warning(
                "documents",
                "MISO or SPP reports this group's generation: attach their Data Release Form "
                "(showing the correct CPNode)",
                page=DOCUMENTS,
            )
        )
    return issues


# --- Group rules -----------------------------------------------------------------------------

_CONDITIONAL: tuple[tuple[str, str, str], ...] = (
    # (field required, when this field, is True) -- from the Owner/Engineering tab pairs
    ("registration_rights_assign_date", "registration_rights_assign", "rights were assigned"),
    ("court_regulator_rights_assign_date", "court_regulator_rights_assign", "an order assigned"),
    ("retail_elec_providers", "is_wi_retail_elec_provider", "the owner is a WI retailer"),
    ("aggregating_unit_count", "aggregate_meter", "aggregate metering is used"),
    ("hydro_3_year_avg", "uses_hydro_3_year_avg", "the 3-year average is used"),
)
_MAILING = (
    "mailing_street",
    "mailing_city",
    "mailing_state_province",
    "mailing_postal_code",
    "mailing_country",
)
_SPECS = {s.key: s for s in GROUP_FIELDS}


def _missing(value: Any) -> bool:
    return value is None or value in ("", ())


_EXPECTED = {
    FieldKind.INT: ("a whole number", (int,)),
    FieldKind.DECIMAL: ("a number", (int, float)),
    FieldKind.PERCENT: ("a number", (int, float)),
    FieldKind.CAPACITY: ("a capacity, e.g. 7.6 kW", (int, float)),
    FieldKind.DATE: ("a date, YYYY-MM-DD", (date,)),
    FieldKind.BOOL: ("Yes or No", (bool,)),
}


def check_shapes(
    specs: Iterable[FieldSpec], record: Mapping[str, Any], *, row: int | None = None
) -> list[Issue]:
    """Values that are not of their field's kind (text typed into a number field, a choice
    no longer in its list): check_record assumes typed values, these are what it skips.
    """
    issues: list[Issue] = []
    for spec in specs:
        value = record.get(spec.key)
        if _missing(value):
            continue
        expected = _EXPECTED.get(spec.kind)
        if expected is not None:
            wanted, types = expected
            if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
                issues.append(
                    error(
                        spec.key,
                        f"{spec.label}: '{value}' is not {wanted}",
                        row=row,
                        page=spec.page,
                    )
                )
        elif spec.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
            allowed = _choice_set(spec)
            chosen = [value] if spec.kind is FieldKind.CHOICE else list(value or ())
            for item in chosen:
                if str(item).casefold() not in allowed:
                    issues.append(
                        error(
                            spec.key,
                            f"{spec.label}: '{item}' is not in the list; "
                            + choice_hint(resolve_choices(spec), str(item)),
                            row=row,
                            page=spec.page,
                        )
                    )
    return issues


def _choice_set(spec: FieldSpec) -> set[str]:
    return {c.casefold() for c in resolve_choices(spec)}


def check_group(group: Mapping[str, Any]) -> list[Issue]:
    """General, Owner and Engineering: declared checks plus the rules between fields."""
    issues = check_record(GROUP_FIELDS, group)
    issues += check_shapes(GROUP_FIELDS, group)
    for key, when, reason in _CONDITIONAL:
        if group.get(when) is True and _missing(group.get(key)):
            spec = _SPECS[key]
            issues.append(error(key, f"{spec.label} is required when {reason}", page=spec.page))
    if group.get("mailing_same") is False:
        for key in _MAILING:
            if _missing(group.get(key)):
                spec = _SPECS[key]
                issues.append(
                    error(key, f"Mailing {spec.label.lower()} is required", page=spec.page)
                )
    if group.get("single_owner") is False and _missing(group.get("additional_owners")):
        issues.append(
            error(
                "additional_owners",
                "Name the additional owner(s) of a facility that is not single-owner",
                page=OWNER,
            )
        )
    if _missing(group.get("capacity_factor")) and _missing(group.get("max_annual_energy")):
        for key in ("capacity_factor", "max_annual_energy"):
            issues.append(
                error(
                    key, "Enter the capacity factor or the maximum annual energy", page=ENGINEERING
                )
            )
    if group.get("aggregate_meter") is True:
        issues.append(
            warning(
                "aggregate_meter",
                "DG projects aggregate through a DGG, not aggregate metering: this should be No",
                page=ENGINEERING,
            )
        )
    state, country = group.get("state_province"), group.get("country")
    if state and country:
        for entry in reference.entries("states_provinces"):
            if entry["value"] == state and entry.get("country") not in (None, country):
                issues.append(
                    error(
                        "state_province",
                        f"{state} is in {entry['country']}, not {country}",
                        page=GENERAL,
                    )
                )
    return issues


def check_fuels(group: Mapping[str, Any]) -> list[Issue]:
    fuels = [f for f in group.get("fuels") or () if isinstance(f, Mapping)]
    if not fuels:
        return [error("fuel_type", "Add the group's fuel (type and source)", page=FUELS, row=0)]
    issues: list[Issue] = []
    source_types = fuel_source_types()
    seen: dict[tuple[str, str], int] = {}
    for row, fuel in enumerate(fuels):
        issues.extend(check_record(FUEL_FIELDS, fuel, row=row))
        issues.extend(check_shapes(FUEL_FIELDS, fuel, row=row))
        ftype, source = fuel.get("fuel_type"), fuel.get("fuel_source")
        if ftype and source:
            allowed = source_types.get(" ".join(str(source).split()).casefold())
            if allowed is not None and str(ftype).casefold() not in allowed:
                issues.append(
                    error(
                        "fuel_source",
                        f"'{source}' is not a fuel source of fuel type {ftype}",
                        row=row,
                        page=FUELS,
                    )
                )
            pair = (str(ftype).casefold(), str(source).casefold())
            if pair in seen:
                issues.append(
                    error(
                        "fuel_source",
                        f"Fuel row {row + 1} repeats row {seen[pair] + 1}",
                        row=row,
                        page=FUELS,
                    )
                )
            seen.setdefault(pair, row)
        chosen = fuel.get("eligibilities")
        if (
            isinstance(chosen, list | tuple)
            and IL_ABP in chosen
            and _missing(fuel.get("abp_app_id"))
        ):
            issues.append(
                error(
                    "abp_app_id",
                    "The IL ABP eligibility needs the ABP application ID",
                    row=row,
                    page=FUELS,
                )
            )
    if len(fuels) > 1 and group.get("is_multi_fuel") is not True:
        issues.append(
            error(
                "fuel_type",
                "The units of a DGG share one fuel: keep one fuel row (or mark the group "
                "multi-fuel on the Engineering page)",
                row=1,
                page=FUELS,
            )
        )
    return issues


def no_units_issue() -> Issue:
    return error("", "Add at least one unit to the group", page=UNITS)


def check_page(
    page: str,
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]] = (),
    documents: Iterable[DocumentLike | Mapping[str, Any]] = (),
    *,
    today: date | None = None,
) -> list[Issue]:
    """The issues one wizard page shows (only that page's rules run)."""
    if page in (GENERAL, OWNER, ENGINEERING):
        issues = [i for i in check_group(group) if i.page == page]
        if page == GENERAL:
            issues += check_group_type(group, units)
        if page == OWNER:
            issues += check_ownership(group, units)
        return issues
    if page == FUELS:
        return check_fuels(group)
    if page == UNITS:
        issues = [] if units else [no_units_issue()]
        issues += check_units(group, units, today=today)
        issues += check_group_totals(group, units)
        return drop_settled_notes(issues, units, documents)
    if page == DOCUMENTS:
        return check_documents(group, units, documents)
    return []


def check_draft(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    documents: Iterable[DocumentLike | Mapping[str, Any]] = (),
    *,
    today: date | None = None,
) -> list[Issue]:
    """Everything that stands between this draft and submission, each issue with its page,
    in wizard page order: General, Owner, Engineering, Fuels, Units, Documents.

    The window, `dgg check` and the drafts list count these through
    `desktop.services.dgg.draft_issues` (or its incremental twin), never on their own.
    """
    docs = list(documents)
    issues: list[Issue] = []
    for page in PAGES:
        issues += check_page(page, group, units, docs, today=today)
    return issues


def drop_settled_notes(
    issues: list[Issue],
    units: Sequence[Mapping[str, Any]],
    documents: Iterable[DocumentLike | Mapping[str, Any]],
) -> list[Issue]:
    """Without the "attach a Schedule A" note of the units whose Schedule A is attached."""
    with_schedule_a = {
        uid for uid, doc_type in map(_doc_key, documents) if doc_type.casefold() == "schedule a"
    }
    if not with_schedule_a:
        return issues
    settled = {n for n, u in enumerate(units) if str(u.get("uid") or "") in with_schedule_a}
    return [i for i in issues if not (i.message == SCHEDULE_A_NOTE and i.row in settled)]


def check_ownership(group: Mapping[str, Any], units: Sequence[Mapping[str, Any]]) -> list[Issue]:
    return ownership_issues(group, sum(1 for u in units if u.get("owned_by_org") is False))


def ownership_issues(group: Mapping[str, Any], not_owned: int) -> list[Issue]:
    """`check_ownership` from the number of units not owned by the organization."""
    if group.get("org_owns") is True and not_owned:
        return [
            warning(
                "org_owns",
                f"{not_owned} unit{'s are' if not_owned > 1 else ' is'} marked as not owned by "
                "your organization: answer No here, and attach a Schedule A for each",
                page=OWNER,
            )
        ]
    return []
