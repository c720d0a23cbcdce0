"""Judging SLA commitments over one contract period: breach, headroom, credit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from slacheck.credits import credit_for, schedule_for
from slacheck.evaluation.exclusions import apply_exclusions
from slacheck.evaluation.measure import (
    EVENTS,
    TIME_SLICES,
    Judgement,
    Reading,
    assumed_reading,
    fill_missing_slices,
    indicator_of,
    judge,
    reading_of,
    sli_rules,
)
from slacheck.evaluation.periods import covers_one, deadline_after
from slacheck.evaluation.results import BREACHED, MET, NO_DATA, NOT_JUDGED, SLAResult
from slacheck.evaluation.slo import find_measurement, measures_nothing
from slacheck.evaluation.snapshot import Snapshot
from slacheck.findings import Finding, Severity
from slacheck.model import Catalog, Document
from slacheck.objectives import Objective, backing_objective, raw_mapping
from slacheck.quantities import (
    HUNDRED,
    ONE,
    ZERO,
    format_duration_seconds,
    format_percent,
    format_points,
    parse_duration,
)
from slacheck.yamlload import FieldPath

BASE_WORDS = {
    "monthlyFee": "the monthly fee",
    "affectedServiceFee": "the affected service's fee",
    "annualFee": "the annual fee",
}


def evaluate_commitment(
    document: Document, commitment: Objective, snapshot: Snapshot, catalog: Catalog
) -> tuple[SLAResult, list[Finding]]:
    """Judge one SLA commitment; the snapshot must cover exactly one contract period."""
    backing = backing_objective(commitment, catalog).objective
    sli = _sli_of(commitment, backing)
    result = SLAResult(document, commitment, sli, NOT_JUDGED)
    if commitment.target is None or commitment.window is None:
        result.notes.append("the commitment has no readable target or period")
        return result, []
    window = commitment.window
    problem = covers_one(snapshot.period, str(window.period), window.time_zone or "UTC")
    if problem:
        result.notes.append(problem)
        message = f"SLA commitment {result.label!r} is not judged: {problem}"
        return result, [
            _finding(snapshot, ("spec", "period"), "SC711", message, Severity.WARNING)
        ]
    threshold = commitment.threshold or (backing.threshold if backing else None)
    measurement, missing = find_measurement(snapshot, sli, threshold)
    if measurement is None:
        findings = _without_measurement(result, missing, snapshot, catalog, backing)
        return result, findings
    result.measurement = measurement
    return result, _judge(result, snapshot, catalog, backing)


def _without_measurement(
    result: SLAResult,
    missing: str,
    snapshot: Snapshot,
    catalog: Catalog,
    backing: Objective | None,
) -> list[Finding]:
    """Apply the SLI's missingData rule when the snapshot lacks the SLI entirely.

    The SC713 warning is kept either way, so a commitment met or breached
    without a measurement is never silent.
    """
    where: FieldPath = ("spec", "indicators")
    rules = sli_rules(catalog, result.sli, backing.document if backing else None)
    rule = rules.missing_data if measures_nothing(snapshot, result.sli) else NO_DATA
    message = f"SLA commitment {result.label!r} has no data: {missing}"
    if rule == NO_DATA:
        result.status = NO_DATA
        result.notes.append(missing)
        return [_finding(snapshot, where, "SC713", message, Severity.WARNING)]
    result.missing_data = rule
    method = result.document.spec.get("measurement") or {}
    interval = parse_duration(method.get("interval"))
    slice_seconds = interval if method.get("unit") == "interval" else None
    reading = assumed_reading(rule, missing, snapshot.period, slice_seconds)
    message += f"; counted as {rule} by the SLI's missingData rule"
    warning = _finding(snapshot, where, "SC713", message, Severity.WARNING)
    return [warning, *_conclude(result, reading, rules.zero_traffic, snapshot, where)]


def _sli_of(commitment: Objective, backing: Objective | None) -> str:
    raw = raw_mapping(commitment)
    if isinstance(raw.get("indicatorRef"), str):
        return str(raw["indicatorRef"])
    if backing is not None:
        return indicator_of(backing.document) or ""
    return ""


def _judge(
    result: SLAResult, snapshot: Snapshot, catalog: Catalog, backing: Objective | None
) -> list[Finding]:
    assert result.measurement is not None
    method = result.document.spec.get("measurement") or {}
    reading = reading_of(
        result.measurement, _preferred_unit(method, result.measurement)
    )
    if reading is None:
        result.status = NO_DATA
        result.notes.append("an SLA is judged on event counts, time slices or a ratio")
        return []
    problem = _interval_problem(method, reading)
    if problem:
        result.notes.append(problem)
        message = f"SLA commitment {result.label!r} is not judged: {problem}"
        return [
            _finding(
                snapshot, result.measurement.where, "SC713", message, Severity.WARNING
            )
        ]
    rules = sli_rules(catalog, result.sli, backing.document if backing else None)
    rule = rules.zero_traffic
    problem = fill_missing_slices(reading, snapshot.period, rule)
    if problem:
        result.notes.append(problem)
        return [_finding(snapshot, result.measurement.where, "SC712", problem)]
    return _conclude(result, reading, rule, snapshot, result.measurement.where)


def _conclude(
    result: SLAResult, reading: Reading, rule: str, snapshot: Snapshot, where: FieldPath
) -> list[Finding]:
    """Apply exclusions, the low-traffic and zero-traffic ``rule``, then score."""
    method = result.document.spec.get("measurement") or {}
    reading, findings = apply_exclusions(reading, result, snapshot)
    judgement = _low_traffic(reading, method) or judge(reading, rule)
    result.notes.extend(judgement.notes)
    if judgement.attainment is None:
        result.status = NO_DATA
        return findings
    _score(result, judgement.attainment, snapshot)
    return [*findings, *_outcome_findings(result, snapshot, where)]


def _preferred_unit(method: dict[str, object], measurement: object) -> str:
    unit = method.get("unit")
    if unit == "interval":
        return TIME_SLICES
    if unit == "event":
        return EVENTS
    return EVENTS if getattr(measurement, "events", None) is not None else TIME_SLICES


def _interval_problem(method: dict[str, object], reading: Reading) -> str:
    interval = parse_duration(method.get("interval"))
    if reading.unit != TIME_SLICES or interval is None or reading.slice_seconds is None:
        return ""
    if interval == reading.slice_seconds:
        return ""
    return (
        f"the SLA counts {format_duration_seconds(interval)} intervals, but the "
        f"snapshot's time slices are {format_duration_seconds(reading.slice_seconds)} long"
    )


def _low_traffic(reading: Reading, method: dict[str, object]) -> Judgement | None:
    """Apply the SLA's minimum-traffic rule to an event-based period."""
    rule = method.get("lowTraffic")
    if reading.unit != EVENTS or reading.counts is None or not isinstance(rule, dict):
        return None
    minimum = rule.get("minimumEvents")
    if not isinstance(minimum, int) or reading.counts.total >= minimum:
        return None
    why = f"{reading.counts.total} events, fewer than the SLA's minimum of {minimum}"
    treat = rule.get("treatAs")
    if treat == "good":
        return Judgement(ONE, (*reading.notes, f"{why}: the period counts as good"))
    if treat == "bad":
        return Judgement(ZERO, (*reading.notes, f"{why}: the period counts as bad"))
    return Judgement(None, (*reading.notes, f"{why}: the period is excluded"))


