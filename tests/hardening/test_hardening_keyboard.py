"""The DGG wizard completed with key events alone: no setFocus, no clicks, no setters.

tests/dgg/test_dgg_wizard.py drives the same pages with the keyboard but puts the focus on
each page's first field and on the document choosers with setFocus(), and replaces Qt's file
dialog. Here every focus move is a Tab or a mnemonic, and the documents are chosen in Qt's own
file dialog by typing their names. The field values are that test's (imported, not copied).
The BTMG wizard's equivalent is tests/btmg/test_wizard_keyboard.py, key events only already.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.models import dgg
from desktop.store import Store
from desktop.wizards.dgg_wizard import DggWizard
from tests.conftest import activate, when_modal
from tests.dgg.test_dgg_wizard import ENGINEERING, FUELS, GENERAL, OWNER, UNIT_DOCS, UNITS

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.usefixtures("quick_keyboard_search"),
]
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def owner(widget: QWidget) -> str:
    """The field key of a focused widget (an editable combo's line edit belongs to the combo)."""
    parent = widget.parentWidget()
    if not widget.objectName() and isinstance(parent, QComboBox):
        return parent.objectName()
    return widget.objectName()


def key(
    qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), k, modifier)


def tab_to(qtbot: QtBot, name: str, limit: int = 60) -> QWidget:
    """Tab until the input `name` has the focus (it must be in the tab order)."""
    for _ in range(limit):
        if owner(focused()) == name:
            return focused()
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r}; stuck on {owner(focused())!r}")


def fill(qtbot: QtBot, fields: list[tuple[str, str]]) -> None:
    """Type each field in the declared order, moving on with Tab."""
    for n, (name, keys) in enumerate(fields):
        # A page may start with other controls (a list, buttons); after the first field the
        # next one is at most a control away.
        widget = tab_to(qtbot, name, limit=30 if n == 0 else 3)
        if keys.startswith("["):
            assert isinstance(widget, QListWidget)
            qtbot.keyClicks(widget, keys[1:-1])
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif keys:
            if isinstance(widget, QLineEdit):
                qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)  # replace what is there
            qtbot.keyClicks(widget, keys)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)


def mnemonic(qtbot: QtBot, wizard: QWidget, letter: Qt.Key) -> None:
    """Alt+letter in the wizard; it is the active window again once a dialog has closed."""
    if not wizard.isActiveWindow():
        activate(qtbot, wizard)  # what a window manager does when a dialog closes
    key(qtbot, letter, ALT)


def next_page(qtbot: QtBot, wizard: DggWizard) -> None:
    before = wizard.currentId()
    mnemonic(qtbot, wizard, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: wizard.currentId() == before + 1)


def type_unit(qtbot: QtBot, fields: list[tuple[str, str]]) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert owner(focused()) == "name", "the Add unit dialog opens on the unit's name"
        fill(qtbot, fields)
        key(qtbot, Qt.Key.Key_Return)  # Save is the default button

    return act


def type_file_name(qtbot: QtBot, name: str) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        # Qt's own dialog opens in the folder of the last attachment (here: HOME), with the
        # focus in its file name box.
        assert isinstance(focused(), QLineEdit), focused()
        qtbot.keyClicks(focused(), name)
        qtbot.wait(50)  # let the completer settle on the typed name
        key(qtbot, Qt.Key.Key_Return)

    return act


def test_dgg_wizard_completed_with_key_events_alone(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.setenv("HOME", str(files))  # the file dialog's first folder
    draft = store.drafts.create("dgg", "New DGG", {})
    wizard = DggWizard(store, draft.id)
    qtbot.addWidget(wizard)
    activate(qtbot, wizard)

    tab_to(qtbot, "group_name")
    fill(qtbot, GENERAL)
    next_page(qtbot, wizard)
    fill(qtbot, OWNER)
    next_page(qtbot, wizard)
    fill(qtbot, ENGINEERING)
    next_page(qtbot, wizard)
    fill(qtbot, FUELS)
    next_page(qtbot, wizard)

    for n, fields in enumerate(UNITS):
        when_modal(qtbot, activate_dialog=True, act=type_unit(qtbot, fields))
        mnemonic(qtbot, wizard, Qt.Key.Key_A)  # Add…
        qtbot.waitUntil(lambda n=n: len(wizard.session.units) == n + 1)
    next_page(qtbot, wizard)

    # Documents: for each, Alt+T picks the unit, Alt+Y the type, Alt+A opens the file dialog.
    wanted = [(u, t) for u in (1, 2) for t in UNIT_DOCS] + [(2, "Schedule")]
    for unit, type_prefix in wanted:
        name = f"unit{unit}-{type_prefix.lower()}.pdf"
        (files / name).write_bytes(f"%PDF-1.4 {unit} {type_prefix}".encode())
        mnemonic(qtbot, wizard, Qt.Key.Key_T)
        assert owner(focused()) == "document_target"
        key(qtbot, Qt.Key.Key_Home)  # "The whole group", then one row per unit
        for _ in range(unit):
            key(qtbot, Qt.Key.Key_Down)
        mnemonic(qtbot, wizard, Qt.Key.Key_Y)
        assert owner(focused()) == "document_type"
        qtbot.wait(80)  # a new keyboard search, not the last one continued
        qtbot.keyClicks(focused(), type_prefix)
        count = len(wizard.session.documents)
        when_modal(qtbot, activate_dialog=True, act=type_file_name(qtbot, name))
        mnemonic(qtbot, wizard, Qt.Key.Key_A)
        qtbot.waitUntil(lambda c=count: len(wizard.session.documents) == c + 1, timeout=5000)
    page = wizard.current()
    assert "Every unit has its documents." in page.findChild(QWidget, "documents__issue").text()

    next_page(qtbot, wizard)
    assert wizard.current().findChild(QListWidget, "review_issues").count() == 0
    mnemonic(qtbot, wizard, Qt.Key.Key_F)  # Finish
    qtbot.waitUntil(lambda: not wizard.isVisible())

    row = store.drafts.get(draft.id)
    assert (row.name, row.status, row.issue_count) == (
        "North Star Community Solar DGG",
        "Ready to submit",
        0,
    )
    group = dgg.from_json_doc(row.payload)
    assert group["state_province"] == "Minnesota" and group["capacity_factor"] == 14.5
    assert [u["name"] for u in store.units.list(draft.id)] == ["Olson residence", "Lakeside Dental"]
    assert sorted(d.filename for d in store.documents.list(draft.id)) == sorted(
        f"unit{u}-{t.lower()}.pdf" for u, t in wanted
    )
