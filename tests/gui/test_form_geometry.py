"""Messages never move the form: every field of every wizard page keeps its place whether its
message line is empty or full, and no message line is drawn over another widget."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.models.issues import error
from desktop.store import Store
from desktop.wizards.btmg_wizard import BtmgWizard
from desktop.wizards.form_builder import FieldForm
from desktop.wizards.message_line import MessageLine
from tests.conftest import activate
from tests.dgg.test_dgg_wizard import make_example, open_wizard

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
LONG = "is required; this message is long enough to need more than the width of any form " * 3


def inputs_of(root: QWidget) -> dict[str, QRect]:
    """Where every named input sits, in the window's coordinates."""
    out: dict[str, QRect] = {}
    for widget in root.findChildren(QWidget):
        name = widget.objectName()
        if name and "__" not in name and widget.isVisibleTo(root) and widget.accessibleName():
            out[name] = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
    return out


def message_lines(root: QWidget) -> list[MessageLine]:
    return [m for m in root.findChildren(MessageLine) if m.parentWidget().isVisibleTo(root)]


def assert_nothing_under_messages(root: QWidget) -> None:
    boxes = inputs_of(root)
    for line in message_lines(root):
        if not line.isVisibleTo(root):
            continue
        rect = QRect(line.mapTo(root, line.rect().topLeft()), line.size())
        for name, box in boxes.items():
            assert not rect.intersects(box), f"{line.objectName()} is drawn over {name}"


def test_dgg_fields_stay_put_with_every_message_shown(qtbot: QtBot, store: Store) -> None:
    wizard = open_wizard(qtbot, store, make_example(store))
    for key in ("general", "owner", "engineering", "fuels"):
        page = wizard.goto_page(key)
        qtbot.wait(10)
        forms = page.findChildren(FieldForm)
        assert forms, key
        for form in forms:
            form.show_issues([])
        qtbot.wait(10)
        before = inputs_of(wizard)
        for form in forms:
            form.show_issues([error(k, f"{k} {LONG}") for k in form.editors])
        qtbot.wait(10)
        assert inputs_of(wizard) == before, key
        shown = [m for m in message_lines(wizard) if m.isVisibleTo(wizard)]
        assert shown, key
        assert_nothing_under_messages(wizard)


def test_btmg_fields_stay_put_with_every_message_shown(qtbot: QtBot, store: Store) -> None:
    today = date(2026, 1, 10)
    wizard = BtmgWizard(store, svc.create(store, "Geometry", today).id, clock=lambda: today)
    qtbot.addWidget(wizard)
    activate(qtbot, wizard)
    for page_id in wizard.pageIds():
        while wizard.currentId() < page_id:
            wizard.next()
        page = wizard.currentPage()
        rows = [
            r for r in page.findChildren(QWidget) if hasattr(r, "issues") and hasattr(r, "editor")
        ]
        for row in rows:
            row.issues.show_issues([])  # type: ignore[attr-defined]
        qtbot.wait(10)  # the page's layout settles (its scroll bar appears) first
        before = inputs_of(wizard)
        for row in rows:
            key = row.editor.spec.key  # type: ignore[attr-defined]
            row.issues.show_issues([error(key, f"{key} {LONG}"), error(key, "second")])  # type: ignore[attr-defined]
        qtbot.wait(10)
        assert inputs_of(wizard) == before, page.objectName()
        assert_nothing_under_messages(wizard)


def test_a_message_line_keeps_its_height_and_elides(qtbot: QtBot) -> None:
    line = MessageLine()
    qtbot.addWidget(line)
    line.resize(200, line.height())
    height = line.height()
    line.show_message(f"Name {LONG}\nSecond problem")
    assert line.height() == height
    assert line.toolTip() == f"Name {LONG}\nSecond problem"  # every word is still there
    assert line.shown_text().startswith("✖ Name ") and line.shown_text().endswith("(+1 more)")


def test_pages_stay_usable_at_200_percent_text(qtbot: QtBot, store: Store) -> None:
    from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

    app = QApplication.instance()
    font = app.font()  # type: ignore[union-attr]
    big = app.font()  # type: ignore[union-attr]
    big.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(big)  # type: ignore[union-attr]
    try:
        today = date(2026, 1, 10)
        wizard = BtmgWizard(store, svc.create(store, "Large", today).id, clock=lambda: today)
        qtbot.addWidget(wizard)
        activate(qtbot, wizard)
        for page_id in wizard.pageIds():
            while wizard.currentId() < page_id:
                wizard.next()
            qtbot.wait(10)
            page = wizard.currentPage()
            for field in [*page.findChildren(QLineEdit), *page.findChildren(QComboBox)]:
                if field.isVisibleTo(wizard) and field.objectName():
                    # as tall as the large text: not squeezed flat
                    assert field.height() >= field.fontMetrics().height(), field.objectName()
            for line in message_lines(wizard):
                assert line.height() >= line.fontMetrics().lineSpacing(), line.objectName()
            assert_nothing_under_messages(wizard)
    finally:
        app.setFont(font)  # type: ignore[union-attr]
