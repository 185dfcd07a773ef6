"""The Generators & Generation area driven as a user would: keyboard, files, preview, upload."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from gen_gui_helpers import TODAY, solar_rows, write_meter_csv
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
)

from desktop.cli import main
from desktop.models.generator_draft import KIND, GeneratorDraft
from desktop.store import Store
from desktop.views.generation_view import TAB_PREVIEW, TAB_SPLIT, GenerationView
from desktop.views.meter_mapping_dialog import set_combo_text
from desktop.views.preview_table_model import Col
from tests.conftest import activate

pytestmark = pytest.mark.gui


def fill(view: GenerationView, **values: str) -> None:
    """Type into the generator form's fields (by field key), as the keyboard does."""
    for key, text in values.items():
        edit = view.form.input(key)
        assert isinstance(edit, QLineEdit)
        edit.setFocus()
        edit.selectAll()
        edit.insert(text)  # emits textEdited like typing


def check_fuels(view: GenerationView, *fuels: str) -> None:
    box = view.form.input("fuels")
    assert isinstance(box, QListWidget)
    for i in range(box.count()):
        if box.item(i).text() in fuels:
            box.item(i).setCheckState(Qt.CheckState.Checked)


def solar_generator(view: GenerationView, **extra: str) -> None:
    view.new_generator()
    values = {
        "name": "Olson rooftop",
        "mrets_id": "M805",
        "reporting_unit_id": "OLSON-1",
        "nameplate_mw": "7.6 kW",
        "capacity_factor": "25",
    }
    values.update(extra)
    fill(view, **values)
    check_fuels(view, "Solar")


def read(qtbot, view: GenerationView, *paths: Path, zone: str | None = "America/Chicago") -> None:  # type: ignore[no-untyped-def]
    view.tabs.setCurrentIndex(1)
    view.meter.add_files(list(paths))
    if zone:
        view.meter.tz.setCurrentIndex(view.meter.tz.findData(zone))
    qtbot.mouseClick(view.meter.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.meter.running, timeout=20000)


def stored(store: Store, name: str) -> GeneratorDraft:
    return GeneratorDraft.from_payload(store.drafts.by_name(KIND, name).payload)


def statuses(view: GenerationView) -> list[tuple[str, str]]:
    m = view.preview_panel.model
    return [(m.month_at(r).vintage, m.month_at(r).status_text) for r in range(m.rowCount())]


