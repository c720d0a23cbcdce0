"""Judging SLO objectives over a snapshot: attainment, met or missed, error budget."""

from __future__ import annotations

from decimal import Decimal

from slacheck.evaluation.measure import (
    EVENTS,
    TIME_SLICES,
    Reading,
    assumed_reading,
    budget_of,
    fill_missing_slices,
    indicator_of,
    judge,
    reading_of,
    sli_rules,
    zero_rule,
)
from slacheck.evaluation.periods import Period, covers_one
from slacheck.evaluation.results import MET, MISSED, NO_DATA, NOT_JUDGED, SLOResult
from slacheck.evaluation.snapshot import Measurement, Snapshot
from slacheck.findings import Finding, Severity
from slacheck.model import Catalog, Document
from slacheck.objectives import Objective, Threshold, Window, raw_mapping
from slacheck.quantities import format_minutes, format_percent, parse_duration

_COMPARE = {
    "lt": lambda value, limit: value < limit,
    "lte": lambda value, limit: value <= limit,
    "gt": lambda value, limit: value > limit,
    "gte": lambda value, limit: value >= limit,
}


def evaluate_slo(
    document: Document, objective: Objective, snapshot: Snapshot, catalog: Catalog
) -> tuple[SLOResult, list[Finding]]:
    """Judge one SLO objective over the snapshot's period."""
    sli = indicator_of(document) or ""
    result = SLOResult(document, objective, sli, NOT_JUDGED)
    if objective.target is None:
        result.notes.append("the objective has no readable target")
        return result, []
    problem = window_problem(objective.window, snapshot.period)
    if problem:
        result.notes.append(problem)
        message = f"SLO {result.label!r} is not judged: {problem}"
        return result, [
            _finding(snapshot, message, "SC711", key=f"{result.label}:period")
        ]
    result.window_note = window_note(
        objective.window, snapshot.period, objective.target
    )
    measurement, missing = find_measurement(snapshot, sli, objective.threshold)
    if measurement is None:
        return result, [_without_measurement(result, missing, snapshot, catalog)]
    result.measurement = measurement
    _judge(result, measurement, snapshot, catalog)
    return result, []


def _without_measurement(
    result: SLOResult, missing: str, snapshot: Snapshot, catalog: Catalog
) -> Finding:
    """Apply the SLI's missingData rule when the snapshot lacks the SLI entirely.

    The SC713 warning is kept either way, so a result counted as good or
    bad without a measurement is never silent.
    """
    rules = sli_rules(catalog, result.sli, result.document)
    rule = rules.missing_data if measures_nothing(snapshot, result.sli) else NO_DATA
    message = f"SLO {result.label!r} has no data: {missing}"
    if rule == NO_DATA:
        result.status = NO_DATA
        result.notes.append(missing)
        return _finding(snapshot, message, "SC713", Severity.WARNING)
    result.missing_data = rule
    reading = assumed_reading(rule, missing, snapshot.period, _slice_length(result))
    _conclude(result, reading, rules.zero_traffic, snapshot.period)
    message += f"; counted as {rule} by the SLI's missingData rule"
    return _finding(snapshot, message, "SC713", Severity.WARNING)


def measures_nothing(snapshot: Snapshot, sli: str) -> bool:
    """Tell whether the snapshot has no measurement of ``sli`` at any threshold."""
    return bool(sli) and not snapshot.measurements_of(sli)


def _slice_length(result: SLOResult) -> Decimal | None:
    """Return the time-slice length of a time-slice SLO, in seconds, if it says."""
    if result.document.spec.get("budgetingMethod") in (None, "Occurrences"):
        return None
    return parse_duration(raw_mapping(result.objective).get("timeSliceWindow"))


def _judge(
    result: SLOResult, measurement: Measurement, snapshot: Snapshot, catalog: Catalog
) -> None:
    objective = result.objective
    assert objective.target is not None
    method = result.document.spec.get("budgetingMethod")
    prefer = EVENTS if method in (None, "Occurrences") else TIME_SLICES
    reading = reading_of(measurement, prefer)
    if reading is None:
        _judge_value(result, measurement)
        return
    rule = zero_rule(catalog, result.sli, result.document)
    problem = fill_missing_slices(reading, snapshot.period, rule)
    if problem:
        result.notes.append(problem)
        return
    _conclude(result, reading, rule, snapshot.period)


