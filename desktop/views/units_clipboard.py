"""Tab-separated text as Excel and LibreOffice put it on the clipboard, and back."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells. Excel quotes cells holding tabs or newlines and ends with a newline."""
    if not text:
        return []
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith(("\n", "\r")):
        text = text[:-1]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=False))
    return [row if row else [""] for row in rows]


def to_tsv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()
