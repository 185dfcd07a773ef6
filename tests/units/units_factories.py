"""Generated units for the units tests and benchmarks: a valid Minnesota solar group."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

GROUP = {
    "state_province": "Minnesota",
    "group_type": "Mixed",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}
TODAY = date(2026, 6, 1)


def make_units(
    n: int, seed: int = 7, kw: tuple[float, float] = (0.05, 0.09)
) -> list[dict[str, Any]]:
    """`n` valid units of a Minnesota solar group, small enough that 10,000 stay under 1 MW."""
    from desktop.models.units import new_unit

    rng = random.Random(seed)
    units = []
    for i in range(n):
        units.append(
            new_unit(
                name=f"Site {i:05d}",
                meter_id=f"M{100000 + i}",
                street=f"{100 + i} Main St",
                city=rng.choice(["Saint Paul", "Minneapolis", "Duluth", "Rochester"]),
                state_province="Minnesota",
                postal_code=f"55{rng.randint(100, 999)}",
                county="Ramsey",
                latitude=round(44.9 + rng.random() / 10, 4),
                longitude=round(-93.1 - rng.random() / 10, 4),
                capacity_mw=round(rng.uniform(*kw) / 1000, 6),
                cod=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                utility="Xcel Energy",
                customer_type=rng.choice(["Residential", "Commercial"]),
                expansion=rng.random() < 0.05,
                owned_by_org=True,
                fuel_type="Solar",
                fuel_source="Solar PV",
            )
        )
    return units
