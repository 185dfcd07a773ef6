"""The one-way layer rule of architecture.md, read from the source's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "desktop"

# Rank of each part; a module may import desktop modules of its own rank or lower.
RANKS = {
    "errors": 0,
    "redact": 0,
    "config": 0,
    "models": 0,
    "store": 1,
    "exchange": 1,
    "sync": 1,
    "services": 2,
    "tasks": 2,
    "messages": 2,
    "cli": 2,
    "commands": 2,
    "views": 3,
    "wizards": 3,
    "app": 3,
    "__main__": 3,
    "__init__": 0,
}
# The process entry point hands over to the window; that one upward step is the design.
ALLOWED = {("cli", "app")}
# Services are the operations under the command line and the window: never over them.
FORBIDDEN = {("services", "commands"), ("services", "cli")}
# Third-party packages that only one part may import.
OWNED = {
    "sqlalchemy": {"store"},
    "alembic": {"store"},
    "requests": {"sync"},
    "keyring": {"sync"},
    "PySide6": {"tasks", "messages", "views", "wizards", "app"},
}


def part_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


SOURCES = sorted(p for p in ROOT.rglob("*.py") if part_of(p) != "sandbox")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    part = part_of(path)
    rank = RANKS[part]
    for name in imports(path):
        top = name.split(".")[0]
        if top == "desktop":
            target = name.split(".")[1] if "." in name else "__init__"
            if target == "sandbox":
                # Started as a process by the CLI and by sync for its local target.
                assert part in {"commands", "sandbox", "sync"}, (
                    f"{path}: only commands and sync may start the sandbox"
                )
                continue
            if (part, target) in ALLOWED:
                continue
            assert (part, target) not in FORBIDDEN, f"{path} imports {name}: services sit below"
            assert RANKS[target] <= rank, f"{path} imports {name}: upward across layers"
        elif top in OWNED:
            assert part in OWNED[top], f"{path} imports {top}, which only {OWNED[top]} may use"


def test_sandbox_imports_nothing_from_desktop() -> None:
    for path in (ROOT / "sandbox").rglob("*.py"):
        for name in imports(path):
            assert not name.startswith("desktop") or name.startswith("desktop.sandbox"), (
                f"{path} imports {name}: the sandbox plays the registry on its own"
            )


def test_views_and_wizards_reach_dgg_and_units_through_services() -> None:
    """Issue 13: views and wizards imported DGG and units operations from desktop.commands."""
    for part in ("views", "wizards"):
        for path in (ROOT / part).rglob("*.py"):
            for name in imports(path):
                assert name not in ("desktop.commands.dgg", "desktop.commands.units"), (
                    f"{path} imports {name}: use desktop.services.dgg / desktop.services.units"
                )
