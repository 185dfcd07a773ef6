"""Reference lists the sandbox serves (fuel types, fuel sources, eligibilities, document types).

The data sits in `reference_data.json` beside this module, seeded from reference.md §1.5, so
that it can be corrected without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("reference_data.json")


@dataclass(frozen=True)
class ReferenceData:
    fuel_types: dict[str, dict[str, Any]]
    fuel_sources: dict[str, dict[str, Any]]
    eligibilities: dict[str, dict[str, Any]]
    document_types: tuple[str, ...]


@cache
def reference_data() -> ReferenceData:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return ReferenceData(
        fuel_types={t["code"]: t for t in raw["fuel_types"]},
        fuel_sources={s["id"]: s for s in raw["fuel_sources"]},
        eligibilities={e["id"]: e for e in raw["eligibilities"]},
        document_types=tuple(raw["document_types"]),
    )
