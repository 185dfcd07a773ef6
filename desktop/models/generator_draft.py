"""A generator draft as the store keeps it: the generator record plus its generation workspace.

The payload of a draft of kind "generator" is `GeneratorDraft.to_payload()`: the record's
declared fields (`GENERATOR_FIELDS`, JSON through `fields.record_to_json`) and a `workspace`
holding what the user set up to preview and build uploads: the meter files and how to read
them, manual monthly totals, the month totals of the last read, multi-fuel splits, and the
months recorded as uploaded. The remainder ledger lives in its own table (store.ledger).

`from_payload` reads defensively: a value of the wrong shape is dropped (workspace) or kept
as it is for the rules to report (record), never raised, so a damaged draft still opens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.models.fields import (
    FieldKind,
    FieldSpec,
    ParseError,
    from_json,
    parse_value,
    to_json,
)
from desktop.models.generation import MonthEnergy, check_fuel_split, vintage_text
from desktop.models.generator import (
    GENERATOR_FIELDS,
    KINDS,
    Generator,
    check_generator,
    mrets_digits,
    new_generator,
)
from desktop.models.issues import Issue, blocking, error

FORMAT = "registry-desk/generator"
VERSION = 1
KIND = "generator"
SOURCES = ("files", "manual")
DEFAULT_TIME_ZONE = "America/Chicago"  # a new generator's zone unless a setting says otherwise
Month = tuple[int, int]  # (year, month)
_TYPED_KINDS = (
    FieldKind.INT,
    FieldKind.DECIMAL,
    FieldKind.PERCENT,
    FieldKind.CAPACITY,
    FieldKind.DATE,
)


def month_key(year: int, month: int) -> str:
    """The JSON key of a month: `2025-06`."""
    return f"{year:04d}-{month:02d}"


def parse_month_key(text: Any) -> Month | None:
    """`2025-06` or `06/2025` -> (2025, 6); anything else -> None."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    try:
        if "-" in s:
            y, m = s.split("-")
        else:
            m, y = s.split("/")
        year, month = int(y), int(m)
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 <= year <= 9999 else None


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    value = float(raw)
    return value if math.isfinite(value) else None


@dataclass
class InputSettings:
    """How the meter files are read; the same choices the CLI's options make."""

    files: list[str] = field(default_factory=list)
    input_tz: str | None = None  # IANA zone of stamps without an offset
    mark: str | None = None  # "start" | "end" | None (from the header)
    unit: str | None = None  # an EnergyUnit value, or None (from the header)
    interval: int | None = None  # force 5/15/30/60 minutes
    fill_gaps: bool = False
    clip_negative: bool = False
    green_button_flow: str | None = None  # "forward" | "reverse" | None
    mappings: dict[str, dict[str, Any]] = field(default_factory=dict)  # file -> column mapping
    # named import profiles (exchange.import_profiles): a portal's export read with one click
    profiles: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": list(self.files),
            "input_tz": self.input_tz,
            "mark": self.mark,
            "unit": self.unit,
            "interval": self.interval,
            "fill_gaps": self.fill_gaps,
            "clip_negative": self.clip_negative,
            "green_button_flow": self.green_button_flow,
            "mappings": {k: dict(v) for k, v in sorted(self.mappings.items())},
            "profiles": [dict(p) for p in self.profiles],
        }

    @classmethod
    def from_json(cls, raw: Any) -> InputSettings:
        if not isinstance(raw, Mapping):
            return cls()

        def text(key: str, allowed: Sequence[str] | None = None) -> str | None:
            v = raw.get(key)
            if not isinstance(v, str) or not v.strip():
                return None
            return v if allowed is None or v in allowed else None

        interval = raw.get("interval")
        mappings = raw.get("mappings")
        profiles = raw.get("profiles")
        return cls(
            files=[f for f in raw.get("files") or () if isinstance(f, str) and f],
            input_tz=text("input_tz"),
            mark=text("mark", ("start", "end")),
            unit=text("unit", ("kWh", "Wh", "MWh", "kW")),
            interval=interval if interval in (5, 15, 30, 60) else None,
            fill_gaps=raw.get("fill_gaps") is True,
            clip_negative=raw.get("clip_negative") is True,
            green_button_flow=text("green_button_flow", ("forward", "reverse")),
            mappings={
                str(k): dict(v)
                for k, v in (mappings.items() if isinstance(mappings, Mapping) else ())
                if isinstance(v, Mapping)
            },
            profiles=[
                dict(p)
                for p in (profiles if isinstance(profiles, list) else ())
                if isinstance(p, Mapping)
            ],
        )


