"""Fixtures for the units grid and units file tests: real stores, generated units."""

from __future__ import annotations

from typing import Any

import pytest
from units_factories import GROUP, make_units

# `data_dir` and `store` (a real store in tmp_path) come from tests/conftest.py.


@pytest.fixture
def dgg(store: Any) -> Any:
    """A DGG draft with 20 valid units."""
    from desktop.exchange.units_rules import units_to_json

    draft = store.drafts.create("dgg", "Lakeside solar", dict(GROUP))
    store.units.replace_all(draft.id, units_to_json(make_units(20)))
    return draft
