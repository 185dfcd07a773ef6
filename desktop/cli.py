"""The command line: with no command it opens the window; otherwise it runs a job headless.

Each command group lives in `desktop/commands/<group>.py` and exposes `register(subparsers)`;
its handlers take the parsed arguments and return an exit status. Exit statuses: 0 done,
1 the input or the draft has problems (listed on stderr), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.errors import KnownError

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors; keep that
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def data_dir_option() -> argparse.ArgumentParser:
    """A parent parser so `--data-dir` works before or after the command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of the draft store and settings (default: the platform's user data folder)",
    )
    return parent


def wait_option() -> argparse.ArgumentParser:
    """`--wait SECONDS` for commands that change the store: wait that long for the window (or
    another command) to let go of it instead of refusing at once (docs/cli.md)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when the store is open in the window or another command, wait up to SECONDS "
        "for it to be free (default: refuse at once, exit status 1)",
    )
    return parent


def command_modules() -> list[str]:
    import desktop.commands as pkg  # noqa: PLC0415 - discovered at run time on purpose

    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or just the group `only` (a module named like its command):
    importing every group costs about half a second (fpdf2, FastAPI), which a start of the
    window or of one command should not pay."""
    parser = _Parser(
        prog="registry-desk",
        description="Registry Desk: M-RETS DGG registrations, generation uploads, MISO BTMG.",
        parents=[data_dir_option()],
    )
    parser.add_argument("--version", action="version", version=f"registry-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    names = command_modules()
    for name in [only] if only in names else names:
        module = importlib.import_module(f"desktop.commands.{name}")
        module.register(sub)
    return parser


def requested_command(argv: Sequence[str]) -> str | None:
    """The first word that is not an option (or --data-dir's value): the command, if any."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--data-dir":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    command = requested_command(words)
    if command is None and not {"-h", "--help"} & set(words):
        # The window (or --version): no command group is needed.
        parser: argparse.ArgumentParser = _Parser(prog="registry-desk", parents=[data_dir_option()])
        parser.add_argument("--version", action="version", version=f"registry-desk {__version__}")
    else:
        parser = build_parser(command)
    args = parser.parse_args(words)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if getattr(args, "command", None):  # a group given without its sub-command
            parser.parse_args([args.command, "--help"])
            return 2
        from desktop.app import run_app  # noqa: PLC0415 - Qt loads only when a window is wanted

        return int(run_app(getattr(args, "data_dir", None)))
    try:
        return int(handler(args))
    except KnownError as exc:
        print(f"registry-desk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("registry-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`registry-desk ... | head`): not an error worth a traceback.
        # Point stdout at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
