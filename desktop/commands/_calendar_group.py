"""The `calendar` command group, shared by several modules.

`desktop/commands/calendar.py` creates the group (`registry-desk calendar ...`). Another module
adds a sub-command without touching that file, in either of two ways:

1. Append a hook at import time (module level)::

       from desktop.commands._calendar_group import CALENDAR_SUBCOMMANDS

       def _add_btmg_deadlines(calendar_sub: argparse._SubParsersAction) -> None:
           p = calendar_sub.add_parser("btmg-deadlines", ...)
           p.set_defaults(handler=...)

       CALENDAR_SUBCOMMANDS.append(_add_btmg_deadlines)

   `calendar.register()` imports every command module first, so the hook is in the list before
   the group is built, whatever the modules' order.

2. Or, from a module's own `register(sub)`, call `calendar_group(sub)` to get the group's
   sub-parsers (created on first use) and add to it.

Hooks are called once per parser built (tests build many), so they must only add parsers.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

CALENDAR_SUBCOMMANDS: list[Callable[[SubParsers], None]] = []


def calendar_group(sub: SubParsers) -> SubParsers:
    """The `calendar` group's sub-parsers under the top-level `sub`, created on first use."""
    parser = sub.choices.get("calendar")
    if parser is None:
        from desktop.cli import data_dir_option  # noqa: PLC0415 - avoids an import cycle

        parser = sub.add_parser(
            "calendar",
            help="MISO calendar: on-peak hours, deadlines",
            description="MISO time (EST): on-peak and off-peak hours and other calendar facts.",
            parents=[data_dir_option()],
        )
        return parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return cast("SubParsers", action)
    return parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
