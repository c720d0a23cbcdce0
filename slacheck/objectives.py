"""Normalised objectives and commitments, whatever format they were written in.

Rules, evaluation and reports compare SLA commitments with SLO objectives
through these values, so ``target: 99.9%`` in slacheck/v1 and
``targetPercent: 99.9`` in OpenSLO compare exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slacheck.model import Catalog, Document, Resolution
from slacheck.quantities import (
    ONE,
    PERIOD_WORDS,
    parse_duration,
    parse_threshold,
    period_minutes,
    target_of,
)
from slacheck.yamlload import FieldPath

# OpenSLO writes calendar windows as durations with calendar units.
_OPENSLO_CALENDAR_UNITS = {"M": "month", "Q": "quarter", "Y": "year"}


@dataclass(frozen=True)
class Window:
    """An SLO time window or an SLA contract period."""

    rolling: bool
    seconds: Decimal | None = None
    period: str | None = None
    time_zone: str = ""
    text: str = ""

    def minutes_range(self) -> tuple[Decimal, Decimal] | None:
        if self.rolling and self.seconds is not None:
            minutes = self.seconds / 60
            return minutes, minutes
        if self.period in PERIOD_WORDS:
            low, high = period_minutes(self.period)
            return Decimal(low), Decimal(high)
        return None

    def describe(self) -> str:
        if self.rolling:
            return f"a rolling {self.text} window"
        if self.period:
            zone = f", {self.time_zone}" if self.time_zone else ""
            return f"a {PERIOD_WORDS[self.period]}{zone}"
        if self.text:
            zone = f", {self.time_zone}" if self.time_zone else ""
            return f"a calendar-aligned {self.text} window{zone}"
        return "an unknown window"

    def same_length_as(self, other: Window) -> bool:
        if self.rolling or other.rolling:
            return self.rolling == other.rolling and self.seconds == other.seconds
        return self.period == other.period


@dataclass(frozen=True)
class Threshold:
    op: str
    value: Decimal
    unit: str
    text: str

    @property
    def lower_is_better(self) -> bool:
        return self.op in ("lt", "lte")


@dataclass(frozen=True)
class Objective:
    """One SLO objective, or one SLA commitment, in comparable form."""

    document: Document
    where: FieldPath
    name: str
    target: Decimal | None
    threshold: Threshold | None
    window: Window | None

    @property
    def error_budget(self) -> Decimal | None:
        return None if self.target is None else ONE - self.target


def threshold_of(mapping: dict[str, Any], unit: str = "") -> Threshold | None:
    """Read ``op``/``value``; ``unit`` applies to a bare number (OpenSLO values)."""
    op, value = mapping.get("op"), mapping.get("value")
    if not isinstance(op, str) or value is None:
        return None
    if unit and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = f"{value}{unit}"
    parsed = parse_threshold(value)
    if parsed is None:
        return None
    return Threshold(op, parsed[0], parsed[1], str(value))


def slo_window(document: Document) -> Window | None:
    windows = document.spec.get("timeWindow")
    if (
        not isinstance(windows, list)
        or len(windows) != 1
        or not isinstance(windows[0], dict)
    ):
        return None
    item = windows[0]
    found = item.get("calendar")
    calendar: dict[str, Any] = found if isinstance(found, dict) else {}
    zone = str(calendar.get("timeZone", ""))
    if item.get("isRolling") is True:
        return Window(
            True, parse_duration(item.get("duration")), text=str(item.get("duration"))
        )
    if "period" in calendar:
        return Window(False, period=str(calendar["period"]), time_zone=zone)
    duration = item.get("duration")
    if isinstance(duration, str) and duration[-1:] in _OPENSLO_CALENDAR_UNITS:
        if duration[:-1] == "1":
            return Window(
                False, period=_OPENSLO_CALENDAR_UNITS[duration[-1]], time_zone=zone
            )
    return Window(False, parse_duration(duration), time_zone=zone, text=str(duration))


def slo_objectives(document: Document) -> list[Objective]:
    """Return an SLO's objectives, read once per document."""
    return document.remember("objectives", _read_objectives)


def _read_objectives(document: Document) -> list[Objective]:
    objectives = document.spec.get("objectives")
    if not isinstance(objectives, list):
        return []
    window = slo_window(document)
    # OpenSLO values have no unit; slacheck.openslo.link finds it on the SLI.
    units = document.notes.get("value_units", {})
    result = []
    for index, item in enumerate(objectives):
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or item.get("displayName") or "")
        result.append(
            Objective(
                document,
                ("spec", "objectives", index),
                name,
                target_of(item),
                threshold_of(item, units.get(index, "")),
                window,
            )
        )
    return result


def commitments(document: Document) -> list[Objective]:
    """Return an SLA's commitments, read once per document."""
    return document.remember("commitments", _read_commitments)


def _read_commitments(document: Document) -> list[Objective]:
    items = document.spec.get("commitments")
    if not isinstance(items, list):
        return []
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        period = item.get("period")
        window = Window(
            False, period=str(period), time_zone=str(item.get("timeZone", ""))
        )
        result.append(
            Objective(
                document,
                ("spec", "commitments", index),
                str(item.get("name", "")),
                target_of(item),
                threshold_of(item),
                window,
            )
        )
    return result


@dataclass
class Backing:
    """The SLO objective behind a commitment, or why there is none."""

    objective: Objective | None
    resolution: Resolution | None = None
    problem: str = ""


def backing_objective(commitment: Objective, catalog: Catalog) -> Backing:
    """Find the SLO objective a commitment names with ``sloRef``/``objective``."""
    raw = _raw(commitment)
    slo_name = raw.get("sloRef")
    if not isinstance(slo_name, str):
        return Backing(None)
    resolution = catalog.resolve("SLO", slo_name)
    if resolution.target is None:
        return Backing(None, resolution)
    objectives = slo_objectives(resolution.target)
    objective_name = raw.get("objective")
    if isinstance(objective_name, str):
        for objective in objectives:
            if objective.name == objective_name:
                return Backing(objective, resolution)
        names = ", ".join(repr(o.name) for o in objectives if o.name) or "none"
        problem = f"SLO {slo_name!r} has no objective named {objective_name!r} (it has {names})"
        return Backing(None, resolution, problem)
    if len(objectives) == 1:
        return Backing(objectives[0], resolution)
    problem = (
        f"SLO {slo_name!r} has {len(objectives)} objectives; name one with 'objective:'"
    )
    return Backing(None, resolution, problem)


def _raw(objective: Objective) -> dict[str, Any]:
    node: Any = objective.document.data
    for part in objective.where:
        node = node[part]
    return node if isinstance(node, dict) else {}


def raw_mapping(objective: Objective) -> dict[str, Any]:
    return _raw(objective)
