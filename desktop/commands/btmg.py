"""BTMG drafts: the operations shared by the wizard and the command line, then the commands.

`registry-desk btmg list|check|sheet|export|import|mark-entered` and the
`registry-desk calendar btmg-deadlines YEAR` handler (registered by the calendar group).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop.cli import data_dir_option, print_json, wait_option
from desktop.errors import InputError, UsageError
from desktop.exchange import btmg_json
from desktop.exchange.mect_sheet import SheetHeader, write_sheet
from desktop.models import btmg_deadlines as deadlines
from desktop.models.btmg import (
    KIND,
    Enrollment,
    GeneratorOption,
    LocalGenerator,
    enrollment_of,
    generator_options,
    new_enrollment,
)
from desktop.models.btmg_deadlines import DONE_STATUSES, DraftDeadline
from desktop.models.btmg_rules import check
from desktop.models.btmg_sheet import entry_sheet
from desktop.models.issues import Issue, blocking, error, summary
from desktop.models.planning import PlanningYear
from desktop.store import DraftRow, Store, open_store

# --- Draft operations (wizard and command line) ------------------------------------------------


def today() -> date:
    return date.today()


def load(store: Store, draft_id: int, on: date | None = None) -> tuple[DraftRow, Enrollment]:
    row = store.drafts.get(draft_id)
    return row, enrollment_of(row.payload, on or today(), name=row.name)


def options_for(store: Store, enrollment: Enrollment) -> dict[str, GeneratorOption]:
    """The generators and units already in the store, plus those added in this enrollment."""
    dggs = [(d.id, d.name, store.units.list(d.id)) for d in store.list_drafts("dgg")]
    gens = [(d.id, d.name, d.payload) for d in store.list_drafts("generator")]
    return generator_options(dggs, gens, enrollment.local_generators)


def document_names(store: Store, draft_id: int) -> list[str]:
    return [d.filename for d in store.documents.list(draft_id)]


def evaluate(
    store: Store, row: DraftRow, enrollment: Enrollment, on: date | None = None
) -> list[Issue]:
    issues = check(
        enrollment,
        options_for(store, enrollment),
        document_count=len(store.documents.list(row.id)),
        today=on or today(),
        submitted=row.status in DONE_STATUSES,
    )
    wanted = (enrollment.values.get("name") or "").strip()
    if wanted and wanted.casefold() != row.name.casefold():
        other = next(
            (d for d in store.list_drafts(KIND) if d.name.casefold() == wanted.casefold()), None
        )
        if other is not None and other.id != row.id:
            issues.append(error("name", f"Another BTMG draft is already named '{wanted}'"))
    return issues


def save(
    store: Store,
    draft_id: int,
    enrollment: Enrollment,
    *,
    page: str | None = None,
    status: str | None = None,
    on: date | None = None,
) -> list[Issue]:
    """Autosave one edit: payload, name, issues and status in one transaction."""
    row = store.drafts.get(draft_id)
    enrollment.remember(options_for(store, enrollment))
    issues = evaluate(store, row, enrollment, on)
    name_taken = any(i.field == "name" and i.blocking for i in issues)
    wanted = (enrollment.values.get("name") or "").strip()
    new_status = status or row.status
    if new_status not in DONE_STATUSES:
        new_status = "Draft" if blocking(issues) else "Ready to submit"
    errors = blocking(issues)
    with store.transaction() as conn:
        store.drafts.save(
            draft_id,
            payload=enrollment.to_json(),
            name=wanted if wanted and not name_taken and wanted != row.name else None,
            status=new_status,
            page=page,
            issue_count=len(errors),
            issue_summary=summary(issues),
            conn=conn,
        )
    return issues


def create(store: Store, name: str, on: date | None = None) -> DraftRow:
    name = store.drafts.unique_name(KIND, name.strip() or "New BTMG")
    enrollment = new_enrollment(on or today(), name)
    row = store.drafts.create(KIND, name, enrollment.to_json())
    save(store, row.id, enrollment, page="registration", on=on)
    return store.drafts.get(row.id)


def move_to_next_year(store: Store, draft_id: int, on: date | None = None) -> PlanningYear:
    _, enrollment = load(store, draft_id, on)
    year = enrollment.move_to_next_year()
    save(store, draft_id, enrollment, on=on)
    return year


def sheet_header(row: DraftRow, enrollment: Enrollment, on: date) -> SheetHeader:
    py = enrollment.year
    return SheetHeader(
        draft_name=row.name,
        planning_year=f"{py.name} (June 1, {py.start_year} – May 31, {py.start_year + 1})",
        deadlines=(
            f"Submit by Feb 15, {py.start_year} to be sure of use in an LSE's FRAP; "
            f"required by Mar 1, {py.start_year}"
        ),
        made_on=on,
        status=row.status,
    )


def write_entry_sheet(
    store: Store, draft_id: int, targets: Sequence[Path], on: date | None = None
) -> list[Path]:
    on = on or today()
    row, enrollment = load(store, draft_id, on)
    sections = entry_sheet(
        enrollment, options_for(store, enrollment), document_names(store, row.id)
    )
    header = sheet_header(row, enrollment, on)
    return [write_sheet(Path(t), header, sections) for t in targets]


def submit(
    store: Store, draft_id: int, targets: Sequence[Path], on: date | None = None
) -> list[Path]:
    """Produce the entry sheet for a complete enrollment and note the day it was made."""
    on = on or today()
    row, enrollment = load(store, draft_id, on)
    problems = blocking(evaluate(store, row, enrollment, on))
    if problems:
        raise InputError(
            f"The enrollment is not complete ({len(problems)} issues); first: "
            f"{problems[0].located()}.",
            where=row.name,
        )
    written = write_entry_sheet(store, draft_id, targets, on)
    enrollment.sheet_made_on = on
    save(store, draft_id, enrollment, on=on)
    return written


def mark_entered(
    store: Store, draft_id: int, registration_id: str, entered_on: date, on: date | None = None
) -> None:
    """The user keyed the sheet into MECT: keep MECT's registration ID and mark Submitted."""
    registration_id = registration_id.strip()
    if not registration_id:
        raise InputError("Enter the registration ID that MECT showed after you submitted.")
    if entered_on > (on or today()):
        raise InputError("The date entered in MECT cannot be in the future.")
    _, enrollment = load(store, draft_id, on)
    if enrollment.sheet_made_on is None:
        raise InputError("Submit the enrollment first: it writes the MECT entry sheet to key in.")
    enrollment.mect_registration_id = registration_id
    enrollment.mect_entered_on = entered_on
    with store.transaction() as conn:
        store.drafts.save(
            draft_id,
            payload=enrollment.to_json(),
            status="Submitted",
            registry_id=registration_id,
            registry_status="Entered in MECT",
            conn=conn,
        )


