"""Shared BTMG test data: a real draft store in tmp_path and a complete enrollment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop.models import reference
from desktop.models.btmg import Enrollment, new_enrollment
from desktop.models.btmg_rules import statements
from desktop.models.planning import SEASONS, Season
from desktop.models.units import new_unit
from desktop.store import Store, open_store

TODAY = date(2026, 1, 10)


@pytest.fixture(autouse=True)
def _own_reference_dir(tmp_path: Path) -> Iterator[None]:
    """Each test gets an empty user reference folder, so edited lists never leak between tests."""
    reference.set_user_dir(tmp_path / "user")
    yield
    reference.set_user_dir(None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "data")
    yield s
    s.close()


def add_dgg(store: Store, name: str = "Lakeside DGG", caps: tuple[float, ...] = (0.4, 0.35)) -> int:
    row = store.drafts.create("dgg", name, {"name": name})
    units = [new_unit(name=f"Roof {n + 1}", capacity_mw=c) for n, c in enumerate(caps)]
    store.units.replace_all(row.id, units)
    return row.id


def add_generator(store: Store, name: str = "Mill CHP", nameplate: object = 2.5) -> int:
    return store.drafts.create("generator", name, {"nameplate_mw": nameplate}).id


def fill(enrollment: Enrollment, generator_refs: tuple[str, ...]) -> Enrollment:
    """Every field of every step with a valid value."""
    enrollment.values.update(
        name="Mill Street BTMG",
        asset_owner="Northern Mills Energy LLC",
        lba="NSP",
        description="Two 1.25 MW gas gensets behind the mill's load meter",
        cpnode="NSP.NSP",
        cpnode_override=False,
        demand_reduction_mw=2.0,
        operator_name="Dana Olson",
        operator_phone="651-555-0100",
        operator_email="dana.olson@example.com",
        measurement_protocol="Metered Generator Output",
    )
    for season in SEASONS:
        enrollment.seasons[season].update(
            status_option="New",
            excluded=False,
            generators=generator_refs,
            xeford_override=4.5,
            emergency_dr=False,
            max_interruptions=5,
            max_duration_hours="4",
            monthly_availability="Available all months of the season",
            notification="2 hours",
        )
    enrollment.statements_accepted = list(statements())
    return enrollment


def complete_enrollment(generator_refs: tuple[str, ...] = ("generator:1",)) -> Enrollment:
    return fill(new_enrollment(TODAY, "Mill Street BTMG"), generator_refs)


__all__ = ["TODAY", "Season", "add_dgg", "add_generator", "complete_enrollment", "fill"]
