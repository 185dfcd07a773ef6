"""The BTMG wizard driven by the keyboard alone: all 27 MECT steps, all four seasons, Submit,
then 'Mark as entered in MECT'. Real widgets (pytest-qt) on a real store in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.models.btmg_fields import PAGES, Page
from desktop.models.btmg_rules import statements
from desktop.models.planning import SEASONS, Season
from desktop.store import Store
from desktop.wizards.btmg_wizard import BtmgWizard
from tests.btmg.conftest import TODAY, add_dgg, add_generator

# The offscreen platform warns that it cannot raise windows, grab the keyboard or propagate
# size hints: limits of the test platform, not of the app.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def owner_name(widget: QWidget) -> str:
    """The field key of the focused input (an editable combo's line edit belongs to its combo)."""
    name = widget.objectName()
    parent = widget.parentWidget()
    if not name and isinstance(parent, QComboBox):
        return parent.objectName()
    return name


def tab_to(name: str, limit: int = 80) -> QWidget:
    """Press Tab until the input named `name` has the focus (proves it is in the tab order)."""
    for _ in range(limit):
        widget = focused()
        if owner_name(widget) == name and widget.isVisible():
            return widget
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r} (stuck on {owner_name(focused())!r})")


def type_into(name: str, text: str) -> None:
    widget = tab_to(name)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)


def choose(name: str, text: str) -> None:
    """Pick from a dropdown with the arrow keys (an editable one takes the typed text)."""
    widget = tab_to(name)
    combo = widget if isinstance(widget, QComboBox) else widget.parentWidget()
    assert isinstance(combo, QComboBox)
    if combo.isEditable():
        QTest.keyClicks(widget, text)
    else:
        QTest.keyClick(widget, Qt.Key.Key_Home)
        for _ in range(combo.count()):
            if combo.currentText().startswith(text):
                break
            QTest.keyClick(widget, Qt.Key.Key_Down)
    assert combo.currentText().startswith(text), (name, combo.currentText())


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def next_page(qtbot: QtBot, wizard: BtmgWizard, expected: Page) -> None:
    press(Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGES.index(expected))


def tick_generator(starting_with: str) -> None:
    widget = tab_to("generators")
    assert isinstance(widget, QListWidget)
    for _ in range(widget.count()):
        item = widget.currentItem()
        if item is not None and item.text().startswith(starting_with):
            QTest.keyClick(widget, Qt.Key.Key_Space)
            return
        QTest.keyClick(widget, Qt.Key.Key_Down)
    raise AssertionError(f"no generator starting with {starting_with!r}")


def activate(qtbot: QtBot, window: QWidget) -> None:
    """What a window manager does for a new dialog (the offscreen platform does not)."""
    qtbot.waitUntil(window.isVisible)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def banner(wizard: BtmgWizard) -> str:
    return wizard.pages[Page(PAGES[wizard.currentId()])].step_banner.text()


@pytest.fixture
def wizard(qtbot: QtBot, store: Store, tmp_path: Path) -> BtmgWizard:
    add_generator(store, "Mill CHP", 2.5)
    add_dgg(store, "Lakeside DGG", (0.4, 0.35))
    row = svc.create(store, "New BTMG", TODAY)
    w = BtmgWizard(store, row.id, clock=lambda: TODAY, sheets_dir=tmp_path / "sheets")
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    with qtbot.waitActive(w):
        w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return w


def fill_season(qtbot: QtBot, wizard: BtmgWizard, season: Season, interruptions: str) -> None:
    seasons = wizard.pages[Page.SEASONS]
    key = {
        Season.SUMMER: Qt.Key.Key_S,
        Season.FALL: Qt.Key.Key_F,
        Season.WINTER: Qt.Key.Key_W,
        Season.SPRING: Qt.Key.Key_P,
    }[season]
    press(key, ALT)
    qtbot.waitUntil(lambda: seasons.tabs.currentWidget() is seasons.forms[season])  # type: ignore[attr-defined]
    choose("status_option", "New")  # 16
    assert banner(wizard) == f"Step 16 of 27 · Status Option ({season.label})"
    tab_to("excluded")  # 17: left unticked
    tick_generator("Mill CHP")  # 18
    type_into("xeford_override", "4.5")  # 19
    tab_to("emergency_dr")  # 20: left unticked
    type_into("max_interruptions", interruptions)  # 21
    assert banner(wizard) == f"Step 21 of 27 · Max Interruptions ({season.label})"
    choose("max_duration_hours", "4")  # 22
    choose("monthly_availability", "Available all")  # 23
    choose("notification", "2 hours")  # 24


