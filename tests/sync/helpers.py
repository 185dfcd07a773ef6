"""Builders for sync tests: realistic DGG drafts in a real store, months of generation."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop.store import Store
from desktop.sync.payloads import EntryInput

TODAY = date(2025, 6, 15)  # the sandbox's pinned "today"


def dgg_payload(name: str = "Sunny Acres DGG", **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "format": "registry-desk/dgg",
        "version": 1,
        "group_name": name,
        "group_type": "Residential",
        "country": "United States",
        "state_province": "MN",
        "generation_technology": "Solar PV",
        "is_multi_fuel": False,
        "publish_contact": True,
        "capacity_factor": 15.0,
        "interconnected_utility": "Xcel Energy",
        "fuels": [
            {
                "fuel_type": "Solar",
                "fuel_source": "Solar PV",
                "label": "Solar PV",
                "eligibilities": ["Minnesota Eligibility"],
            }
        ],
        "some_future_key": "ignored by the payload builder",
    }
    payload.update(extra)
    return payload


def unit(i: int, capacity_mw: float = 0.004, **extra: Any) -> dict[str, Any]:
    u: dict[str, Any] = {
        "uid": f"u{i:05d}",
        "name": f"Roof {i}",
        "meter_id": f"MTR-{i:05d}",
        "street": f"{100 + i} Main St",
        "city": "Saint Paul",
        "state_province": "MN",
        "postal_code": "55101",
        "county": "Ramsey",
        "latitude": 44.95,
        "longitude": -93.09,
        "capacity_mw": capacity_mw,
        "cod": (date(2021, 1, 1) + timedelta(days=i % 700)).isoformat(),
        "utility": "Xcel Energy",
        "customer_type": "Residential",
        "expansion": False,
        "owned_by_org": True,
        "fuel_type": "Solar",
        "fuel_source": "Solar PV",
        "unit_status": "Active",
    }
    u.update(extra)
    return u


def make_dgg(
    store: Store,
    tmp: Path,
    *,
    units: int = 3,
    capacity_mw: float = 0.004,
    unit_docs: int = 0,
    name: str = "Sunny Acres DGG",
    payload: dict[str, Any] | None = None,
) -> int:
    """A DGG draft with `units` units, one group document and `unit_docs` unit documents."""
    draft = store.drafts.create("dgg", name, payload or dgg_payload(name), status="Ready to submit")
    rows = [unit(i, capacity_mw) for i in range(units)]
    store.units.replace_all(draft.id, rows)
    docs = tmp / "docs"
    docs.mkdir(exist_ok=True)
    group_doc = docs / f"{draft.id}-capacity.pdf"
    group_doc.write_bytes(b"%PDF-1.4 capacity factor study " + name.encode())
    store.documents.add(draft.id, group_doc, "Capacity factor documentation")
    for i in range(unit_docs):
        path = docs / f"{draft.id}-ia-{i}.pdf"
        path.write_bytes(b"%PDF-1.4 interconnection agreement " + str(i).encode())
        store.documents.add(draft.id, path, "Interconnection Agreement", unit_uid=rows[i]["uid"])
    return draft.id


def months(
    generator_id: str, count: int = 12, *, end: date = date(2025, 5, 31)
) -> list[EntryInput]:
    """`count` whole months ending with `end`'s month; 0.7–4.2 MWh each (some carry)."""
    out: list[EntryInput] = []
    year, month = end.year, end.month
    for _ in range(count):
        start = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        mwh = round(0.7 + (hash((year, month)) % 350) / 100, 3)
        out.append(EntryInput(generator_id, start, nxt - timedelta(days=1), mwh))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(out))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
