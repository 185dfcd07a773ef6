"""A developer's folder of documents for a generated group, named the ways developers name them.

Used by the bulk-attach tests and by bench/documents_bulk.py (which imports it from the
repository root). Every unit gets its four required documents:

- `XE-4400035 interconnection.pdf`        meter ID in the name
- `4995 Maple Avenue - completion cert.pdf` street address ("Avenue" for the unit's "Ave")
- `Maple Solar 35/one-line diagram.pdf`    a sub-folder named after the unit
- `XE4400035_deed.pdf`                     meter ID written without its dash
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from desktop.models import dgg
from desktop.models.dgg_example import example_group
from desktop.models.units import new_unit
from desktop.store import Store

STREETS = ("Maple Ave", "Cedar St", "Lakeview Dr", "Prairie Rd")


def group_units(n: int) -> list[dict[str, Any]]:
    """`n` valid Minnesota solar units, small enough that 10,000 stay under 1 MW together."""
    return [
        new_unit(
            uid=f"unit-{i:05d}",
            name=f"Maple Solar {i + 1}",
            meter_id=f"XE-44{i:05d}",
            street=f"{4000 + i} {STREETS[i % len(STREETS)]}",
            city="Saint Paul",
            state_province="Minnesota",
            postal_code="55101",
            county="Ramsey",
            latitude=44.95,
            longitude=-93.09,
            capacity_mw=0.00009,
            cod=date(2020, 5, 1),
            utility="Xcel Energy",
            customer_type="Residential",
            expansion=False,
            owned_by_org=True,
            fuel_type="Solar",
            fuel_source="Solar PV",
        )
        for i in range(n)
    ]


def make_group(store: Store, name: str, n: int) -> tuple[int, list[dict[str, Any]]]:
    units = group_units(n)
    row = store.drafts.create("dgg", name, dgg.to_json_doc(example_group(group_name=name)))
    store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in units])
    return row.id, units


def _long_street(street: str) -> str:
    return street.replace(" Ave", " Avenue").replace(" St", " Street")


def write_folder(
    root: Path, units: list[dict[str, Any]], *, size: int = 600, seed: int = 1
) -> list[Path]:
    """Four small PDFs per unit (`size` bytes each, about); returns the files written."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for unit in units:
        meter, name = unit["meter_id"], unit["name"]
        sub = root / name
        sub.mkdir(exist_ok=True)
        for path in (
            root / f"{meter} interconnection.pdf",
            root / f"{_long_street(unit['street'])} - completion cert.pdf",
            sub / "one-line diagram.pdf",
            root / f"{meter.replace('-', '')}_deed.pdf",
        ):
            path.write_bytes(b"%PDF-1.4\n" + rng.randbytes(size))
            written.append(path)
    return written
