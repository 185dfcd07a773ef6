"""Tab order follows reading order on every wizard page: walking the page with Tab meets its
inputs top to bottom (left to right on one line), with key events only."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget, QWizard
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.store import Store
from desktop.wizards.btmg_wizard import BtmgWizard
from tests.conftest import activate
from tests.dgg.test_dgg_wizard import make_example, open_wizard

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
SAME_LINE = 12  # px: widgets whose tops differ less than this are on one line


def content_position(page: QWidget, widget: QWidget) -> QPoint:
    """Where the widget sits in the page's content: a scroll area scrolls as Tab moves, so
    positions are taken inside what it scrolls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            return widget.mapTo(parent.widget(), QPoint(0, 0))
        parent = parent.parentWidget()
    return widget.mapTo(page, QPoint(0, 0))


def first_input(page: QWidget) -> QWidget:
    """The first widget of the page in the focus chain that Tab can reach."""
    widget = page.nextInFocusChain()
    while widget is not page:
        tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if tab and page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled():
            return widget
        widget = widget.nextInFocusChain()
    raise AssertionError(f"{page.objectName()}: nothing Tab can reach")


def walk(page: QWidget, limit: int = 120) -> list[tuple[str, QPoint]]:
    """Tab from the page's first input until the focus leaves the page or comes back."""
    seen: list[tuple[str, QPoint]] = []
    ids: set[int] = set()
    for _ in range(limit):
        widget = QApplication.focusWidget()
        if widget is None or not page.isAncestorOf(widget) or id(widget) in ids:
            break
        ids.add(id(widget))
        seen.append((widget.objectName(), content_position(page, widget)))
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return seen


def assert_reading_order(where: str, seen: list[tuple[str, QPoint]]) -> None:
    assert len(seen) >= 1, f"{where}: no input takes the focus"
    for (a, pa), (b, pb) in itertools.pairwise(seen):
        same_line = abs(pa.y() - pb.y()) < SAME_LINE
        forward = pb.y() > pa.y() or (same_line and pb.x() >= pa.x())
        assert forward, f"{where}: Tab goes from {a} {pa.toTuple()} back up to {b} {pb.toTuple()}"


def walk_pages(qtbot: QtBot, wizard: QWizard, pages: list[QWidget]) -> int:
    walked = 0
    for page in pages:
        first_input(page).setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.wait(5)
        seen = walk(page)
        assert_reading_order(page.objectName(), seen)
        walked += len(seen)
        wizard.next()
    return walked


def test_dgg_pages_tab_in_reading_order(qtbot: QtBot, store: Store) -> None:
    wizard = open_wizard(qtbot, store, make_example(store))
    wizard.goto_page("general")
    walked = walk_pages(qtbot, wizard, [p for p in wizard.pages if p.key != "review"])
    assert walked > 40


def test_btmg_pages_tab_in_reading_order(qtbot: QtBot, store: Store) -> None:
    today = date(2026, 1, 10)
    wizard = BtmgWizard(store, svc.create(store, "Tabs", today).id, clock=lambda: today)
    qtbot.addWidget(wizard)
    activate(qtbot, wizard)
    walked = walk_pages(qtbot, wizard, list(wizard.pages.values())[:-1])
    assert walked > 20
