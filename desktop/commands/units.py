"""`registry-desk units import|export|template`: DGG units files without the window.

`import` writes nothing when a row holds a wrong value (a bad date, a unit over 1 MW, another
state): every such row is listed with its row and column and the exit status is 1. Values that
are only missing are listed too but do not block; a draft may lack them for now. `--only-valid`
imports the rows without errors and lists the ones left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli import data_dir_option, print_json
from desktop.commands.dgg import refresh_issue_summary
from desktop.errors import InputError, NotFoundError, UsageError
from desktop.exchange import units_rules
from desktop.exchange.units_file import (
    UnitsImport,
    export_units,
    read_units_file,
    write_template,
)
from desktop.models import dgg
from desktop.models.issues import Issue, Severity
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
        parents=[parent],
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


def _store(args: argparse.Namespace) -> Store:
    return open_store(getattr(args, "data_dir", None))


def run_import(args: argparse.Namespace) -> int:
    overrides = _overrides(args.map)
    with _store(args) as store:
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
        issues = draft_issues(store, draft.id if draft else None, payload, every)
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


def draft_issues(
    store: Store, draft_id: int | None, payload: dict[str, Any], units: list[dict[str, Any]]
) -> list[Issue] | None:
    """The whole draft's issues for the drafts list, or None for a payload we cannot read.

    Call it before opening a write transaction: it reads through other connections.
    """
    try:
        group = dgg.from_json_doc(payload)
    except ValueError:
        return None  # a payload from a newer release: its summary stays as the wizard left it
    documents = store.documents.list(draft_id) if draft_id is not None else []
    return dgg.check_draft(group, units, documents, mode="edit")


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
    with _store(args) as store:
        draft = store.drafts.by_name(KIND, args.dgg)
        units = units_rules.units_from_json(store.units.list(draft.id))
    export_units(args.file, units)
    print(f"wrote {len(units)} units of '{args.dgg}' to {args.file}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    write_template(args.file)
    print(f"wrote the units template {args.file}")
    return 0
