"""The boundary-hour carry in the store (migration 0005), on real SQLite files, and the month
lists the window shows."""

from __future__ import annotations

from pathlib import Path

from desktop.models.generation import MonthEnergy, vintage_ranges
from desktop.store import open_store
from desktop.store.ledger import KEEP_BOUNDARY_HOURS


def test_boundary_hours_round_trip_replace_and_stay_per_generator(data_dir: Path) -> None:
    with open_store(data_dir) as s:
        s.boundary_hours.keep("805", {60: 1.5, 120: 2.25})
        s.boundary_hours.keep("805", {120: 3.0, 180: 0.0})  # a later build reads 120 again
        s.boundary_hours.keep("806", {60: 9.0})
        s.boundary_hours.keep("806", {})
    with open_store(data_dir) as s:
        assert s.boundary_hours.get("805") == {60: 1.5, 120: 3.0, 180: 0.0}
        assert s.boundary_hours.get("806") == {60: 9.0}
        assert s.boundary_hours.get("807") == {}


def test_only_the_newest_boundary_hours_are_kept(store) -> None:  # type: ignore[no-untyped-def]
    store.boundary_hours.keep("805", {h * 60: float(h) for h in range(KEEP_BOUNDARY_HOURS)})
    store.boundary_hours.keep("805", {KEEP_BOUNDARY_HOURS * 60: 1.0})
    kept = store.boundary_hours.get("805")
    assert len(kept) == KEEP_BOUNDARY_HOURS and 0 not in kept and 60 in kept


def test_month_lists_never_span_months_that_are_not_there() -> None:
    months = [MonthEnergy(2026, m, 1.0) for m in (3, 10, 11, 12)] + [MonthEnergy(2027, 1, 1.0)]
    assert vintage_ranges(months) == "03/2026, 10/2026–01/2027"
    assert vintage_ranges([]) == ""
