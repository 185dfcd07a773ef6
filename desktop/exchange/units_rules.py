"""The one place where the units grid, the file import and the command line check units.

The rules themselves live in `desktop.models.dgg_rules`; this module fills in
what a group started from a spreadsheet does not know yet, and says which issues block an
import: a value that is wrong blocks, a value that is still missing does not (a draft may lack
it for now).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from desktop.models import dgg_rules
from desktop.models.fields import FieldKind, from_json, to_json
from desktop.models.issues import Issue, Severity
from desktop.models.units import UNIT_FIELDS, new_uid

GROUP_KEYS = ("state_province", "fuel_type", "fuel_source")


def check(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    *,
    today: date | None = None,
) -> list[Issue]:
    """Unit and cross-unit issues (row = index in `units`), then group totals (row None)."""
    full = effective_group(group, units)
    issues = dgg_rules.check_units(full, units, today=today)
    issues += dgg_rules.check_group_totals(full, units)
    return issues


def effective_group(group: Mapping[str, Any], units: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The group, with the units' most common state and fuel where the group has none yet.

    A group started from a spreadsheet has no state of its own; taking the majority means the
    units in another state are the ones flagged.
    """
    full = dict(group)
    has_fuels = bool(dgg_rules.group_fuels(group))
    for key in GROUP_KEYS:
        if full.get(key) or (key != "state_province" and has_fuels):
            continue
        common = majority(units, key)
        if common:
            full[key] = common
    return full


def majority(units: Sequence[Mapping[str, Any]], key: str) -> str | None:
    counts = Counter(u.get(key) for u in units if isinstance(u.get(key), str) and u.get(key))
    if not counts:
        return None
    return str(counts.most_common(1)[0][0])


def blank(value: Any) -> bool:
    return value is None or value in ("", ())


def blocks_import(issue: Issue, units: Sequence[Mapping[str, Any]]) -> bool:
    """Errors block, unless they only say that a value is missing."""
    if issue.severity is not Severity.ERROR:
        return False
    if issue.row is None or not issue.field:
        return True
    return not blank(units[issue.row].get(issue.field))


def active_total(units: Sequence[Mapping[str, Any]]) -> float:
    return dgg_rules.active_total_mw(units)


def units_from_json(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Units as the store lists them (JSON values) -> typed units; a bad value is kept as text."""
    # Only dates and numbers change type on the way in; the rest is copied as it is (fast:
    # this runs when a 10,000-unit grid opens).
    typed = [s for s in UNIT_FIELDS if s.kind in _CONVERTED]
    keys = [s.key for s in UNIT_FIELDS]
    out = []
    for item in raw:
        unit = {k: item.get(k) for k in keys}
        for spec in typed:
            value = unit[spec.key]
            if value is None or isinstance(value, float):
                continue
            # A value that cannot be read is kept as it is: the rules report it, nothing is lost.
            with contextlib.suppress(TypeError, ValueError):
                unit[spec.key] = from_json(spec, value)
        unit["uid"] = str(item.get("uid") or new_uid())
        out.append(unit)
    return out


_CONVERTED = frozenset({FieldKind.DATE, FieldKind.DECIMAL, FieldKind.CAPACITY, FieldKind.PERCENT})


def units_to_json(units: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for unit in units:
        item: dict[str, Any] = {}
        for spec in UNIT_FIELDS:
            value = unit.get(spec.key)
            item[spec.key] = value if isinstance(value, str) else to_json(spec, value)
        item["uid"] = unit["uid"]
        out.append(item)
    return out


def group_for_new_draft(units: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What a spreadsheet tells about a group started from it: state, fuel, group type."""
    group: dict[str, Any] = {}
    state = majority(units, "state_province")
    if state:
        group["state_province"] = state
    fuel_type, fuel_source = majority(units, "fuel_type"), majority(units, "fuel_source")
    if fuel_type or fuel_source:
        group["fuels"] = [{"fuel_type": fuel_type, "fuel_source": fuel_source}]
    kinds = {u.get("customer_type") for u in units if u.get("customer_type")}
    if kinds:
        group["group_type"] = kinds.pop() if len(kinds) == 1 else "Mixed"
    return group
