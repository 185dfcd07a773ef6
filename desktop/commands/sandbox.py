"""`registry-desk sandbox`: run the local practice registry and act as its administrator.

    registry-desk sandbox [--port 8765] [--rate-limit 10/5] [--today YYYY-MM-DD]
    registry-desk sandbox create-key [--label TEXT]
    registry-desk sandbox approve KIND ID
    registry-desk sandbox reject KIND ID [--reason TEXT]
    registry-desk sandbox status [--kind KIND] [--json]

The sandbox keeps its own database in `<data folder>/sandbox/`, apart from the draft store.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli import data_dir_option, print_json
from desktop.config import default_data_dir
from desktop.errors import KnownError, UsageError
from desktop.sandbox import admin
from desktop.sandbox.deps import SandboxConfig
from desktop.sandbox.launcher import create_key
from desktop.sandbox.ratelimit import DEFAULT_RATE_LIMIT, parse_rate_limit
from desktop.sandbox.server import DEFAULT_PORT, SandboxError, serve
from desktop.sync.local_sandbox import SANDBOX_FOLDER


def sandbox_dir(args: argparse.Namespace) -> Path:
    root = getattr(args, "data_dir", None) or default_data_dir()
    return Path(root) / SANDBOX_FOLDER


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def run(args: argparse.Namespace) -> int:
    try:
        limit = parse_rate_limit(args.rate_limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    config = SandboxConfig(data_dir=sandbox_dir(args), rate_limit=limit, today=args.today)
    try:
        serve(config, port=args.port)
    except SandboxError as exc:
        raise KnownError(str(exc)) from exc
    return 0


def make_key(args: argparse.Namespace) -> int:
    folder = sandbox_dir(args)
    key = create_key(folder, label=args.label or "")
    print(key)
    print(
        f"This key is shown once; the sandbox in {folder} keeps only its hash. "
        "Give it to Registry Desk as the API key of the local sandbox.",
        flush=True,
    )
    return 0


def approve(args: argparse.Namespace) -> int:
    try:
        outcome = admin.approve(sandbox_dir(args), args.kind, args.id, today=args.today)
    except admin.AdminError as exc:
        raise KnownError(str(exc)) from exc
    print(f"{outcome.kind} {outcome.id}: {outcome.status}. {outcome.detail}".rstrip())
    return 0


def reject(args: argparse.Namespace) -> int:
    try:
        outcome = admin.reject(sandbox_dir(args), args.kind, args.id, args.reason or "")
    except admin.AdminError as exc:
        raise KnownError(str(exc)) from exc
    print(f"{outcome.kind} {outcome.id}: rejected ({outcome.detail})")
    return 0


def status(args: argparse.Namespace) -> int:
    rows = admin.records_overview(sandbox_dir(args), args.kind)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"The sandbox in {sandbox_dir(args)} holds no records yet.")
        return 0
    for row in rows:
        note = f"  ({row['note']})" if row["note"] else ""
        print(f"{row['kind']:<17} {row['id']}  {row['status']:<16} {row['name']}{note}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    common = data_dir_option()
    parser = sub.add_parser(
        "sandbox",
        parents=[common],
        help="run the local practice registry, or approve/reject what was sent to it",
        description="Run the local sandbox registry on 127.0.0.1 in the foreground "
        "(Ctrl+C stops it), or act as its administrator.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 = any free)")
    parser.add_argument(
        "--rate-limit",
        default=str(DEFAULT_RATE_LIMIT),
        metavar="N/SECONDS",
        help="requests allowed per key (default 10/5, as M-RETS), or off",
    )
    parser.add_argument("--today", type=_date, help="pretend today is YYYY-MM-DD")
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="sandbox_command", metavar="ACTION")

    key = actions.add_parser("create-key", parents=[common], help="make and print an API key")
    key.add_argument("--label", help="a note stored with the key's hash")
    key.set_defaults(handler=make_key)

    ok = actions.add_parser("approve", parents=[common], help="approve a pending record")
    ok.add_argument("kind", choices=admin.KINDS, metavar="KIND", help=" | ".join(admin.KINDS))
    ok.add_argument("id", metavar="ID", help="the record id (for a generator also its M-RETS ID)")
    ok.add_argument("--today", type=_date, help="issue as of YYYY-MM-DD (entries)")
    ok.set_defaults(handler=approve)

    no = actions.add_parser("reject", parents=[common], help="reject a pending record")
    no.add_argument("kind", choices=admin.KINDS, metavar="KIND", help=" | ".join(admin.KINDS))
    no.add_argument("id", metavar="ID")
    no.add_argument("--reason", help="why; the client sees it as status_reason")
    no.set_defaults(handler=reject)

    show = actions.add_parser("status", parents=[common], help="list the sandbox's records")
    show.add_argument("--kind", choices=admin.KINDS)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=status)