def month_to_json(m: MonthEnergy) -> dict[str, Any]:
    return {
        "month": month_key(m.year, m.month),
        "kwh": m.kwh,
        "on_peak_mwh": None if m.on_peak_mwh is None else round(m.on_peak_mwh, 6),
        "off_peak_mwh": None if m.off_peak_mwh is None else round(m.off_peak_mwh, 6),
    }


def month_from_json(raw: Any) -> MonthEnergy | None:
    if not isinstance(raw, Mapping):
        return None
    ym = parse_month_key(raw.get("month"))
    kwh = _number(raw.get("kwh"))
    if ym is None or kwh is None:
        return None
    return MonthEnergy(
        ym[0],
        ym[1],
        round(kwh) / 1000.0,
        _number(raw.get("on_peak_mwh")),
        _number(raw.get("off_peak_mwh")),
    )


@dataclass
class Workspace:
    source: str = "files"  # where the preview's months come from: meter files or manual entry
    inputs: InputSettings = field(default_factory=InputSettings)
    manual_kwh: dict[Month, int] = field(default_factory=dict)  # whole kWh, as files carry MWh
    read_months: list[MonthEnergy] = field(default_factory=list)  # whole months of the last read
    read_at: str | None = None  # when they were read (ISO), shown beside them
    fuel_splits: dict[Month, dict[str, float]] = field(default_factory=dict)  # percent per fuel
    uploaded: dict[Month, str] = field(default_factory=dict)  # month -> ISO date recorded

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "inputs": self.inputs.to_json(),
            "manual_kwh": {month_key(*k): v for k, v in sorted(self.manual_kwh.items())},
            "read_months": [month_to_json(m) for m in self.read_months],
            "read_at": self.read_at,
            "fuel_splits": {month_key(*k): dict(v) for k, v in sorted(self.fuel_splits.items())},
            "uploaded": {month_key(*k): v for k, v in sorted(self.uploaded.items())},
        }

    @classmethod
    def from_json(cls, raw: Any) -> Workspace:
        if not isinstance(raw, Mapping):
            return cls()
        ws = cls(
            source=str(raw["source"]) if raw.get("source") in SOURCES else "files",
            inputs=InputSettings.from_json(raw.get("inputs")),
            read_at=raw.get("read_at") if isinstance(raw.get("read_at"), str) else None,
        )
        for key, value in _items(raw.get("manual_kwh")):
            ym, kwh = parse_month_key(key), _number(value)
            if ym is not None and kwh is not None and kwh >= 0:
                ws.manual_kwh[ym] = round(kwh)
        ws.read_months = [
            m for m in (month_from_json(r) for r in raw.get("read_months") or ()) if m
        ]
        for key, value in _items(raw.get("fuel_splits")):
            ym = parse_month_key(key)
            if ym is None or not isinstance(value, Mapping):
                continue
            split = {str(f): p for f, p in ((f, _number(p)) for f, p in value.items())}
            ws.fuel_splits[ym] = {f: p for f, p in split.items() if p is not None}
        for key, value in _items(raw.get("uploaded")):
            ym = parse_month_key(key)
            if ym is not None and isinstance(value, str):
                ws.uploaded[ym] = value
        return ws

    def manual_months(self) -> list[MonthEnergy]:
        return [MonthEnergy(y, m, kwh / 1000.0) for (y, m), kwh in sorted(self.manual_kwh.items())]

    def months(self) -> list[MonthEnergy]:
        """The months the preview and a monthly upload are built from."""
        return self.manual_months() if self.source == "manual" else list(self.read_months)


def _items(raw: Any) -> list[tuple[Any, Any]]:
    return list(raw.items()) if isinstance(raw, Mapping) else []