def test_create_a_generator_with_the_keyboard(qtbot, view: GenerationView, store: Store) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    name = view.form.input("name")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)
    assert view.tabs.currentIndex() == 0
    qtbot.keyClicks(name, "Olson rooftop")  # the suggested name is selected: typing replaces it
    for key, text in (
        ("mrets_id", "M805"),
        ("reporting_unit_id", "OLSON-1"),
        ("reporting_entity", ""),
        ("registration_date", "2025-02-10"),
        ("nameplate_mw", "7.6 kW"),
        ("capacity_factor", "18.5"),
    ):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is view.form.input(key)
        qtbot.keyClicks(QApplication.focusWidget(), text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # maximum annual energy
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # the fuels list
    fuels = view.form.input("fuels")
    assert QApplication.focusWidget() is fuels
    assert isinstance(fuels, QListWidget)
    fuels.keyboardSearch("Solar")
    assert fuels.currentItem().text() == "Solar"
    qtbot.keyClick(fuels, Qt.Key.Key_Space)
    assert fuels.currentItem().checkState() == Qt.CheckState.Checked
    qtbot.waitUntil(lambda: store.list_drafts(KIND)[0].name == "Olson rooftop", timeout=3000)
    draft = stored(store, "Olson rooftop")
    assert draft.record["mrets_id"] == "M805"
    assert draft.record["nameplate_mw"] == pytest.approx(0.0076)
    assert draft.record["registration_date"] == date(2025, 2, 10)
    assert draft.record["fuels"] == ("Solar",)
    assert draft.generator() is not None
    assert store.list_drafts(KIND)[0].issue_summary == "No issues"
    assert view.list.selected().name == "Olson rooftop"


def test_missing_fields_are_shown_under_them(qtbot, view: GenerationView) -> None:  # type: ignore[no-untyped-def]
    view.new_generator()
    fill(view, mrets_id="X12")
    issue = view.form.form.editor("mrets_id").issue_label
    assert issue.isVisibleTo(view) and "M followed by digits" in issue.text()
    view.tabs.setCurrentIndex(TAB_PREVIEW)
    assert "Complete the generator first" in view.preview_panel.blocked.text()
    assert view.preview_panel.model.rowCount() == 0


def test_read_meter_file_preview_rows_and_statuses(
    qtbot, view: GenerationView, solar_csv: Path, store: Store
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    read(qtbot, view, solar_csv)
    assert "0 refused" in view.meter.summary.text()
    assert "6 whole month(s) 02/2025–07/2025" in view.meter.summary.text()
    assert "Daylight saving in America/Chicago" in view.meter.notes.text()
    rows = statuses(view)
    assert [v for v, _s in rows] == [f"{m:02d}/2025" for m in range(2, 8)]
    m = view.preview_panel.model
    first = m.month_at(0)
    assert first.on_peak_mwh is not None and first.off_peak_mwh is not None
    # MWh is rounded to whole kWh as the upload carries it; the peak split is not
    assert first.on_peak_mwh + first.off_peak_mwh == pytest.approx(first.mwh, abs=5e-4)
    # the carry: each month starts with the last one's remainder, whole MWh become certificates
    for r in range(1, m.rowCount()):
        assert m.month_at(r).carry_in_mwh == pytest.approx(m.month_at(r - 1).carry_out_mwh)
    for r in range(m.rowCount()):
        mp = m.month_at(r)
        if not mp.reasons:
            assert mp.certificates == int(mp.carry_in_mwh + mp.mwh + 1e-9)
    assert {s for _v, s in rows} <= {"Issued", "Accepted"}
    assert m.data(m.index(0, Col.DAYS_LEFT)) == str((date(2026, 2, 28) - TODAY).days)
    tip = m.data(m.index(0, Col.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "registry decides" in tip
    assert view.preview_panel.banner.text().startswith("<b>Prediction — the registry decides")
    assert view.preview_panel.chart.bars and len(view.preview_panel.chart.bars) == 6
    assert len(stored(store, "Olson rooftop").workspace.read_months) == 6  # kept for next time


def test_pending_reasons_are_shown(qtbot, view: GenerationView, solar_csv: Path) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view, capacity_factor="5")  # the array makes far more than 5 % in summer
    read(qtbot, view, solar_csv)
    rows = dict(statuses(view))
    assert rows["06/2025"] == "Pending: Capacity Feasibility"
    m = view.preview_panel.model
    r = [m.month_at(i).vintage for i in range(m.rowCount())].index("06/2025")
    tip = m.data(m.index(r, Col.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "Capacity Feasibility (likely)" in tip and "expected" in tip
    assert m.data(m.index(r, Col.STATUS), Qt.ItemDataRole.BackgroundRole).alpha() > 0


@pytest.mark.parametrize(
    ("granularity", "layout", "header"),
    [("monthly", 5, False), ("hourly", 5, False), ("hourly", 6, True)],
)
def test_build_matches_the_command_line(  # type: ignore[no-untyped-def]
    qtbot,
    view: GenerationView,
    solar_csv: Path,
    tmp_path: Path,
    monkeypatch,
    granularity,
    layout,
    header,
) -> None:
    solar_generator(view)
    read(qtbot, view, solar_csv)
    out = tmp_path / f"window-{granularity}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    panel = view.preview_panel
    panel.granularity.setCurrentIndex(panel.granularity.findData(granularity))
    panel.layout_choice.setCurrentIndex(panel.layout_choice.findData(layout))
    panel.header.setChecked(header)
    qtbot.mouseClick(panel.build_button, Qt.MouseButton.LeftButton)
    written = out.with_suffix(".csv")
    assert written.is_file(), panel.build_status.text()
    assert "Wrote" in panel.build_status.text()
    cli_out = tmp_path / "cli.csv"
    args = [
        "generation", "build", "--input", str(solar_csv), "--input-tz", "America/Chicago",
        "--generator-id", "M805", "--unit-id", "OLSON-1", "--granularity", granularity,
        "--hourly-layout", str(layout), "--nameplate-mw", "0.0076", "--out", str(cli_out),
    ] + (["--header"] if header else [])  # fmt: skip
    assert main(args) == 0
    assert written.read_bytes() == cli_out.read_bytes()


def test_hourly_build_needs_a_read_in_this_session(
    qtbot, view: GenerationView, solar_csv: Path, store: Store, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    read(qtbot, view, solar_csv)
    view._flush()
    again = GenerationView(store, settings, today=lambda: TODAY)  # a later session
    qtbot.addWidget(again)
    assert again.preview_panel.model.rowCount() == 6  # the months were kept
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("asked"))
    panel = again.preview_panel
    panel.granularity.setCurrentIndex(panel.granularity.findData("hourly"))
    assert again.build_upload() is None
    assert "Read files" in panel.build_status.text()


def test_problems_are_listed_with_file_line_and_column(
    qtbot, view: GenerationView, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [(f"2025-03-01 {h:02d}:00", 1.0) for h in range(6)]
    path = write_meter_csv(tmp_path / "bad.csv", rows)
    text = path.read_text().replace("2025-03-01 02:00,1.000", "2025-03-01 02:00,lots")
    text = text.replace("2025-03-01 04:00,1.000", "2025-03-01 04:00,-3.000")
    path.write_text(text)
    solar_generator(view)
    read(qtbot, view, path)
    model = view.meter.issues_model
    found = [model.issue_at(r) for r in range(model.rowCount())]
    bad_value = next(i for i in found if "lots" in i.message)
    assert (Path(bad_value.file).name, bad_value.row + 1, bad_value.column) == ("bad.csv", 4, "kWh")
    negative = next(i for i in found if "negative" in i.message.lower())
    assert negative.row + 1 == 6
    assert model.data(model.index(0, 0)) == "Error"
    assert model.data(model.index(0, 1)) == "bad.csv"
    assert "refused" in view.meter.summary.text() and "error(s)" in view.meter.summary.text()
    assert "errors" in view.preview_panel.blocked.text()


def test_mapping_dialog_for_unknown_columns(
    qtbot, view: GenerationView, tmp_path: Path, solar_csv: Path
) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "export.csv"
    lines = solar_csv.read_text().splitlines()
    odd.write_text("\n".join(["When,Output,Device"] + [f"{ln},INV-1" for ln in lines[1:]]) + "\n")
    solar_generator(view)
    view.tabs.setCurrentIndex(1)
    view.meter.add_files([odd])
    dialog = view.meter.mapping_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "time stamp" in dialog.problem.text()
    set_combo_text(dialog.combos["timestamp"], "When")
    set_combo_text(dialog.combos["energy"], "When")
    assert not ok.isEnabled() and "one role" in dialog.problem.text()
    set_combo_text(dialog.combos["energy"], "Output")
    set_combo_text(dialog.combos["meter"], "Device")
    assert ok.isEnabled()
    dialog.remember.setChecked(False)  # mapped for this file only, no import profile
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert view.meter.mapping_dialog is None
    assert "columns mapped by you" in view.meter.files.item(0).text()
    assert view.meter.profiles == []
    view.meter.tz.setCurrentIndex(view.meter.tz.findData("America/Chicago"))
    qtbot.mouseClick(view.meter.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.meter.running, timeout=20000)
    assert view.meter.issues_model.rowCount() == 0, view.meter.summary.text()
    assert len(statuses(view)) == 6
    view._flush()
    saved = view.draft.workspace.inputs.mappings[str(odd)]
    assert saved["timestamp"] == "When" and saved["energy"] == "Output"


def test_cancel_stops_the_read_and_keeps_nothing(
    qtbot, view: GenerationView, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    big = write_meter_csv(
        tmp_path / "big.csv",
        solar_rows("America/Chicago", datetime(2024, 1, 1), datetime(2025, 1, 1), step=5),
    )
    solar_generator(view)
    view.meter.add_files([big])
    view.meter.tz.setCurrentIndex(view.meter.tz.findData("America/Chicago"))
    view.meter.start_read()
    assert not view.meter.cancel_button.isHidden() and not view.meter.bar.isHidden()
    view.meter.cancel()
    qtbot.waitUntil(lambda: not view.meter.running, timeout=20000)
    assert "cancelled" in view.meter.summary.text()
    assert view.draft.workspace.read_months == []
    assert view.meter.read_button.isEnabled()


def test_manual_monthly_entry(qtbot, view: GenerationView, store: Store) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, view)
    solar_generator(view)
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.source_manual, Qt.MouseButton.LeftButton)
    assert view.source_stack.currentWidget() is view.manual
    view.manual.year.setValue(2025)
    table = view.manual.table
    model = view.manual.model
    for month, text in ((6, "0.95"), (7, "1.2"), (8, "abc")):
        index = model.index(month - 1, 1)
        table.setCurrentIndex(index)
        table.setFocus()
        qtbot.keyClick(table, text[0])  # typing starts the cell editor
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        qtbot.keyClicks(editor, text[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop
        qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    qtbot.waitUntil(lambda: "abc" in view.manual.problem.text())
    assert "August 2025" in view.manual.problem.text()
    assert model.kwh == {(2025, 6): 950, (2025, 7): 1200}
    assert statuses(view) == [("06/2025", "Accepted"), ("07/2025", "Issued")]
    assert view.preview_panel.model.month_at(1).carry_out_mwh == pytest.approx(0.15)
    assert view.preview_panel.chart.bars[0].on_peak_mwh is None  # monthly totals: one bar
    view._flush()
    ws = stored(store, "Olson rooftop").workspace
    assert ws.source == "manual" and ws.manual_kwh == {(2025, 6): 950, (2025, 7): 1200}


def test_fuel_split_must_total_100(qtbot, view: GenerationView) -> None:  # type: ignore[no-untyped-def]
    view.new_generator()
    fill(
        view,
        name="Red Wing digester",
        mrets_id="M77",
        reporting_unit_id="RW-1",
        nameplate_mw="0.4",
        capacity_factor="80",
    )
    check_fuels(view, "Biogas", "Natural Gas")
    assert view.tabs.isTabVisible(TAB_SPLIT)
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.source_manual, Qt.MouseButton.LeftButton)
    view.manual.year.setValue(2025)
    view.manual.model.setData(view.manual.model.index(7, 1), "230.5")
    assert statuses(view) == [("08/2025", "Pending: Fuel Split")]
    split = view.split.model
    assert split.fuels == ("Biogas", "Natural Gas")
    split.setData(split.index(0, 1), "60")
    split.setData(split.index(0, 2), "30")
    total = split.index(0, split.total_column())
    assert split.data(total) == "90.00"
    assert split.data(total, Qt.ItemDataRole.BackgroundRole) is not None
    assert "totals 90.00 %" in view.split.problem_label.text()
    assert statuses(view) == [("08/2025", "Pending: Fuel Split")]
    assert not split.setData(split.index(0, 2), "140")
    assert "not between 0 and 100" in view.split.problem_label.text()
    split.setData(split.index(0, 2), "40")
    assert split.data(total, Qt.ItemDataRole.BackgroundRole) is None
    assert view.split.problem_label.text() == ""
    assert statuses(view) == [("08/2025", "Issued")]
    mp = view.preview_panel.model.month_at(0)
    assert mp.certificates_by_fuel == {"Biogas": 138, "Natural Gas": 92}


def test_record_uploaded_keeps_the_ledger(
    qtbot, view: GenerationView, store: Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    view.tabs.setCurrentIndex(1)
    view.source_manual.setChecked(True)
    view.manual.year.setValue(2025)
    view.manual.model.setData(view.manual.model.index(5, 1), "1.3")
    view.manual.model.setData(view.manual.model.index(6, 1), "0.4")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.preview_panel.record_button, Qt.MouseButton.LeftButton)
    draft_id = store.drafts.by_name(KIND, "Olson rooftop").id
    assert store.ledgers.get(draft_id).remainders_kwh == {"Solar": 700}
    assert stored(store, "Olson rooftop").workspace.uploaded == {
        (2025, 6): TODAY.isoformat(),
        (2025, 7): TODAY.isoformat(),
    }
    assert statuses(view) == []  # both months are now behind us
    assert "Solar 0.700 MWh" in view.preview_panel.ledger.text()
    view.manual.model.setData(view.manual.model.index(7, 1), "0.5")
    assert statuses(view) == [("08/2025", "Issued")]
    assert view.preview_panel.model.month_at(0).carry_in_mwh == pytest.approx(0.7)
    view.store_remainder("Solar", 0.1)
    assert store.ledgers.get(draft_id).remainders_kwh == {"Solar": 100}
    assert statuses(view) == [("08/2025", "Accepted")]


def test_closing_soon_lists_months_across_generators(
    qtbot, view: GenerationView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    # 500 kW: 62-day window. On 2025-09-10 August closes 2025-11-01 (52 days), July on
    # 2025-10-01 (21 days): only July is within 30 days. 7.6 kW: one year, Sep 2024 closes 09-30.
    solar_generator(view, registration_date="2024-01-15")
    view.new_generator()
    fill(
        view,
        name="Big barn",
        mrets_id="M9",
        reporting_unit_id="BARN",
        nameplate_mw="500 kW",
        capacity_factor="18",
    )
    check_fuels(view, "Solar")
    view._flush()
    view.refresh()
    model = view.closing.model
    rows = [
        (
            *(model.item(r, c).text() for c in range(3)),
            model.item(r, 2).data(Qt.ItemDataRole.UserRole),
        )
        for r in range(model.rowCount())
    ]
    assert ("Olson rooftop", "09/2024", "20", "2025-09-30") in rows
    assert ("Big barn", "07/2025", "21", "2025-10-01") in rows
    assert not any(r[0] == "Big barn" and r[1] == "08/2025" for r in rows)
    view.list.select_id(store.drafts.by_name(KIND, "Olson rooftop").id)
    view.draft.workspace.uploaded[(2024, 9)] = "2024-10-01"
    view._schedule_save()
    view.refresh()
    rows = [model.item(r, 0).text() + model.item(r, 1).text() for r in range(model.rowCount())]
    assert "Olson rooftop09/2024" not in rows
    big = next(r for r in range(model.rowCount()) if model.item(r, 0).text() == "Big barn")
    view.closing.choose(model.index(big, 0))
    assert view.current.name == "Big barn" and view.tabs.currentIndex() == TAB_PREVIEW


def test_generator_from_a_dgg_draft(qtbot, view: GenerationView, store: Store) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.units import new_unit

    group = store.drafts.create(
        "dgg",
        "Anoka rooftops",
        {"group_name": "Anoka County Rooftops", "state_province": "Minnesota",
         "reporting_unit_id": "ANOKA-DG", "fuels": [{"fuel_type": "Solar"}, "junk"]},
    )  # fmt: skip
    units = [new_unit(name=f"Roof {i}", capacity_mw=0.0076) for i in range(10)]
    store.units.replace_all(group.id, units)
    store.drafts.save(group.id, registry_id="M3210")
    view.create_from_dgg(store.drafts.get(group.id))
    draft = stored(store, "Anoka County Rooftops")
    assert draft.record["kind"] == "Distributed Generation Group"
    assert draft.record["nameplate_mw"] == pytest.approx(0.076)
    assert draft.record["fuels"] == ("Solar",)
    assert draft.record["mrets_id"] == "M3210"
    assert draft.record["reporting_unit_id"] == "ANOKA-DG"
    assert draft.workspace.inputs.input_tz == "America/Chicago"
    assert view.meter.tz.currentData() == "America/Chicago"
    assert "76 kW" in view.form_note.text()
    assert view.current.name == "Anoka County Rooftops"


def test_delete_and_restore_a_generator(qtbot, view: GenerationView, store: Store) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    view.draft.workspace.uploaded[(2025, 1)] = "2025-02-01"
    view._schedule_save()
    view._flush()
    qtbot.mouseClick(view.list.dup_button, Qt.MouseButton.LeftButton)
    assert sorted(r.name for r in store.list_drafts(KIND)) == [
        "Olson rooftop",
        "Olson rooftop (copy)",
    ]
    view.list.select_id(store.drafts.by_name(KIND, "Olson rooftop (copy)").id)
    assert view.current.name == "Olson rooftop (copy)"
    assert view.form.input("name").text() == "Olson rooftop (copy)"
    view._flush()
    assert view.name_issue is None
    assert view.draft.workspace.uploaded == {}  # a copy has uploaded nothing
    qtbot.mouseClick(view.list.delete_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in store.list_drafts(KIND)] == ["Olson rooftop"]
    qtbot.mouseClick(view.list.trash_button, Qt.MouseButton.LeftButton)
    assert view.right.currentWidget() is view.empty
    view.list.table.selectRow(0)
    qtbot.mouseClick(view.list.restore_button, Qt.MouseButton.LeftButton)
    assert len(store.list_drafts(KIND)) == 2


def test_a_name_taken_by_another_generator_is_reported(
    qtbot, view: GenerationView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    view.new_generator()
    fill(view, name="Olson rooftop")
    view._flush()
    issue = view.form.form.editor("name").issue_label
    assert "already named 'Olson rooftop'" in issue.text()
    assert sorted(r.name for r in store.list_drafts(KIND)) == ["New generator", "Olson rooftop"]


def test_text_that_is_not_a_number_is_reported_not_lost(
    qtbot, view: GenerationView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    fill(view, nameplate_mw="seven kW")
    issue = view.form.form.editor("nameplate_mw").issue_label
    assert "'seven kW' is not a capacity" in issue.text()
    assert "Complete the generator first" in view.preview_panel.blocked.text()
    view._flush()
    assert stored(store, "Olson rooftop").record["nameplate_mw"] == "seven kW"
    assert store.drafts.by_name(KIND, "Olson rooftop").issue_count == 1


def test_submit_sends_the_previewed_months_as_entries(  # type: ignore[no-untyped-def]
    qtbot, store: Store, settings
) -> None:
    from desktop.sync.outbox import repository
    from desktop.views.generation_view import GenerationView
    from desktop.views.sync_service import SyncService

    service = SyncService(store, settings, auto=False)
    view = GenerationView(store, settings, today=lambda: TODAY, sync_service=service)
    qtbot.addWidget(view)
    solar_generator(view)
    assert view.submit is not None and not view.submit.button.isEnabled()
    assert "no months" in view.submit.state.text()
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.source_manual, Qt.MouseButton.LeftButton)
    view.manual.year.setValue(2025)
    view.manual.model.setData(view.manual.model.index(5, 1), "1.2")
    qtbot.waitUntil(view.submit.button.isEnabled)
    assert [(e.generator_id, e.vintage, e.mwh) for e in view.submit.entries] == [
        ("805", "2025-06", pytest.approx(1.2))
    ]
    view.submit.submit()
    qtbot.waitUntil(lambda: view.submit.item_id is not None, timeout=5000)
    (item,) = repository(store).list()
    assert item.kind == "generation"
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)  # the send (no key here) has ended
    view._flush()
