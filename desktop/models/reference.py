"""Editable reference lists (fuel types, eligibilities, MECT options ...).

The shipped lists live in `resources/reference/<name>.json` as
`{"name": ..., "note": ..., "values": [...]}`; values are strings or objects with a "value" key
plus extra attributes (a fuel type's code, an LBA's zone). A user's edited copy in
`<data dir>/reference/<name>.json` replaces the shipped one, so that an answer published later is
a data change, not a release (decisions.md).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

_user_dir: Path | None = None


def resources_dir() -> Path:
    """`resources/` beside the package in a checkout, or bundled inside a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "resources"] if frozen else []
    candidates += [
        Path(__file__).resolve().parents[2] / "resources",
        Path(__file__).resolve().parents[1] / "_resources",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def set_user_dir(path: Path | None) -> None:
    global _user_dir  # noqa: PLW0603 - one process-wide setting, set once at start-up
    _user_dir = path
    load.cache_clear()


def user_file(name: str) -> Path | None:
    return _user_dir / "reference" / f"{name}.json" if _user_dir else None


def shipped_file(name: str) -> Path:
    return resources_dir() / "reference" / f"{name}.json"


@cache
def load(name: str) -> dict[str, Any]:
    """The whole list document; the user's copy wins when it exists and is readable."""
    for path in (user_file(name), shipped_file(name)):
        if path is not None and path.is_file():
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged user copy falls back to the shipped list
            if isinstance(doc, dict) and isinstance(doc.get("values"), list):
                return doc
    return {"name": name, "values": []}


def entries(name: str) -> list[dict[str, Any]]:
    """Every value as a dict with at least "value"."""
    out: list[dict[str, Any]] = []
    for item in load(name)["values"]:
        out.append({"value": item} if isinstance(item, str) else dict(item))
    return out


def choices(name: str) -> tuple[str, ...]:
    return tuple(str(e["value"]) for e in entries(name))


def save_user_copy(name: str, doc: dict[str, Any]) -> Path:
    """Write the user's edited list atomically and make it the one in force."""
    target = user_file(name)
    if target is None:
        raise RuntimeError("no user data directory is set for reference lists")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)
    load.cache_clear()
    return target


def reset_user_copy(name: str) -> None:
    target = user_file(name)
    if target is not None and target.exists():
        target.unlink()
    load.cache_clear()
