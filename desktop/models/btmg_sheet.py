"""The MECT entry sheet: every value of an enrollment in MECT step order, season by season.

MISO publishes no API for MECT, so "Submit" produces this sheet for the user to key in; the
exchange layer writes it as XLSX and PDF (desktop.exchange.mect_sheet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.models.btmg import Enrollment, GeneratorOption, capacity_of
from desktop.models.btmg_fields import REG, SEASON_FIELDS, STEPS
from desktop.models.btmg_rules import statements, zone_of
from desktop.models.fields import FieldKind, FieldSpec, format_mw, format_value
from desktop.models.planning import SEASONS

F = FieldKind


@dataclass(frozen=True, slots=True)
class SheetRow:
    step: int
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SheetSection:
    title: str
    rows: tuple[SheetRow, ...]


def display_value(spec: FieldSpec, value: Any) -> str:
    if spec.kind is F.BOOL:
        return "Yes" if value else "No"  # an unticked box is "No", never blank
    if spec.kind is F.PERCENT and value is not None:
        return f"{float(value):.2f} %"
    if spec.kind is F.DECIMAL and spec.unit and value is not None:
        return f"{float(value):g} {spec.unit}"
    return format_value(spec, value)


def generator_lines(
    enrollment: Enrollment, refs: Iterable[str], options: Mapping[str, GeneratorOption]
) -> list[str]:
    lines = []
    for ref in refs:
        opt = options.get(ref)
        if opt is not None:
            lines.append(opt.label)
            continue
        snap = enrollment.generator_snapshot.get(ref, {})
        cap = capacity_of(snap.get("capacity_mw"))
        shown = format_mw(cap) if cap is not None else "capacity unknown"
        lines.append(f"{snap.get('name', ref)} ({snap.get('source', 'no longer stored')}, {shown})")
    return lines


def entry_sheet(
    enrollment: Enrollment,
    options: Mapping[str, GeneratorOption],
    document_names: Sequence[str],
) -> list[SheetSection]:
    """Every value in MECT step order, season by season, as the user will key it in."""
    v = enrollment.values

    def row(key: str) -> SheetRow:
        spec = REG[key]
        return SheetRow(STEPS[key], spec.label, display_value(spec, v.get(key)))

    zone = zone_of(v.get("lba"))
    lba_row = row("lba")
    if zone is not None:
        lba_row = SheetRow(
            lba_row.step, lba_row.label, f"{lba_row.value} (Local Resource Zone {zone})"
        )
    sections = [
        SheetSection(
            "Registration (steps 4–9)",
            (
                row("name"),
                row("asset_owner"),
                lba_row,
                row("description"),
                row("cpnode"),
                row("cpnode_override"),
            ),
        ),
        SheetSection(
            "Documents (step 10)",
            tuple(SheetRow(10, "Add Document", n) for n in document_names)
            or (SheetRow(10, "Add Document", "(none attached)"),),
        ),
        SheetSection(
            "Capability and operator (steps 11–14)",
            tuple(
                row(k)
                for k in (
                    "demand_reduction_mw",
                    "operator_name",
                    "operator_phone",
                    "operator_email",
                )
            ),
        ),
        SheetSection("Measurement (step 15)", (row("measurement_protocol"),)),
    ]
    for season in SEASONS:
        values = enrollment.seasons[season]
        span = enrollment.year.season(season)
        title = (
            f"{season.label} season, {span.first_day:%b %d, %Y} – {span.last_day:%b %d, %Y} "
            "(steps 16–24)"
        )
        rows: list[SheetRow] = []
        excluded = bool(values.get("excluded"))
        for spec in SEASON_FIELDS:
            step = STEPS[spec.key]
            if excluded and spec.key != "excluded":
                rows.append(SheetRow(step, spec.label, "— (season excluded)"))
            elif spec.key == "generators":
                lines = generator_lines(enrollment, values.get("generators") or (), options)
                rows.append(SheetRow(step, spec.label, "\n".join(lines)))
            else:
                rows.append(SheetRow(step, spec.label, display_value(spec, values.get(spec.key))))
        sections.append(SheetSection(title, tuple(rows)))
    sections.append(
        SheetSection(
            "Statements (step 26)",
            tuple(
                SheetRow(
                    26, s, "Accepted" if s in enrollment.statements_accepted else "NOT accepted"
                )
                for s in statements()
            ),
        )
    )
    sections.append(
        SheetSection(
            "Submit (step 27)",
            (
                SheetRow(27, "Planning Year", enrollment.year.name),
                SheetRow(27, "Action in MECT", "Submit"),
                SheetRow(27, "MECT registration ID", enrollment.mect_registration_id or ""),
            ),
        )
    )
    return sections
