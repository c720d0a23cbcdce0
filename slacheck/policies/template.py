"""Message templates: ``{result.attainment:percent}`` shows one of the rule's values.

Placeholders are plain dotted paths, never expressions, so a message cannot
compute anything. Formats: none (numbers as written, at most four
decimals), ``percent`` (a ratio as a percentage), ``points`` (percentage
points) and ``minutes``. A value that is absent for this target shows as
``n/a``; a path that no input of the rule's kind has is a load-time error.
``{{`` and ``}}`` write literal braces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slacheck.policies.variables import check_path
from slacheck.quantities import (
    format_minutes,
    format_number,
    format_percent,
    format_points,
)

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
FORMATS = ("percent", "points", "minutes")
MISSING = "n/a"


@dataclass(frozen=True)
class TemplateProblem:
    message: str
    offset: int


def check_template(template: str, applies_to: str) -> TemplateProblem | None:
    """Return the first problem in a template, or None."""
    for match in _PLACEHOLDER.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            return TemplateProblem(
                f"unmatched {token!r}; write {token * 2!r} for a brace", match.start()
            )
        path, _, fmt = match.group(1).strip().partition(":")
        if not _PATH.match(path):
            return TemplateProblem(
                f"{{{match.group(1)}}} is not a dotted field path", match.start()
            )
        if fmt and fmt not in FORMATS:
            return TemplateProblem(
                f"unknown format {fmt!r}; use {', '.join(FORMATS)} or none",
                match.start(),
            )
        problem = check_path(applies_to, path.split("."))
        if problem:
            return TemplateProblem(problem, match.start())
    return None


def render(template: str, facts: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        if match.group(1) is None:
            return token
        path, _, fmt = match.group(1).strip().partition(":")
        return show(lookup(facts, path.split(".")), fmt)

    return _PLACEHOLDER.sub(replace, template)


def lookup(facts: Any, parts: list[str]) -> Any:
    value = facts
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def show(value: Any, fmt: str = "") -> str:
    """Format one value for a message."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(item, fmt) for item in value) or "none"
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        if fmt == "percent":
            return format_percent(number, places=2)
        if fmt == "points":
            return format_points(_round(number, 2))
        if fmt == "minutes":
            return format_minutes(number)
        return format_number(_round(number, 4))
    return str(value)


def _round(number: Decimal, places: int) -> Decimal:
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        return number.quantize(Decimal(1).scaleb(-places))
    return number
