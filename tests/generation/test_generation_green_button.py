"""Green Button (ESPI Atom XML) interval files."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.exchange.generation_inputs import hourly_energy, read_inputs

FIXTURES = Path(__file__).parent / "fixtures"


def test_pv_production_feed() -> None:
    path = FIXTURES / "green_button_pv_2days.xml"
    inputs = read_inputs([path])
    assert [i for i in inputs.readings.issues if i.blocking] == []
    (series,) = inputs.readings.series.values()
    assert series.meter_id == "PV production meter 7720041"
    assert series.interval == 15 and len(series) == 192
    hourly = hourly_energy(inputs)
    assert not hourly.has_errors
    assert sum(hourly.kwh) == pytest.approx(95.146)  # the fixture's 95,146 Wh
    assert len(hourly.kwh) == 48  # two EST days, hour-ending 1–24
    assert hourly.kwh[12] > hourly.kwh[6] > 0 == hourly.kwh[0]  # noon beats morning beats night
    assert hourly.months == [] and hourly.partial_months[0].month == 6  # two days are not June


def test_net_meter_needs_a_flow_direction() -> None:
    path = FIXTURES / "green_button_net_meter.xml"
    refused = read_inputs([path])
    msgs = [i.message for i in refused.readings.issues if i.blocking]
    assert any("several flow directions" in m for m in msgs)
    received = read_inputs([path], green_button_flow=19)
    (series,) = received.readings.series.values()
    assert series.meter_id == "Net meter 55012"
    assert sum(series.values) == pytest.approx(10.8)  # kWh exported that day
    delivered = read_inputs([path], green_button_flow=1)
    assert sum(next(iter(delivered.readings.series.values())).values) == pytest.approx(9.6)


def test_register_readings_are_refused() -> None:
    inputs = read_inputs([FIXTURES / "green_button_register.xml"])
    (issue,) = [i for i in inputs.readings.issues if i.blocking]
    assert "not interval (delta) energy" in issue.message and issue.row is not None


def test_entity_expansion_is_refused() -> None:
    inputs = read_inputs([FIXTURES / "green_button_entity_bomb.xml"])
    (issue,) = inputs.readings.issues
    assert "unsafe XML" in issue.message


def test_broken_xml_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<feed>\n<entry>\n</feed>\n')
    (issue,) = read_inputs([bad]).readings.issues
    assert "not well-formed" in issue.message and issue.row == 3
