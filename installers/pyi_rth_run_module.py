"""PyInstaller runtime hook: `registry-desk -m desktop.<module> ARGS` runs that module as
`python -m desktop.<module> ARGS` would, then exits.

The app starts helper processes as `[sys.executable, "-m", "desktop...."]` (the sandbox
registry, the parallel CSV readers). In a frozen app `sys.executable` is the app itself, which
has no interpreter options: without this hook the command line would refuse `-m`. Only modules
of the `desktop` package are run this way. The hook runs before the app's own entry point.
"""

from __future__ import annotations

import runpy
import sys


def run_module_from_argv(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[1] == "-m" and argv[2].startswith("desktop."):
        module = argv[2]
        sys.argv = [argv[0], *argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        sys.exit(0)


run_module_from_argv(list(sys.argv))
