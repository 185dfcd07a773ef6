"""A MISO Behind-the-Meter Generation (BTMG) enrollment: its values, generators and payload.

Fields are declared in `btmg_fields` (MECT step order), rules live in `btmg_rules`, and the MECT
entry sheet rows in `btmg_sheet`. The payload is versioned (`FORMAT`, `VERSION`) so that a
stored draft or an exported file from a newer release is refused with a clear sentence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.errors import InputError
from desktop.models.btmg_fields import REGISTRATION_FIELDS, SEASON_FIELDS
from desktop.models.fields import format_mw, record_from_json, record_to_json
from desktop.models.planning import SEASONS, PlanningYear, Season, next_enrollable_year

FORMAT = "registry-desk.btmg"
VERSION = 1
KIND = "btmg"


# --- Generators ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratorOption:
    """A generator the user can pick for a season; `ref` is what the payload stores."""

    ref: str
    name: str
    capacity_mw: float | None
    source: str  # "DGG", "DGG unit", "Generator", "Added here"
    group_ref: str | None = None  # a DGG unit's group, to catch counting both

    @property
    def label(self) -> str:
        cap = format_mw(self.capacity_mw) if self.capacity_mw is not None else "capacity unknown"
        return f"{self.name} ({self.source}, {cap})"


@dataclass
class LocalGenerator:
    """A generator added on the spot, kept inside the enrollment."""

    id: str
    name: str
    capacity_mw: float | None

    @property
    def ref(self) -> str:
        return f"local:{self.id}"


def new_local_generator(name: str, capacity_mw: float | None) -> LocalGenerator:
    name = name.strip()
    if not name:
        raise InputError("A generator needs a name.")
    if capacity_mw is not None and capacity_mw < 0:
        raise InputError("A generator's capacity cannot be negative.")
    return LocalGenerator(os.urandom(6).hex(), name, capacity_mw)  # uuid4's 48 random bits


def capacity_of(raw: Any) -> float | None:
    """Capacities from other payloads are read defensively: numbers or numeric text, else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            return None
    return None


def generator_options(
    dggs: Iterable[tuple[int, str, Sequence[Mapping[str, Any]]]],
    generators: Iterable[tuple[int, str, Mapping[str, Any]]],
    local: Iterable[LocalGenerator] = (),
) -> dict[str, GeneratorOption]:
    """Every pickable generator: each DGG (its active units' total), each unit, each generator."""
    out: dict[str, GeneratorOption] = {}
    for draft_id, name, units in dggs:
        group_ref = f"dgg:{draft_id}"
        active = [u for u in units if u.get("unit_status") in (None, "Active")]
        caps = [capacity_of(u.get("capacity_mw")) for u in active]
        known = [c for c in caps if c is not None]
        total = round(sum(known), 6) if known and len(known) == len(caps) else None
        out[group_ref] = GeneratorOption(group_ref, name, total, "DGG")
        for unit in active:
            ref = f"unit:{draft_id}:{unit.get('uid')}"
            unit_name = f"{name} / {unit.get('name') or unit.get('uid')}"
            cap = capacity_of(unit.get("capacity_mw"))
            out[ref] = GeneratorOption(ref, unit_name, cap, "DGG unit", group_ref)
    for draft_id, name, payload in generators:
        ref = f"generator:{draft_id}"
        out[ref] = GeneratorOption(ref, name, capacity_of(payload.get("nameplate_mw")), "Generator")
    for gen in local:
        out[gen.ref] = GeneratorOption(gen.ref, gen.name, gen.capacity_mw, "Added here")
    return out


# --- The enrollment ----------------------------------------------------------------------------


def _empty_season() -> dict[str, Any]:
    values: dict[str, Any] = {s.key: None for s in SEASON_FIELDS}
    values.update(excluded=False, emergency_dr=False, generators=())
    return values


def _empty_registration() -> dict[str, Any]:
    values: dict[str, Any] = {s.key: None for s in REGISTRATION_FIELDS}
    values["cpnode_override"] = False
    return values


