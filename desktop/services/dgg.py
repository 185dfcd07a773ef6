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
from desktop.models.dgg_rules import (
    SCHEDULE_A_NOTE,
    UnitRules,
    active_mw,
    customer_key,
    duplicate_meter_issues,
    group_total_issues,
    group_type_issues,
    meter_key,
)
from desktop.models.issues import Issue, Severity, blocking, summary
from desktop.models.units import is_active
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


@dataclass(slots=True)
class _UnitFacts:
    """What the draft's rules read from one unit object, worked out once per object."""

    unit: Mapping[str, Any]
    row: int
    issues: list[Issue]  # the unit's own rules (UnitRules.row_issues)
    uid: str
    meter: str
    mw: float
    customer: str | None
    not_owned: bool
    active: bool
    present: tuple[str, ...] | None = None  # the documents seen when `missing` was worked out
    missing: Issue | None = None
    schedule_a: bool = False


class LiveIssues:
    """`draft_issues`, recomputed after every edit, reusing what the edit cannot change.

    With 10,000 units the rules take most of a second; a count after each keystroke must take
    a few tens of milliseconds (bench/dgg_live_counts.py). So every fact the rules read from a
    unit (its own issues, meter, capacity, customer type, documents lacking) is worked out once
    per unit object and kept; one pass over the units then puts the draft's issues together.

    The contract: a unit dict that is changed in place must be announced with `forget()`
    (the wizard's session does so in `set_units` unless told the units were replaced);
    the documents are a list replaced, never appended to, when they change.
    `tests/dgg/test_live_issues.py` checks that the result always equals `draft_issues`.
    """

    def __init__(self, today: date | None = None) -> None:
        self.today = today
        self._rules_key: object = None
        self._rules: UnitRules | None = None
        self._facts: dict[int, _UnitFacts] = {}
        self._docs_key: object = None
        self._by_unit: dict[str | None, tuple[str, ...]] = {}
        self._group_doc_types: set[str] = set()
        self._doc_rules = dgg.unit_document_rules()
        self._ids: list[int] = []  # id() of each unit of the last pass, in row order
        self._rows: list[_UnitFacts] = []  # their facts, in the same order
        self._docs_seen: object = None  # the documents the facts' `missing` come from
        # the last pass over the units, for edits that change only the group
        self._pass_key: object = None
        self._pass: tuple[list[Issue], list[Issue], set[str], int] | None = None

    def forget(self) -> None:
        """Units were changed in place: work every unit out again next time."""
        self._facts = {}
        self._rows = []
        self._pass = None

    def issues(
        self,
        group: Mapping[str, Any],
        units: Sequence[Mapping[str, Any]],
        documents: Sequence[dgg.DocumentLike | Mapping[str, Any]] = (),
    ) -> list[Issue]:
        rules = self._unit_rules(group)
        self._read_documents(documents)
        key = (tuple(map(id, units)), self._docs_key, id(rules))
        if key != self._pass_key or self._pass is None:
            self._pass = self._unit_pass(rules, units)
            self._pass_key = key
        unit_issues, missing, customers, not_owned = self._pass

        on_group = dgg.check_group(group)
        out: list[Issue] = []
        for page in dgg.PAGES:
            if page == dgg.GENERAL:
                out += [i for i in on_group if i.page == page]
                out += group_type_issues(group, customers)
            elif page == dgg.OWNER:
                out += [i for i in on_group if i.page == page]
                out += dgg.ownership_issues(group, not_owned)
            elif page == dgg.ENGINEERING:
                out += [i for i in on_group if i.page == page]
            elif page == dgg.FUELS:
                out += dgg.check_fuels(group)
            elif page == dgg.UNITS:
                out += unit_issues
            elif page == dgg.DOCUMENTS:
                out += missing
                out += dgg.group_documents_issues(group, self._group_doc_types)
        return out

    def _unit_pass(
        self, rules: UnitRules, units: Sequence[Mapping[str, Any]]
    ) -> tuple[list[Issue], list[Issue], set[str], int]:
        """(the Units page's issues, the units' missing documents, their customer types,
        how many are not owned), reusing each unit's facts.

        The units that are the same objects at the same rows as last time are not looked at
        one by one: the sums and lists below are comprehensions over the facts, which cost
        far less per unit than a loop with a body (10,000 units in a few milliseconds).
        """
        ids = list(map(id, units))
        rows = self._rows
        if len(ids) == len(self._ids) and rows:
            for n in [n for n, (a, b) in enumerate(zip(ids, self._ids, strict=True)) if a != b]:
                rows[n] = self._fact_at(rules, units[n], n)
        else:
            rows = [self._fact_at(rules, unit, n) for n, unit in enumerate(units)]
        self._ids, self._rows = ids, rows
        self._facts = {id(f.unit): f for f in rows}
        if self._docs_seen != self._docs_key:
            self._docs_seen = self._docs_key
            get = self._by_unit.get
            for fact in rows:
                if fact.present is not get(fact.uid, ()):
                    self._settle_documents(fact)

        meters: dict[str, list[int]] = {}
        for n, meter in enumerate([f.meter for f in rows]):
            if meter:
                meters.setdefault(meter, []).append(n)
        duplicates = duplicate_meter_issues(units, meters)
        unit_issues: list[Issue] = [] if units else [dgg.no_units_issue()]
        for n, fact in enumerate(rows):
            if fact.issues:
                if fact.schedule_a:
                    unit_issues += [i for i in fact.issues if i.message != SCHEDULE_A_NOTE]
                else:
                    unit_issues += fact.issues
            if duplicates and n in duplicates:
                unit_issues += duplicates[n]
        unit_issues += group_total_issues(round(sum([f.mw for f in rows]), 6))
        missing = [f.missing for f in rows if f.missing is not None]
        customers = {f.customer for f in rows if f.customer is not None}
        not_owned = sum([f.not_owned for f in rows])
        return unit_issues, missing, customers, not_owned

    def _fact_at(self, rules: UnitRules, unit: Mapping[str, Any], row: int) -> _UnitFacts:
        """The unit's facts: kept ones when it is the same object, re-rowed if it moved."""
        fact = self._facts.get(id(unit))
        if fact is None or fact.unit is not unit:
            fact = self._facts_of(rules, unit, row)
        elif fact.row != row:
            fact.issues = [replace(i, row=row) for i in fact.issues]
            fact.row = row
        else:
            return fact
        self._settle_documents(fact)
        return fact

    def _settle_documents(self, fact: _UnitFacts) -> None:
        """The documents the (active) unit lacks, from the documents as last read."""
        present = self._by_unit.get(fact.uid, ())
        fact.present = present
        fact.schedule_a = any(t.casefold() == "schedule a" for t in present)
        fact.missing = None
        if fact.active:
            lacks = dgg.unit_missing_documents(fact.unit, present, self._doc_rules)
            if lacks:
                name = str(fact.unit.get("name") or f"Unit {fact.row + 1}")
                fact.missing = dgg.missing_documents_issue(fact.row, name, lacks)

    def _unit_rules(self, group: Mapping[str, Any]) -> UnitRules:
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
            self._facts = {}
            self._rows = []
            self._pass = None
        return self._rules

    def _read_documents(self, documents: Sequence[dgg.DocumentLike | Mapping[str, Any]]) -> None:
        key = (id(documents), len(documents))
        if key != self._docs_key:
            self._docs_key = key
            old = self._by_unit
            new, self._group_doc_types = dgg.documents_by_unit(documents)
            # the units whose documents did not change keep the same tuple: their facts stay
            for uid, types in new.items():
                before = old.get(uid)
                if before == types:
                    new[uid] = before
            self._by_unit = new

    def _facts_of(self, rules: UnitRules, unit: Mapping[str, Any], row: int) -> _UnitFacts:
        return _UnitFacts(
            unit=unit,
            row=row,
            issues=rules.row_issues(unit, row),
            uid=str(unit.get("uid") or ""),
            meter=meter_key(unit),
            mw=active_mw(unit),
            customer=customer_key(unit),
            not_owned=unit.get("owned_by_org") is False,
            active=is_active(unit),
        )
