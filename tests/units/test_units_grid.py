"""The units grid with real widgets: model checks, paste, fill down, undo/redo, sort, filter."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDateEdit, QStyleOptionViewItem
from units_factories import GROUP, TODAY, make_units

from desktop.exchange import units_rules
from desktop.exchange.units_file import export_units
from desktop.views import units_commands as commands
from desktop.views.units_clipboard import parse_tsv, to_tsv
from desktop.views.units_delegates import CapacityEditor
from desktop.views.units_grid_view import UnitsGridView
from desktop.views.units_table_model import COLUMN_OF, UnitsTableModel

# The offscreen platform warns about size hints whenever a window is shown; nothing to fix.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
COD, CAP, METER, NAME, STATE = (
    COLUMN_OF[k] for k in ("cod", "capacity_mw", "meter_id", "name", "state_province")
)


def model_with(units: list[dict[str, Any]]) -> UnitsTableModel:
    model = UnitsTableModel(units, GROUP, validate=False)
    model.today = TODAY
    model.revalidate()
    return model


@pytest.fixture
def view(qtbot: Any, store: Any, dgg: Any) -> UnitsGridView:
    widget = UnitsGridView(store, dgg.id)
    widget.model.today = TODAY
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget._checked)
    return widget


def saved(store: Any, draft_id: int) -> list[dict[str, Any]]:
    return units_rules.units_from_json(store.units.list(draft_id))


# --- The model -------------------------------------------------------------------------------


def test_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    units = make_units(30)
    units[3]["cod"] = None
    units[4]["meter_id"] = units[5]["meter_id"]
    model = model_with(units)
    qtmodeltester.check(model)
    model.sort(CAP, Qt.SortOrder.DescendingOrder)
    model.set_filter("saint")
    qtmodeltester.check(model)


def test_clipboard_text_round_trip() -> None:
    rows = [["a", "tab\there", 'quote "x"'], ["line\nbreak", "", "z"]]
    assert parse_tsv(to_tsv(rows)) == rows
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]  # Excel's line ends
    assert parse_tsv("x\n\ny\n") == [["x"], [""], ["y"]]


def test_cells_with_issues_are_marked_with_the_message() -> None:
    units = make_units(5)
    units[2]["capacity_mw"] = 1.5
    model = model_with(units)
    index = model.index(2, CAP)
    assert "above the 1 MW AC limit" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, CAP), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "1.5 MW"
    assert model.data(model.index(1, CAP), Qt.ItemDataRole.DisplayRole).endswith(" kW")


def test_sort_inside_the_model_keeps_empty_cells_last() -> None:
    units = make_units(50)
    units[7]["cod"] = None
    model = model_with(units)
    model.sort(COD, Qt.SortOrder.AscendingOrder)
    cods = [model.unit_at(r)["cod"] for r in range(model.rowCount())]
    assert cods[-1] is None and cods[:-1] == sorted(c for c in cods if c)
    model.sort(COD, Qt.SortOrder.DescendingOrder)
    cods = [model.unit_at(r)["cod"] for r in range(model.rowCount())]
    assert cods[-1] is None and cods[:-1] == sorted((c for c in cods if c), reverse=True)
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    assert model.unit_at(0)["name"] == "Site 00049"


def test_text_filter_and_only_issues() -> None:
    units = make_units(40)
    units[5]["city"] = "Grand Marais"
    units[9]["utility"] = None
    model = model_with(units)
    model.set_filter("grand marais")
    assert [model.unit_at(r)["city"] for r in range(model.rowCount())] == ["Grand Marais"]
    model.set_filter("", only_issues=True)
    assert [model.unit_at(r)["name"] for r in range(model.rowCount())] == ["Site 00009"]
    model.set_filter("", only_issues=False)
    assert model.rowCount() == 40


def test_next_and_previous_issue_wrap_around() -> None:
    units = make_units(10)
    units[2]["cod"] = None
    units[7]["capacity_mw"] = None
    model = model_with(units)
    assert model.next_issue(0, -1) == (2, COD)
    assert model.next_issue(2, COD) == (7, CAP)
    assert model.next_issue(7, CAP) == (2, COD)
    assert model.next_issue(2, COD, backwards=True) == (7, CAP)
    assert model_with(make_units(3)).next_issue(0, 0) == (-1, -1)


# --- Editing through the view ------------------------------------------------------------------


def test_paste_block_validates_adds_rows_and_undoes_in_one_step(
    view: UnitsGridView, store: Any, dgg: Any
) -> None:
    model = view.model
    view.select_block(18, NAME, 18, NAME)
    block = [[f"New {i}", f"N{i}"] for i in range(4)]
    outcome = view.paste(to_tsv(block))
    assert outcome.refused == []
    assert model.rowCount() == 22  # two rows changed, two added past the last row
    assert [model.unit_at(r)["meter_id"] for r in range(18, 22)] == ["N0", "N1", "N2", "N3"]
    view.flush()
    assert len(saved(store, dgg.id)) == 22
    view.undo_stack.undo()
    assert model.rowCount() == 20 and model.unit_at(18)["name"] == "Site 00018"
    view.flush()
    assert len(saved(store, dgg.id)) == 20
    view.undo_stack.redo()
    assert model.rowCount() == 22


def test_paste_refuses_unreadable_cells_and_reports_them(view: UnitsGridView) -> None:
    view.select_block(0, CAP, 0, CAP)
    outcome = view.paste("7.6 kW\tnot a date\n0.004\t1/5/2025\n")
    assert outcome.refused == [
        "row 1, Commenced operation date: 'not a date' is not a date "
        "(expected MM/DD/YYYY or YYYY-MM-DD)"
    ]
    assert view.model.unit_at(0)["capacity_mw"] == 0.0076
    assert view.model.unit_at(1)["capacity_mw"] == 0.004
    assert view.model.unit_at(1)["cod"] == date(2025, 1, 5)
    assert view.message.isVisible() and "not pasted" in view.message.text()


def test_one_value_pasted_over_a_selection_fills_it(view: UnitsGridView) -> None:
    view.select_block(2, STATE, 6, STATE)
    view.paste("WI")
    assert {view.model.unit_at(r)["state_province"] for r in range(2, 7)} == {"Wisconsin"}
    assert view.model.unit_at(7)["state_province"] == "Minnesota"
    tip = view.model.data(view.model.index(3, STATE), Qt.ItemDataRole.ToolTipRole)
    assert "must be in Minnesota" in tip


def test_big_paste_is_one_undo_step(qtbot: Any, store: Any) -> None:
    draft = store.drafts.create("dgg", "Big", dict(GROUP))
    store.units.replace_all(draft.id, units_rules.units_to_json(make_units(2000)))
    widget = UnitsGridView(store, draft.id)
    qtbot.addWidget(widget)
    before = widget.model.units
    block = [[f"P{r}", f"X{r}", "2 Elm St", "Duluth", "MN"] for r in range(2500)]
    widget.select_block(0, NAME, 0, NAME)
    widget.paste(to_tsv(block))
    assert widget.model.rowCount() == 2500 and widget.undo_stack.count() == 1
    widget.undo_stack.undo()
    assert widget.model.units == before
    widget.flush()
    assert len(saved(store, draft.id)) == 2000


def test_copy_puts_a_rectangle_on_the_clipboard(view: UnitsGridView) -> None:
    view.select_block(0, NAME, 1, METER)
    view.copy()
    assert parse_tsv(QGuiApplication.clipboard().text()) == [
        ["Site 00000", "M100000"],
        ["Site 00001", "M100001"],
    ]


def test_fill_down_delete_insert_and_remove_rows(view: UnitsGridView, store: Any, dgg: Any) -> None:
    model = view.model
    view.select_block(0, COD, 4, COD)
    view.fill_down()
    assert {model.unit_at(r)["cod"] for r in range(5)} == {model.unit_at(0)["cod"]}
    view.select_block(1, NAME, 2, METER)
    view.clear_cells()
    assert model.unit_at(1)["name"] is None and model.unit_at(2)["meter_id"] is None
    assert "required" in model.data(model.index(1, NAME), Qt.ItemDataRole.ToolTipRole)
    view.select_block(3, 0, 4, 0)
    view.insert_rows()
    assert model.rowCount() == 22 and model.unit_at(3)["name"] is None
    view.select_block(3, 0, 4, 0)
    view.remove_rows()
    assert model.rowCount() == 20
    for _ in range(4):
        view.undo_stack.undo()
    assert model.unit_at(1)["name"] == "Site 00001"
    view.flush()
    assert [u["name"] for u in saved(store, dgg.id)][:3] == [
        "Site 00000",
        "Site 00001",
        "Site 00002",
    ]


def test_delete_key_clears_and_f8_jumps(view: UnitsGridView, qtbot: Any) -> None:
    view.table.setFocus()
    view.select_block(4, CAP, 4, CAP)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert view.model.unit_at(4)["capacity_mw"] is None
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    assert (view.table.currentIndex().row(), view.table.currentIndex().column()) == (4, CAP)
    assert "required" in view.message.text()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.model.unit_at(4)["capacity_mw"] is not None
    assert view.issues_label.text() == "0 issues"


def test_sort_and_undo_across_a_sort(view: UnitsGridView) -> None:
    model = view.model
    view.select_block(0, NAME, 0, NAME)
    view.paste("Zed")
    view.table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    assert model.unit_at(0)["name"] == "Zed"
    view.undo_stack.undo()  # the undo finds the unit by uid, wherever the sort put it
    assert model.unit_at(0)["name"] == "Site 00000"  # rows stay put until the next sort
    assert "Zed" not in {u["name"] for u in model.units}


def test_filter_box_and_only_issues_checkbox(view: UnitsGridView) -> None:
    view.select_block(3, COD, 3, COD)
    view.clear_cells()
    view.only_issues.setChecked(True)
    assert view.model.rowCount() == 1
    assert view.count_label.text() == "20 units (1 shown)"
    view.only_issues.setChecked(False)
    view.filter_edit.setText("site 00012")
    assert [view.model.unit_at(0)["name"]] == ["Site 00012"] and view.model.rowCount() == 1


def test_footer_bar_turns_red_past_the_group_limit(view: UnitsGridView) -> None:
    assert "of 1 MW AC" in view.total_bar.format() and not view.total_over_limit
    view.select_block(0, CAP, 0, CAP)
    view.paste("0.999 MW")
    assert view.total_over_limit
    assert "e57373" in view.total_bar.styleSheet()
    assert "over the 1 MW AC limit" in view.total_bar.toolTip()


def test_editors_by_type(view: UnitsGridView, qtbot: Any) -> None:
    delegate = view.table.itemDelegate()
    kinds = {
        STATE: QComboBox,
        COLUMN_OF["owned_by_org"]: QComboBox,
        COD: QDateEdit,
        CAP: CapacityEditor,
    }
    for column, kind in kinds.items():
        index = view.model.index(0, column)
        editor = delegate.createEditor(view.table.viewport(), QStyleOptionViewItem(), index)
        assert isinstance(editor, kind)
        delegate.setEditorData(editor, index)
        if isinstance(editor, CapacityEditor):
            assert editor.text().endswith("kW")
            editor.set_text("0.0076")
            assert editor.unit.text() == "MW AC = 7.6 kW"
            editor.set_text("12 kW")
            assert editor.unit.text() == "= 12 kW AC"
        delegate.setModelData(editor, view.model, index)
        editor.deleteLater()
    assert view.model.unit_at(0)["capacity_mw"] == 0.012


def test_edit_refused_for_an_unreadable_value(view: UnitsGridView) -> None:
    assert not view.model.setData(view.model.index(0, CAP), "lots")
    assert "not a capacity" in view.message.text()
    assert view.model.setData(view.model.index(0, CAP), "5 kW")
    assert view.model.unit_at(0)["capacity_mw"] == 0.005


# --- Import through the dialog -----------------------------------------------------------------


def test_import_dialog_previews_and_commits_only_valid(
    view: UnitsGridView, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.views.units_import_dialog import UnitsImportDialog

    units = make_units(5, seed=3)
    units[1]["cod"] = date(2031, 1, 1)
    export_units(tmp_path / "in.xlsx", units)
    dialog = UnitsImportDialog(tmp_path / "in.xlsx", view.model.units, view.model.group)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=10_000)
    assert not dialog.import_all.isEnabled() and dialog.import_valid.isEnabled()
    assert "4</b> without errors" in dialog.summary.text()
    issues = dialog.issues_view.model()
    assert issues.data(issues.index(0, 0)) == "3"  # spreadsheet row of the bad unit
    dialog.import_valid.click()
    assert dialog.result() == UnitsImportDialog.DialogCode.Accepted
    view.apply_import(dialog.units, "in.xlsx")
    assert view.model.rowCount() == 4
    view.undo_stack.undo()
    assert view.model.rowCount() == 20


def test_import_dialog_maps_unknown_headers(
    view: UnitsGridView, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.views.units_import_dialog import UnitsImportDialog

    export_units(tmp_path / "in.csv", make_units(2))
    text = (
        (tmp_path / "in.csv")
        .read_text(encoding="utf-8-sig")
        .replace("Interconnected utility", "Netz")
    )
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    dialog = UnitsImportDialog(tmp_path / "in.csv", [], GROUP)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1, timeout=10_000)
    box = dialog.mapping_boxes["Netz"]
    box.setCurrentIndex(box.findData("utility"))
    dialog.map_continue.click()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=10_000)
    dialog.import_all.click()
    assert [u["utility"] for u in dialog.units] == ["Xcel Energy", "Xcel Energy"]


def test_import_dialog_shows_a_bad_file_and_changes_nothing(
    view: UnitsGridView, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.views.units_import_dialog import UnitsImportDialog

    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    dialog = UnitsImportDialog(tmp_path / "bad.xlsx", [], GROUP)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 3, timeout=10_000)
    assert "not a readable .xlsx" in dialog.failure.text()
    assert "Nothing was changed" in dialog.failure.text()


def test_commands_refer_to_units_by_uid() -> None:
    model = model_with(make_units(4))
    stack = model.undo_stack
    stack.push(commands.remove_units(model, [1, 2]))
    assert [u["name"] for u in model.units] == ["Site 00000", "Site 00003"]
    stack.undo()
    assert [u["name"] for u in model.units] == [
        "Site 00000",
        "Site 00001",
        "Site 00002",
        "Site 00003",
    ]


def test_grid_saves_keep_the_draft_summary_current(
    view: UnitsGridView, store: Any, dgg: Any
) -> None:
    view.select_block(0, NAME, 0, NAME)
    view.clear_cells()
    view.flush()
    after = store.drafts.get(dgg.id)
    assert saved(store, dgg.id)[0]["name"] is None
    assert after.issue_count >= 1 and "issue" in after.issue_summary
