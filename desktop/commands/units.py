"""`registry-desk units import|export|template|attach`: DGG units and their documents.

`import` writes nothing when a row holds a wrong value (a bad date, a unit over 1 MW, another
state): every such row is listed with its row and column and the exit status is 1. Values that
are only missing are listed too but do not block; a draft may lack them for now. `--only-valid`
imports the rows without errors and lists the ones left out.

`attach` matches a folder of documents to the units by file name (the same matching as the
Documents page, desktop/services/units.py) and stores them in one transaction; it stores
nothing while any file is unmatched or ambiguous, unless told `--store-matched`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli import data_dir_option, print_json, wait_option
from desktop.errors import InputError, NotFoundError, UsageError
from desktop.exchange import units_rules
from desktop.exchange.document_matching import MatchPlan, MatchStatus, unit_labels
from desktop.exchange.units_file import (
    UnitsImport,
    export_units,
    read_units_file,
    write_template,
)
from desktop.models import dgg
from desktop.models.issues import Severity, summary
from desktop.services.dgg import issues_with_units, refresh_issue_summary
from desktop.services.units import attach_documents, match_documents
from desktop.store import Store, open_store

KIND = "dgg"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    units = sub.add_parser(
        "units",
        help="import, export or start a DGG's units file (CSV or XLSX)",
        description="DGG units files: import into a draft, export from it, or write a template.",
    )
    actions = units.add_subparsers(dest="units_command", metavar="ACTION")
    parent = data_dir_option()

    imp = actions.add_parser(
        "import",
        parents=[parent, wait_option()],
        help="read a units CSV/XLSX into a DGG draft (created when none has that name)",
    )
    imp.add_argument("dgg", metavar="DGG", help="the DGG draft's name")
    imp.add_argument("file", metavar="FILE", type=Path, help="a .csv or .xlsx units file")
    imp.add_argument(
        "--only-valid", action="store_true", help="import the rows without errors, skip the rest"
    )
    imp.add_argument(
        "--append", action="store_true", help="add to the draft's units instead of replacing them"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="read a column whose header is not known as this field (FIELD empty: ignore it)",
    )
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.set_defaults(handler=run_import)

    exp = actions.add_parser("export", parents=[parent], help="write a DGG's units to CSV/XLSX")
    exp.add_argument("dgg", metavar="DGG", help="the DGG draft's name")
    exp.add_argument("file", metavar="FILE", type=Path, help="FILE.csv or FILE.xlsx")
    exp.set_defaults(handler=run_export)

    tpl = actions.add_parser(
        "template", parents=[parent], help="write an empty units workbook with help and dropdowns"
    )
    tpl.add_argument("file", metavar="FILE", type=Path, help="FILE.xlsx")
    tpl.set_defaults(handler=run_template)

    att = actions.add_parser(
        "attach",
        parents=[parent, wait_option()],
        help="attach a folder of documents to a DGG's units, matched by file name",
        description=(
            "Match every file to a unit (its revenue meter ID, name or street address in the "
            "file or folder name) and a document type (words in the name), then store them "
            "in one transaction. Exit 0 when every file matched; 1 when some did not, and "
            "then nothing is stored unless --store-matched."
        ),
    )
    att.add_argument("dgg", metavar="DGG", help="the DGG draft's name")
    att.add_argument(
        "folder", metavar="FOLDER", type=Path, nargs="+", help="a folder (or files) of documents"
    )
    att.add_argument("--dry-run", action="store_true", help="report the matches, store nothing")
    att.add_argument(
        "--store-matched",
        action="store_true",
        help="store the matched files even when others did not match (exit status stays 1)",
    )
    att.add_argument("--json", action="store_true", help="print the result as JSON")
    att.set_defaults(handler=run_attach)


def _overrides(pairs: list[str]) -> dict[str, str]:
    from desktop.models.units import UNIT_KEYS  # noqa: PLC0415 - only needed with --map

    out: dict[str, str] = {}
    for pair in pairs:
        header, sep, key = pair.partition("=")
        if not sep or (key and key not in UNIT_KEYS):
            raise UsageError(
                f"--map {pair!r}: expected HEADER=FIELD with FIELD one of {', '.join(UNIT_KEYS)}"
            )
        out[header] = key
    return out


def _store(args: argparse.Namespace, *, write: bool) -> Store:
    """Reads take no lock: they work while the window is open (WAL readers never wait)."""
    return open_store(getattr(args, "data_dir", None), lock=write, wait=getattr(args, "wait", 0.0))


def run_import(args: argparse.Namespace) -> int:
    overrides = _overrides(args.map)
    with _store(args, write=True) as store:
        try:
            draft = store.drafts.by_name(KIND, args.dgg)
        except NotFoundError:
            draft = None
        existing = units_rules.units_from_json(store.units.list(draft.id)) if draft else []
        group: dict[str, Any] = dict(draft.payload) if draft else {}
        result = read_units_file(args.file, overrides=overrides, existing=existing)
        base = existing if args.append else []
        try:
            units = result.units_to_commit(group, only_valid=args.only_valid, base=base)
        except InputError as exc:
            _report(result, args, imported=0, created=False, failed=str(exc))
            return 1
        created = draft is None
        every = [*base, *units]
        payload = dgg.to_json_doc(new_group_from(units)) if draft is None else draft.payload
        issues = issues_with_units(store, draft.id if draft else None, payload, every)
        with store.transaction() as conn:
            if draft is None:
                draft = store.drafts.create(KIND, args.dgg, payload, conn=conn)
            store.units.replace_all(draft.id, units_rules.units_to_json(every), conn=conn)
            if issues is not None:
                refresh_issue_summary(store, draft.id, issues, conn=conn)
        _report(result, args, imported=len(units), created=created, failed=None)
    return 0


def new_group_from(units: list[dict[str, Any]]) -> dict[str, Any]:
    """A group started from a spreadsheet: state, fuel and group type as its units say."""
    known = units_rules.group_for_new_draft(units)
    fuels = [dgg.new_fuel(**fuel) for fuel in known.pop("fuels", [])]
    return dgg.new_group(**known, fuels=fuels)


def _report(
    result: UnitsImport,
    args: argparse.Namespace,
    *,
    imported: int,
    created: bool,
    failed: str | None,
) -> None:
    skipped = len(result.units) - imported if failed is None else len(result.units)
    if args.json:
        print_json(
            {
                **result.summary(),
                "dgg": args.dgg,
                "created": created,
                "imported": imported,
                "skipped": skipped,
                "error": failed,
            }
        )
    else:
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        for issue in result.issues:
            if issue.severity is Severity.INFO:
                continue
            blocks = result.blocks(issue)
            label = "error" if blocks else ("missing" if issue.blocking else "warning")
            print(f"{label}: {args.file}: {result.located(issue)}", file=sys.stderr)
        if failed:
            print(f"registry-desk: {failed} Nothing was written.", file=sys.stderr)
        else:
            verb = "created DGG draft" if created else "updated DGG draft"
            extra = f"; {skipped} row{'s' if skipped != 1 else ''} with errors left out" * bool(
                skipped
            )
            print(f"{verb} '{args.dgg}': {imported} units imported from {args.file}{extra}")


def run_export(args: argparse.Namespace) -> int:
    with _store(args, write=False) as store:
        draft = store.drafts.by_name(KIND, args.dgg)
        units = units_rules.units_from_json(store.units.list(draft.id))
    export_units(args.file, units)
    print(f"wrote {len(units)} units of '{args.dgg}' to {args.file}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    write_template(args.file)
    print(f"wrote the units template {args.file}")
    return 0


def run_attach(args: argparse.Namespace) -> int:
    for path in args.folder:
        if not path.exists():
            raise InputError("There is no such folder or file.", where=str(path))
    with _store(args, write=True) as store:
        draft = store.drafts.by_name(KIND, args.dgg)
        plan = match_documents(store, draft.id, args.folder)
        if not plan.matches:
            raise InputError(
                "No documents were found there (PDF, image, Word, Excel, CSV or text files).",
                where=", ".join(str(p) for p in args.folder),
            )
        names = unit_labels([dgg.unit_from_json(u) for u in store.units.list(draft.id)])
        store_now = not args.dry_run and (plan.complete or args.store_matched)
        added, issue_summary = 0, None
        if store_now:
            result = attach_documents(store, draft.id, plan.matches)
            added, issue_summary = result.documents, summary(result.issues)
    _attach_report(args, plan, names, stored=store_now, added=added, issues=issue_summary)
    return 0 if plan.complete else 1


def _attach_report(
    args: argparse.Namespace,
    plan: MatchPlan,
    names: dict[str, str],
    *,
    stored: bool,
    added: int,
    issues: str | None,
) -> None:
    counts = plan.counts()
    if args.json:
        print_json(
            {
                "dgg": args.dgg,
                "dry_run": args.dry_run,
                "stored": stored,
                "files": len(plan.matches),
                **counts,
                "documents_added": added,
                "issue_summary": issues,
                "results": [m.to_json(names) for m in plan.matches],
            }
        )
        return
    for m in plan.matches:
        if m.status is MatchStatus.MATCHED:
            continue
        choices = [names.get(u, u) for u in m.unit_candidates] or list(m.type_candidates)
        among = f" (one of: {'; '.join(choices)})" if choices else ""
        print(f"{m.status.value}: {m.file.path}: {m.reason}{among}", file=sys.stderr)
    matched = counts[MatchStatus.MATCHED.value]
    line = (
        f"{len(plan.matches)} files: {matched} matched, {counts['unmatched']} unmatched, "
        f"{counts['ambiguous']} ambiguous"
    )
    if stored:
        print(f"{line}; attached {added} documents to '{args.dgg}' ({issues}).")
    elif args.dry_run:
        print(f"{line}; dry run: nothing was stored.")
    else:
        print(
            f"{line}; nothing was stored (rename or move the files above, or use "
            "--store-matched to store the matched ones).",
            file=sys.stderr,
        )
