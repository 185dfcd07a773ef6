"""`registry-desk calendar ...`: MISO calendar questions answered from the command line."""

from __future__ import annotations

import argparse

from desktop.commands.btmg import register_btmg_deadlines


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("calendar", help="MISO planning years, seasons and deadlines")
    cmds = p.add_subparsers(dest="calendar_command", metavar="ACTION", parser_class=type(p))
    register_btmg_deadlines(cmds)
