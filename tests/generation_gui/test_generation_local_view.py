"""The Generation area with local months: the generator's time zone, gaps reported per month,
and the boundary hours an hourly build keeps in the store (issue 11 items 1, 2, 6, 7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gen_gui_helpers import write_meter_csv
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog

from desktop.store import Store
from desktop.views.generation_view import GenerationView
from tests.generation.generation_helpers import local_rows
from tests.generation_gui.test_generation_view import read, solar_generator, stored

pytestmark = pytest.mark.gui
CHICAGO = "America/Chicago"


def _two_exports(tmp_path: Path) -> tuple[Path, Path]:
    """March whole, then September to November with two hours missing in October."""
    march = local_rows(CHICAGO, datetime(2026, 3, 1), datetime(2026, 4, 1), 15)
    autumn = local_rows(CHICAGO, datetime(2026, 9, 1), datetime(2026, 12, 1), 15)
    at = next(i for i, (t, _) in enumerate(autumn) if t == "2026-10-14 02:00")
    del autumn[at : at + 8]
    return (
        write_meter_csv(tmp_path / "march.csv", march),
        write_meter_csv(tmp_path / "autumn.csv", autumn),
    )


def test_a_new_generator_reads_in_its_own_zone(qtbot, view: GenerationView, store: Store) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    zone = view.form.input("time_zone")
    assert isinstance(zone, QComboBox) and zone.currentText() == CHICAGO
    assert view.meter.tz.currentData() == CHICAGO  # not "Stamps carry their UTC offset"
    zone.setCurrentIndex(zone.findText("America/Denver"))
    assert view.meter.tz.currentData() == "America/Denver"  # the input zone follows
    view._flush()
    draft = stored(store, "Olson rooftop")
    assert draft.record["time_zone"] == "America/Denver"
    assert draft.workspace.inputs.input_tz == "America/Denver"


def test_gaps_leave_only_their_month_out_and_the_summary_claims_no_empty_month(
    qtbot, view: GenerationView, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    read(qtbot, view, *_two_exports(tmp_path), zone=None)
    summary = view.meter.summary.text()
    assert "3 whole month(s) 03/2026, 09/2026, 11/2026." in summary
    assert "1 month(s) left out (10/2026)" in summary and "error" not in summary
    notes = view.meter.notes.text()
    assert "Left out: October 2026 is incomplete: a gap of 2 hours" in notes
    assert "autumn.csv (tick 'Fill gaps inside a month with 0 kWh' to fill them)" in notes
    assert "April 2026 to August 2026 are not in the input" in notes
    rows = view.preview_panel.model.rowCount()
    assert rows == 3 and not view.preview_panel.blocked.isVisible()


def test_an_hourly_build_keeps_its_boundary_hours(
    qtbot, view: GenerationView, tmp_path: Path, store: Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    solar_generator(view)
    feb = local_rows(CHICAGO, datetime(2026, 1, 31), datetime(2026, 3, 1), 15)
    read(qtbot, view, write_meter_csv(tmp_path / "feb.csv", feb), zone=None)
    out = tmp_path / "feb-hourly.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    panel = view.preview_panel
    panel.granularity.setCurrentIndex(panel.granularity.findData("hourly"))
    qtbot.mouseClick(panel.build_button, Qt.MouseButton.LeftButton)
    assert out.is_file(), panel.build_status.text()
    kept = store.boundary_hours.get("805")
    march_1_he1 = int(datetime(2026, 3, 1, 5, tzinfo=UTC).timestamp() // 60)  # 00:00 EST
    assert march_1_he1 in kept
    # March alone next: its hourly file takes 03/01 HE1 EST from them and is whole.
    march = local_rows(CHICAGO, datetime(2026, 3, 1), datetime(2026, 4, 1), 15)
    path = write_meter_csv(tmp_path / "march.csv", march)
    view.meter.set_inputs(replace(view.meter.inputs(), files=[]))
    read(qtbot, view, path, zone=None)
    request = view.meter.request()
    assert request.carry == kept and request.generator_tz == CHICAGO
    out = tmp_path / "mar-hourly.csv"
    qtbot.mouseClick(panel.build_button, Qt.MouseButton.LeftButton)
    lines = out.read_text().splitlines()
    assert len(lines) == 31 * 24, panel.build_status.text()
    last_feb_hour = sum(v for t, v in feb if t.startswith("2026-02-28 23:"))
    assert lines[0] == f"805,OLSON-1,03/01/2026,1,{last_feb_hour:.3f}"
    assert "Left out" not in panel.build_status.text()
