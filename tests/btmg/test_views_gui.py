"""The home widget (BTMG drafts by urgency, tray reminders) and the MECT reference lists page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.commands import btmg as svc
from desktop.models import reference
from desktop.store import Store
from desktop.views.btmg_deadlines_view import (
    BtmgDeadlinesView,
    Column,
    notify_due_drafts,
    reminder_messages,
)
from desktop.views.reference_lists_view import ReferenceListsView, mect_list_names
from tests.btmg.conftest import add_generator, complete_enrollment

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
FEB_3 = date(2026, 2, 3)


def seed(store: Store) -> dict[str, int]:
    """A late draft, two incomplete ones for PY 2026-2027, a complete one, a submitted one."""
    ids = {
        "late": svc.create(store, "Depot (late)", date(2025, 1, 5)).id,
        "next": svc.create(store, "Next year", FEB_3).id,
        "soon": svc.create(store, "Soon", FEB_3).id,
        "complete": svc.create(store, "Complete", FEB_3).id,
        "done": svc.create(store, "Done", FEB_3).id,
    }
    gen = add_generator(store)
    for key in ("complete", "done"):
        e = complete_enrollment((f"generator:{gen}",))
        e.values["name"] = key.capitalize()
        svc.save(store, ids[key], e, on=FEB_3)
    (folder := store.paths.root / "sheets").mkdir()
    svc.submit(store, ids["done"], [folder / "done.xlsx"], FEB_3)
    svc.mark_entered(store, ids["done"], "BTMG-1", FEB_3, FEB_3)
    _, e = svc.load(store, ids["next"], FEB_3)
    e.planning_year = 2027
    svc.save(store, ids["next"], e, on=FEB_3)
    return ids


def test_drafts_are_listed_by_urgency_with_both_countdowns(qtbot: QtBot, store: Store) -> None:
    seed(store)
    view = BtmgDeadlinesView(store, clock=lambda: FEB_3)
    qtbot.addWidget(view)
    model = view.model
    names = [model.index(r, Column.NAME).data() for r in range(model.rowCount())]
    assert names[0] == "Depot (late)" and names[-1] == "Done"
    assert names.index("Complete") < names.index("Next year")
    assert set(names[1:3]) == {"Complete", "Soon"}
    soon = names.index("Soon")
    assert model.index(soon, Column.YEAR).data() == "PY 2026-2027"
    assert model.index(soon, Column.FRAP).data() == "12 days (Feb 15, 2026, a Sunday)"
    assert model.index(soon, Column.REQUIRED).data() == "26 days (Mar 01, 2026, a Sunday)"
    assert model.index(0, Column.YEAR).data() == "PY 2025-2026 (late)"
    assert model.index(0, Column.REQUIRED).data() == "passed (Mar 01, 2025)"
    assert model.index(len(names) - 1, Column.REQUIRED).data() == "entered in MECT"
    assert model.index(soon, Column.NAME).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "1 late" in view.heading.text() and "1 incomplete within 14 days" in view.heading.text()


def test_the_deadlines_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester, store: Store
) -> None:  # type: ignore[no-untyped-def]
    seed(store)
    view = BtmgDeadlinesView(store, clock=lambda: FEB_3)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)


def test_a_late_draft_moves_to_the_next_planning_year(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    view = BtmgDeadlinesView(store, clock=lambda: FEB_3)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    assert view.move_button.isEnabled()
    with qtbot.waitSignal(view.moved) as moved:
        view.move_button.click()
    assert moved.args == [ids["late"]]
    assert svc.load(store, ids["late"])[1].planning_year == 2026
    assert view.model.index(0, Column.NAME).data() != "Depot (late)"
    view.table.selectRow(0)
    assert not view.move_button.isEnabled()


def test_open_emits_the_draft_id(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    view = BtmgDeadlinesView(store, clock=lambda: FEB_3)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    with qtbot.waitSignal(view.open_requested) as opened:
        view.open_button.click()
    assert opened.args == [ids["late"]]


def test_reminders_for_incomplete_drafts_within_14_days_once_a_day(store: Store) -> None:
    ids = seed(store)
    messages = dict(reminder_messages(store, FEB_3))
    assert set(messages) == {ids["soon"]}  # complete, submitted, late and next-year: none
    assert "'Soon' (PY 2026-2027) is incomplete" in messages[ids["soon"]]
    assert "the FRAP date Feb 15 is in 12 days" in messages[ids["soon"]]
    assert reminder_messages(store, date(2026, 1, 31)) == []  # 15 days before Feb 15
    shown: set[tuple[int, date]] = set()
    first = notify_due_drafts(store, None, clock=lambda: FEB_3, already=shown)
    assert first == [messages[ids["soon"]]]
    assert notify_due_drafts(store, None, clock=lambda: FEB_3, already=shown) == []
    on_the_day = notify_due_drafts(store, None, clock=lambda: date(2026, 3, 1), already=shown)
    assert on_the_day and "enrollment deadline Mar 01 is today" in on_the_day[0]


def test_reference_lists_page_lists_every_mect_list(qtbot: QtBot) -> None:
    view = ReferenceListsView()
    qtbot.addWidget(view)
    assert view.names.count() == len(mect_list_names()) == 9
    view.select("mect_lbas")
    assert view.columns == ["value", "zone"]
    assert "Verify against MECT" in view.note.text()
    assert view.model.index(0, 0).data() == "DPC" and view.model.index(0, 1).data() == "1"


def test_edit_and_save_a_list_puts_it_in_force(qtbot: QtBot) -> None:
    view = ReferenceListsView()
    qtbot.addWidget(view)
    view.select("mect_asset_owners")
    view.add_row()
    view.model.setData(view.model.index(0, 0), "Northern Mills Energy LLC")
    assert view.dirty
    with qtbot.waitSignal(view.list_saved):
        assert view.save()
    assert reference.choices("mect_asset_owners") == ("Northern Mills Energy LLC",)
    assert "Your edited copy is in force" in view.status.text() or "Saved" in view.status.text()
    view.reset()
    assert reference.choices("mect_asset_owners") == ()


def test_zone_numbers_stay_numbers_and_duplicates_are_refused(qtbot: QtBot) -> None:
    view = ReferenceListsView()
    qtbot.addWidget(view)
    view.select("mect_lbas")
    view.add_row()
    last = view.model.rowCount() - 1
    view.model.setData(view.model.index(last, 0), "NEWLBA")
    view.model.setData(view.model.index(last, 1), "11")
    assert view.save()
    assert {"value": "NEWLBA", "zone": 11} in reference.entries("mect_lbas")
    view.add_row()
    view.model.setData(view.model.index(view.model.rowCount() - 1, 0), "nsp")
    assert not view.save()
    assert "listed twice" in view.status.text()


def test_import_and_export(qtbot: QtBot, tmp_path: Path) -> None:
    view = ReferenceListsView()
    qtbot.addWidget(view)
    view.select("mect_notification_times")
    exported = view.export_file(tmp_path / "n.json")
    doc = json.loads(exported.read_text(encoding="utf-8"))
    assert doc["name"] == "mect_notification_times" and "6 hours" in doc["values"]
    doc["values"].append("8 hours")
    (tmp_path / "more.json").write_text(json.dumps(doc), encoding="utf-8")
    assert view.import_file(tmp_path / "more.json")
    assert reference.choices("mect_notification_times")[-1] == "8 hours"
    (tmp_path / "other.json").write_text(json.dumps({"name": "mect_lbas", "values": []}))
    assert not view.import_file(tmp_path / "other.json")
    assert "holds the list 'mect_lbas'" in view.status.text()
    (tmp_path / "broken.json").write_text("{")
    assert not view.import_file(tmp_path / "broken.json")
    assert "cannot be read as JSON" in view.status.text()
    assert reference.choices("mect_notification_times")[-1] == "8 hours"


def test_a_draft_never_checked_is_not_complete(store: Store) -> None:
    """A draft made outside the wizard (no issue summary yet) is reminded like an incomplete
    one, not taken for complete because it has no issues counted."""
    d = store.drafts.create("btmg", "Imported site", {})
    (message,) = [text for draft_id, text in reminder_messages(store, FEB_3) if draft_id == d.id]
    assert "'Imported site'" in message and "(not checked yet)" in message
