"""Green Button (ESPI Atom XML) interval files."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.exchange.generation_inputs import Inputs, hourly_energy, read_inputs
from desktop.exchange.meter_files import ReadOptions

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


# --- Real feeds (fixtures/green-button, with their licences and README) ----------------------

REAL = FIXTURES / "green-button"
COASTAL = "Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml"
DESERT = "Desert_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_6.xml"


def _read(name: str, **kw: object) -> Inputs:
    return read_inputs([REAL / name], **kw)  # type: ignore[arg-type]


def _blocking(inputs: Inputs) -> list[str]:
    return [i.message for i in inputs.readings.issues if i.blocking]


@pytest.mark.parametrize(
    ("name", "meter", "readings", "kwh"),
    [
        (COASTAL, "Coastal Multi-Family", 8760, 4425.305),
        (DESERT, "Desert Multi-Family", 8760, 5219.781),
        ("BulkSCEIntervalBlock.xml", "Green Button Subscription Feed", 97, 24.38),
        ("cityssm_intervals_APUC000000_electric.xml", "1402026", 300, 248.53),
        ("ogb_burlington_hydro_usage_60min.xml", "00000000-0000-4000-8000-000000000002", 6, 6.5),
        ("TestGBDataHourlyNineDaysBinnedDaily.xml", "Green Button Sample Data File", 216, 199.563),
        ("PGEIntervalBlock.xml", "1", 2280, 496406.375),
    ],
)
def test_real_feeds_give_their_totals(name: str, meter: str, readings: int, kwh: float) -> None:
    inputs = _read(name)
    assert _blocking(inputs) == []
    (series,) = inputs.readings.series.values()
    assert (series.meter_id, len(series)) == (meter, readings)
    assert math.fsum(series.values) == pytest.approx(kwh, abs=1e-6)
    assert list(series.stamps) == sorted(series.stamps)  # newest-first feeds come out in order


def test_descending_feed_sums_into_hours() -> None:
    inputs = _read("cityssm_intervals_APUC000000_electric.xml")
    hourly = hourly_energy(inputs)
    assert not hourly.has_errors and sum(hourly.kwh) == pytest.approx(248.53)


def test_repeated_identical_readings_are_read_once() -> None:
    inputs = _read("PGEIntervalBlock.xml")
    assert any("276 repeated identical readings" in n for n in inputs.readings.notes)
    hourly = hourly_energy(inputs)
    assert not [i for i in hourly.issues if "duplicate" in i.message.casefold()]


def test_bulk_feed_repeating_its_entries_is_read_once() -> None:
    inputs = _read("BulkSCEUsageSummaryAndIntervalBlock.xml")
    assert _blocking(inputs) == []
    (series,) = inputs.readings.series.values()
    assert list(series.values) == pytest.approx([0.21, 0.2, 0.21])  # not twice, not refused
    assert any("repeated entries (same href) were read once" in n for n in inputs.readings.notes)


def test_local_time_parameters_name_the_zone() -> None:
    assert _read(COASTAL).file_zones == ["America/Los_Angeles"]
    assert _read("TestGBDataHourlyNineDaysBinnedDaily.xml").file_zones == ["America/New_York"]


def test_desert_month_of_exactly_278_5_kwh() -> None:
    (series,) = _read(DESERT).readings.series.values()
    lo, hi = (int(datetime(2011, m, 1, 5, tzinfo=UTC).timestamp()) // 60 for m in (11, 12))
    est_november = [  # EST hours of November 2011 (from 05:00 UTC on the 1st)
        v for m, v in zip(series.stamps, series.values, strict=True) if lo <= m < hi
    ]
    assert math.fsum(est_november) == pytest.approx(278.5, abs=1e-9)


def test_daily_readings_give_whole_local_months() -> None:
    refused = _read("ESPIIntervalBlock.xml")
    assert any("(--input-tz)" in m for m in _blocking(refused))
    inputs = _read("ESPIIntervalBlock.xml", options=ReadOptions(input_tz="America/New_York"))
    assert _blocking(inputs) == []
    vintages = [m.vintage for m in inputs.monthly]
    assert vintages[0] == "01/2013" and vintages[-1] == "02/2014" and len(vintages) == 14
    # January 2013 by a plain look at the file: readings starting 1 Jan to 1 Feb, EST midnights
    text = (REAL / "ESPIIntervalBlock.xml").read_text()
    pairs = re.findall(
        r"<espi:start>(\d+)</espi:start>\s*</espi:timePeriod>\s*<espi:value>(\d+)", text
    )
    january = sum(int(v) for t, v in pairs if 1357016400 <= int(t) < 1359694800)
    assert inputs.monthly[0].mwh == pytest.approx(january / 1e6)
    assert any("March 2014 is left out" in i.message for i in inputs.readings.issues)


def test_daily_readings_build_monthly_and_say_why_not_hourly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "generation",
        "build",
        "--input",
        str(REAL / "ESPIIntervalBlock.xml"),
        "--input-tz",
        "America/New_York",
        "--generator-id",
        "M805",
        "--unit-id",
        "805",
        "--data-dir",
        str(tmp_path / "data"),
        "--out",
        str(tmp_path / "up.csv"),
        "--granularity",
    ]
    assert main([*args, "monthly"]) == 0
    assert len((tmp_path / "up.csv").read_text().splitlines()) == 14
    capsys.readouterr()
    assert main([*args, "hourly"]) == 2
    assert "an hourly file needs interval or hourly readings" in capsys.readouterr().err


def test_gas_feed_is_refused_as_not_electricity() -> None:
    (message,) = _blocking(_read("gas_direct.xml"))
    assert "gas meter (therms), not electricity" in message


def test_each_meter_reading_is_its_own_meter(tmp_path: Path) -> None:
    text = (FIXTURES / "green_button_net_meter.xml").read_text()
    path = tmp_path / "two.xml"
    path.write_text(
        text.replace("<flowDirection>19</flowDirection>", "<flowDirection>1</flowDirection>")
    )
    inputs = read_inputs([path])
    assert _blocking(inputs) == []
    assert sorted(inputs.readings.series) == ["Net meter 55012 1", "Net meter 55012 2"]
    assert hourly_energy(inputs).has_errors is False


def test_fractional_start_is_a_start(tmp_path: Path) -> None:
    text = (FIXTURES / "green_button_pv_2days.xml").read_text()
    path = tmp_path / "frac.xml"
    path.write_text(re.sub(r"<start>(\d+)</start>", r"<start>\1.000</start>", text))
    inputs = read_inputs([path])
    assert _blocking(inputs) == []
    assert sum(hourly_energy(inputs).kwh) == pytest.approx(95.146)
