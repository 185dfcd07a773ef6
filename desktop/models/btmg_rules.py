"""The rules of a BTMG enrollment: every one returns issues, none raises on bad user data.

Required fields (an excluded season needs none of its fields), phone and email, XEFORd 0–100 %,
Max Interruptions at least the season's minimum deployments, Demand Reduction Capability at
least 0 and not above the selected generators' capacity, LBA / Local Resource Zone / CPNode
consistency, statements accepted, and whether the Planning Year's March 1 deadline has passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from desktop.models import reference
from desktop.models.btmg import Enrollment, GeneratorOption, capacity_of
from desktop.models.btmg_fields import REGISTRATION_FIELDS, SEASON_FIELDS, Page
from desktop.models.fields import FieldKind, FieldSpec, check_value, resolve_choices
from desktop.models.issues import Issue, error, warning
from desktop.models.planning import MIN_DEPLOYMENTS, SEASONS, Season, deadline_status

F = FieldKind
P = Page


def statements() -> tuple[str, ...]:
    return reference.choices("mect_statements")


def lba_zones() -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for e in reference.entries("mect_lbas"):
        zone = e.get("zone")
        out[str(e["value"])] = (
            int(zone) if isinstance(zone, int | str) and str(zone).isdigit() else None
        )
    return out


def cpnode_lbas() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for e in reference.entries("mect_load_zone_cpnodes"):
        node = str(e["value"])
        lba = e.get("lba")
        out[node] = str(lba) if lba else node.split(".", 1)[0]
    return out


def zone_of(lba: str | None) -> int | None:
    return lba_zones().get(lba) if lba else None


def _season_field(season: Season, key: str) -> str:
    return f"{season.value}.{key}"


def _check_choice(spec: FieldSpec, value: Any, field_key: str, label: str) -> list[Issue]:
    if value is None or spec.kind is not F.CHOICE:
        return []
    options = resolve_choices(spec)
    if options and value not in options:
        return [
            error(
                field_key,
                f"{label}: '{value}' is not in the {spec.label} list; pick one, or add it in "
                "Settings › MECT reference lists",
                page=spec.page,
            )
        ]
    return []


def _relabel(issues: list[Issue], season: Season) -> list[Issue]:
    return [
        Issue(
            _season_field(season, i.field),
            i.severity,
            f"{season.label}: {i.message}",
            page=i.page,
        )
        for i in issues
    ]


def check_location(values: Mapping[str, Any]) -> list[Issue]:
    """LBA, Local Resource Zone and CPNode agree (unless the CPNode is overridden)."""
    lba = values.get("lba")
    node = values.get("cpnode")
    if not lba or not node:
        return []
    zones = lba_zones()
    nodes = cpnode_lbas()
    page = P.REGISTRATION
    if values.get("cpnode_override"):
        prefix = node.split(".", 1)[0]
        if prefix in zones and prefix != lba:
            where = (
                f" in Local Resource Zone {zones[prefix]}"
                if zones[prefix] != zones.get(lba)
                else ""
            )
            return [
                warning(
                    "cpnode",
                    f"The overridden CPNode '{node}' names LBA {prefix}{where}, not {lba}; "
                    "check it against MECT",
                    page=page,
                )
            ]
        return []
    if node not in nodes:
        return [
            error(
                "cpnode",
                f"'{node}' is not a Load Zone CPNode in the list; pick one, or tick Override "
                "CPNode if MECT's default options are wrong",
                page=page,
            )
        ]
    node_lba = nodes[node]
    if node_lba != lba:
        node_zone, lba_zone = zones.get(node_lba or ""), zones.get(lba)
        if node_zone is not None and lba_zone is not None and node_zone != lba_zone:
            msg = (
                f"CPNode '{node}' is in Local Resource Zone {node_zone} (LBA {node_lba}) but "
                f"LBA {lba} is in Zone {lba_zone}"
            )
        else:
            msg = f"CPNode '{node}' belongs to LBA {node_lba}, not {lba}"
        return [error("cpnode", msg, page=page)]
    return []


def check_season(
    enrollment: Enrollment,
    season: Season,
    options: Mapping[str, GeneratorOption],
) -> list[Issue]:
    values = enrollment.seasons[season]
    if values.get("excluded"):
        return []
    issues: list[Issue] = []
    for spec in SEASON_FIELDS:
        value = values.get(spec.key)
        own = check_value(spec, value) + _check_choice(spec, value, spec.key, spec.label)
        issues += _relabel(own, season)

    def f(key: str) -> str:
        return _season_field(season, key)

    label = season.label
    page = P.SEASONS

    interruptions = values.get("max_interruptions")
    minimum = MIN_DEPLOYMENTS[season]
    if isinstance(interruptions, int) and 0 <= interruptions < minimum:
        issues.append(
            error(
                f("max_interruptions"),
                f"{label}: Max Interruptions is {interruptions}; it must be at least the "
                f"season's {minimum} minimum deployments",
                page=page,
            )
        )
    xeford = values.get("xeford_override")
    if isinstance(xeford, float) and round(xeford, 2) != xeford:
        issues.append(
            warning(
                f("xeford_override"),
                f"{label}: XEFORd Override has more than two decimals; the sheet shows "
                f"{xeford:.2f}",
                page=page,
            )
        )
    if values.get("emergency_dr"):
        issues.append(
            warning(
                f("emergency_dr"),
                f"{label}: MISO ended LMRs also registering as Emergency DR (FERC ER25-2050); "
                "MECT is expected to refuse this",
                page=page,
            )
        )

    refs = list(values.get("generators") or ())
    total = 0.0
    unknown: list[str] = []
    missing = False
    for ref in refs:
        opt = options.get(ref)
        snap = enrollment.generator_snapshot.get(ref)
        if opt is None and snap is None:
            issues.append(
                error(
                    f("generators"),
                    f"{label}: a picked generator ({ref}) is no longer available; pick the "
                    "generators again",
                    page=page,
                )
            )
            missing = True
            continue
        if opt is None:
            assert snap is not None
            issues.append(
                warning(
                    f("generators"),
                    f"{label}: generator '{snap.get('name')}' is no longer in the draft store; "
                    "its last known capacity is used",
                    page=page,
                )
            )
            cap = capacity_of(snap.get("capacity_mw"))
            name = str(snap.get("name"))
        else:
            cap, name = opt.capacity_mw, opt.name
            if opt.group_ref and opt.group_ref in refs:
                issues.append(
                    warning(
                        f("generators"),
                        f"{label}: '{name}' is a unit of a picked DGG; its capacity counts twice",
                        page=page,
                    )
                )
        if cap is None:
            unknown.append(name)
        else:
            total += cap
    drc = enrollment.values.get("demand_reduction_mw")
    if unknown:
        issues.append(
            warning(
                f("generators"),
                f"{label}: capacity unknown for {', '.join(unknown)}; the Demand Reduction "
                "Capability cannot be checked against it",
                page=page,
            )
        )
    elif refs and not missing and isinstance(drc, float | int) and drc > round(total, 6) + 1e-9:
        issues.append(
            error(
                f("generators"),
                f"{label}: Demand Reduction Capability {drc:g} MW is above the selected "
                f"generators' capacity {round(total, 6):g} MW",
                page=page,
            )
        )
    return issues


def check(
    enrollment: Enrollment,
    options: Mapping[str, GeneratorOption],
    *,
    document_count: int = 0,
    today: date | None = None,
    submitted: bool = False,
) -> list[Issue]:
    """Every rule of the enrollment; errors block the MECT entry sheet."""
    issues: list[Issue] = []
    for spec in REGISTRATION_FIELDS:
        value = enrollment.values.get(spec.key)
        issues += check_value(spec, value)
        issues += _check_choice(spec, value, spec.key, spec.label)
    owners = reference.choices("mect_asset_owners")
    owner = enrollment.values.get("asset_owner")
    if owner and owners and owner not in owners:
        issues.append(
            warning(
                "asset_owner",
                f"Asset Owner '{owner}' is not in your asset owner list; check the spelling "
                "against MECT",
                page=P.REGISTRATION,
            )
        )
    issues += check_location(enrollment.values)
    if document_count == 0:
        issues.append(
            warning(
                "documents",
                "No document attached; MECT may ask for supporting documents",
                page=P.DOCUMENTS,
            )
        )
    if all(enrollment.seasons[s].get("excluded") for s in SEASONS):
        issues.append(
            error(
                "excluded",
                "Every season is excluded: the enrollment would enroll nothing",
                page=P.SEASONS,
            )
        )
    for season in SEASONS:
        issues += check_season(enrollment, season, options)
    missing = [s for s in statements() if s not in enrollment.statements_accepted]
    if missing:
        n = len(missing)
        issues.append(
            error(
                "statements",
                f"{n} statement{'s' if n != 1 else ''} to accept before submission",
                page=P.STATEMENTS,
            )
        )
    if today is not None and not submitted:
        status = deadline_status(enrollment.year, today)
        if status.late:
            issues.append(
                error(
                    "planning_year",
                    f"Late for {enrollment.year.name}: MECT took enrollments until "
                    f"{enrollment.year.required_deadline.day:%B %d, %Y}. Move the draft to "
                    f"{enrollment.year.next().name}",
                    page=P.REVIEW,
                )
            )
    return issues
