"""`registry-desk dgg ...`: list, check, export and import DGG drafts without the window.

Loading a draft and counting its issues are `desktop.services.dgg`, which the window uses too,
so the command line and the window cannot drift apart (issue 14: they counted differently).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.errors import InputError
from desktop.exchange import draft_json
from desktop.models import dgg
from desktop.models.fields import format_mw
from desktop.models.issues import blocking, summary
from desktop.services.dgg import draft_issues, load_dgg, refresh_issue_summary
from desktop.store import DraftRow, Store, open_store
from desktop.store.records import RECOVER_HINT, RecordDamagedError

KIND = dgg.KIND


# --- Shared with the window (the operations themselves are in desktop.services.dgg) --------


def export_dgg(store: Store, draft_id: int) -> draft_json.DraftDocument:
    row, group, units, docs = load_dgg(store, draft_id)
    return draft_json.DraftDocument(
        kind=KIND,
        name=row.name,
        status=row.status,
        payload=dgg.to_json_doc(group),
        units=[dgg.unit_to_json(u) for u in units],
        documents=[
            draft_json.DocumentFile(
                doc_type=d.doc_type,
                filename=d.filename,
                content=store.documents.content(d.id),
                unit_uid=d.unit_uid,
                original_path=d.original_path,
            )
            for d in docs
        ],
    )


def import_dgg(store: Store, draft: draft_json.DraftDocument) -> DraftRow:
    """Create a new draft from a file, in one transaction; a taken name gets ' (2)' etc."""
    try:
        group = dgg.from_json_doc(draft.payload)
    except ValueError as exc:
        raise InputError(f"The draft cannot be imported: {exc}.") from None
    units = [dgg.unit_from_json(u) for u in draft.units or []]
    known_uids = {u["uid"] for u in units}
    name = store.drafts.unique_name(KIND, draft.name)
    issues = draft_issues(group, units, _doc_refs(draft.documents))
    # Documents are added from files: write each to a private temporary folder first.
    with (
        tempfile.TemporaryDirectory(prefix="registry-desk-import-") as tmp,
        store.transaction() as conn,
    ):
        new = store.drafts.create(KIND, name, dgg.to_json_doc(group), conn=conn)
        store.units.replace_all(new.id, [dgg.unit_to_json(u) for u in units], conn=conn)
        for n, doc in enumerate(draft.documents):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            path = folder / doc.filename
            path.write_bytes(doc.content)
            uid = doc.unit_uid if doc.unit_uid in known_uids else None
            store.documents.add(new.id, path, doc.doc_type, unit_uid=uid, conn=conn)
        refresh_issue_summary(store, new.id, issues, conn=conn)
        return store.drafts.get(new.id, conn)


def _doc_refs(documents: list[draft_json.DocumentFile]) -> list[dict[str, Any]]:
    return [{"unit_uid": d.unit_uid, "doc_type": d.doc_type} for d in documents]


# --- The commands ----------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from desktop.cli import data_dir_option, wait_option  # noqa: PLC0415 - cli imports this

    common = [data_dir_option()]
    parser = sub.add_parser("dgg", help="Distributed Generation Group drafts", parents=common)
    cmds = parser.add_subparsers(dest="dgg_command", metavar="ACTION")

    p = cmds.add_parser("list", help="list the DGG drafts", parents=common)
    p.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    p.set_defaults(handler=cmd_list)

    p = cmds.add_parser("check", help="list what blocks submitting a DGG draft", parents=common)
    p.add_argument("name", help="the draft's name")
    p.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    p.set_defaults(handler=cmd_check)

    p = cmds.add_parser("export", help="write a DGG draft to a JSON file", parents=common)
    p.add_argument("name", help="the draft's name")
    p.add_argument("file", type=Path, help="the JSON file to write")
    p.set_defaults(handler=cmd_export)

    p = cmds.add_parser(
        "import", help="create a DGG draft from a JSON file", parents=[*common, wait_option()]
    )
    p.add_argument("file", type=Path, help="a file written by 'dgg export'")
    p.set_defaults(handler=cmd_import)


def _open(args: argparse.Namespace, *, write: bool) -> Store:
    """Reads take no lock: they work while the window is open (WAL readers never wait)."""
    return open_store(getattr(args, "data_dir", None), lock=write, wait=getattr(args, "wait", 0.0))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def cmd_list(args: argparse.Namespace) -> int:
    """Every draft, also when one cannot be read: that one is marked, and the exit status is 1
    (see docs/cli.md)."""
    from desktop.cli import print_json  # noqa: PLC0415

    with _open(args, write=False) as store:
        rows: list[dict[str, Any]] = []
        for row in store.list_drafts(KIND):
            damage = row.damage
            try:
                units = [dgg.unit_from_json(u) for u in store.units.list(row.id)]
            except RecordDamagedError as exc:
                units, damage = [], damage or exc.record.describe()
            shown: dict[str, Any] = {
                "id": row.id,
                "name": row.name,
                "status": row.status,
                "units": store.units.count(row.id) if damage else len(units),
                "nameplate_mw": None if damage else dgg.derived_nameplate_mw(units),
                "issue_count": row.issue_count,
                "issue_summary": row.issue_summary,
                "page": row.page,
                "updated_at": _iso(row.updated_at),
            }
            if damage:  # only then: a sound store lists exactly the documented fields
                shown["damaged"] = damage
            rows.append(shown)
    damaged = [r for r in rows if "damaged" in r]
    for r in damaged:
        print(f"registry-desk: '{r['name']}' cannot be read: {r['damaged']}.", file=sys.stderr)
    if damaged:
        print(f"registry-desk: {RECOVER_HINT}", file=sys.stderr)
    if args.json:
        print_json(rows)
        return 1 if damaged else 0
    if not rows:
        print("No DGG drafts yet.")
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        mw = "DAMAGED" if "damaged" in r else format_mw(r["nameplate_mw"])
        print(
            f"{r['name']:<{width}}  {r['status']:<15}  {r['units']:>5} units  "
            f"{mw:>12}  {r['issue_summary']}"
        )
    return 1 if damaged else 0


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.cli import print_json  # noqa: PLC0415

    with _open(args, write=False) as store:
        row = store.drafts.by_name(KIND, args.name)
        row, group, units, docs = load_dgg(store, row.id)
    issues = draft_issues(group, units, docs)
    can_submit = not blocking(issues)
    if args.json:
        print_json(
            {
                "name": row.name,
                "can_submit": can_submit,
                "summary": summary(issues),
                "issues": [i.to_json() for i in issues],
            }
        )
        return 0 if can_submit else 1
    for issue in issues:
        page = dgg.PAGE_TITLES.get(issue.page or "", "")
        where = f"[{page}] " if page else ""
        print(f"{issue.severity.value}: {where}{issue.located()}", file=sys.stderr)
    if can_submit:
        print(f"'{row.name}' can be submitted ({summary(issues)}).")
        return 0
    print(f"'{row.name}' cannot be submitted yet: {summary(issues)}.", file=sys.stderr)
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args, write=False) as store:
        row = store.drafts.by_name(KIND, args.name)
        document = export_dgg(store, row.id)
    draft_json.write_draft(args.file, document)
    print(
        f"Exported '{row.name}' ({len(document.units or [])} units, "
        f"{len(document.documents)} documents) to {args.file}."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    document = draft_json.read_draft(args.file, kind=KIND)
    with _open(args, write=True) as store:
        new = import_dgg(store, document)
    units = len(document.units or [])
    if new.name != document.name:
        print(
            f"A DGG draft named '{document.name}' already exists: imported as '{new.name}' "
            f"({units} units, {len(document.documents)} documents)."
        )
    else:
        print(f"Imported '{new.name}' ({units} units, {len(document.documents)} documents).")
    return 0