def _score(result: SLAResult, attainment: Decimal, snapshot: Snapshot) -> None:
    target = result.commitment.target
    assert target is not None
    result.attainment = attainment
    result.status = MET if attainment >= target else BREACHED
    result.headroom_points = (attainment - target) * HUNDRED
    if target < ONE:
        result.budget_used = (ONE - attainment) / (ONE - target)
    schedule = schedule_for(result.document, result.commitment.name)
    if schedule is not None:
        result.credit = credit_for(schedule, attainment)
        result.credit_base = schedule.base
    result.claim_deadline = _claim_deadline(result, snapshot)


def _claim_deadline(result: SLAResult, snapshot: Snapshot) -> date | None:
    deadline = (result.document.spec.get("claims") or {}).get("deadline") or {}
    seconds = parse_duration(deadline.get("within"))
    if seconds is None:
        return None
    if deadline.get("after") != "periodEnd":
        result.notes.append(
            f"claims are due {deadline.get('within')} after the "
            f"{deadline.get('after') or 'unstated anchor'}"
        )
        return None
    zone = (
        result.commitment.window.time_zone if result.commitment.window else ""
    ) or "UTC"
    try:
        return deadline_after(snapshot.period.end, seconds, zone)
    except (OverflowError, ValueError):
        result.notes.append("the claim deadline falls past year 9999 and is not shown")
        return None


def credit_text(result: SLAResult) -> str:
    """Describe the credit owed, such as '20% of the monthly fee (capped)'."""
    if result.credit is None:
        return "no credit schedule" if result.breached else ""
    text = format_percent(result.credit.share)
    if result.credit_base:
        text += f" of {BASE_WORDS.get(result.credit_base, result.credit_base)}"
    if result.credit.capped:
        text += " (capped)"
    return text


def _outcome_findings(
    result: SLAResult, snapshot: Snapshot, where: FieldPath
) -> list[Finding]:
    findings = []
    assert result.attainment is not None
    if result.breached and not snapshot.period.running:
        findings.append(_finding(snapshot, where, "SC710", _breach_message(result)))
    if result.credit is not None and result.credit.alternative is not None:
        message = (
            f"the step rule of SLA {result.document.name!r} does not say whether a partly "
            f"used step earns its credit: {format_percent(result.credit.share)} if it does, "
            f"{format_percent(result.credit.alternative)} if not; set 'partialStep'"
        )
        findings.append(_finding(snapshot, where, "SC715", message, Severity.WARNING))
    return findings


def _breach_message(result: SLAResult) -> str:
    assert result.attainment is not None and result.headroom_points is not None
    target = result.commitment.target
    assert target is not None
    message = (
        f"SLA commitment {result.label!r} breached: "
        f"{format_percent(result.attainment, places=2)} against {format_percent(target)} "
        f"({format_points(_rounded(-result.headroom_points))} short)"
    )
    credit = credit_text(result)
    if credit:
        message += f"; credit owed: {credit}"
    if result.claim_deadline is not None:
        message += f", claims due by {result.claim_deadline.isoformat()}"
    return message


def _rounded(points: Decimal) -> Decimal:
    """Round points for a message; the exact figure stays in the JSON report."""
    return points.quantize(Decimal("0.01")).normalize()


def _finding(
    snapshot: Snapshot,
    where: tuple[str | int, ...],
    code: str,
    message: str,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return snapshot.finding(where, code, message, severity)
