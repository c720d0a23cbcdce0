"""Plain words for contract terms: durations, periods, thresholds and clause types."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from slacheck.quantities import PERIOD_DAYS, PERIOD_WORDS, format_number, format_points

_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)\Z")

_UNIT_WORDS = {
    "ms": ("millisecond", "milliseconds"),
    "s": ("second", "seconds"),
    "m": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "d": ("day", "days"),
    "w": ("week", "weeks"),
}

EXCLUSION_WORDS = {
    "scheduledMaintenance": "Scheduled maintenance",
    "emergencyMaintenance": "Emergency maintenance",
    "forceMajeure": "Force majeure",
    "customerCaused": "Caused by the customer",
    "thirdParty": "Third-party failures",
    "preview": "Preview features",
    "suspension": "Suspended accounts",
    "other": "Other",
}

CREDIT_BASE_WORDS = {
    "monthlyFee": "the monthly fee",
    "affectedServiceFee": "the fee for the affected service",
    "annualFee": "the annual fee",
}

CLAIM_ANCHOR_WORDS = {
    "periodEnd": "the end of the contract period",
    "incident": "the incident",
    "invoice": "the invoice for the period",
    "breachNotice": "the provider's notice of the breach",
}

# How a measured value compares with a threshold to count as good.
_OP_WORDS = {"lte": "within", "lt": "in under", "gte": "at or above", "gt": "above"}
_OP_FAIL_WORDS = {
    "lte": "longer than",
    "lt": "at or over",
    "gte": "below",
    "gt": "at or below",
}


def duration_words(text: Any) -> str:
    """Render a duration such as ``30d`` as ``30 days``; other values unchanged."""
    if not isinstance(text, str):
        return str(text)
    match = _DURATION.match(text.strip())
    if match is None:
        return text
    number = Decimal(match.group(1))
    singular, plural = _UNIT_WORDS[match.group(2)]
    return f"{format_number(number)} {singular if number == 1 else plural}"


def period_words(period: str | None, time_zone: str = "") -> str:
    """Render a contract period: ``calendar month, UTC``."""
    words = PERIOD_WORDS.get(period or "", f"period {period!r}")
    return f"{words}, {time_zone}" if time_zone else words


def period_day_range(period: str | None) -> str:
    """Return ``28 to 31 days`` for a month, ``''`` for an unknown period."""
    if period not in PERIOD_DAYS:
        return ""
    low, high = PERIOD_DAYS[period]
    return f"{low} to {high} days"


def threshold_words(op: str, value: str) -> str:
    """Render the good side of a threshold: ``within 1s``."""
    return f"{_OP_WORDS.get(op, op)} {value}"


def threshold_fail_words(op: str, value: str) -> str:
    """Render the bad side of a threshold: ``longer than 1s``."""
    return f"{_OP_FAIL_WORDS.get(op, 'not ' + op)} {value}"


def counted_things(measurement: dict[str, Any]) -> str:
    """Return what attainment counts: ``requests`` or ``1-minute intervals``."""
    if measurement.get("unit") == "interval":
        match = _DURATION.match(str(measurement.get("interval", "")).strip())
        if match is None:
            return "intervals"
        number = format_number(Decimal(match.group(1)))
        return f"{number}-{_UNIT_WORDS[match.group(2)][0]} intervals"
    return "requests"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


# Measured values print with at most this many decimals of a percent.
MEASURED_PLACES = 3


def _cut(value: Decimal) -> Decimal:
    """Cut a value to MEASURED_PLACES decimals, rounding toward minus infinity.

    Rounding to nearest could print 99.5% for a measured 99.4996% that
    breached a 99.5% commitment, and -0.099 points for a shortfall of 0.0998;
    rounding down never shows a value better than it was.
    """
    if value.as_tuple().exponent >= -MEASURED_PLACES:  # type: ignore[operator]
        return value
    return value.quantize(Decimal(1).scaleb(-MEASURED_PLACES), rounding=ROUND_FLOOR)


def measured_percent(ratio: Decimal) -> str:
    """Render a measured ratio as a percentage: 0.991935... -> '99.193%'."""
    return f"{format_number(_cut(ratio * 100))}%"


def measured_points(points: Decimal) -> str:
    return format_points(_cut(points))


def headroom_words(points: Decimal) -> str:
    """Say ``headroom 0.44 points``, or ``0.8 points short`` below the target."""
    if points < 0:
        return f"{format_points(-_cut(points))} short"
    return f"headroom {measured_points(points)}"
