"""Exact quantities: ratios, durations and calendar periods.

Every comparison of targets goes through :class:`decimal.Decimal`, so
``99.9%``, ``0.999`` and ``targetPercent: 99.9`` are equal and
``0.1 + 0.2`` problems never decide whether an SLA has margin.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from slacheck.display import number_text

HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)

_PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)\Z")
_THRESHOLD = re.compile(r"([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|%)?\Z")

SECONDS_PER_UNIT = {
    "ms": Decimal("0.001"),
    "s": ONE,
    "m": Decimal(60),
    "h": Decimal(3600),
    "d": Decimal(86400),
    "w": Decimal(604800),
}

# Shortest and longest calendar period in days: 28 to 31 days a month, 90
# (January to March outside leap years) to 92 days a quarter (July to
# September, October to December), 365 or 366 days a year.
PERIOD_DAYS = {
    "month": (28, 31),
    "quarter": (90, 92),
    "year": (365, 366),
}

# Minutes from this on are written as a number rather than in hours, since no
# window is that long (1e12 minutes is about 1.9 million years).
_MAX_SPLIT_MINUTES = Decimal("1e12")

PERIOD_WORDS = {
    "month": "calendar month",
    "quarter": "calendar quarter",
    "year": "calendar year",
}


def to_decimal(value: Any) -> Decimal | None:
    """Return ``value`` as a Decimal, or None for anything that is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Only CEL and JSON callers pass floats; repr keeps the written digits.
        return Decimal(repr(value))
    return None


def parse_ratio(value: Any) -> Decimal | None:
    """Read a ratio written as ``'99.9%'`` or ``0.999``; None when invalid.

    A bare number above 1 is invalid here: the schema reports it with a
    hint, because ``99.9`` in a ratio field almost always means 99.9%.
    """
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match is None:
            return None
        ratio = Decimal(match.group(1)) / HUNDRED
        return ratio if ratio <= ONE else None
    number = to_decimal(value)
    if number is None or number < ZERO or number > ONE:
        return None
    return number


def target_of(mapping: dict[str, Any]) -> Decimal | None:
    """Return the target ratio from ``target`` or ``targetPercent``."""
    if "target" in mapping:
        return parse_ratio(mapping["target"])
    percent = to_decimal(mapping.get("targetPercent"))
    if percent is None or not ZERO <= percent <= HUNDRED:
        return None
    return percent / HUNDRED


def target_field(mapping: dict[str, Any]) -> str:
    return "targetPercent" if "targetPercent" in mapping else "target"


def parse_duration(text: Any) -> Decimal | None:
    """Return a duration such as ``28d`` or ``500ms`` in seconds."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(text.strip())
    if match is None:
        return None
    return Decimal(match.group(1)) * SECONDS_PER_UNIT[match.group(2)]


def parse_threshold(value: Any) -> tuple[Decimal, str] | None:
    """Split a threshold such as ``500ms`` into (number, unit).

    Time units are normalised to milliseconds so ``1s`` and ``1000ms`` compare
    equal; a bare number keeps the unit ``''``.
    """
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value), ""
    if not isinstance(value, str):
        return None
    match = _THRESHOLD.match(value.strip())
    if match is None:
        return None
    number, unit = Decimal(match.group(1)), match.group(2) or ""
    to_ms = {"us": Decimal("0.001"), "ms": ONE, "s": Decimal(1000), "m": Decimal(60000)}
    if unit in to_ms:
        return number * to_ms[unit], "ms"
    return number, unit


def period_minutes(
    period: str, year: int | None = None, month: int | None = None
) -> tuple[int, int]:
    """Return the (shortest, longest) length of a calendar period in minutes.

    With ``year`` and ``month`` the real length of that month, quarter (the
    one containing ``month``) or year is returned as both bounds.
    """
    if year is not None and month is not None:
        days = _exact_days(period, year, month)
        return days * 1440, days * 1440
    low, high = PERIOD_DAYS[period]
    return low * 1440, high * 1440


def _exact_days(period: str, year: int, month: int) -> int:
    import calendar  # imports locale; most runs never need it

    if period == "month":
        return calendar.monthrange(year, month)[1]
    if period == "quarter":
        first = 3 * ((month - 1) // 3) + 1
        return sum(calendar.monthrange(year, m)[1] for m in range(first, first + 3))
    return 366 if calendar.isleap(year) else 365


def format_percent(ratio: Decimal, places: int | None = None) -> str:
    """Render a ratio as a percentage without float noise: 0.995 -> '99.5%'."""
    value = ratio * HUNDRED
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return f"{_plain(value)}%"


def format_points(points: Decimal) -> str:
    """Render percentage points: Decimal('0.4') -> '0.4 points'."""
    word = "point" if abs(points) == ONE else "points"
    return f"{_plain(points)} {word}"


def format_number(value: Decimal) -> str:
    return _plain(value)


def format_minutes(minutes: Decimal) -> str:
    """Render minutes as '3 h 36 min' or '43.2 min'."""
    if not minutes.is_finite() or abs(minutes) >= _MAX_SPLIT_MINUTES:
        # quantize raises once the digits exceed the context's precision.
        return f"{format_number(minutes)} min"
    minutes = minutes.quantize(Decimal("0.1"))
    if minutes < 60:
        return f"{_plain(minutes)} min"
    hours = int(minutes // 60)
    rest = minutes - hours * 60
    if rest == 0:
        return f"{hours} h"
    return f"{hours} h {_plain(rest)} min"


def format_duration_seconds(seconds: Decimal) -> str:
    return format_minutes(seconds / 60)


def _plain(value: Decimal) -> str:
    try:
        normal = value.normalize()
    except ArithmeticError:  # InvalidOperation, or Overflow past Emax
        return number_text(value)
    return number_text(normal)