def export_draft(store: Store, draft_id: int, path: Path) -> Path:
    row, enrollment = load(store, draft_id)
    blobs = tuple(
        btmg_json.DocumentBlob(d.filename, d.doc_type, store.documents.content(d.id))
        for d in store.documents.list(draft_id)
    )
    return btmg_json.write_draft(path, btmg_json.DraftFile(row.name, row.status, enrollment, blobs))


def _localise(store: Store, enrollment: Enrollment) -> None:
    """Picked generators that this store does not hold become generators added in the draft."""
    options = options_for(store, enrollment)
    renamed: dict[str, str] = {}
    for values in enrollment.seasons.values():
        for ref in values.get("generators") or ():
            if ref in options or ref in renamed:
                continue
            snap = enrollment.generator_snapshot.get(ref, {})
            cap = snap.get("capacity_mw")
            gen = LocalGenerator(
                ref.replace(":", "-"),
                str(snap.get("name") or ref),
                cap if cap is None else float(cap),
            )
            enrollment.local_generators.append(gen)
            renamed[ref] = gen.ref
    if renamed:
        for values in enrollment.seasons.values():
            values["generators"] = tuple(renamed.get(r, r) for r in values.get("generators") or ())


def import_draft(store: Store, path: Path, name: str | None = None) -> DraftRow:
    draft = btmg_json.read_draft(path)
    enrollment = draft.enrollment
    _localise(store, enrollment)
    wanted = store.drafts.unique_name(KIND, name or draft.name)
    enrollment.values["name"] = wanted
    with tempfile.TemporaryDirectory(prefix="btmg-import-") as tmp, store.transaction() as conn:
        row = store.drafts.create(KIND, wanted, enrollment.to_json(), conn=conn)
        for n, blob in enumerate(draft.documents):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            file = folder / Path(blob.filename).name
            file.write_bytes(blob.content)
            store.documents.add(row.id, file, blob.doc_type, conn=conn)
    save(store, row.id, enrollment, page="review")
    return store.drafts.get(row.id)


