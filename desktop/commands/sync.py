"""`registry-desk sync`: send the outbox, pull statuses, show the queue.

    registry-desk sync push [--target NAME] [--json]
    registry-desk sync pull [--target NAME] [--json]
    registry-desk sync status [--json]
    registry-desk sync queue DGG_NAME

The API key comes from the OS keyring (saved in Settings → Registry connection) or from
REGISTRY_DESK_API_KEY. Exit status: 0 everything sent (or nothing to send), 1 an item was
refused or failed, or the registry cannot be reached (the work stays queued).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli import data_dir_option, print_json, wait_option
from desktop.config import Paths, Settings, default_data_dir
from desktop.store import Store, open_store
from desktop.store.outbox import ACCEPTED, ItemRow
from desktop.sync import outbox, pull
from desktop.sync.connection import TARGETS, client_for


def _open(args: argparse.Namespace, *, lock: bool = True) -> tuple[Store, Settings]:
    """`lock`: the one-editor lock, waited for up to --wait seconds. Without it (`sync pull`)
    the store is written through short transactions that wait for the window's (docs/cli.md)."""
    root = Path(getattr(args, "data_dir", None) or default_data_dir())
    store = open_store(root, lock=lock, wait=getattr(args, "wait", 0.0))
    return store, Settings.load(Paths(root).settings)


def _item_json(item: ItemRow) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "done": item.done,
        "total": item.total,
        "registry_id": item.registry_id,
        "message": item.message,
        "errors": item.errors,
    }


def push(args: argparse.Namespace) -> int:
    store, settings = _open(args)
    try:
        outbox.recover(store)
        client = client_for(settings, target=args.target)
        try:
            results = outbox.Sender(store, client).flush()
        finally:
            client.close()
        items = [outbox.repository(store).get(r.item_id) for r in results]
    finally:
        store.close()
    if args.json:
        print_json({"items": [_item_json(i) for i in items]})
    else:
        for item in items:
            print(f"{item.status:<12} {item.title}  ({item.done}/{item.total})  {item.message}")
            for e in item.errors:
                print(f"    {e.get('label') or ''}: {e.get('field')}: {e.get('message')}")
        if not items:
            print("Nothing to send.")
    return 0 if all(i.status == ACCEPTED for i in items) else 1


def pull_command(args: argparse.Namespace) -> int:
    # No editor lock: pulling only records statuses the registry reports, each in a short
    # transaction (BEGIN IMMEDIATE waits up to 5 s for the window's), so it works beside the
    # window; pushing takes the lock, so nothing is ever sent twice.
    store, settings = _open(args, lock=False)
    try:
        client = client_for(settings, target=args.target)
        try:
            result = pull.pull(store, client, everything=args.all)
        finally:
            client.close()
    finally:
        store.close()
    if args.json:
        print_json(result.to_json())
        return 0
    print(f"Checked {result.checked} records.")
    for c in result.changes:
        reason = f" ({c.reason})" if c.reason else ""
        print(f"  {c.label}: {c.before} → {c.after}{reason}")
    for d in result.differences:
        print(f"  {d.label} was changed in the registry:")
        for f in d.fields:
            print(f"      {f['field']}: {f['before']!r} → {f['after']!r}")
    return 0


def status(args: argparse.Namespace) -> int:
    root = Path(getattr(args, "data_dir", None) or default_data_dir())
    store = open_store(root, lock=False)  # read-only look: works while the window is open
    try:
        repo = outbox.repository(store)
        items = repo.list()
        counts = repo.counts()
        diffs = pull.differences(store)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "counts": counts,
                "items": [_item_json(i) for i in items],
                "differences": [
                    {"record": r.registry_id, "resource": r.resource, "fields": r.difference}
                    for r in diffs
                ],
            }
        )
        return 0
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "The outbox is empty.")
    for item in items:
        print(f"  #{item.id:<4} {item.status:<12} {item.done}/{item.total}  {item.title}")
        if item.message:
            print(f"        {item.message}")
    if diffs:
        print(f"{len(diffs)} records were changed in the registry; see `sync pull`.")
    return 0


def queue(args: argparse.Namespace) -> int:
    store, _ = _open(args)
    try:
        draft = store.drafts.by_name("dgg", args.name)
        item = outbox.queue_dgg(store, draft.id, target=args.target)
    finally:
        store.close()
    print(f"Queued #{item.id}: {item.title} ({item.total} records). Send with `sync push`.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parent = data_dir_option()
    group = sub.add_parser(
        "sync",
        help="send queued submissions to the registry and pull their statuses",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[parent],
    )
    commands = group.add_subparsers(dest="sync_command", metavar="ACTION")

    def target(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--target",
            metavar="NAME",
            help=f"registry to use: {', '.join(repr(t) for t in TARGETS)} (default: the setting)",
        )

    p = commands.add_parser("push", help="send every queued item", parents=[parent, wait_option()])
    target(p)
    p.add_argument("--json", action="store_true", help="print the items as JSON")
    p.set_defaults(handler=push)

    p = commands.add_parser("pull", help="refresh registry statuses", parents=[parent])
    target(p)
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument("--all", action="store_true", help="also records already final")
    p.set_defaults(handler=pull_command)

    p = commands.add_parser("status", help="show the outbox (no network)", parents=[parent])
    p.add_argument("--json", action="store_true", help="print the outbox as JSON")
    p.set_defaults(handler=status)

    p = commands.add_parser(
        "queue", help="queue a DGG draft's registration", parents=[parent, wait_option()]
    )
    p.add_argument("name", help="the DGG draft's name")
    target(p)
    p.set_defaults(handler=queue)
    group.set_defaults(handler=lambda a: _usage(group))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
