"""Pure builders: a draft becomes a *plan*, the ordered registry requests that submit it.

A plan is a list of JSON-serialisable steps, stored with the outbox item when the user
submits, so what is sent is what was submitted. A step names its endpoint, its body and how
to find its record in the registry again after a lost answer (`lookup`). Values that only the
registry knows are placeholders resolved when the step is sent:

    {"$ref": "generator"}          the registry id of the acknowledged step "generator"
    {"$fuel_source": "Solar PV"}   the registry's fuel source id for that description
    {"$eligibility": "Minnesota"}  the registry's eligibility id for that name or key

DGG → a DG-group generator, its fuels (with eligibilities), its active units, its documents,
then the submit. Generation → per period an entry, its interval lines (if any), then enqueue.
Known draft keys are mapped; unknown keys are ignored, so a newer draft format still sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop.models import reference

Step = dict[str, Any]
LINES_PER_REQUEST = 1000

# draft group key → registry generator attribute, and how the value is converted
_YES_NO = "yes_no"
_FRACTION = "fraction"  # a percentage in the draft, a fraction in the API
_LIST = "list"
GROUP_ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "group_type": ("dg_group_type", None),
    "country": ("country", None),
    "state_province": ("state_province", None),
    "eia_number": ("eia_number", None),
    "reporting_unit_id": ("reporting_unit_id", None),
    "wi_rrc_unit_id": ("wi_rrc_unit_id", None),
    "wi_rrc_program_registration_date": ("wi_rrc_program_registration_date", None),
    "additional_owners": ("additional_owners", None),
    "ownership_types": ("ownership_type", _LIST),
    "registration_rights_assign": ("registration_rights_assign", _YES_NO),
    "registration_rights_assign_date": ("registration_rights_assign_date", None),
    "court_regulator_rights_assign": ("court_regulator_rights_assign", _YES_NO),
    "court_regulator_rights_assign_date": ("court_regulator_rights_assign_date", None),
    "is_wi_retail_elec_provider": ("is_wi_retail_elec_provider", _YES_NO),
    "retail_elec_providers": ("retail_elec_providers", None),
    "publish_contact": ("publish_contact", _YES_NO),
    "control_area_operator": ("control_area_operator", None),
    "interconnected_utility": ("interconnected_utility", None),
    "generation_technology": ("generation_technology", None),
    "is_multi_fuel": ("is_multi_fuel", _YES_NO),
    "aggregate_meter": ("aggregate_meter", _YES_NO),
    "aggregating_unit_count": ("aggregating_unit_count", None),
    "primary_generator": ("primary_generator", _YES_NO),
    "meter_type": ("meter_type", None),
    "meter_manufacturer": ("meter_manufacturer", None),
    "last_meter_certification": ("last_meter_certification", None),
    "capacity_factor": ("capacity_factor", _FRACTION),
    "max_annual_energy": ("max_annual_energy", None),
    "biomass_net_generation": ("biomass_net_generation", None),
    "repower_dates": ("repower_dates_and_added_capacities", _LIST),
    "uses_hydro_3_year_avg": ("uses_hydro_3_year_avg", _YES_NO),
    "hydro_3_year_avg": ("hydro_3_year_avg", None),
    "wi_displacement_facility": ("approved_as_a_wi_displacement_facility", _YES_NO),
}
# draft unit key (desktop.models.units.UNIT_FIELDS) → registry dg_unit attribute
UNIT_ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "name": ("name", None),
    "meter_id": ("revenue_meter_id", None),
    "street": ("street", None),
    "city": ("city", None),
    "state_province": ("state_province", None),
    "postal_code": ("postal_code", None),
    "county": ("county", None),
    "latitude": ("latitude", None),
    "longitude": ("longitude", None),
    "capacity_mw": ("nameplate_capacity", None),
    "cod": ("commenced_operation_date", None),
    "customer_type": ("customer_type", None),
    "expansion": ("expansion_indicator", "yes_or_null"),
}
ENTRY_ATTRIBUTES = {
    "generation_period_start": "start",
    "generation_period_end": "end",
    "quantity": "mwh",
    "vintage": "vintage",
    "fuel_allocation": "fuel_allocation",
}
# Document types the registry accepts, for the draft's checklist names
# (resources/reference/dgg_document_types.json carries `api_type`; this is the fallback).
_DOCUMENT_TYPES = {
    "interconnection agreement": "interconnection_agreement",
    "schedule a": "schedule_a",
    "power purchase agreement": "power_purchase_agreement",
    "eia information": "eia_information",
}
# Where the registry's pointer lands in the draft, per step scope (inverse of the maps above)
GROUP_FIELD_OF = {attr: key for key, (attr, _) in GROUP_ATTRIBUTES.items()} | {
    "facility_name": "group_name",
    "name": "group_name",
    "nameplate_capacity": "group_nameplate_mw",
    "commenced_operation_date": "group_cod",
}
UNIT_FIELD_OF = {attr: key for key, (attr, _) in UNIT_ATTRIBUTES.items()}
FUEL_FIELD_OF = {"label": "label", "fuel_source": "fuel_source", "eligibilities": "eligibilities"}
ENTRY_FIELD_OF = dict(ENTRY_ATTRIBUTES) | {"generator": "generator_id"}


def reference_marker(ref: str) -> str:
    """Written into the generator's notes so that a lost create can be found again."""
    return f"[Registry Desk draft {ref}]"


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _convert(value: Any, how: str | None) -> Any:
    if value is None or value in ("", ()):
        return None
    if how == _YES_NO:
        if isinstance(value, str):
            return "Yes" if value.strip().casefold() in ("yes", "true", "y", "1") else "No"
        return "Yes" if value else "No"
    if how == "yes_or_null":
        return "Yes" if _convert(value, _YES_NO) == "Yes" else None
    if how == _FRACTION:
        return round(float(value) / 100.0, 6)
    if how == _LIST:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace("\n", ";").split(";")]
            return [p for p in parts if p] or None
        return [str(v) for v in value] or None
    return _iso(value)


