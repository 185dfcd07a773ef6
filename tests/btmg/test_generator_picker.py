"""The BTMG Generators picker with a 200-unit DGG: search, filters, the chosen ones first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.models.btmg_fields import Page
from desktop.models.planning import Season
from desktop.store import Store
from desktop.wizards.btmg_generator_picker import GeneratorPicker
from tests.btmg.conftest import TODAY, add_dgg, add_generator
from tests.btmg.test_wizard_gui import go, make

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def shown(picker: GeneratorPicker) -> list[str]:
    items = [picker.list.item(n) for n in range(picker.list.count())]
    return [it.text() for it in items if it is not None and not it.isHidden()]


def test_search_filter_and_chosen_first(qtbot: QtBot, store: Store) -> None:
    add_dgg(store, "Maple", tuple(0.004 for _ in range(200)))
    add_generator(store, "Mill CHP", 2.5)
    add_generator(store, "Paper mill turbine", 12)
    wizard = make(qtbot, store, svc.create(store, "Gens", TODAY).id)
    go(wizard, Page.SEASONS)
    picker = wizard.pages[Page.SEASONS].forms[Season.WINTER].picker  # type: ignore[attr-defined]
    assert picker.list.count() == 203  # the DGG, its 200 units, two generators
    assert picker.shown.text() == "203 generators · 0 chosen"

    picker.search.setText("ROOF 117")
    assert shown(picker) == ["Maple / Roof 117 (DGG unit, 4 kW)"]
    picker.search.setText("maple 19")  # every word, anywhere: Roof 19, 119, 190-199
    assert len(shown(picker)) == 12
    picker.search.clear()
    picker.type_filter.setCurrentText("Generator")
    assert sorted(shown(picker)) == [
        "Mill CHP (Generator, 2.5 MW)",
        "Paper mill turbine (Generator, 12 MW)",
    ]
    picker.capacity_filter.setCurrentText("5 MW and more")
    assert shown(picker) == ["Paper mill turbine (Generator, 12 MW)"]
    item = next(
        picker.list.item(n)
        for n in range(picker.list.count())
        if picker.list.item(n).text().startswith("Paper mill")
    )
    item.setCheckState(Qt.CheckState.Checked)
    assert len(picker.value()) == 1
    # the chosen one stays shown whatever the filters, and comes first when the list is filled
    picker.capacity_filter.setCurrentIndex(0)
    picker.type_filter.setCurrentText("DGG unit")
    assert shown(picker)[:1] == ["Paper mill turbine (Generator, 12 MW)"]
    assert picker.shown.text() == "201 of 203 shown · 1 chosen"
    picker.type_filter.setCurrentIndex(0)
    picker.capacity_filter.setCurrentIndex(0)
    picker.set_value(picker.value())
    assert picker.list.item(0).text() == "Paper mill turbine (Generator, 12 MW)"