def _loose(spec: FieldSpec, raw: Any) -> Any:
    try:
        return from_json(spec, raw)
    except (ValueError, TypeError):
        return raw  # kept for the rules to report, never lost


@dataclass
class GeneratorDraft:
    record: dict[str, Any] = field(default_factory=new_generator)
    workspace: Workspace = field(default_factory=Workspace)

    def to_payload(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        for spec in GENERATOR_FIELDS:
            value = self.record.get(spec.key)
            try:
                doc[spec.key] = to_json(spec, value)
            except (ValueError, TypeError, AttributeError):
                doc[spec.key] = value if isinstance(value, str | int | float) else None
        doc["workspace"] = self.workspace.to_json()
        return doc

    @classmethod
    def from_payload(cls, raw: Mapping[str, Any]) -> GeneratorDraft:
        """A draft from its payload; an empty payload (a draft just created) gives defaults.

        Raises ValueError naming the format when the payload is another kind of document or a
        newer version than this release reads.
        """
        if not raw:
            return cls()
        fmt, version = raw.get("format", FORMAT), raw.get("version", VERSION)
        if fmt != FORMAT:
            raise ValueError(f"this is a '{fmt}' document, not a generator ('{FORMAT}')")
        if not isinstance(version, int) or not 1 <= version <= VERSION:
            raise ValueError(f"generator document version {version} is newer than this release")
        record = new_generator()
        for spec in GENERATOR_FIELDS:
            if spec.key in raw:
                record[spec.key] = _loose(spec, raw[spec.key])
        return cls(record, Workspace.from_json(raw.get("workspace")))

    # --- what the rules say ----------------------------------------------------------------

    def record_issues(self) -> list[Issue]:
        """The generator's own rules, plus typed text that could not be read (a form keeps
        such text as it is so that nothing typed is lost; this says what is wrong with it)."""
        issues = check_generator(self.record)
        for spec in GENERATOR_FIELDS:
            value = self.record.get(spec.key)
            if isinstance(value, str) and spec.kind in _TYPED_KINDS and value.strip():
                try:
                    parse_value(spec, value)
                except ParseError as exc:
                    issues.append(error(spec.key, f"{spec.label}: {exc}", page=spec.page or None))
        return issues

    def issues(self) -> list[Issue]:
        issues = self.record_issues()
        fuels = tuple(self.record.get("fuels") or ())
        if len(fuels) > 1:
            for (y, m), split in sorted(self.workspace.fuel_splits.items()):
                if split:
                    issues += check_fuel_split(split, fuels, vintage=vintage_text(y, m))
        return issues

    def generator(self) -> Generator | None:
        """The typed generator, or None while the record has errors."""
        if blocking(self.record_issues()):
            return None
        try:
            return Generator.from_record(self.record)
        except (ValueError, TypeError):
            return None  # a value of a shape no rule foresaw: the form shows the field

    def uploaded_months(self) -> set[Month]:
        return set(self.workspace.uploaded)


# --- A generator from a DGG draft -------------------------------------------------------------

# The IANA zone most of each state or province keeps; the meter import panel offers it first.
_EASTERN = (
    "Connecticut",
    "Delaware",
    "District of Columbia",
    "Florida",
    "Georgia",
    "Maine",
    "Maryland",
    "Massachusetts",
    "New Hampshire",
    "New Jersey",
    "New York",
    "North Carolina",
    "Ohio",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "Vermont",
    "Virginia",
    "West Virginia",
    "Ontario",
    "Quebec",
)
_ZONES_BY_STATE: dict[str, str] = {
    **dict.fromkeys(_EASTERN, "America/New_York"),
    "Michigan": "America/Detroit",
    "Indiana": "America/Indiana/Indianapolis",
    "Kentucky": "America/Kentucky/Louisville",
    "Tennessee": "America/Chicago",
    **dict.fromkeys(
        (
            "Alabama",
            "Arkansas",
            "Illinois",
            "Iowa",
            "Kansas",
            "Louisiana",
            "Minnesota",
            "Mississippi",
            "Missouri",
            "Nebraska",
            "North Dakota",
            "Oklahoma",
            "South Dakota",
            "Texas",
            "Wisconsin",
        ),
        "America/Chicago",
    ),
    "Manitoba": "America/Winnipeg",
    "Saskatchewan": "America/Regina",
    **dict.fromkeys(("Colorado", "Montana", "New Mexico", "Utah", "Wyoming"), "America/Denver"),
    "Idaho": "America/Boise",
    "Arizona": "America/Phoenix",
    "Alberta": "America/Edmonton",
    **dict.fromkeys(("California", "Nevada", "Oregon", "Washington"), "America/Los_Angeles"),
    "British Columbia": "America/Vancouver",
    "Alaska": "America/Anchorage",
    "Hawaii": "Pacific/Honolulu",
    **dict.fromkeys(("New Brunswick", "Nova Scotia", "Prince Edward Island"), "America/Halifax"),
    "Newfoundland and Labrador": "America/St_Johns",
}


def zone_for_state(state: Any) -> str | None:
    """The IANA zone most of a state or province keeps, e.g. Minnesota -> America/Chicago."""
    return _ZONES_BY_STATE.get(state.strip()) if isinstance(state, str) else None


@dataclass(frozen=True, slots=True)
class FromDgg:
    draft: GeneratorDraft
    notes: tuple[str, ...]


def generator_from_dgg(
    payload: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    *,
    draft_name: str,
    registry_id: str | None = None,
) -> FromDgg:
    """A generator record for a DGG: its name, reporting unit and entity, the nameplate its
    active units add up to, its fuel types, and the input time zone of its state.

    The DGG payload is read defensively: anything missing or of the wrong shape is left for
    the user to fill in, and the notes say what was taken and what was not.
    """
    from desktop.models.dgg_rules import active_total_mw  # noqa: PLC0415 - DGG rules load late

    def text(key: str) -> str | None:
        v = payload.get(key)
        return v.strip() if isinstance(v, str) and v.strip() else None

    notes: list[str] = []
    record = new_generator(kind=KINDS[1], name=text("group_name") or draft_name)
    for key in ("reporting_unit_id", "reporting_entity"):
        if text(key):
            record[key] = text(key)
    good_units = [u for u in units if isinstance(u, Mapping)]
    try:
        mw = active_total_mw(good_units)
    except (TypeError, ValueError, AttributeError):
        mw = 0.0
    if mw > 0:
        record["nameplate_mw"] = mw
        notes.append(f"Nameplate {mw * 1000:g} kW: the sum of the group's active units")
    else:
        notes.append("The group has no active unit with a capacity; enter the nameplate")
    fuels: list[str] = []
    for row in payload.get("fuels") or ():
        fuel = row.get("fuel_type") if isinstance(row, Mapping) else None
        if isinstance(fuel, str) and fuel.strip() and fuel.strip() not in fuels:
            fuels.append(fuel.strip())
    if fuels:
        record["fuels"] = tuple(fuels)
    else:
        notes.append("The group names no fuel type; choose the fuels")
    digits = mrets_digits(registry_id or "") if registry_id else None
    if digits:
        record["mrets_id"] = f"M{digits}"
    else:
        notes.append("The group has no M-RETS ID yet (it is given when the registry approves it)")
    draft = GeneratorDraft(record)
    zone = zone_for_state(payload.get("state_province"))
    if zone:
        record["time_zone"] = zone
        draft.workspace.inputs.input_tz = zone
        notes.append(
            f"Time zone {zone} ({payload.get('state_province')}): its calendar months, and "
            "the zone meter time stamps are read in"
        )
    return FromDgg(draft, tuple(notes))


def record_uploaded(draft: GeneratorDraft, months: Sequence[Month], on: date) -> None:
    for ym in months:
        draft.workspace.uploaded.setdefault(ym, on.isoformat())


def split_problem(draft: GeneratorDraft, ym: Month) -> Issue | None:
    """The first problem of one month's split, or None when it is complete and totals 100 %."""
    fuels = tuple(draft.record.get("fuels") or ())
    split = draft.workspace.fuel_splits.get(ym) or {}
    if len(fuels) < 2:
        return None
    if not split:
        return error("fuel_split", f"{vintage_text(*ym)}: no fuel split yet")
    problems = check_fuel_split(split, fuels, vintage=vintage_text(*ym))
    return problems[0] if problems else None
