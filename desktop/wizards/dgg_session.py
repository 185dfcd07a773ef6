"""The state of one DGG draft while its wizard is open, and every write to the store.

Pages edit `group` in place and call `touch()`; units are replaced through `set_units`. The
session saves once the typing pauses (400 ms) or at once for choices,
in one transaction per save: payload, page, issue count and summary together (units, when they
changed, in the same transaction).

Every count the wizard shows (steps, pages, Review) and the summary it writes for the drafts
list come from `issues()`, which is `desktop.services.dgg.draft_issues` kept live: `changed`
is emitted after every edit, so the counts follow each keystroke and each attached document.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.models import dgg
from desktop.models.issues import Issue, blocking, summary
from desktop.services.dgg import LiveIssues, load_dgg
from desktop.services.units import with_document_names
from desktop.store import Store
from desktop.store.documents import Attachment, DocumentRow

DEBOUNCE_MS = 400


class DggSession(QObject):
    saved = Signal(float)  # time.time() of the save
    units_changed = Signal()
    documents_changed = Signal()
    changed = Signal()  # anything that can change the issues: the counts are to be re-read

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
        self.live = LiveIssues()
        self._issues: list[Issue] | None = None
        self._issues_key: object = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        if not self.group.get("group_name"):
            # The name given to the new draft is the group's name until the user changes it
            # (as the BTMG wizard does with its enrollment name); saved with the first flush.
            self.group["group_name"] = row.name
            self._dirty_group = True

    @property
    def today(self) -> date | None:
        """Tests pin the date; None is today."""
        return self.live.today

    @today.setter
    def today(self, day: date | None) -> None:
        self.live = LiveIssues(day)
        self._issues = None

    # --- edits -----------------------------------------------------------------------------

    def touch(self, *, immediate: bool = False) -> None:
        """The group changed: save after the typing pauses, or now."""
        self._dirty_group = True
        self._edited()
        if immediate:
            self.flush()
        else:
            self._timer.start()

    def _edited(self) -> None:
        self._issues = None
        self.changed.emit()

    def set_units(self, units: Sequence[dict[str, Any]], *, replaced: bool = False) -> None:
        """Replace the units (add, edit, duplicate, remove) and save them now.

        `replaced`: every edited unit is a new dict (none was changed in place), so the
        issues of the others are reused; otherwise every unit is checked again.
        """
        if not replaced:
            self.live.forget()
        self.units = list(units)
        self._dirty_units = True
        self._issues = None
        self.flush()
        self.units_changed.emit()
        self._edited()

    def reload_units(self) -> None:
        """Take the units as another editor (the units grid) saved them; nothing is written."""
        _row, _group, units, documents = load_dgg(self.store, self.draft_id)
        self.units, self.documents = units, documents
        self._dirty_units = False
        self._issues = None
        self.units_changed.emit()
        self.documents_changed.emit()
        self._edited()

    def set_page(self, page: str) -> None:
        if page != self.page:
            self.page = page
            self._dirty_group = True
            self.flush()

    def flush(self) -> bool:
        """Write what changed (one transaction); True when something was written."""
        self._timer.stop()
        self._issues = None  # a page may have written its widgets into the group (save())
        if not (self._dirty_group or self._dirty_units):
            return False
        issues = self.issues()
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
        issues = self.issues()
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

    def add_documents(
        self, paths: Sequence[Path], doc_type: str, unit_uids: Sequence[str | None]
    ) -> int:
        """Each file for each of the units (a group-wide agreement), in one transaction."""
        attachments = [Attachment(p, doc_type, tuple(unit_uids)) for p in paths]
        added = self.store.documents.add_many(self.draft_id, attachments)
        self._after_documents()
        return len(added)

    def remove_document(self, doc_id: int) -> None:
        self.store.documents.remove(doc_id)
        self._after_documents()

    def _after_documents(self) -> None:
        self.documents = self.store.documents.list(self.draft_id)
        # Each unit's "documents" field lists its files (the units CSV carries it).
        self.units, changed = with_document_names(self.units, self.documents)
        self._dirty_units = self._dirty_units or changed
        self._dirty_group = True  # the issue summary changes with the checklist
        self._issues = None
        self.flush()
        self.documents_changed.emit()
        self._edited()

    def documents_attached(self) -> None:
        """Documents were stored by a background job (with the units' file names and the
        summary): take them from the store. The units' file names are set here as the job
        wrote them, so only the units that got documents are new objects to check."""
        self.documents = self.store.documents.list(self.draft_id)
        self.units, _changed = with_document_names(self.units, self.documents)
        self._issues = None
        self.units_changed.emit()
        self.documents_changed.emit()
        self._edited()

    # --- issues ----------------------------------------------------------------------------

    def issues(self) -> list[Issue]:
        """The draft's issues: `desktop.services.dgg.draft_issues`, kept live.

        Cached until the group's values, the unit objects or the documents change: a page
        may write into the group before it calls `touch()`, so the key is read, not trusted.
        """
        key = (
            repr(self.group),
            tuple(map(id, self.units)),
            id(self.documents),
            len(self.documents),
        )
        if self._issues is None or self._issues_key != key:
            self._issues = self.live.issues(self.group, self.units, self.documents)
            self._issues_key = key
        return self._issues

    def page_issues(self, page: str) -> list[Issue]:
        return [i for i in self.issues() if i.page == page]

    def all_issues(self) -> list[Issue]:
        return self.issues()
