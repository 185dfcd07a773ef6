"""Fixtures of the Generation area tests: the view on a real store, meter files made by code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from gen_gui_helpers import TODAY, solar_rows, write_meter_csv

from desktop.config import Settings
from desktop.store import Store


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings.load(data_dir / "settings.json")


@pytest.fixture
def view(qtbot, store: Store, settings: Settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from desktop.views.generation_view import GenerationView

    v = GenerationView(store, settings, today=lambda: TODAY)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    yield v
    v._flush()


@pytest.fixture
def solar_csv(tmp_path: Path) -> Path:
    """A 7.6 kW rooftop array, hourly readings in Chicago wall time, Feb–Jul 2025 whole."""
    rows = solar_rows("America/Chicago", datetime(2025, 1, 31, 23), datetime(2025, 8, 1, 0))
    return write_meter_csv(tmp_path / "olson-meter.csv", rows)
