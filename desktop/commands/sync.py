"""`registry-desk sync`: send the outbox, pull statuses, show the queue.

    registry-desk sync push [--target NAME] [--retry-failed] [--json]
    registry-desk sync pull [--target NAME] [--json]
    registry-desk sync status [--json]
    registry-desk sync queue DGG_NAME
    registry-desk sync pause|resume|cancel (ITEM... | --all)

The API key comes from the OS keyring (saved in Settings → Registry connection) or from
REGISTRY_DESK_API_KEY. Exit status: 0 everything sent (or nothing to send), 1 an item is
refused, failed or cancelled (push and status), or the registry cannot be reached (the work
stays queued).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli import data_dir_option, print_json, wait_option
from desktop.config import Paths, Settings, default_data_dir
from desktop.errors import UsageError
from desktop.store import Store, open_store
from desktop.store.outbox import ACCEPTED, ATTENTION_STATUSES, PAUSED, ItemRow
from desktop.sync import outbox, pull
from desktop.sync.connection import RATE_LIMIT, TARGETS, client_for, parse_limit
from desktop.sync.item_state import format_duration, item_state, steps_left, time_left


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
        "state": item_state(item).label,
        "done": item.done,
        "total": item.total,
        "registry_id": item.registry_id,
        "message": item.message,
        "errors": item.errors,
    }


def _print_item(item: ItemRow) -> None:
    print(f"{item.status:<12} {item.title}  ({item.done}/{item.total})  {item.message}")
    for e in item.errors:
        print(f"    {e.get('label') or ''}: {e.get('field')}: {e.get('message')}")


def _hint(items: list[ItemRow]) -> str:
    statuses = {i.status for i in items}
    hints = []
    if "failed" in statuses:
        hints.append("`sync push --retry-failed` sends failed items again")
    if PAUSED in statuses:
        hints.append("`sync resume ITEM` lets a paused item go on")
    if statuses & {"interrupted", "rejected"}:
        hints.append("Retry in the Outbox (or `sync queue NAME` for a DGG) sends the rest")
    return "; ".join(hints)


def push(args: argparse.Namespace) -> int:
    store, settings = _open(args)
    try:
        outbox.recover(store)
        client = client_for(settings, target=args.target)
        try:
            if args.retry_failed:
                outbox.retry_failed(store)
            results = outbox.Sender(store, client).flush()
        finally:
            client.close()
        repo = outbox.repository(store)
        items = [repo.get(r.item_id) for r in results]
        sent_now = {i.id for i in items}
        # every item not done, whether or not this run touched it: a failed or cancelled
        # item never hides behind "Nothing to send"
        remaining = [i for i in repo.list() if i.status != ACCEPTED and i.id not in sent_now]
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "items": [_item_json(i) for i in items],
                "remaining": [_item_json(i) for i in remaining],
            }
        )
    else:
        for item in items:
            _print_item(item)
        if remaining:
            print(f"Not sent ({len(remaining)}):")
            for item in remaining:
                _print_item(item)
            hint = _hint(remaining)
            if hint:
                print(hint[0].upper() + hint[1:] + ".")
        elif not items:
            print("Nothing to send.")
    stuck = [i for i in items + remaining if i.status in ATTENTION_STATUSES]
    return 1 if stuck or any(i.status != ACCEPTED for i in items) else 0


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
    limit = parse_limit(Settings.load(Paths(root).settings).get(RATE_LIMIT))
    attention = 1 if any(i.status in ATTENTION_STATUSES for i in items) else 0
    if args.json:
        print_json(
            {
                "counts": counts,
                "items": [_item_json(i) for i in items],
                "differences": [
                    {"record": r.registry_id, "resource": r.resource, "fields": r.difference}
                    for r in diffs
                ],
                "seconds_left": time_left(steps_left(items), limit),
            }
        )
        return attention
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "The outbox is empty.")
    for item in items:
        state = item_state(item).label
        print(f"  #{item.id:<4} {state:<14} {item.done}/{item.total}  {item.title}")
        if item.message:
            print(f"        {item.message}")
    if steps_left(items):
        seconds = time_left(steps_left(items), limit)
        print(f"{steps_left(items)} records to send: {format_duration(seconds)} at {limit}.")
    if diffs:
        print(f"{len(diffs)} records were changed in the registry; see `sync pull`.")
    hint = _hint([i for i in items if i.status != ACCEPTED])
    if hint:
        print(hint[0].upper() + hint[1:] + ".")
    return attention


ACTIONS = {"pause": outbox.pause, "resume": outbox.resume, "cancel": outbox.cancel}


def control(args: argparse.Namespace) -> int:
    """pause / resume / cancel: works while the window or a push is sending (the sender
    reads the item's status before each record)."""
    if args.all == bool(args.items):
        raise UsageError(f"Give the outbox item numbers to {args.sync_command}, or --all.")
    root = Path(getattr(args, "data_dir", None) or default_data_dir())
    store = open_store(root, lock=False)  # a push or the window may be sending right now
    try:
        repo = outbox.repository(store)
        wanted = [i.id for i in repo.list()] if args.all else args.items
        for item_id in wanted:
            repo.get(item_id)  # NotFoundError before anything changes
        act = ACTIONS[args.sync_command]
        changed = [act(store, i) for i in wanted]
    finally:
        store.close()
    for item in changed:
        print(f"  #{item.id:<4} {item_state(item).label:<14} {item.title}")
        if item.message:
            print(f"        {item.message}")
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
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="queue failed items again first (a record that may have landed is looked up)",
    )
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

    for name, text in (
        ("pause", "hold items (one being sent stops after the record in flight)"),
        ("resume", "let paused items go on"),
        ("cancel", "stop items; the registry's state is explained, Retry sends the rest"),
    ):
        p = commands.add_parser(name, help=text, parents=[parent])
        p.add_argument("items", nargs="*", type=int, metavar="ITEM", help="outbox item number")
        p.add_argument("--all", action="store_true", help="every item in the outbox")
        p.set_defaults(handler=control)
    group.set_defaults(handler=lambda a: _usage(group))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