def _attributes(
    record: Mapping[str, Any], table: Mapping[str, tuple[str, str | None]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (attr, how) in table.items():
        if key in record:
            value = _convert(record[key], how)
            if value is not None:
                out[attr] = value
    return out


def _ref(key: str) -> dict[str, str]:
    return {"$ref": key}


def _rel(kind: str, ident: Any) -> dict[str, Any]:
    return {"data": {"type": kind, "id": ident}}


def _active(unit: Mapping[str, Any]) -> bool:
    return unit.get("unit_status") in (None, "", "Active")


def document_api_type(doc_type: str) -> str:
    for entry in reference.entries("dgg_document_types"):
        if str(entry.get("value", "")).casefold() == doc_type.casefold() and entry.get("api_type"):
            return str(entry["api_type"])
    return _DOCUMENT_TYPES.get(doc_type.casefold(), "other")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a plan needs of an attached document (the store's DocumentRow has these)."""

    id: int
    doc_type: str
    filename: str
    sha256: str
    unit_uid: str | None = None


def dgg_plan(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    documents: Iterable[DocumentInfo],
    *,
    ref: str,
    name: str,
    registry_id: str | None = None,
    round_number: int = 1,
) -> list[Step]:
    """The requests that register a DGG: generator, fuels, units, documents, submit.

    `ref` is a reference unique to this draft (written into the generator's notes, for the
    lookup after a lost answer). With `registry_id` (a resubmission after a rejection) the
    generator is updated instead of created and only what is new is added; the outbox skips
    steps the item already has acknowledged. `round_number` counts submissions of the same
    group (one rejected in review is fixed and submitted again): each round updates and
    submits anew.
    """
    suffix = "" if round_number <= 1 else f":{round_number}"
    facility = str(group.get("group_name") or name).strip() or name
    attributes = _attributes(group, GROUP_ATTRIBUTES)
    attributes.update(name=facility, notes=reference_marker(ref))
    steps: list[Step] = []
    if registry_id:
        steps.append(
            {
                "key": f"generator:update{suffix}",
                "op": "existing",
                "endpoint": "generators.update",
                "path": {"id": registry_id},
                "body": {
                    "data": {"type": "generators", "id": registry_id, "attributes": attributes}
                },
                "registry_id": registry_id,
                "scope": {"kind": "group"},
                "label": f"Update {facility}",
                "main": True,
            }
        )
    else:
        steps.append(
            {
                "key": "generator",
                "op": "create",
                "endpoint": "generators.create",
                "body": {
                    "data": {
                        "type": "generators",
                        "attributes": {"facility_name": facility, "dg_group": True, **attributes},
                    }
                },
                "lookup": {"by": "generator", "facility_name": facility, "ref": ref},
                "scope": {"kind": "group"},
                "label": f"Create the group {facility}",
                "main": True,
            }
        )
    for index, fuel in enumerate(group.get("fuels") or ()):
        if not isinstance(fuel, Mapping) or not fuel.get("fuel_source"):
            continue
        label = str(fuel.get("label") or fuel.get("fuel_source"))
        relationships: dict[str, Any] = {
            "generator": _rel("generators", _ref("generator")),
            "fuel_source": _rel("fuel_sources", {"$fuel_source": str(fuel["fuel_source"])}),
        }
        eligibilities = [str(e) for e in fuel.get("eligibilities") or ()]
        if eligibilities:
            relationships["eligibilities"] = {
                "data": [
                    {"type": "eligibilities", "id": {"$eligibility": e}} for e in eligibilities
                ]
            }
        steps.append(
            {
                "key": f"fuel:{index}",
                "op": "create",
                "endpoint": "fuels.create",
                "body": {
                    "data": {
                        "type": "generator_fuels",
                        "attributes": {"label": label},
                        "relationships": relationships,
                    }
                },
                "lookup": {
                    "by": "fuel",
                    "generator": _ref("generator"),
                    "fuel_source": {"$fuel_source": str(fuel["fuel_source"])},
                    "label": label,
                },
                "scope": {"kind": "fuel", "index": index},
                "label": f"Fuel {label}",
            }
        )
    for index, unit in enumerate(units):
        if not _active(unit):
            continue
        uid = str(unit.get("uid") or index)
        attrs = _attributes(unit, UNIT_ATTRIBUTES)
        steps.append(
            {
                "key": f"unit:{uid}",
                "op": "create",
                "endpoint": "dg_units.create",
                "body": {
                    "data": {
                        "type": "dg_units",
                        "attributes": attrs,
                        "relationships": {"generator": _rel("generators", _ref("generator"))},
                    }
                },
                "lookup": {
                    "by": "dg_unit",
                    "generator": _ref("generator"),
                    "name": attrs.get("name"),
                    "revenue_meter_id": attrs.get("revenue_meter_id"),
                },
                "scope": {"kind": "unit", "index": index, "uid": uid},
                "label": f"Unit {index + 1} ({attrs.get('name') or uid})",
            }
        )
    unit_keys = {f"unit:{s['scope']['uid']}" for s in steps if s["scope"]["kind"] == "unit"}
    for doc in documents:
        unit_key = f"unit:{doc.unit_uid}" if doc.unit_uid else None
        if unit_key is not None and unit_key not in unit_keys:
            continue  # a deactivated unit's papers are not sent
        form = {
            "document_type": document_api_type(doc.doc_type),
            "description": doc.doc_type,
        }
        steps.append(
            {
                "key": f"document:{doc.id}",
                "op": "upload",
                "endpoint": "documents.upload",
                "path": {"id": _ref("generator")},
                "form": form,
                "unit": _ref(unit_key) if unit_key else None,
                "document_id": doc.id,
                "filename": doc.filename,
                "lookup": {
                    "by": "document",
                    "generator": _ref("generator"),
                    "sha256": doc.sha256,
                    "document_type": form["document_type"],
                    "description": doc.doc_type,
                    "unit": _ref(unit_key) if unit_key else None,
                },
                "scope": {"kind": "document", "id": doc.id, "uid": doc.unit_uid},
                "label": f"Document {doc.filename}",
            }
        )
    steps.append(
        {
            "key": f"submit{suffix}",
            "op": "submit",
            "endpoint": "generators.submit",
            "path": {"id": _ref("generator")},
            "body": {
                "data": {
                    "type": "generators",
                    "id": _ref("generator"),
                    "attributes": {"status": "pending"},
                }
            },
            "scope": {"kind": "group"},
            "label": "Submit for review",
        }
    )
    return steps


@dataclass(frozen=True, slots=True)
class EntryInput:
    """One period of generation for one generator, as the generation preview produces it.

    `fuel_allocation` maps the registry's generator fuel id to its share (summing to 1.0);
    `lines` are optional interval readings (started_at, ended_at, kWh).
    """

    generator_id: str
    start: date
    end: date
    mwh: float
    vintage: str | None = None
    fuel_allocation: Mapping[str, float] | None = None
    notes: str | None = None
    lines: Sequence[tuple[str, str, float]] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return f"{self.generator_id}:{self.start.isoformat()}:{self.end.isoformat()}"


def generation_plan(entries: Iterable[EntryInput]) -> list[Step]:
    """Per entry: create it (draft), add its lines, then enqueue it for validation/issuance."""
    steps: list[Step] = []
    for index, entry in enumerate(entries):
        attrs: dict[str, Any] = {
            "generation_period_start": entry.start.isoformat(),
            "generation_period_end": entry.end.isoformat(),
            "quantity": round(float(entry.mwh), 6),
            "quantity_unit": "mwh",
        }
        if entry.vintage:
            attrs["vintage"] = entry.vintage
        if entry.fuel_allocation:
            attrs["fuel_allocation"] = [
                {
                    "allocations": [
                        {"generator_fuel_id": fid, "allocation": round(float(share), 6)}
                        for fid, share in entry.fuel_allocation.items()
                    ]
                }
            ]
        if entry.notes:
            attrs["notes"] = entry.notes
        key = f"entry:{entry.key}"
        label = f"{entry.start:%b %Y}" if entry.start.day == 1 else f"{entry.start}–{entry.end}"
        scope = {"kind": "entry", "index": index, "generator_id": entry.generator_id}
        steps.append(
            {
                "key": key,
                "op": "create",
                "endpoint": "entries.create",
                "body": {
                    "data": {
                        "type": "generation_entries",
                        "attributes": attrs,
                        "relationships": {"generator": _rel("generators", entry.generator_id)},
                    }
                },
                "lookup": {
                    "by": "entry",
                    "generator": entry.generator_id,
                    "start": entry.start.isoformat(),
                    "end": entry.end.isoformat(),
                },
                "scope": scope,
                "label": f"Generation {label}",
                "main": index == 0,
            }
        )
        for chunk_index, start in enumerate(range(0, len(entry.lines), LINES_PER_REQUEST)):
            chunk = entry.lines[start : start + LINES_PER_REQUEST]
            steps.append(
                {
                    "key": f"lines:{entry.key}:{chunk_index}",
                    "op": "lines",
                    "endpoint": "lines.create",
                    "body": {
                        "data": [
                            {
                                "type": "generation_entry_lines",
                                "attributes": {
                                    "started_at": s,
                                    "ended_at": e,
                                    "amount": round(float(kwh), 3),
                                },
                                "relationships": {
                                    "generation_entry": _rel("generation_entries", _ref(key))
                                },
                            }
                            for s, e, kwh in chunk
                        ]
                    },
                    "lookup": {
                        "by": "lines",
                        "entry": _ref(key),
                        "started": [s for s, _, _ in chunk],
                    },
                    "scope": scope,
                    "label": f"Interval lines {label} ({len(chunk)})",
                }
            )
        steps.append(
            {
                "key": f"enqueue:{entry.key}",
                "op": "enqueue",
                "endpoint": "entries.enqueue",
                "path": {"id": _ref(key)},
                "entry": _ref(key),
                "scope": scope,
                "label": f"Process {label}",
            }
        )
    return steps


def field_of(scope: Mapping[str, Any], attribute: str) -> str:
    """The draft field a registry attribute came from, for the step's scope."""
    table = {
        "group": GROUP_FIELD_OF,
        "unit": UNIT_FIELD_OF,
        "fuel": FUEL_FIELD_OF,
        "entry": ENTRY_FIELD_OF,
        "document": {"document_type": "documents", "file": "documents", "dg_unit_id": "documents"},
    }.get(str(scope.get("kind")), {})
    return table.get(attribute, attribute or str(scope.get("kind", "")))


def entries_for_months(
    generator_id: str,
    months: Iterable[Any],
    *,
    fuel_allocation: Mapping[str, float] | None = None,
) -> list[EntryInput]:
    """Monthly entries from the generation preview's months (anything with `year`, `month`
    and `mwh`, e.g. desktop.models.generation.MonthEnergy or MonthPreview)."""
    out = []
    for m in months:
        year, month = int(m.year), int(m.month)
        start = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        end = date.fromordinal(following.toordinal() - 1)
        out.append(
            EntryInput(
                generator_id,
                start,
                end,
                float(m.mwh),
                vintage=f"{year:04d}-{month:02d}",
                fuel_allocation=fuel_allocation,
            )
        )
    return out


def field_label(key: str) -> str:
    """The draft field's label for a message ('capacity_mw' → 'Nameplate capacity (AC)')."""
    from desktop.models.dgg_fields import FUEL_FIELDS, GROUP_FIELDS  # noqa: PLC0415
    from desktop.models.units import UNIT_FIELDS  # noqa: PLC0415

    for spec in (*UNIT_FIELDS, *GROUP_FIELDS, *FUEL_FIELDS):
        if spec.key == key:
            return spec.label
    return key.replace("_", " ").capitalize() if key else "Record"
