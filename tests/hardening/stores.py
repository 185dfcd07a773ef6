"""Stores for the fault tests: real SQLite files made through the store API, then spoiled the
way disks and other programs spoil them."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.store import open_store

GROUPS, UNITS_EACH = 3, 6


def make_store(data_dir: Path, *, groups: int = GROUPS, units: int = UNITS_EACH) -> Path:
    """`groups` DGG drafts "Group 0".. of `units` units each (unit j of draft i: "Roof i-j", uid
    "ui-j"), everything folded into the main file (no -wal). Returns the store's path."""
    with open_store(data_dir) as s:
        for i in range(groups):
            d = s.drafts.create("dgg", f"Group {i}", {"group_type": "Residential"})
            rows = [
                {"uid": f"u{i}-{j}", "name": f"Roof {i}-{j}", "ac_mw": "0.005"}
                for j in range(units)
            ]
            s.units.replace_all(d.id, rows)
    path = data_dir / "drafts.sqlite3"
    checkpoint(path)
    return path


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def flip_byte(path: Path, marker: bytes, *, offset: int = 0, value: int = ord("x")) -> None:
    """Change one byte of the file where `marker` is stored (inside a record's JSON text),
    as a failing disk would: the page stays well formed, so SQLite's checks still pass."""
    data = bytearray(path.read_bytes())
    at = data.index(marker) + offset
    data[at] = value
    path.write_bytes(bytes(data))


def garble(path: Path, marker: bytes, length: int, seed: int = 3) -> None:
    """Overwrite `length` bytes from `marker` on with random bytes (several bytes of damage)."""
    data = bytearray(path.read_bytes())
    at = data.index(marker)
    data[at : at + length] = random.Random(seed).randbytes(length)
    path.write_bytes(bytes(data))


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *words: Any) -> tuple[int, str, str]:
    """`registry-desk --data-dir DATA_DIR WORDS...` as the command line runs it."""
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), *map(str, words)])
    out, err = capsys.readouterr()
    return code, out, err
