"""A DGG's units and their documents: saving units, and attaching a folder of documents.

`match_documents` and `attach_documents` are what the Documents page and
`registry-desk units attach` both run (docs/units.md, "Documents in bulk"): the same matching,
then one transaction that stores every file with its SHA-256, writes each unit's document file
names and the draft's issue summary together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.exchange import units_rules
from desktop.exchange.document_matching import FileMatch, MatchPlan, MatchStatus, match_paths
from desktop.models import dgg
from desktop.models.issues import Issue
from desktop.services.dgg import draft_issues, issues_with_units, load_dgg, refresh_issue_summary
from desktop.store import Store
from desktop.store.documents import Attachment


def save_units(store: Store, draft_id: int, units: Sequence[dict[str, Any]]) -> int:
    """One transaction: the units and the draft's issue summary move together."""
    rows = units_rules.units_to_json(units)
    payload = store.drafts.get(draft_id).payload
    issues = issues_with_units(store, draft_id, payload, list(units))
    with store.transaction() as conn:
        store.units.replace_all(draft_id, rows, conn=conn)
        if issues is not None:
            refresh_issue_summary(store, draft_id, issues, conn=conn)
    return len(units)


def document_names(
    units: Sequence[Mapping[str, Any]], documents: Iterable[Any]
) -> dict[str, str | None]:
    """uid -> the unit's "Document file names" value ("a.pdf; b.pdf"), as the units file
    carries it."""
    names: dict[str | None, list[str]] = {}
    for doc in documents:
        names.setdefault(doc.unit_uid, []).append(doc.filename)
    return {str(u.get("uid")): "; ".join(names.get(str(u.get("uid")), [])) or None for u in units}


def with_document_names(
    units: Sequence[dict[str, Any]], documents: Iterable[Any]
) -> tuple[list[dict[str, Any]], bool]:
    """The units with their document file names current (changed ones are new dicts, so
    `LiveIssues` sees them as edited), and whether any changed."""
    names = document_names(units, documents)
    out: list[dict[str, Any]] = []
    changed = False
    for unit in units:
        listed = names.get(str(unit.get("uid")))
        if unit.get("documents") != listed:
            out.append({**unit, "documents": listed})
            changed = True
        else:
            out.append(unit)
    return out, changed


def match_documents(
    store: Store, draft_id: int, paths: Sequence[Path], *, progress: Any = None
) -> MatchPlan:
    """Match dropped files and folders to the draft's units (reads directory listings only)."""
    units = [dgg.unit_from_json(u) for u in store.units.list(draft_id)]
    return match_paths(paths, units, progress=progress)


@dataclass(frozen=True, slots=True)
class AttachResult:
    files: int  # files stored
    documents: int  # rows added (a file attached to three units is three)
    issues: list[Issue]  # the draft's issues afterwards


def attach_documents(
    store: Store,
    draft_id: int,
    matches: Sequence[FileMatch],
    *,
    progress: Any = None,
) -> AttachResult:
    """Store the matched files in one transaction: documents, units' file names, summary.

    Only matched rows are stored (the preview settles the others, or leaves them out). A file
    that cannot be read stores nothing at all and raises an InputError naming it.
    """
    chosen = [m for m in matches if m.status is MatchStatus.MATCHED]
    attachments = [Attachment(m.file.path, m.doc_type or "", tuple(m.unit_uids)) for m in chosen]
    _row, group, units, before = load_dgg(store, draft_id)
    on_progress = None
    if progress is not None:
        total = len(attachments)

        def on_progress(done: int) -> None:
            progress.check()
            progress.update(done, total, f"Storing {done:,} of {total:,} files")

    with store.transaction() as conn:
        added = store.documents.add_many(draft_id, attachments, conn=conn, on_progress=on_progress)
        documents = [*before, *added]
        units, changed = with_document_names(units, documents)
        if changed:
            store.units.replace_all(draft_id, [dgg.unit_to_json(u) for u in units], conn=conn)
        issues = draft_issues(group, units, documents)
        refresh_issue_summary(store, draft_id, issues, conn=conn)
    return AttachResult(files=len(attachments), documents=len(added), issues=issues)
