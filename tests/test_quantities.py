"""Exact ratios, durations, thresholds and calendar periods."""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

import pytest

from slacheck.quantities import (
    PERIOD_DAYS,
    format_minutes,
    format_percent,
    format_points,
    parse_duration,
    parse_ratio,
    parse_threshold,
    period_minutes,
    target_field,
    target_of,
    to_decimal,
)
from slacheck.yamlload import load_text

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("99.9%", D("0.999")),
        ("100%", D(1)),
        ("0%", D(0)),
        ("99.95%", D("0.9995")),
        (D("0.999"), D("0.999")),
        (1, D(1)),
        (0, D(0)),
        (D("99.9"), None),
        (D("-0.1"), None),
        ("101%", None),
        ("99.9", None),
        ("abc", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_ratio(value: Any, expected: Decimal | None) -> None:
    assert parse_ratio(value) == expected


def test_three_spellings_are_exactly_equal() -> None:
    text = "a: {target: 99.9%}\nb: {target: 0.999}\nc: {targetPercent: 99.9}\n"
    data = load_text("f.yaml", text).documents[0].data
    targets = {target_of(data[key]) for key in ("a", "b", "c")}
    assert targets == {D("0.999")}
    [target] = targets
    assert isinstance(target, Decimal)


def test_binary_float_would_differ() -> None:
    # The reason for decimals: in binary floating point 99.9/100 != 0.999.
    assert 99.9 / 100 != 0.999
    assert target_of({"targetPercent": D("99.9")}) == parse_ratio(D("0.999"))


@pytest.mark.parametrize(
    ("mapping", "expected", "field"),
    [
        ({"target": "99.5%"}, D("0.995"), "target"),
        ({"targetPercent": D("99.5")}, D("0.995"), "targetPercent"),
        ({"targetPercent": 100}, D(1), "targetPercent"),
        ({"targetPercent": 101}, None, "targetPercent"),
        ({"target": D("99.5")}, None, "target"),
        ({}, None, "target"),
    ],
)
def test_target_of(
    mapping: dict[str, Any], expected: Decimal | None, field: str
) -> None:
    assert target_of(mapping) == expected
    assert target_field(mapping) == field


def test_margin_and_budget_multiple_example() -> None:
    slo, sla = parse_ratio("99.9%"), parse_ratio("99.5%")
    assert slo is not None and sla is not None
    assert (slo - sla) * 100 == D("0.4")
    assert (1 - sla) / (1 - slo) == 5


def test_headroom_example() -> None:
    measured, commitment = parse_ratio("99.94%"), parse_ratio("99.5%")
    assert measured is not None and commitment is not None
    assert (measured - commitment) * 100 == D("0.44")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("500ms", D("0.5")),
        ("30s", D(30)),
        ("5m", D(300)),
        ("1h", D(3600)),
        ("1.5h", D(5400)),
        ("28d", D(2419200)),
        ("4w", D(2419200)),
        (" 2d ", D(172800)),
        ("1month", None),
        ("1 d", None),
        ("28", None),
        ("1y", None),
        (28, None),
    ],
)
def test_parse_duration(text: Any, seconds: Decimal | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("500ms", (D(500), "ms")),
        ("1s", (D(1000), "ms")),
        ("1.5s", (D(1500), "ms")),
        ("250us", (D("0.25"), "ms")),
        ("2m", (D(120000), "ms")),
        ("5%", (D(5), "%")),
        ("500", (D(500), "")),
        (500, (D(500), "")),
        ("fast", None),
        (True, None),
    ],
)
def test_parse_threshold(value: Any, expected: tuple[Decimal, str] | None) -> None:
    assert parse_threshold(value) == expected


def test_thresholds_compare_across_units() -> None:
    assert parse_threshold("1s") == parse_threshold("1000ms")


@pytest.mark.parametrize(
    ("period", "year", "month", "days"),
    [
        ("month", 2026, 2, 28),
        ("month", 2024, 2, 29),
        ("month", 2026, 1, 31),
        ("month", 2026, 4, 30),
        ("quarter", 2026, 2, 90),
        ("quarter", 2024, 3, 91),
        ("quarter", 2026, 5, 91),
        ("quarter", 2026, 8, 92),
        ("quarter", 2026, 12, 92),
        ("year", 2026, 6, 365),
        ("year", 2024, 6, 366),
    ],
)
def test_period_minutes_of_real_period(
    period: str, year: int, month: int, days: int
) -> None:
    assert period_minutes(period, year, month) == (days * 1440, days * 1440)


def test_period_ranges_match_the_calendar() -> None:
    years = range(2020, 2030)
    for period in PERIOD_DAYS:
        lengths = {
            period_minutes(period, year, month)[0] // 1440
            for year in years
            for month in range(1, 13)
        }
        assert PERIOD_DAYS[period] == (min(lengths), max(lengths))
        assert period_minutes(period) == (min(lengths) * 1440, max(lengths) * 1440)


def test_month_range_for_allowed_downtime() -> None:
    low, high = period_minutes("month")
    budget = 1 - D("0.995")
    assert low * budget == D("201.6")
    assert high * budget == D("223.2")
    assert calendar.monthrange(2026, 2)[1] * 1440 == low


@pytest.mark.parametrize(
    ("ratio", "places", "text"),
    [
        (D("0.999"), None, "99.9%"),
        (D("0.995"), None, "99.5%"),
        (D("1"), None, "100%"),
        (D("0.99999"), 2, "100%"),
        (D("0.99949"), 2, "99.95%"),
        (D("0.12345"), 1, "12.3%"),
    ],
)
def test_format_percent(ratio: Decimal, places: int | None, text: str) -> None:
    assert format_percent(ratio, places) == text


@pytest.mark.parametrize(
    ("points", "text"),
    [
        (D("0.40"), "0.4 points"),
        (D(1), "1 point"),
        (D(-1), "-1 point"),
        (D(2), "2 points"),
    ],
)
def test_format_points(points: Decimal, text: str) -> None:
    assert format_points(points) == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (D("40.32"), "40.3 min"),
        (D("216"), "3 h 36 min"),
        (D("120"), "2 h"),
        (D("59.96"), "1 h"),
        (D("403.2"), "6 h 43.2 min"),
    ],
)
def test_format_minutes(minutes: Decimal, text: str) -> None:
    assert format_minutes(minutes) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, D(1)), (D("0.5"), D("0.5")), (0.1, D("0.1")), (True, None), ("1", None)],
)
def test_to_decimal(value: Any, expected: Decimal | None) -> None:
    assert to_decimal(value) == expected
