"""The Generation area's item models (pytest-qt's model tester) and the generator draft payload."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop.models.generation import MonthEnergy, Status, preview
from desktop.models.generator import Generator
from desktop.models.generator_draft import (
    FORMAT,
    GeneratorDraft,
    InputSettings,
    Workspace,
    generator_from_dgg,
    parse_month_key,
    split_problem,
    zone_for_state,
)
from desktop.models.issues import error
from desktop.views.fuel_split_editor import FuelSplitTableModel
from desktop.views.manual_months_table_model import ManualMonthsTableModel
from desktop.views.meter_issues_table_model import MeterIssuesTableModel
from desktop.views.preview_table_model import Col, PreviewTableModel, days_text


def sample_preview() -> list:  # type: ignore[type-arg]
    gen = Generator("805", "U", 0.5, capacity_factor=20.0, fuels=("Solar",))
    months = [MonthEnergy(2025, m, 60.0 + m, 40.0, 20.0 + m) for m in (1, 2, 3)]
    months.append(MonthEnergy(2025, 4, 500.0))  # above the nameplate: a certain hold
    return list(preview(months, gen, today=date(2025, 4, 20)).months)


@pytest.mark.gui
def test_preview_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PreviewTableModel()
    model.set_months(sample_preview())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.data(model.index(0, Col.MONTH)) == "01/2025"
    assert model.data(model.index(0, Col.MWH)) == "61.000"
    assert model.data(model.index(3, Col.STATUS)) == "Pending: Capacity Feasibility"
    assert model.month_at(3).status is Status.PENDING
    assert model.data(model.index(0, Col.DAYS_LEFT)) == "closed 17 days ago"
    assert model.data(model.index(0, Col.DAYS_LEFT), Qt.ItemDataRole.ForegroundRole) is not None
    assert "nameplate" in model.data(model.index(3, Col.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(Col.ON_PEAK, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_days_text() -> None:
    assert (days_text(-3), days_text(0), days_text(12)) == (
        "closed 3 days ago",
        "closes today",
        "12",
    )


@pytest.mark.gui
def test_manual_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    kwh: dict[tuple[int, int], int] = {(2025, 3): 1250}
    model = ManualMonthsTableModel(kwh)
    model.set_year(2025)
    qtmodeltester.check(model)
    problems: list[str] = []
    model.problem.connect(problems.append)
    assert model.data(model.index(2, 1)) == "1.250"
    assert model.setData(model.index(3, 1), "2,5")  # a decimal comma is read
    assert kwh[(2025, 4)] == 2500
    assert not model.setData(model.index(4, 1), "-1")
    assert "negative" in problems[-1]
    assert not model.setData(model.index(4, 1), "2 million")
    assert "May 2025" in problems[-1]
    assert model.setData(model.index(2, 1), "")
    assert (2025, 3) not in kwh
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


@pytest.mark.gui
def test_fuel_split_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    splits: dict[tuple[int, int], dict[str, float]] = {}
    model = FuelSplitTableModel()
    model.set_data([(2025, 1), (2025, 2)], ("Biogas", "Biomass"), splits)
    qtmodeltester.check(model)
    assert [i.message for i in model.issues()] == [
        "01/2025: no fuel split yet",
        "02/2025: no fuel split yet",
    ]
    assert not model.copy_first_to_all()
    model.setData(model.index(0, 1), "60 %")
    model.setData(model.index(0, 2), "40")
    assert model.copy_first_to_all()
    assert splits == {
        (2025, 1): {"Biogas": 60, "Biomass": 40},
        (2025, 2): {"Biogas": 60, "Biomass": 40},
    }
    assert model.issues() == []
    model.setData(model.index(1, 2), "")
    assert "totals 60.00 %" in model.issues()[0].message


@pytest.mark.gui
def test_issues_model_orders_errors_first(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.issues import warning

    model = MeterIssuesTableModel()
    model.set_issues(
        [
            warning("timestamp", "duplicate kept once", file="/d/a.csv", row=9, column="Start"),
            error("energy", "'x' is not a number", file="/d/a.csv", row=4, column="kWh"),
        ]
    )
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["Error", "Warning"]
    assert model.data(model.index(0, 2)) == "5"  # 0-based row 4 is line 5
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == (
        "/d/a.csv, line 5, column kWh: 'x' is not a number"
    )


# --- the draft payload -------------------------------------------------------------------------


def full_draft() -> GeneratorDraft:
    draft = GeneratorDraft()
    draft.record.update(
        name="Digester",
        mrets_id="M77",
        reporting_unit_id="RW-1",
        nameplate_mw=0.4,
        capacity_factor=80.0,
        fuels=("Biogas", "Natural Gas"),
        registration_date=date(2024, 5, 1),
    )
    ws = draft.workspace
    ws.source = "manual"
    ws.inputs = InputSettings(
        files=["/m/a.csv"],
        input_tz="America/Chicago",
        mark="end",
        unit="Wh",
        interval=15,
        fill_gaps=True,
        mappings={"/m/a.csv": {"timestamp": "When", "energy": "Out"}},
    )
    ws.manual_kwh = {(2025, 1): 230_500}
    ws.read_months = [MonthEnergy(2025, 2, 1.234, 0.8, 0.434)]
    ws.read_at = "2025-03-02 10:00"
    ws.fuel_splits = {(2025, 1): {"Biogas": 60.0, "Natural Gas": 40.0}}
    ws.uploaded = {(2024, 12): "2025-01-20"}
    return draft


def test_payload_round_trip() -> None:
    draft = full_draft()
    doc = draft.to_payload()
    assert doc["format"] == FORMAT and doc["registration_date"] == "2024-05-01"
    again = GeneratorDraft.from_payload(doc)
    assert again.record == draft.record
    assert again.workspace == draft.workspace
    assert again.to_payload() == doc


def test_a_damaged_payload_still_opens() -> None:
    doc = full_draft().to_payload()
    doc["nameplate_mw"] = "lots"
    doc["workspace"] = {
        "source": "telepathy",
        "inputs": {"files": ["/ok.csv", 7, None], "interval": 7, "unit": "BTU", "mappings": [1]},
        "manual_kwh": {"2025-13": 5, "2025-02": "x", "2025-03": 1500.4, "bad": 1},
        "read_months": [{"month": "2025-01", "kwh": 10}, {"month": "nope"}, 5],
        "fuel_splits": {"2025-01": {"Biogas": "sixty", "Natural Gas": 40}, "2025-02": 3},
        "uploaded": {"2024-12": 5, "2024-11": "2025-01-02"},
    }
    draft = GeneratorDraft.from_payload(doc)
    assert draft.record["nameplate_mw"] == "lots"  # kept for the rules to report
    assert any(
        i.field == "nameplate_mw" and "'lots' is not a capacity" in i.message
        for i in draft.issues()
    )
    ws = draft.workspace
    assert ws.source == "files"
    assert ws.inputs.files == ["/ok.csv"] and ws.inputs.interval is None and ws.inputs.unit is None
    assert ws.manual_kwh == {(2025, 3): 1500}
    assert [m.vintage for m in ws.read_months] == ["01/2025"]
    assert ws.fuel_splits == {(2025, 1): {"Natural Gas": 40}}
    assert ws.uploaded == {(2024, 11): "2025-01-02"}
    assert draft.generator() is None


def test_other_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="not a generator"):
        GeneratorDraft.from_payload({"format": "registry-desk/dgg"})
    with pytest.raises(ValueError, match="newer"):
        GeneratorDraft.from_payload({"format": FORMAT, "version": 99})
    assert GeneratorDraft.from_payload({}).record["standard_time"].startswith("EST")


def test_month_keys() -> None:
    assert parse_month_key("2025-06") == (2025, 6)
    assert parse_month_key("06/2025") == (2025, 6)
    assert parse_month_key("2025-00") is None and parse_month_key(202506) is None


def test_split_problems() -> None:
    draft = full_draft()
    assert split_problem(draft, (2025, 1)) is None
    assert "no fuel split" in (split_problem(draft, (2025, 2)) or error("", "")).message
    draft.workspace.fuel_splits[(2025, 1)] = {"Biogas": 70.0, "Natural Gas": 40.0}
    assert "110.00" in (split_problem(draft, (2025, 1)) or error("", "")).message
    assert any("110.00" in i.message for i in draft.issues())


def test_from_dgg_reads_defensively() -> None:
    units = [
        {"capacity_mw": "7.6 kW", "status": "Active"},
        {"capacity_mw": 0.01},
        {"capacity_mw": "garbage"},
        "not a unit",
    ]
    made = generator_from_dgg(
        {"group_name": 5, "fuels": "Solar", "state_province": ["x"]},
        units,  # type: ignore[arg-type]
        draft_name="Roofs",
        registry_id="not an id",
    )
    rec = made.draft.record
    assert rec["name"] == "Roofs" and rec["kind"] == "Distributed Generation Group"
    assert rec["mrets_id"] is None and rec["fuels"] is None
    assert made.draft.workspace.inputs.input_tz is None
    assert any("M-RETS ID" in n for n in made.notes)
    assert any("fuel" in n for n in made.notes)
    empty = generator_from_dgg({}, [], draft_name="Empty")
    assert empty.draft.record["nameplate_mw"] is None
    assert any("nameplate" in n for n in empty.notes)


def test_zone_for_state() -> None:
    assert zone_for_state("Minnesota") == "America/Chicago"
    assert zone_for_state("Ontario") == "America/New_York"
    assert zone_for_state("Atlantis") is None and zone_for_state(None) is None


def test_workspace_months_follow_the_source() -> None:
    ws = Workspace(manual_kwh={(2025, 1): 1000}, read_months=[MonthEnergy(2025, 2, 2.0)])
    assert [m.vintage for m in ws.months()] == ["02/2025"]
    ws.source = "manual"
    assert [(m.vintage, m.mwh) for m in ws.months()] == [("01/2025", 1.0)]


def test_the_panel_knows_the_readers_spreadsheet_suffixes() -> None:
    from desktop.exchange import meter_files
    from desktop.views import meter_import_panel

    assert meter_import_panel.SPREADSHEET_SUFFIXES == meter_files.SPREADSHEET_SUFFIXES


def test_problems_name_the_windows_controls_not_cli_options() -> None:
    from desktop.views.meter_issues_table_model import WINDOW_WORDS, for_window

    model = MeterIssuesTableModel()
    model.set_issues(
        [error("", "2 intervals missing (every interval is needed; --fill-gaps zero fills them)")]
    )
    assert "'Fill gaps inside a month with 0 kWh'" in model.data(model.index(0, 4))
    assert all("--" not in for_window(cli) for cli, _w in WINDOW_WORDS)


@pytest.mark.gui
def test_expected_output_is_in_the_mwh_tooltip() -> None:
    model = PreviewTableModel()
    model.set_months(sample_preview())
    tip = model.data(model.index(0, Col.MWH), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Expected 74.400 MWh")  # 0.5 MW × 744 h × 20 %
