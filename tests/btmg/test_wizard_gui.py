"""BTMG wizard behaviour: declared inputs, autosave and resume, Close and Undo, seasons, generators,
late drafts, going to an issue. Real widgets on a real store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.models.btmg_fields import PAGES, REGISTRATION_FIELDS, SEASON_FIELDS, Page
from desktop.models.planning import SEASONS, Season
from desktop.store import Store
from desktop.wizards.btmg_generator_picker import AddGeneratorDialog, GeneratorPicker
from desktop.wizards.btmg_wizard import BtmgWizard
from tests.btmg.conftest import TODAY, add_dgg, add_generator, complete_enrollment

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def make(qtbot: QtBot, store: Store, draft_id: int, today: date = TODAY) -> BtmgWizard:
    wizard = BtmgWizard(store, draft_id, clock=lambda: today)
    qtbot.addWidget(wizard)
    with qtbot.waitExposed(wizard):
        wizard.show()
    return wizard


def go(wizard: BtmgWizard, page: Page) -> None:
    while wizard.currentId() < PAGES.index(page):
        wizard.next()
    while wizard.currentId() > PAGES.index(page):
        wizard.back()


def line(wizard: BtmgWizard, page: Page, key: str) -> QLineEdit:
    widget = wizard.pages[page].findChild(QLineEdit, key)
    assert widget is not None, key
    return widget


def test_every_declared_input_is_named_by_its_key_and_labelled(qtbot: QtBot, store: Store) -> None:
    wizard = make(qtbot, store, svc.create(store, "Named", TODAY).id)
    for spec in REGISTRATION_FIELDS:
        matches = [w for w in wizard.findChildren(QWidget, spec.key) if w.accessibleName()]
        assert len(matches) == 1, spec.key
        assert matches[0].accessibleName() == spec.label
        assert matches[0].toolTip() == spec.help
    seasons = wizard.pages[Page.SEASONS]
    for season in SEASONS:
        tab = seasons.findChild(QWidget, f"season_{season.value}")
        assert tab is not None
        for spec in SEASON_FIELDS:
            widget = tab.findChild(QWidget, spec.key)
            assert widget is not None, (season, spec.key)
            assert widget.accessibleName() == f"{spec.label} ({season.label})"
    assert wizard.findChild(QWidget, "documents") is not None
    assert wizard.findChild(QCheckBox, "statements.1") is not None


def test_typing_is_autosaved_and_the_draft_reopens_on_its_page(qtbot: QtBot, store: Store) -> None:
    row = svc.create(store, "Autosave", TODAY)
    wizard = make(qtbot, store, row.id)
    with qtbot.waitSignal(wizard.draft_saved, timeout=3000):
        name = line(wizard, Page.REGISTRATION, "name")
        name.selectAll()
        qtbot.keyClicks(name, "Mill Street BTMG")
    saved = store.drafts.get(row.id)
    assert saved.name == "Mill Street BTMG"
    assert saved.payload["registration"]["name"] == "Mill Street BTMG"
    go(wizard, Page.CAPABILITY)
    qtbot.keyClicks(line(wizard, Page.CAPABILITY, "demand_reduction_mw"), "1.5")
    wizard.save_now()
    assert store.drafts.get(row.id).page == "capability"

    again = make(qtbot, store, row.id)
    assert again.currentId() == PAGES.index(Page.CAPABILITY)
    assert line(again, Page.CAPABILITY, "demand_reduction_mw").text() == "1.5"


def test_a_value_that_cannot_be_read_is_shown_under_its_field(qtbot: QtBot, store: Store) -> None:
    wizard = make(qtbot, store, svc.create(store, "Parse", TODAY).id)
    go(wizard, Page.CAPABILITY)
    field = line(wizard, Page.CAPABILITY, "demand_reduction_mw")
    with qtbot.waitSignal(wizard.draft_saved, timeout=3000):
        qtbot.keyClicks(field, "two")
    label = wizard.pages[Page.CAPABILITY].rows["demand_reduction_mw"].issues
    assert label.isVisible() and "'two' is not a number" in label.text()


def test_undo_puts_the_draft_back_as_it_was_opened(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    row = svc.create(store, "Keep me", TODAY)
    before = store.drafts.get(row.id)
    wizard = make(qtbot, store, row.id)
    name = line(wizard, Page.REGISTRATION, "name")
    name.selectAll()
    qtbot.keyClicks(name, "Changed")
    doc = tmp_path / "a.pdf"
    doc.write_bytes(b"%PDF")
    wizard.pages[Page.DOCUMENTS].add_files([doc])  # type: ignore[attr-defined]
    assert store.drafts.get(row.id).name == "Changed"
    wizard.undo_session()
    box = wizard.findChild(QMessageBox, "undo_session_dialog")
    assert box is not None
    with qtbot.waitSignal(wizard.draft_saved):
        box.button(QMessageBox.StandardButton.Discard).click()
    after = store.drafts.get(row.id)
    assert (after.name, after.payload, after.page) == (before.name, before.payload, before.page)
    assert store.documents.list(row.id) == []
    assert wizard.isVisible() and line(wizard, Page.REGISTRATION, "name").text() == "Keep me"


def test_close_keeps_the_edits_typed_just_before(qtbot: QtBot, store: Store) -> None:
    row = svc.create(store, "Quiet", TODAY)
    wizard = make(qtbot, store, row.id)
    assert wizard.buttonText(wizard.WizardButton.CancelButton) == "Close"
    name = line(wizard, Page.REGISTRATION, "name")
    name.selectAll()
    qtbot.keyClicks(name, "Typed then closed")
    with qtbot.waitSignal(wizard.rejected):
        wizard.close()
    assert store.drafts.get(row.id).name == "Typed then closed"


def test_copy_this_season_to_the_others(qtbot: QtBot, store: Store) -> None:
    gen = add_generator(store)
    row = svc.create(store, "Seasons", TODAY)
    wizard = make(qtbot, store, row.id)
    go(wizard, Page.SEASONS)
    page = wizard.pages[Page.SEASONS]
    summer = page.forms[Season.SUMMER]  # type: ignore[attr-defined]
    summer.picker.tick(f"generator:{gen}")
    summer.editors["max_interruptions"].widget.setText("6")
    page.write(wizard.enrollment)
    summer.copy_button.click()
    _, saved = svc.load(store, row.id, TODAY)
    for season in SEASONS:
        assert saved.seasons[season]["generators"] == (f"generator:{gen}",)
        assert saved.seasons[season]["max_interruptions"] == 6
    fall = page.forms[Season.FALL]  # type: ignore[attr-defined]
    assert fall.editors["max_interruptions"].widget.text() == "6"


def test_excluding_a_season_disables_its_fields_and_clears_its_issues(
    qtbot: QtBot, store: Store
) -> None:
    wizard = make(qtbot, store, svc.create(store, "Exclude", TODAY).id)
    go(wizard, Page.SEASONS)
    fall = wizard.pages[Page.SEASONS].forms[Season.FALL]  # type: ignore[attr-defined]
    assert fall.rows["notification"].issues.text() == "Fall: Notification is required"
    fall.editors["excluded"].widget.click()
    assert not fall.editors["notification"].widget.isEnabled()
    assert fall.rows["notification"].issues.text() == ""
    assert svc.load(store, wizard.draft_id, TODAY)[1].seasons[Season.FALL]["excluded"] is True


def test_generators_from_the_store_and_added_on_the_spot(qtbot: QtBot, store: Store) -> None:
    add_dgg(store, "Lakeside", (0.4, 0.35))
    add_generator(store, "Mill CHP", 2.5)
    wizard = make(qtbot, store, svc.create(store, "Gens", TODAY).id)
    go(wizard, Page.SEASONS)
    winter = wizard.pages[Page.SEASONS].forms[Season.WINTER]  # type: ignore[attr-defined]
    picker = winter.picker
    assert isinstance(picker, GeneratorPicker)
    labels = [picker.list.item(n).text() for n in range(picker.list.count())]
    assert labels == [
        "Lakeside (DGG, 750 kW)",
        "Lakeside / Roof 1 (DGG unit, 400 kW)",
        "Lakeside / Roof 2 (DGG unit, 350 kW)",
        "Mill CHP (Generator, 2.5 MW)",
    ]
    winter.add_generator.click()
    dialog = wizard.pages[Page.SEASONS].dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, AddGeneratorDialog)
    dialog.name.setText("Backup diesel")
    dialog.capacity.setText("500 kW")
    dialog.accept()
    _, saved = svc.load(store, wizard.draft_id, TODAY)
    assert [(g.name, g.capacity_mw) for g in saved.local_generators] == [("Backup diesel", 0.5)]
    assert saved.seasons[Season.WINTER]["generators"] == (saved.local_generators[0].ref,)
    # Every season's list offers the new generator.
    summer = wizard.pages[Page.SEASONS].forms[Season.SUMMER]  # type: ignore[attr-defined]
    assert summer.picker.list.count() == 5


def test_add_generator_dialog_explains_a_bad_capacity(qtbot: QtBot) -> None:
    dialog = AddGeneratorDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("G")
    dialog.capacity.setText("lots")
    dialog.accept()
    assert dialog.result_value is None and "not a capacity" in dialog.problem.text()


def test_step_banner_follows_the_focused_input(qtbot: QtBot, store: Store) -> None:
    wizard = make(qtbot, store, svc.create(store, "Banner", TODAY).id)
    go(wizard, Page.SEASONS)
    page = wizard.pages[Page.SEASONS]
    spring = page.forms[Season.SPRING]  # type: ignore[attr-defined]
    page.tabs.setCurrentWidget(spring)  # type: ignore[attr-defined]
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    spring.editors["notification"].widget.setFocus()
    qtbot.waitUntil(lambda: "Step 24" in page.step_banner.text())
    assert page.step_banner.text() == "Step 24 of 27 · Notification (Spring)"


def test_a_late_draft_offers_to_move_to_the_next_planning_year(qtbot: QtBot, store: Store) -> None:
    row = svc.create(store, "Late", date(2026, 1, 5))  # PY 2026-2027
    wizard = make(qtbot, store, row.id, today=date(2026, 3, 2))
    page = wizard.pages[Page.REGISTRATION]
    assert page.late_banner.isVisible()
    assert "Late for PY 2026-2027" in page.late_text.text()
    assert page.move_button.text() == "Mo&ve to PY 2027-2028"
    page.move_button.click()
    assert not page.late_banner.isVisible()
    assert svc.load(store, row.id)[1].planning_year == 2027
    assert "PY 2027-2028" in page.deadline_line.text()
    assert "Mar 1" in page.deadline_line.text()


def test_submit_with_issues_goes_to_the_first_one(qtbot: QtBot, store: Store) -> None:
    gen = add_generator(store)
    row = svc.create(store, "Almost", TODAY)
    enrollment = complete_enrollment((f"generator:{gen}",))
    enrollment.values["operator_email"] = "dana"
    svc.save(store, row.id, enrollment, on=TODAY, page="review")
    wizard = make(qtbot, store, row.id)
    assert wizard.currentId() == PAGES.index(Page.REVIEW)
    wizard.submit()
    assert wizard.currentId() == PAGES.index(Page.CAPABILITY)
    assert not (store.paths.root / "mect-sheets").exists()
    go(wizard, Page.REVIEW)
    review = wizard.pages[Page.REVIEW]
    assert "Not submitted" in review.result.text()  # type: ignore[attr-defined]


def test_activating_an_issue_opens_its_page(qtbot: QtBot, store: Store) -> None:
    wizard = make(qtbot, store, svc.create(store, "Jump", TODAY).id)
    go(wizard, Page.REVIEW)
    review = wizard.pages[Page.REVIEW]
    texts = [review.issue_list.item(n).text() for n in range(review.issue_list.count())]  # type: ignore[attr-defined]
    index = next(n for n, t in enumerate(texts) if "Winter: Notification is required" in t)
    review.issue_list.itemActivated.emit(review.issue_list.item(index))  # type: ignore[attr-defined]
    assert wizard.currentId() == PAGES.index(Page.SEASONS)
    seasons = wizard.pages[Page.SEASONS]
    assert seasons.tabs.currentWidget() is seasons.forms[Season.WINTER]  # type: ignore[attr-defined]


def test_the_step_sidebar_counts_issues_and_opens_steps(qtbot: QtBot, store: Store) -> None:
    wizard = make(qtbot, store, svc.create(store, "Sidebar", TODAY).id)
    nav = wizard.side.nav
    texts = [nav.item(i).text().strip() for i in range(nav.count())]
    assert texts[0] == "Registration · steps 4–15"
    assert "Seasons · steps 16–25" in texts and "Statements · step 26" in texts
    registration = wizard.side.item_for(Page.REGISTRATION.value)
    assert registration is not None and registration.text().endswith(")")  # a live count
    before = registration.text()
    owner = wizard.pages[Page.REGISTRATION].findChild(QWidget, "asset_owner")
    assert owner is not None
    owner.setFocus()
    qtbot.keyClicks(owner.lineEdit() or owner, "Northern Mills Energy LLC")  # type: ignore[attr-defined]
    wizard.save_now()
    assert wizard.side.item_for(Page.REGISTRATION.value).text() != before  # one fewer
    seasons = wizard.side.item_for(Page.SEASONS.value)
    nav.itemActivated.emit(seasons)
    assert wizard.current_page_key() is Page.SEASONS
    assert wizard.side.current_key() == Page.SEASONS.value


def test_ctrl_g_goes_to_a_step_by_its_number(qtbot: QtBot, store: Store) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QInputDialog

    wizard = make(qtbot, store, svc.create(store, "Go to", TODAY).id)
    from tests.conftest import activate

    activate(qtbot, wizard)
    qtbot.keyClick(
        wizard.focusWidget() or wizard, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier
    )
    dialog = wizard.findChild(QInputDialog, "go_to_step")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    box = dialog.findChild(QWidget, "qt_spinbox_lineedit") or QApplication.focusWidget()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "21")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_page_key() is Page.SEASONS)
    assert QApplication.focusWidget().objectName() == "max_interruptions"


def test_the_review_preview_jumps_to_any_field(qtbot: QtBot, store: Store) -> None:
    from PySide6.QtCore import QUrl

    wizard = make(qtbot, store, svc.create(store, "Jump", TODAY).id)
    go(wizard, Page.REVIEW)
    review = wizard.pages[Page.REVIEW]
    assert (
        "href='step:21:fall'" in review.preview.toHtml()
        or "step:21:fall" in review.preview.toHtml()
    )  # type: ignore[attr-defined]
    review.preview.anchorClicked.emit(QUrl("step:21:fall"))  # type: ignore[attr-defined]
    assert wizard.current_page_key() is Page.SEASONS
    seasons = wizard.pages[Page.SEASONS]
    assert seasons.tabs.currentWidget() is seasons.forms[Season.FALL]  # type: ignore[attr-defined]
    review_again = go(wizard, Page.REVIEW)
    assert review_again is None
    review.preview.anchorClicked.emit(QUrl("step:14:"))  # type: ignore[attr-defined]
    assert wizard.current_page_key() is Page.CAPABILITY