@dataclass
class Enrollment:
    planning_year: int
    values: dict[str, Any] = field(default_factory=_empty_registration)
    seasons: dict[Season, dict[str, Any]] = field(
        default_factory=lambda: {s: _empty_season() for s in SEASONS}
    )
    local_generators: list[LocalGenerator] = field(default_factory=list)
    # Last known name and capacity of every picked generator, so that a sheet or an exported
    # file still says what was picked after the generator's own draft changed or went away.
    generator_snapshot: dict[str, dict[str, Any]] = field(default_factory=dict)
    statements_accepted: list[str] = field(default_factory=list)
    mect_registration_id: str | None = None
    mect_entered_on: date | None = None
    sheet_made_on: date | None = None

    @property
    def year(self) -> PlanningYear:
        return PlanningYear(self.planning_year)

    def season(self, season: Season | str) -> dict[str, Any]:
        return self.seasons[Season(season)]

    def copy_season(self, source: Season) -> None:
        """'Copy this season to the others': every season field, generators included."""
        for target in SEASONS:
            if target is not source:
                self.seasons[target] = dict(self.seasons[source])

    def add_local_generator(self, gen: LocalGenerator) -> None:
        self.local_generators.append(gen)

    def remember(self, options: Mapping[str, GeneratorOption]) -> None:
        """Refresh the snapshot of every picked generator that is still available."""
        for values in self.seasons.values():
            for ref in values.get("generators") or ():
                opt = options.get(ref)
                if opt is not None:
                    self.generator_snapshot[ref] = {
                        "name": opt.name,
                        "capacity_mw": opt.capacity_mw,
                        "source": opt.source,
                    }

    def move_to_next_year(self) -> PlanningYear:
        self.planning_year += 1
        return self.year

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "planning_year": self.planning_year,
            "registration": record_to_json(REGISTRATION_FIELDS, self.values),
            "seasons": {s.value: record_to_json(SEASON_FIELDS, self.seasons[s]) for s in SEASONS},
            "local_generators": [
                {"id": g.id, "name": g.name, "capacity_mw": g.capacity_mw}
                for g in self.local_generators
            ],
            "generator_snapshot": self.generator_snapshot,
            "statements_accepted": list(self.statements_accepted),
            "mect": {
                "registration_id": self.mect_registration_id,
                "entered_on": self.mect_entered_on.isoformat() if self.mect_entered_on else None,
                "sheet_made_on": self.sheet_made_on.isoformat() if self.sheet_made_on else None,
            },
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], *, where: str = "") -> Enrollment:
        """Read a stored or exported payload; a wrong format or version is a located error."""
        fmt = raw.get("format")
        if fmt != FORMAT:
            raise InputError(f"This is not a BTMG enrollment (format {fmt!r}).", where=where)
        version = raw.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise InputError(
                f"This BTMG enrollment has format version {version!r}; this Registry Desk reads "
                f"up to version {VERSION}. Update Registry Desk to open it.",
                where=where,
            )
        try:
            year = int(raw["planning_year"])
            values = record_from_json(REGISTRATION_FIELDS, raw.get("registration") or {})
            seasons_raw = raw.get("seasons") or {}
            seasons = {}
            for s in SEASONS:
                season = _empty_season()
                season.update(
                    {
                        k: v
                        for k, v in record_from_json(
                            SEASON_FIELDS, seasons_raw.get(s.value) or {}
                        ).items()
                        if v is not None
                    }
                )
                seasons[s] = season
            local = [
                LocalGenerator(str(g["id"]), str(g["name"]), capacity_of(g.get("capacity_mw")))
                for g in raw.get("local_generators") or []
            ]
            mect = raw.get("mect") or {}
            entered = mect.get("entered_on")
            made = mect.get("sheet_made_on")
            return cls(
                planning_year=year,
                values=values,
                seasons=seasons,
                local_generators=local,
                generator_snapshot={
                    str(k): dict(v) for k, v in (raw.get("generator_snapshot") or {}).items()
                },
                statements_accepted=[str(s) for s in raw.get("statements_accepted") or []],
                mect_registration_id=mect.get("registration_id"),
                mect_entered_on=date.fromisoformat(entered) if entered else None,
                sheet_made_on=date.fromisoformat(made) if made else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"The BTMG enrollment is damaged: {exc}.", where=where) from None


def new_enrollment(today: date, name: str = "") -> Enrollment:
    """A blank enrollment for the next Planning Year still open on `today`."""
    enrollment = Enrollment(planning_year=next_enrollable_year(today).start_year)
    enrollment.values["name"] = name or None
    return enrollment


def enrollment_of(payload: Mapping[str, Any], today: date, *, name: str = "") -> Enrollment:
    """The enrollment in a stored payload; an empty payload (a just-created draft) is blank."""
    if not payload:
        return new_enrollment(today, name)
    return Enrollment.from_json(payload, where=name)
