"""Fixtures for the units grid and units file tests: real stores, generated units."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from units_factories import GROUP, make_units

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    from desktop.store import open_store

    s = open_store(data_dir)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def dgg(store: Any) -> Any:
    """A DGG draft with 20 valid units."""
    from desktop.exchange.units_rules import units_to_json

    draft = store.drafts.create("dgg", "Lakeside solar", dict(GROUP))
    store.units.replace_all(draft.id, units_to_json(make_units(20)))
    return draft
