"""The Documents page with a 200-unit group: a folder of 800 documents through the match
preview, several units at once from the checklist, the searchable unit picker, and counts
that agree everywhere and follow every edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.exchange.document_matching import MatchStatus
from desktop.models import dgg
from desktop.services.dgg import count, draft_issues, stored_draft_issues
from desktop.store import Store
from desktop.views.document_match_dialog import DocumentMatchDialog
from desktop.views.unit_picker import UnitPicker
from desktop.wizards.dgg_wizard import DggWizard
from desktop.wizards.pages.dgg_documents_page import DggDocumentsPage
from tests.dgg.document_folders import make_group, write_folder

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def open_documents(qtbot: QtBot, store: Store, draft_id: int) -> DggWizard:
    store.drafts.save(draft_id, page="documents")
    wizard = DggWizard(store, draft_id)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def page_of(wizard: DggWizard) -> DggDocumentsPage:
    page = wizard.current()
    assert isinstance(page, DggDocumentsPage)
    return page


def drop(page: DggDocumentsPage, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.dropEvent(event)


def wait_preview(qtbot: QtBot, page: DggDocumentsPage) -> DocumentMatchDialog:
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10000)
    assert page.preview is not None
    return page.preview


def nav_text(wizard: DggWizard, key: str) -> str:
    return wizard.nav.item(dgg.PAGES.index(key)).text()


def test_drop_a_folder_of_800_documents_correct_the_preview_and_attach(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    draft_id, units = make_group(store, "Maple", 200)
    folder = tmp_path / "Maple documents"
    write_folder(folder, units, size=64)
    # one file to decide: its name has no unit, the user picks it in the preview
    odd = folder / "scan 0001 interconnection.pdf"
    odd.write_bytes(b"%PDF-1.4 odd")
    (folder / "XE-4400000 interconnection.pdf").unlink()  # the file that odd one stands in for
    wizard = open_documents(qtbot, store, draft_id)
    page = page_of(wizard)
    assert nav_text(wizard, "documents").endswith("(200)")  # every unit lacks documents

    drop(page, [folder])
    preview = wait_preview(qtbot, page)
    assert preview.summary.text().startswith("800 files: 799 matched, 1 not matched, 0 ambiguous.")
    assert not page.session.documents  # nothing is stored before the preview is accepted
    # the preview opens on what needs a decision
    model = preview.model
    assert model.rowCount() == 1 and model.match_at(0).file.path == odd
    preview.select_rows([0])
    preview.unit.select_data(units[0]["uid"])
    preview.doc_type.setCurrentText("Interconnection Agreement")
    qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
    assert model.match_at(0).status is MatchStatus.MATCHED
    assert preview.attach_button.text() == "&Attach 800 documents"
    preview.show_filter.setCurrentIndex(0)
    assert model.rowCount() == 800
    qtbot.mouseClick(preview.attach_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(page.session.documents) == 800, timeout=20000)
    qtbot.waitUntil(lambda: not page.progress.isVisible())
    assert "Attached 800 files (800 documents)." in page.status.text()
    rows = page.checklist_model.rows
    assert len(rows) == 200 and all(not r.missing for r in rows)
    assert "(" not in nav_text(wizard, "documents")  # the step's count followed the attach
    assert odd.name in page.session.units[0]["documents"]

    # one truth: the steps, the Review page, the drafts list and `dgg check` agree
    expected = count(stored_draft_issues(store, draft_id))
    assert count(page.session.issues()) == expected
    assert store.drafts.get(draft_id).issue_summary == expected.summary
    wizard.goto_page(dgg.REVIEW)
    assert expected.summary != "No issues"  # the group is Mixed with residential units only
    assert expected.summary in wizard.review.verdict.text()


def test_several_units_selected_in_the_checklist_share_one_file(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id, units = make_group(store, "Maple", 12)
    wizard = open_documents(qtbot, store, draft_id)
    page = page_of(wizard)
    selection = page.checklist.selectionModel()
    for row in (2, 3, 4):
        index = page.checklist_model.index(row, 1)
        selection.select(index, QItemSelectionModel.SelectionFlag.Select)
    assert page.multi_target.isVisible() and not page.target.isEnabled()
    assert page.attach_button.text() == "&Attach files to 3 units…"
    agreement = tmp_path / "group interconnection agreement.pdf"
    agreement.write_bytes(b"%PDF-1.4 group-wide")
    page.doc_type.setCurrentText("Interconnection Agreement")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(agreement)], ""))
    qtbot.mouseClick(page.attach_button, Qt.MouseButton.LeftButton)
    docs = page.session.documents
    assert sorted(d.unit_uid or "" for d in docs) == [units[n]["uid"] for n in (2, 3, 4)]
    assert all(d.filename == agreement.name for d in docs)
    lacking = {r.uid: r.missing for r in page.checklist_model.rows}
    assert "Interconnection Agreement" not in lacking[units[3]["uid"]]
    assert "Interconnection Agreement" in lacking[units[5]["uid"]]


def test_the_unit_picker_searches_name_meter_and_address(qtbot: QtBot) -> None:
    from tests.dgg.document_folders import group_units

    picker = UnitPicker()
    qtbot.addWidget(picker)
    picker.set_units(group_units(201), extra=[("The whole group", None)])
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.count() == 202
    popup = picker.open_search("4400123")
    assert popup.matches() == [
        "Unit 124: Maple Solar 124 (XE-4400123) — 4123 Prairie Rd, Saint Paul"
    ]
    popup.search.setText("cedar 4149")
    assert popup.matches() == ["Unit 150: Maple Solar 150 (XE-4400149) — 4149 Cedar St, Saint Paul"]
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert picker.currentData() == "unit-00149"
    assert not popup.isVisible()
    # typing on the closed picker opens the search with what was typed
    picker.setFocus()
    qtbot.keyClicks(picker, "X")
    qtbot.waitUntil(lambda: picker.popup_frame is not None and picker.popup_frame.isVisible())
    popup = picker.popup_frame
    assert popup is not None and popup.search.text() == "X"
    qtbot.keyClicks(popup.search, "E-4400007")
    assert popup.matches() == ["Unit 8: Maple Solar 8 (XE-4400007) — 4007 Prairie Rd, Saint Paul"]
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible() and picker.currentData() == "unit-00149"


def test_counts_follow_every_edit_and_the_schedule_a_note_goes(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """Issue 14: 'Owner (20)' did not change while typing; the Schedule A note stayed."""
    draft_id, _units = make_group(store, "Maple", 5)
    store.drafts.save(draft_id, page="owner")
    wizard = DggWizard(store, draft_id)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    session = wizard.session
    assert "(" not in nav_text(wizard, "owner")
    city = wizard.current().findChild(QLineEdit, "owner_city")
    city.setFocus()
    city.selectAll()
    qtbot.keyClick(city, Qt.Key.Key_Delete)  # the city is required: one issue, at once
    assert nav_text(wizard, "owner").endswith("(1)")
    assert count(session.issues()).on_page("owner") == 1
    qtbot.keyClicks(city, "Minneapolis")
    assert "(" not in nav_text(wizard, "owner")

    # a unit not owned: the Units page notes the Schedule A until it is attached
    changed = [dict(u) for u in session.units]
    changed[1]["owned_by_org"] = False
    session.set_units(changed)
    note = [i for i in session.issues() if i.field == "owned_by_org"]
    assert len(note) == 1 and note[0].row == 1
    schedule = tmp_path / "schedule a.pdf"
    schedule.write_bytes(b"%PDF-1.4 A")
    session.add_document(schedule, "Schedule A", changed[1]["uid"])
    assert [i for i in session.issues() if i.field == "owned_by_org"] == []
    assert session.issues() == draft_issues(session.group, session.units, session.documents)
    # the Units page of a group with units never says to add the first one
    assert all(i.message != dgg.no_units_issue().message for i in session.issues())
    units_label = wizard.pages[dgg.PAGES.index("units")].findChild(QLabel, "units__issue")
    assert dgg.no_units_issue().message not in units_label.text()