def _conclude(result: SLOResult, reading: Reading, rule: str, period: Period) -> None:
    """Judge the reading with the zero-traffic ``rule``: status, attainment, budget."""
    target = result.objective.target
    assert target is not None
    judgement = judge(reading, rule)
    result.notes.extend(judgement.notes)
    if judgement.attainment is None:
        result.status = NO_DATA
        return
    result.attainment = judgement.attainment
    result.status = MET if judgement.attainment >= target else MISSED
    result.budget = budget_of(reading, judgement.attainment, target, period)


def _judge_value(result: SLOResult, measurement: Measurement) -> None:
    """Judge a measured percentile value against the objective's threshold."""
    threshold, target = result.objective.threshold, result.objective.target
    value = measurement.value
    if value is None or threshold is None or measurement.percentile != target:
        result.status = NO_DATA
        result.notes.append(_value_mismatch(measurement, result.objective))
        return
    if value[1] != threshold.unit:
        result.notes.append(
            f"the measured value's unit {value[1]!r} differs from the threshold's "
            f"{threshold.unit!r}"
        )
        return
    good = _COMPARE[threshold.op](value[0], threshold.value)
    result.status = MET if good else MISSED
    result.notes.append(
        f"judged on the measured p{_percentile(target)} of "
        f"{value[0].normalize():f}{value[1]} ({threshold.op} {threshold.text})"
    )


def _value_mismatch(measurement: Measurement, objective: Objective) -> str:
    if measurement.value is None:
        return f"SLI {measurement.sli!r} is measured without counts, ratio or value"
    if objective.threshold is None:
        return "a measured value judges only objectives with a threshold (op and value)"
    assert objective.target is not None
    return (
        f"the measured value is a p{_percentile(measurement.percentile)}, but the "
        f"objective needs the p{_percentile(objective.target)} or good and total counts"
    )


def _percentile(ratio: object) -> str:
    if not isinstance(ratio, Decimal):
        return "?"
    return format_percent(ratio).rstrip("%")


def find_measurement(
    snapshot: Snapshot, sli: str, threshold: Threshold | None
) -> tuple[Measurement | None, str]:
    """Return the measurement for ``sli`` at ``threshold``, or why there is none."""
    if not sli:
        return None, "it names no SLI"
    key = (threshold.value, threshold.unit) if threshold is not None else None
    found = snapshot.measurement_for(sli, key)
    if found is not None:
        return found, ""
    others = snapshot.measurements_of(sli)
    if threshold is not None:
        unthresholded = next(
            (m for m in others if m.threshold is None and m.value), None
        )
        if unthresholded is not None:
            return unthresholded, ""
    if not others:
        return None, f"snapshot {snapshot.name!r} has no measurement of SLI {sli!r}"
    if threshold is None:
        return (
            None,
            f"SLI {sli!r} is measured only at thresholds; add one without 'threshold'",
        )
    return None, (
        f"SLI {sli!r} is not measured at threshold {threshold.text}; "
        f"add a measurement with 'threshold: {threshold.text}'"
    )


def window_problem(window: Window | None, period: Period) -> str:
    """Return why a calendar window cannot be judged over the period, or ''."""
    if window is None or window.rolling or window.period is None:
        return ""
    return covers_one(period, window.period, window.time_zone or period.time_zone)


def window_note(window: Window | None, period: Period, target: Decimal) -> str:
    """Say how a rolling window maps onto the snapshot's period."""
    if window is None or not window.rolling or window.seconds is None:
        return ""
    window_minutes = window.seconds / 60
    if window_minutes == period.minutes:
        return ""
    days = format(period.days.normalize(), "f")
    ratio = 1 - target
    return (
        f"rolling {window.text} window judged over the snapshot's {days}-day period, "
        f"so the error budget of {format_percent(ratio)} is scaled from "
        f"{format_minutes(ratio * window_minutes)} to {format_minutes(ratio * period.minutes)}"
    )


def _finding(
    snapshot: Snapshot,
    message: str,
    code: str,
    severity: Severity = Severity.WARNING,
    key: str = "",
) -> Finding:
    return snapshot.finding(("spec", "period"), code, message, severity, key=key)