def test_all_27_steps_for_all_four_seasons_with_the_keyboard(
    qtbot: QtBot, wizard: BtmgWizard, store: Store, tmp_path: Path
) -> None:
    # Steps 4–9: Registration.
    assert wizard.currentId() == PAGES.index(Page.REGISTRATION)
    type_into("name", "Mill Street BTMG")
    assert banner(wizard) == "Step 4 of 27 · Name"
    type_into("asset_owner", "Northern Mills Energy LLC")
    choose("lba", "NSP")
    assert "Local Resource Zone 1" in wizard.pages[Page.REGISTRATION].zone_label.text()  # type: ignore[attr-defined]
    type_into("description", "Two gas gensets behind the mill's load meter")
    choose("cpnode", "NSP.NSP")
    tab_to("cpnode_override")
    assert banner(wizard) == "Step 9 of 27 · Override CPNode"
    next_page(qtbot, wizard, Page.DOCUMENTS)

    # Step 10: Add Document, through Qt's own file dialog.
    doc = tmp_path / "mill-one-line.pdf"
    doc.write_bytes(b"%PDF-1.4 one-line diagram")
    tab_to("add_document")
    press(Qt.Key.Key_Space)
    dialog = wizard.pages[Page.DOCUMENTS].dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, QFileDialog)
    activate(qtbot, dialog)
    QTest.keyClicks(focused(), str(doc))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.pages[Page.DOCUMENTS].list.count() == 1)  # type: ignore[attr-defined]
    activate(qtbot, wizard)  # the window manager gives the focus back to the wizard
    next_page(qtbot, wizard, Page.CAPABILITY)

    # Steps 11–14.
    type_into("demand_reduction_mw", "2")
    assert banner(wizard) == "Step 11 of 27 · Demand Reduction Capability Forecast"
    type_into("operator_name", "Dana Olson")
    type_into("operator_phone", "651-555-0100")
    type_into("operator_email", "dana.olson@example.com")
    next_page(qtbot, wizard, Page.MEASUREMENT)

    # Step 15.
    choose("measurement_protocol", "Metered")
    next_page(qtbot, wizard, Page.SEASONS)

    # Steps 16–25: every season.
    for season in SEASONS:
        fill_season(qtbot, wizard, season, "5" if season in (Season.SUMMER, Season.WINTER) else "3")
    next_page(qtbot, wizard, Page.STATEMENTS)

    # Step 26.
    for n in range(1, len(statements()) + 1):
        tab_to(f"statements.{n}")
        press(Qt.Key.Key_Space)
    next_page(qtbot, wizard, Page.REVIEW)

    # Step 27: Submit writes the MECT entry sheet.
    review = wizard.pages[Page.REVIEW]
    assert "Complete" in review.summary.text(), [i.message for i in wizard.issues]  # type: ignore[attr-defined]
    press(Qt.Key.Key_U, ALT)  # a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: bool(review.written))  # type: ignore[attr-defined]
    sheets = sorted((tmp_path / "sheets").glob("*"))
    assert [p.suffix for p in sheets] == [".pdf", ".xlsx"]
    ws = load_workbook(next(p for p in sheets if p.suffix == ".xlsx")).active
    assert ws is not None
    values = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert sum(1 for r in values if r[1] == "Max Interruptions") == 4
    assert "Mill Street BTMG" in {r[2] for r in values}

    # Mark as entered in MECT: registration ID, Enter.
    assert focused().objectName() == "mark_entered"
    press(Qt.Key.Key_Space)
    activate(qtbot, review.dialog)  # type: ignore[attr-defined]
    QTest.keyClicks(focused(), "BTMG-2026-0147")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.drafts.get(wizard.draft_id).status == "Submitted")
    row = store.drafts.get(wizard.draft_id)
    assert (row.name, row.status, row.registry_id) == (
        "Mill Street BTMG",
        "Submitted",
        "BTMG-2026-0147",
    )
    _, enrollment = svc.load(store, row.id, TODAY)
    assert enrollment.mect_entered_on == TODAY
    assert enrollment.values["demand_reduction_mw"] == 2.0
    for season in SEASONS:
        assert enrollment.seasons[season]["notification"] == "2 hours"
        assert enrollment.seasons[season]["generators"] == ("generator:1",)
    assert [d.filename for d in store.documents.list(row.id)] == ["mill-one-line.pdf"]
