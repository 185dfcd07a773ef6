"""Real damage for store tests: whole b-tree pages overwritten with garbage, found by walking
the file's b-trees (the file format is documented at sqlite.org/fileformat.html), so a test
knows exactly which rows were on the pages it damaged."""

from __future__ import annotations

import random
import sqlite3
import struct
from pathlib import Path


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        byte = buf[i + k]
        if k == 8:
            return (value << 8) | byte, i + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + k + 1
    raise AssertionError("unreachable")


def leaf_pages(path: Path, table: str) -> dict[int, list[int]]:
    """Each leaf page of a table's b-tree (page number) with the row ids it holds."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = path.read_bytes()
    leaves: dict[int, list[int]] = {}
    todo = [root]
    while todo:
        number = todo.pop()
        page = data[(number - 1) * size : number * size]
        head = 100 if number == 1 else 0
        kind, cells = page[head], struct.unpack(">H", page[head + 3 : head + 5])[0]
        start = head + (12 if kind == 0x05 else 8)
        offsets = [
            struct.unpack(">H", page[start + 2 * k : start + 2 * k + 2])[0] for k in range(cells)
        ]
        if kind == 0x05:  # interior: child pointers and the rightmost child
            todo += [struct.unpack(">I", page[o : o + 4])[0] for o in offsets]
            todo.append(struct.unpack(">I", page[head + 8 : head + 12])[0])
        else:
            assert kind == 0x0D, f"page {number} of {table} is not a table leaf"
            leaves[number] = [_varint(page, _varint(page, o)[1])[0] for o in offsets]
    return leaves


def scribble(path: Path, pages: list[int], seed: int = 7) -> None:
    """Overwrite whole pages with random bytes, as a failing disk or a stray write would."""
    conn = sqlite3.connect(path)
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    rng = random.Random(seed)
    with path.open("r+b") as fh:
        for number in pages:
            fh.seek((number - 1) * size)
            fh.write(rng.randbytes(size))