def by_urgency(store: Store, on: date | None = None) -> list[DraftDeadline]:
    """Live BTMG drafts, most urgent first: late, then nearest deadline; submitted ones last."""
    return deadlines.by_urgency(store.list_drafts(KIND), on or today())


# --- Command line ------------------------------------------------------------------------------


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (expected YYYY-MM-DD)") from None


def _today_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="count deadlines from this day instead of today",
    )
    return parent


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    common = [data_dir_option()]
    p = sub.add_parser("btmg", help="MISO BTMG enrollments (MECT) drafted offline")
    cmds = p.add_subparsers(dest="btmg_command", metavar="ACTION", parser_class=type(p))

    c = cmds.add_parser(
        "list", parents=[*common, _today_option()], help="BTMG drafts by urgency with deadlines"
    )
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(handler=cmd_list)

    c = cmds.add_parser(
        "check", parents=[*common, _today_option()], help="check a draft; exit 0 when complete"
    )
    c.add_argument("name", help="the draft's name")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(handler=cmd_check)

    c = cmds.add_parser("sheet", parents=common, help="write the MECT entry sheet (.xlsx or .pdf)")
    c.add_argument("name", help="the draft's name")
    c.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.xlsx or FILE.pdf")
    c.add_argument(
        "--incomplete", action="store_true", help="write it even though the draft has issues"
    )
    c.set_defaults(handler=cmd_sheet)

    c = cmds.add_parser("export", parents=common, help="save a draft with its documents as JSON")
    c.add_argument("name", help="the draft's name")
    c.add_argument("file", type=Path, metavar="FILE.json")
    c.set_defaults(handler=cmd_export)

    c = cmds.add_parser(
        "import", parents=[*common, wait_option()], help="add a draft from an exported JSON file"
    )
    c.add_argument("file", type=Path, metavar="FILE.json")
    c.add_argument("--name", help="name for the new draft (default: the name in the file)")
    c.set_defaults(handler=cmd_import)

    c = cmds.add_parser(
        "mark-entered",
        parents=[*common, wait_option()],
        help="record the MECT registration ID; status Submitted",
    )
    c.add_argument("name", help="the draft's name")
    c.add_argument("--mect-id", required=True, help="the registration ID MECT showed")
    c.add_argument("--date", type=_date, default=None, help="day keyed in (default: today)")
    c.set_defaults(handler=cmd_mark_entered)


def _store(args: argparse.Namespace, *, write: bool = False) -> Store:
    return open_store(getattr(args, "data_dir", None), lock=write, wait=getattr(args, "wait", 0.0))


def _deadline_json(d: DraftDeadline) -> dict[str, object]:
    s = d.deadlines
    return {
        "name": d.row.name,
        "status": d.row.status,
        "planning_year": s.year.name,
        "issues": d.row.issue_count,
        "issue_summary": d.row.issue_summary,
        "late": s.late,
        "frap_deadline": s.frap.deadline.day.isoformat(),
        "frap_days_left": s.frap.days_left,
        "required_deadline": s.required.deadline.day.isoformat(),
        "required_days_left": s.required.days_left,
        "countdown": s.text,
        "mect_registration_id": d.enrollment.mect_registration_id,
    }


