"""The registry's pure rules: issuance with carry, splits, windows, dates."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.sandbox import rules
from desktop.sandbox.ratelimit import RateLimit, RateLimiter, parse_rate_limit


def test_whole_mwh_issue_and_the_fraction_carries() -> None:
    first = rules.issue("", rules.to_wh(0.6, "mwh"), 0)
    assert (first.certificates, first.remainder_wh) == (0, 600_000)
    second = rules.issue("", rules.to_wh(0.7, "mwh"), first.remainder_wh)
    assert (second.certificates, second.remainder_wh) == (1, 300_000)
    third = rules.issue("", rules.to_wh(2.5, "mwh"), second.remainder_wh)
    assert (third.certificates, third.remainder_wh) == (2, 800_000)


def test_kwh_quantities_convert_exactly() -> None:
    assert rules.to_wh(1234.567, "kwh") == 1_234_567
    assert rules.to_wh(123.456, "mwh") == 123_456_000


def test_split_parts_add_up_to_the_whole() -> None:
    parts = rules.split_quantity(1_000_001, [("a", 1 / 3), ("b", 1 / 3), ("c", 1 / 3)])
    assert sum(p for _, p in parts) == 1_000_001
    assert sorted(p for _, p in parts) == [333_333, 333_334, 333_334]


def test_split_totals_are_checked_to_a_hundredth_of_a_percent() -> None:
    assert rules.split_total_ok([0.5, 0.5])
    assert rules.split_total_ok([0.33335, 0.33335, 0.3333])
    assert not rules.split_total_ok([0.5, 0.49])
    assert not rules.split_total_ok([])


def test_upload_window_depends_on_size() -> None:
    assert rules.upload_window_days(150_000) == 365
    assert rules.upload_window_days(150_001) == 62
    end = date(2025, 1, 31)
    assert rules.date_feasible(end, date(2025, 4, 3), 200_000)
    assert not rules.date_feasible(end, date(2025, 4, 4), 200_000)
    assert rules.date_feasible(end, date(2026, 1, 31), 100_000)
    assert not rules.date_feasible(end, date(2026, 2, 1), 100_000)


def test_capacity_ceiling_is_nameplate_times_hours() -> None:
    start, end = date(2025, 1, 1), date(2025, 1, 31)
    assert rules.capacity_feasible(74_400_000, 100_000, start, end)  # 0.1 MW x 744 h
    assert not rules.capacity_feasible(74_400_001, 100_000, start, end)


def test_dates_and_vintages() -> None:
    assert rules.parse_day("2020-04-27T00:00:00Z") == date(2020, 4, 27)
    assert rules.parse_day("2025-02-28") == date(2025, 2, 28)
    for bad in ("2025-02-30", "02/01/2025", "2025-13-01T00:00"):
        with pytest.raises(rules.RuleError):
            rules.parse_day(bad)
    assert rules.vintage_of(date(2025, 3, 31)) == "2025-03"
    with pytest.raises(rules.RuleError):
        rules.parse_vintage("2025-13")


def test_serials_carry_generator_state_and_vintage() -> None:
    base = rules.serial_base("M1042", "mn", "2025-03")
    assert base.startswith("1042-MN-03-2025-")


def test_rate_limit_window() -> None:
    now = [100.0]
    limiter = RateLimiter(RateLimit(2, 5.0), clock=lambda: now[0])
    assert limiter.check("k") is None
    assert limiter.check("k") is None
    assert limiter.check("k") == 5
    assert limiter.check("other") is None
    now[0] = 105.0
    assert limiter.check("k") is None
    assert parse_rate_limit("off") is None
    assert parse_rate_limit("10/5") == RateLimit(10, 5.0)
    with pytest.raises(ValueError, match="N/SECONDS"):
        parse_rate_limit("ten")
