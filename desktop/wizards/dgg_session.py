"""The state of one DGG draft while its wizard is open, and every write to the store.

Pages edit `group` / `units` in place and call `touch()`; the session saves once the typing
pauses (400 ms) or at once for choices, in one transaction per save: payload, page, issue
count and summary together (units, when they changed, in the same transaction).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.commands.dgg import load_dgg
from desktop.models import dgg
from desktop.models.dgg_rules import Mode, check_group_totals, check_units
from desktop.models.issues import Issue, blocking, summary
from desktop.store import Store
from desktop.store.documents import DocumentRow

DEBOUNCE_MS = 400
_UNIT_GROUP_KEYS = ("state_province", "group_type", "fuels")


class DggSession(QObject):
    saved = Signal(float)  # time.time() of the save
    units_changed = Signal()
    documents_changed = Signal()

    def __init__(self, store: Store, draft_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.draft_id = draft_id
        row, self.group, self.units, self.documents = load_dgg(store, draft_id)
        self.name = row.name
        self.status = row.status
        self.page = row.page or dgg.GENERAL
        self._dirty_group = False
        self._dirty_units = False
        self._unit_cache: tuple[Any, list[Issue]] | None = None
        self._units_version = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.today: date | None = None  # tests pin the date; None is today

    # --- edits -----------------------------------------------------------------------------

    def touch(self, *, immediate: bool = False) -> None:
        """The group changed: save after the typing pauses, or now."""
        self._dirty_group = True
        if immediate:
            self.flush()
        else:
            self._timer.start()

    def set_units(self, units: Sequence[dict[str, Any]]) -> None:
        """Replace the units (add, edit, duplicate, remove) and save them now."""
        self.units = list(units)
        self._units_version += 1
        self._dirty_units = True
        self.flush()
        self.units_changed.emit()

    def reload_units(self) -> None:
        """Take the units as another editor (the units grid) saved them; nothing is written."""
        _row, _group, units, documents = load_dgg(self.store, self.draft_id)
        self.units, self.documents = units, documents
        self._units_version += 1
        self._dirty_units = False
        self.units_changed.emit()

    def set_page(self, page: str) -> None:
        if page != self.page:
            self.page = page
            self._dirty_group = True
            self.flush()

    def flush(self) -> bool:
        """Write what changed (one transaction); True when something was written."""
        self._timer.stop()
        if not (self._dirty_group or self._dirty_units):
            return False
        issues = self.all_issues(mode="edit")
        status = "Draft" if self.status == "Ready to submit" else None
        name = self._new_name()
        with self.store.transaction() as conn:
            if self._dirty_units:
                self.store.units.replace_all(
                    self.draft_id, [dgg.unit_to_json(u) for u in self.units], conn=conn
                )
            self.store.drafts.save(
                self.draft_id,
                payload=dgg.to_json_doc(self.group),
                page=self.page,
                status=status,
                issue_count=len(blocking(issues)),
                issue_summary=summary(issues),
                name=name,
                conn=conn,
            )
        if status:
            self.status = status
        self.name = name or self.name
        self._dirty_group = self._dirty_units = False
        self.saved.emit(time.time())
        return True

    def _new_name(self) -> str | None:
        """The draft list shows the group name, when no other draft has it.

        Asked before the write transaction opens: a read on another connection inside it
        would wait on our own lock.
        """
        wanted = str(self.group.get("group_name") or "").strip()
        if not wanted or wanted == self.name:
            return None
        others = self.store.list_drafts(dgg.KIND)
        taken = {r.name.casefold() for r in others if r.id != self.draft_id}
        return None if wanted.casefold() in taken else wanted

    def finish(self) -> list[Issue]:
        """Check everything; when nothing blocks, save all and mark the draft Ready to submit."""
        self._timer.stop()
        issues = self.all_issues(mode="submit")
        if blocking(issues):
            self.flush()
            return issues
        name = self._new_name()
        with self.store.transaction() as conn:
            self.store.units.replace_all(
                self.draft_id, [dgg.unit_to_json(u) for u in self.units], conn=conn
            )
            self.store.drafts.save(
                self.draft_id,
                payload=dgg.to_json_doc(self.group),
                page=self.page,
                status="Ready to submit",
                issue_count=0,
                issue_summary=summary(issues),
                name=name,
                conn=conn,
            )
        self.status = "Ready to submit"
        self.name = name or self.name
        self._dirty_group = self._dirty_units = False
        self.saved.emit(time.time())
        return issues

    # --- documents -------------------------------------------------------------------------

    def add_document(self, path: Path, doc_type: str, unit_uid: str | None) -> DocumentRow:
        doc = self.store.documents.add(self.draft_id, path, doc_type, unit_uid=unit_uid)
        self._after_documents()
        return doc

    def remove_document(self, doc_id: int) -> None:
        self.store.documents.remove(doc_id)
        self._after_documents()

    def _after_documents(self) -> None:
        self.documents = self.store.documents.list(self.draft_id)
        # Each unit's "documents" field lists its files (the units CSV carries it).
        names: dict[str | None, list[str]] = {}
        for doc in self.documents:
            names.setdefault(doc.unit_uid, []).append(doc.filename)
        for unit in self.units:
            listed = "; ".join(names.get(str(unit.get("uid")), [])) or None
            if unit.get("documents") != listed:
                unit["documents"] = listed
                self._dirty_units = True
        self._dirty_group = True  # the issue summary changes with the checklist
        self.flush()
        self.documents_changed.emit()

    # --- issues ----------------------------------------------------------------------------

    def unit_issues(self, mode: Mode = "edit") -> list[Issue]:
        """Unit rules are the slow part with thousands of units: cached until inputs change."""
        key = (
            self._units_version,
            mode,
            self.today,
            repr([self.group.get(k) for k in _UNIT_GROUP_KEYS]),
        )
        if self._unit_cache is not None and self._unit_cache[0] == key:
            return self._unit_cache[1]
        issues = check_units(self.group, self.units, today=self.today, mode=mode)
        issues += check_group_totals(self.group, self.units, mode=mode)
        if not self.units:
            issues.insert(0, dgg.no_units_issue())
        self._unit_cache = (key, issues)
        return issues

    def page_issues(self, page: str, mode: Mode = "edit") -> list[Issue]:
        if page == dgg.UNITS:
            return self.unit_issues(mode)
        return dgg.check_page(page, self.group, self.units, self.documents, mode=mode)

    def all_issues(self, mode: Mode = "edit") -> list[Issue]:
        issues: list[Issue] = []
        for page in dgg.PAGES:
            if page != dgg.REVIEW:
                issues += self.page_issues(page, mode)
        return issues
