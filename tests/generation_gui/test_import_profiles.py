"""The mapping dialog shows the shape it detected before reading, and keeps the choices as a
named import profile, so next month's export from the same portal reads with one click."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.exchange.import_profiles import ImportProfile, profile_for
from desktop.exchange.meter_columns import ColumnMapping
from desktop.models.intervals import EnergyUnit
from desktop.views.generation_view import GenerationView
from desktop.views.meter_mapping_dialog import set_combo_text
from tests.generation.export_shapes import portal_csv
from tests.generation_gui.test_generation_view import solar_generator

pytestmark = pytest.mark.gui


def test_detected_shape_then_a_profile_reads_next_months_export(
    qtbot, view: GenerationView, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    march = tmp_path / "march" / "CSV Export.csv"
    march.parent.mkdir()
    portal_csv(march)
    solar_generator(view)
    view.tabs.setCurrentIndex(1)
    view.meter.tz.setCurrentIndex(view.meter.tz.findData("America/Chicago"))
    view.meter.add_files([march])
    dialog = view.meter.mapping_dialog
    assert dialog is not None and dialog.isVisible()  # several energy columns: the user's choice
    shape = dialog.shape.text()
    assert "Header on line 11, below 10 metadata line(s) (Name, Address," in shape
    assert "date 'Date' + time 'Start Time'" in shape and "Zone: America/Chicago" in shape
    assert "Total Usage" in shape and "start of its interval" in shape
    assert (
        "several energy columns (Consumption, Generation, Net)"
        in dialog.findChild(type(dialog.shape), "mapping_intro").text()
    )
    assert dialog.profile_name.text() == "LAKEVIEW FOODS"  # the account name above the header
    set_combo_text(dialog.combos["energy"], "Generation")
    assert "Energy: 'Generation' in kWh" in dialog.shape.text()
    set_combo_text(dialog.combos["energy"], "Generation")
    set_combo_text(dialog.unit, "kWh")  # Qt gives enum data back as text: still a unit
    assert dialog.mapping().unit is EnergyUnit.KWH
    dialog.profile_name.setText("")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "Name the import profile" in dialog.problem.text()
    dialog.profile_name.setText("Lakeview portal")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert view.meter.mapping_dialog is None
    assert "· import profile: Lakeview portal" in view.meter.files.item(0).text()

    # next month: the same portal's export, a new file; no dialog, one click on Read
    view.meter.files.item(0).setSelected(True)
    view.meter.remove_selected()
    april = tmp_path / "april" / "CSV Export.csv"
    april.parent.mkdir()
    portal_csv(april)
    view.meter.add_files([april])
    assert view.meter.mapping_dialog is None
    assert "· import profile: Lakeview portal" in view.meter.files.item(0).text()
    qtbot.mouseClick(view.meter.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.meter.running, timeout=20000)
    assert view.meter.issues_model.rowCount() == 0, view.meter.summary.text()
    assert "1 whole month(s) 03/2026" in view.meter.summary.text()
    view._flush()
    saved = view.draft.workspace.inputs.profiles
    assert [p["name"] for p in saved] == ["Lakeview portal"]
    assert saved[0]["mapping"]["energy"] == "Generation"


def test_read_options_keep_their_size_when_results_appear(
    qtbot, view: GenerationView, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    view.tabs.setCurrentIndex(1)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    box = view.meter.options
    before = box.height()
    paths = []
    for k in range(3):  # three exports: a dozen notes under the summary
        paths.append(tmp_path / f"{k}" / "CSV Export.csv")
        paths[-1].parent.mkdir()
        portal_csv(paths[-1])
    view.meter.mappings = {str(p): ColumnMapping(energy="Generation") for p in paths}
    view.meter.add_files(paths)
    view.meter.tz.setCurrentIndex(view.meter.tz.findData("America/Chicago"))
    qtbot.mouseClick(view.meter.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.meter.running, timeout=20000)
    qtbot.wait(50)
    assert view.meter.notes.isVisible()
    assert box.height() == before >= box.sizeHint().height()
    assert all(c.height() >= c.sizeHint().height() for c in (box.tz, box.mark, box.unit))


def test_profiles_match_by_header_and_survive_storage() -> None:
    header = ["Meter Number", "Date", "Start Time", "Consumption", "Generation"]
    profile = ImportProfile.made(
        " Lakeview ", header, ColumnMapping(energy="Generation", date="Date", time="Start Time")
    )
    assert profile.name == "Lakeview"
    assert profile_for(
        [profile], ["meter number", "DATE", "Start  Time", "Consumption", "Generation"]
    )
    assert profile_for([profile], header[:-1]) is None
    assert ImportProfile.from_json(profile.to_json()) == profile
    assert (
        ImportProfile.from_json({"name": "x", "header": ["a"], "mapping": {"energy": "a"}}) is None
    )
    assert ImportProfile.from_json(["not", "a", "profile"]) is None
