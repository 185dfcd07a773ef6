"""Issuance preview: whole-MWh certificates, carried remainders, predicted statuses."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.models.generation import (
    PREDICTION_NOTE,
    GenerationRules,
    MonthEnergy,
    RemainderLedger,
    Status,
    check_fuel_split,
    ledger_with_carry,
    months_closing_soon,
    preview,
    split_fractions,
    split_kwh,
)
from desktop.models.generator import Generator, check_generator, new_generator

SMALL = Generator("805", "805", 0.0076, capacity_factor=15.0, fuels=("Solar",))
TODAY = date(2025, 6, 15)


def test_remainders_carry_until_a_whole_mwh() -> None:
    months = [MonthEnergy(2025, 1, 0.6), MonthEnergy(2025, 2, 0.7), MonthEnergy(2025, 3, 0.5)]
    big = Generator("805", "805", 0.0076, capacity_factor=100.0, fuels=("Solar",))
    p = preview(months, big, today=TODAY)
    rows = [(m.carry_in_mwh, m.certificates, m.carry_out_mwh, m.status) for m in p.months]
    assert rows == [
        (0.0, 0, 0.6, Status.ACCEPTED),
        (0.6, 1, pytest.approx(0.3), Status.ISSUED),
        (pytest.approx(0.3), 0, pytest.approx(0.8), Status.ACCEPTED),
    ]
    assert p.ledger.remainders_kwh == {"Solar": 800}  # exact, in whole kWh
    assert p.note == PREDICTION_NOTE and "prediction" in p.to_json()["note"]


def test_carry_in_and_json_fields() -> None:
    gen = Generator("805", "805", 1.0, capacity_factor=30.0, fuels=("Wind",))
    p = preview(
        [MonthEnergy(2025, 4, 150.25, 80.0, 70.25)],
        gen,
        today=TODAY,
        ledger=ledger_with_carry(gen, 0.9),
    )
    m = p.to_json()["months"][0]
    assert m["carry_in_mwh"] == 0.9 and m["certificates"] == 151 and m["carry_out_mwh"] == 0.15
    assert m["status"] == "Issued" and m["reasons"] == []
    assert m["on_peak_mwh"] == 80.0 and m["off_peak_mwh"] == 70.25
    assert m["expected_mwh"] == pytest.approx(216.0)  # 1 MW × 720 h × 30 %
    assert m["upload_deadline"] == "2025-07-01" and m["days_left"] == 16  # 62 days, > 150 kW


def test_capacity_feasibility_certain_and_likely() -> None:
    gen = Generator("805", "805", 0.1, capacity_factor=20.0, fuels=("Solar",))
    over = preview([MonthEnergy(2025, 4, 72.5)], gen, today=TODAY).months[0]
    assert over.status is Status.PENDING and over.status_text == "Pending: Capacity Feasibility"
    assert "more than the nameplate" in over.reasons[0].text() and over.certificates == 0
    likely = preview([MonthEnergy(2025, 4, 20.0)], gen, today=TODAY).months[0]
    assert (
        likely.status is Status.PENDING and "(likely)" in likely.reasons[0].text()
    )  # > 1.25 × 14.4
    fine = preview([MonthEnergy(2025, 4, 17.0)], gen, today=TODAY).months[0]
    assert fine.status is Status.ISSUED and fine.certificates == 17
    relaxed = preview(
        [MonthEnergy(2025, 4, 20.0)],
        gen,
        today=TODAY,
        rules=GenerationRules(capacity_warning_factor=1.5),
    ).months[0]
    assert relaxed.status is Status.ISSUED


def test_validation_curve_replaces_the_flat_capacity_factor() -> None:
    curve = tuple(float(x) for x in (5, 8, 12, 15, 18, 22, 22, 20, 15, 10, 6, 4))
    gen = Generator("805", "805", 0.1, capacity_factor=13.0, validation_curve=curve)
    assert gen.expected_mwh(2025, 6) == pytest.approx(0.1 * 720 * 0.22)
    assert Generator("1", "1", 0.1, max_annual_energy_mwh=365.0).expected_mwh(2025, 2) == 28.0


def test_date_feasibility_windows() -> None:
    month = [MonthEnergy(2024, 4, 0.5)]
    small = preview(month, SMALL, today=date(2025, 4, 30)).months[0]  # 7.6 kW: one year
    assert small.status is Status.ACCEPTED and small.days_left == 0
    late = preview(month, SMALL, today=date(2025, 5, 1)).months[0]
    assert late.status_text == "Pending: Date Feasibility" and late.days_left == -1
    big = Generator("805", "805", 0.2, capacity_factor=20.0)
    assert (
        preview([MonthEnergy(2025, 4, 5.0)], big, today=date(2025, 7, 2)).months[0].status
        is Status.PENDING
    )
    reg = Generator("805", "805", 0.0076, capacity_factor=20.0, registration_date=date(2025, 5, 20))
    early = preview([MonthEnergy(2025, 1, 0.1), MonthEnergy(2025, 3, 0.1)], reg, today=TODAY)
    assert "variance request" in early.months[0].reasons[0].message
    assert early.months[1].status is Status.ACCEPTED


def test_multi_fuel_needs_a_100_percent_split() -> None:
    gen = Generator("805", "805", 2.0, capacity_factor=50.0, fuels=("Biogas", "Biomass"))
    months = [MonthEnergy(2025, 4, 100.5), MonthEnergy(2025, 5, 10.0), MonthEnergy(2025, 3, 1.0)]
    splits = {
        (2025, 4): {"Biogas": 60.0, "Biomass": 40.0},
        (2025, 5): {"Biogas": 60, "Biomass": 39.98},
    }
    p = preview(months, gen, today=TODAY, fuel_splits=splits)
    march, april, may = p.months
    assert march.status_text == "Pending: Fuel Split"
    assert april.certificates_by_fuel == {"Biogas": 60, "Biomass": 40}
    assert april.carry_out_mwh == pytest.approx(0.5)
    assert "99.98" in may.reasons[0].message and may.status is Status.PENDING
    assert check_fuel_split({"Biogas": 60.004, "Biomass": 39.996}, gen.fuels) == []
    assert check_fuel_split({"Biogas": 60.01, "Biomass": 40.0}, gen.fuels)
    assert check_fuel_split({"Coal": 100.0}, gen.fuels)
    assert sum(split_fractions({"Biogas": 33.33, "Biomass": 66.67}).values()) == 1.0
    assert split_kwh(1001, {"a": 50, "b": 50}) in ({"a": 501, "b": 500}, {"a": 500, "b": 501})


def test_ledger_json_round_trip_and_negative_remainder() -> None:
    book = RemainderLedger("805", {"Solar": -300})
    entry = book.apply("04/2025", "Solar", 1200)
    assert (entry.carry_in_kwh, entry.certificates, entry.carry_out_kwh) == (-300, 0, 900)
    raw = book.to_json()
    assert raw == {
        "version": 1,
        "generator_id": "805",
        "remainders_kwh": {"Solar": 900},
        "history": [
            {
                "vintage": "04/2025",
                "fuel": "Solar",
                "carry_in_kwh": -300,
                "added_kwh": 1200,
                "certificates": 0,
                "carry_out_kwh": 900,
            }
        ],
    }
    assert RemainderLedger.from_json(raw) == book
    with pytest.raises(ValueError):
        RemainderLedger.from_json({**raw, "version": 9})


def test_months_closing_within_30_days() -> None:
    big = Generator("900", "900", 0.5, capacity_factor=20.0, name="Big")
    small = Generator("901", "901", 0.01, capacity_factor=20.0, name="Small")
    out = months_closing_soon([(big, set()), (small, set())], date(2025, 6, 15))
    assert [(c.generator_id, c.vintage, c.days_left) for c in out] == [
        ("901", "06/2024", 15),  # 30 June 2024 + 365 days (7.6 kW: one-year window)
        ("900", "04/2025", 16),  # 30 April 2025 + 62 days = 1 July
    ]
    uploaded = months_closing_soon([(small, {(2024, 6)})], date(2025, 6, 15))
    assert uploaded == []


def test_generator_fields_and_rules() -> None:
    rec = new_generator(
        mrets_id="X12", reporting_unit_id="U", nameplate_mw=0.5, fuels=("Solar",), curve_01=5.0
    )
    msgs = [i.message for i in check_generator(rec)]
    assert any("not M followed by digits" in m for m in msgs)
    assert any("capacity factor or the maximum annual energy" in m for m in msgs)
    assert any("all twelve months" in m for m in msgs)
    ok = new_generator(
        mrets_id="M805",
        reporting_unit_id="U",
        nameplate_mw=0.5,
        fuels=("Solar",),
        capacity_factor=14.0,
    )
    assert check_generator(ok) == []
    gen = Generator.from_record(ok)
    assert gen.mrets_id == "805" and gen.standard_time.code == "EST" and not gen.is_small