def cmd_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        drafts = by_urgency(store, args.today)
    if args.json:
        print_json([_deadline_json(d) for d in drafts])
        return 0
    if not drafts:
        print("No BTMG drafts.")
        return 0
    width = max(len(d.row.name) for d in drafts)
    for d in drafts:
        when = "submitted" if d.done else d.deadlines.text
        print(f"{d.row.name:<{width}}  {d.row.status:<15}  {d.row.issue_summary:<22}  {when}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _store(args) as store:
        row = store.drafts.by_name(KIND, args.name)
        _, enrollment = load(store, row.id, args.today)
        issues = evaluate(store, row, enrollment, args.today)
    errors = blocking(issues)
    if args.json:
        print_json(
            {
                "name": row.name,
                "planning_year": enrollment.year.name,
                "complete": not errors,
                "summary": summary(issues),
                "issues": [i.to_json() for i in issues],
            }
        )
    else:
        for issue in issues:
            print(f"{issue.severity.value}: {issue.located()}", file=sys.stderr)
        print(f"{row.name}: {summary(issues)}")
    return 1 if errors else 0


def cmd_sheet(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() not in (".xlsx", ".pdf"):
        raise UsageError("--out must end in .xlsx or .pdf")
    with _store(args) as store:
        row = store.drafts.by_name(KIND, args.name)
        _, enrollment = load(store, row.id)
        errors = blocking(evaluate(store, row, enrollment))
        if errors and not args.incomplete:
            for issue in errors:
                print(f"error: {issue.located()}", file=sys.stderr)
            print(
                f"{row.name} is not complete; fix the issues or add --incomplete.", file=sys.stderr
            )
            return 1
        (path,) = write_entry_sheet(store, row.id, [args.out])
    print(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        row = store.drafts.by_name(KIND, args.name)
        path = export_draft(store, row.id, args.file)
    print(path)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with _store(args, write=True) as store:
        row = store.drafts.get(import_draft(store, args.file, args.name).id)
    print(f"Imported '{row.name}' ({row.issue_summary}).")
    return 0


def cmd_mark_entered(args: argparse.Namespace) -> int:
    with _store(args, write=True) as store:
        row = store.drafts.by_name(KIND, args.name)
        mark_entered(store, row.id, args.mect_id, args.date or today())
    print(f"{row.name}: Submitted (MECT registration {args.mect_id.strip()}).")
    return 0


# --- calendar btmg-deadlines -------------------------------------------------------------------


def register_btmg_deadlines(calendar_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = calendar_sub.add_parser(
        "btmg-deadlines",
        parents=[data_dir_option()],
        help="a Planning Year's seasons, MECT opening and BTMG enrollment deadlines",
    )
    c.add_argument("year", type=int, help="the Planning Year starting June 1 of YEAR")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(handler=cmd_btmg_deadlines)


def cmd_btmg_deadlines(args: argparse.Namespace) -> int:
    if not 1900 < args.year < 3000:
        raise UsageError(f"{args.year} is not a year to plan for")
    py = PlanningYear(args.year)
    if args.json:
        print_json(py.to_json())
        return 0
    print(f"{py.name}: {py.first_day:%a %b %d, %Y} – {py.last_day:%a %b %d, %Y}")
    for s in py.seasons():
        print(f"  {s.season.label:<7} {s.first_day:%a %b %d, %Y} – {s.last_day:%a %b %d, %Y}")
    print(f"MECT opens:        {py.mect_opening:%a %b %d, %Y} (first business day of October)")
    for d in py.deadlines:
        print(f"{d.label + ':':<44}{d.day:%a %b %d, %Y}")
    return 0
