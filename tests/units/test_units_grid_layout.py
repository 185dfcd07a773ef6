"""The units grid at 1280 px: the toolbar fits (nothing behind "»"), and the name column stays
put while the other columns scroll sideways under it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from desktop.models.units import new_unit
from desktop.store import Store
from desktop.views.units_grid_view import UnitsGridView
from tests.conftest import activate

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def grid(qtbot: QtBot, store: Store) -> UnitsGridView:
    row = store.drafts.create("dgg", "Layout", {})
    store.units.replace_all(row.id, [new_unit(name=f"Roof {n}") for n in range(40)])
    view = UnitsGridView(store, row.id)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    activate(qtbot, view)
    return view


def test_the_toolbar_fits_at_1280(qtbot: QtBot, store: Store) -> None:
    view = grid(qtbot, store)
    qtbot.wait(20)
    more = view.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert more is None or not more.isVisible()
    for action in view.toolbar.actions():
        if not action.isSeparator():
            assert view.toolbar.widgetForAction(action).isVisible(), action.text()


def test_the_name_column_is_frozen(qtbot: QtBot, store: Store) -> None:
    view = grid(qtbot, store)
    frozen = view.table.frozen
    assert frozen is not None and frozen.isVisible()
    name = view.model.index(3, frozen.column)
    assert frozen.model().data(name) == "Roof 3"
    left = frozen.mapTo(view, frozen.rect().topLeft())
    view.table.horizontalScrollBar().setValue(view.table.horizontalScrollBar().maximum())
    qtbot.wait(10)
    assert view.table.horizontalScrollBar().value() > 0
    assert frozen.mapTo(view, frozen.rect().topLeft()) == left  # did not move
    assert frozen.visualRect(name).isValid() and frozen.width() > 50
    # The keyboard walks right from the name; the cell it reaches is not under the name.
    view.table.setFocus()
    view.table.setCurrentIndex(name)
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    current = view.table.currentIndex()
    assert current.column() != frozen.column
    assert view.table.visualRect(current).left() >= frozen.width()
    view.table.verticalScrollBar().setValue(10)
    assert frozen.verticalScrollBar().value() == 10  # rows scroll together


def test_a_cell_with_an_issue_has_an_icon_not_only_a_colour(qtbot: QtBot, store: Store) -> None:
    from PySide6.QtGui import QIcon

    view = grid(qtbot, store)
    view.model.revalidate()
    marked = [
        view.model.index(r, c)
        for r in range(view.model.rowCount())
        for c in range(view.model.columnCount())
        if view.model.data(view.model.index(r, c), Qt.ItemDataRole.BackgroundRole) is not None
    ]
    assert marked  # units with a name only have required cells missing
    for index in marked[:20]:
        icon = view.model.data(index, Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon) and not icon.isNull()
    plain = view.model.index(0, 0)  # the name is filled in
    assert view.model.data(plain, Qt.ItemDataRole.DecorationRole) is None
