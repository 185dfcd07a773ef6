"""DGG drafts: loading one, and the one count of its issues.

Issue 14 found the same draft with 224 issues on the Review page, 223 from `dgg check` and 221
in the drafts list: each view counted with rules of its own. Now `draft_issues` is the count;
the Review page, the wizard's steps, `dgg check` and the drafts list's column all take theirs
from it (the window through `LiveIssues`, which returns the same list and reuses the issues of
units an edit did not touch, so a count after one edit in a 10,000-unit draft stays within
tens of milliseconds: bench/dgg_live_counts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from desktop.errors import InputError
from desktop.models import dgg
from desktop.models.dgg_rules import UnitRules, check_group_totals
from desktop.models.issues import Issue, Severity, blocking, summary
from desktop.store import DraftRow, Store
from desktop.store.documents import DocumentRow

KIND = dgg.KIND
Documents = Iterable[dgg.DocumentLike | Mapping[str, Any]]


def load_dgg(
    store: Store, draft_id: int
) -> tuple[DraftRow, dict[str, Any], list[dict[str, Any]], list[DocumentRow]]:
    """The draft row, its group (typed), its units (typed) and its documents."""
    row = store.drafts.get(draft_id)
    try:
        group = dgg.from_json_doc(row.payload)
    except ValueError as exc:
        raise InputError(f"Draft '{row.name}' cannot be read: {exc}.") from None
    units = [dgg.unit_from_json(u) for u in store.units.list(draft_id)]
    return row, group, units, store.documents.list(draft_id)


def draft_issues(
    group: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    documents: Documents = (),
    *,
    today: date | None = None,
) -> list[Issue]:
    """Every issue of the draft, each with its page: the one truth every view counts."""
    return dgg.check_draft(group, units, documents, today=today)


def stored_draft_issues(store: Store, draft_id: int) -> list[Issue]:
    """`draft_issues` of the draft as the store has it (`dgg check`)."""
    _row, group, units, documents = load_dgg(store, draft_id)
    return draft_issues(group, units, documents)


def issues_with_units(
    store: Store, draft_id: int | None, payload: Mapping[str, Any], units: list[dict[str, Any]]
) -> list[Issue] | None:
    """`draft_issues` with new units (an import, the grid's autosave), or None for a payload
    from a newer release (its summary stays as it was written).

    Call it before opening a write transaction: it reads through other connections.
    """
    try:
        group = dgg.from_json_doc(payload)
    except ValueError:
        return None
    documents = store.documents.list(draft_id) if draft_id is not None else []
    return draft_issues(group, units, documents)


@dataclass(frozen=True, slots=True)
class IssueCounts:
    """What the views show of a list of issues: errors (which block), warnings, per page."""

    errors: int
    warnings: int
    errors_by_page: Mapping[str, int]
    summary: str

    def on_page(self, page: str) -> int:
        return self.errors_by_page.get(page, 0)


def count(issues: Sequence[Issue]) -> IssueCounts:
    by_page: dict[str, int] = {}
    errors = warnings = 0
    for issue in issues:
        if issue.severity is Severity.ERROR:
            errors += 1
            by_page[issue.page or ""] = by_page.get(issue.page or "", 0) + 1
        elif issue.severity is Severity.WARNING:
            warnings += 1
    return IssueCounts(errors, warnings, by_page, summary(issues))


def refresh_issue_summary(
    store: Store, draft_id: int, issues: list[Issue], conn: Any = None
) -> None:
    """Keep the drafts list's completeness column current without it parsing payloads."""
    store.drafts.save(
        draft_id,
        issue_count=len(blocking(issues)),
        issue_summary=summary(issues),
        conn=conn,
    )


class LiveIssues:
    """`draft_issues`, recomputed after every edit, reusing what the edit cannot change.

    The unit rules are the slow part with thousands of units. A unit's own issues depend only
    on the unit's values, its row and a few group fields; so they are kept per unit object
    with a snapshot of its values (a unit changed in place is compared, not trusted, and
    checked again). Everything across units (duplicate meters, the 1 MW total,
    documents) is recomputed each time: those are single passes. `tests/dgg/test_live_issues.py`
    checks that the result always equals `draft_issues`.
    """

    def __init__(self, today: date | None = None) -> None:
        self.today = today
        self._rules_key: object = None
        self._rules: UnitRules | None = None
        self._rows: dict[int, tuple[Mapping[str, Any], tuple[Any, ...], int, list[Issue]]] = {}

    def issues(
        self,
        group: Mapping[str, Any],
        units: Sequence[Mapping[str, Any]],
        documents: Documents = (),
    ) -> list[Issue]:
        docs = list(documents)
        out: list[Issue] = []
        for page in dgg.PAGES:
            if page == dgg.UNITS:
                out += self.unit_issues(group, units, docs)
            else:
                out += dgg.check_page(page, group, units, docs, today=self.today)
        return out

    def unit_issues(
        self,
        group: Mapping[str, Any],
        units: Sequence[Mapping[str, Any]],
        documents: Documents = (),
    ) -> list[Issue]:
        """What `dgg.check_page(UNITS, ...)` returns, with unchanged units' rows reused."""
        key = (
            self.today,
            repr(group.get("state_province")),
            repr(group.get("group_type")),
            repr(group.get("fuel_type")),
            repr(group.get("fuel_source")),
            repr(group.get("fuels")),
        )
        if key != self._rules_key or self._rules is None:
            self._rules_key, self._rules = key, UnitRules(group, today=self.today)
            self._rows = {}
        rules = self._rules
        cache, fresh = self._rows, {}
        per_row: list[list[Issue]] = []
        for row, unit in enumerate(units):
            values = tuple(unit.values())
            hit = cache.get(id(unit))
            if hit is not None and hit[0] is unit and hit[1] == values:
                found = hit[3] if hit[2] == row else [replace(i, row=row) for i in hit[3]]
            else:
                found = rules.row_issues(unit, row)
            fresh[id(unit)] = (unit, values, row, found)
            per_row.append(found)
        self._rows = fresh
        for row, extra in rules.meter_issues(units).items():
            per_row[row] = [*per_row[row], *extra]
        issues = [] if units else [dgg.no_units_issue()]
        issues += [issue for found in per_row for issue in found]
        issues += check_group_totals(group, units)
        return dgg.drop_settled_notes(issues, units, documents)
