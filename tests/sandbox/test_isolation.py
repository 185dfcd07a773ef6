"""The sandbox is a program of its own: no module in desktop/sandbox imports the rest of desktop."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop.sandbox

SANDBOX = Path(desktop.sandbox.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports stay inside the sandbox package by construction
                names.add("desktop.sandbox")
            elif node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_sandbox_imports_nothing_else_from_desktop() -> None:
    files = sorted(SANDBOX.glob("*.py"))
    assert len(files) >= 10
    offenders = {
        f"{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if (name == "desktop" or name.startswith("desktop."))
        and not (name == "desktop.sandbox" or name.startswith("desktop.sandbox."))
    }
    assert not offenders, sorted(offenders)


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from desktop.models import fields\nimport desktop.errors\n", encoding="utf-8")
    assert {"desktop.models", "desktop.errors"} <= imported_modules(bad)
