"""`registry-desk store recover`: the window's "Recover what can be read", headless."""

from __future__ import annotations

import argparse
import sys

from desktop.cli import data_dir_option, print_json, wait_option
from desktop.config import Paths, default_data_dir
from desktop.store import recover_store, store_damage


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "store",
        help="the draft store: recover a damaged one",
        description="The draft store itself.",
        parents=[data_dir_option()],
    )
    group = parser.add_subparsers(dest="store_command", metavar="SUBCOMMAND")
    p = group.add_parser(
        "recover",
        help="copy what can still be read from a damaged store into a new one",
        description=(
            "Copy every draft, unit and document that can still be read from a damaged draft "
            "store into a new store, which takes its place. The damaged file is kept beside it "
            "as drafts.sqlite3.damaged-<date>-<time>; records whose content cannot be read are "
            "left out and kept in <that name>.set-aside.json. A store that is not damaged "
            "(its pages and every record read) is left alone."
        ),
        parents=[data_dir_option(), wait_option()],
    )
    p.add_argument("--json", action="store_true", help="print JSON (shape in docs/cli.md)")
    p.set_defaults(handler=recover_command)


def recover_command(args: argparse.Namespace) -> int:
    root = getattr(args, "data_dir", None) or default_data_dir()
    path = Paths(root).store
    # Pages (quick_check), an empty file, and every stored record's content.
    reason, _records = store_damage(path, records=True)
    if not reason:
        if args.json:
            print_json({"damaged": False, "store": str(path)})
        else:
            print(f"The draft store is not damaged; nothing to recover ({path}).")
        return 0
    print(f"The draft store is damaged: {reason}.", file=sys.stderr)
    report = recover_store(root, wait=args.wait)
    if args.json:
        print_json({"damaged": True, "reason": reason, **report.to_json()})
        return 0
    print(report.summary())
    if report.lost_anything:
        print(report.losses(), file=sys.stderr)
    print(f"The damaged file is kept as {report.kept}.")
    return 0
