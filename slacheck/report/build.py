"""Build the report model from loaded definitions, lint findings and measurements."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from slacheck.credits import CreditSchedule, schedule_for
from slacheck.findings import Finding
from slacheck.model import Catalog, Document
from slacheck.objectives import Objective, backing_objective, commitments, raw_mapping
from slacheck.quantities import ONE, format_minutes, format_percent, period_minutes
from slacheck.report.clauses import (
    claims_clause,
    customers_clause,
    escalation_clause,
    exclusions_clause,
    measurement_clause,
    other_remedies_clause,
)
from slacheck.report.credit_table import credit_view
from slacheck.report.model import (
    Allowance,
    Clause,
    CommitmentView,
    MarginView,
    MeasuredView,
    ReportModel,
    SlaView,
)
from slacheck.report.words import (
    counted_things,
    period_day_range,
    period_words,
    threshold_fail_words,
    threshold_words,
)
from slacheck.rules.margin import budget_multiple, compare, margin_points

Measurements = dict[tuple[str, str], MeasuredView]

_FIELD = re.compile(r"\$\.spec\.([A-Za-z]+)(?:\[(\d+)\])?")


def build_report(
    catalog: Catalog,
    findings: list[Finding],
    *,
    title: str,
    sources: list[str],
    measurements: Measurements | None = None,
    snapshot: str = "",
) -> ReportModel:
    """Describe every SLA in ``catalog``; findings on other documents go last."""
    slas = sorted(catalog.of_kind("SLA"), key=lambda d: (d.path, d.source.line))
    views = [sla_view(doc, catalog, findings, measurements or {}) for doc in slas]
    placed = {id(f) for view in views for f in view.all_findings}
    others = [f for f in findings if id(f) not in placed]
    notes = []
    if measurements:
        notes.append(
            "Measured values show at most three decimals of a percent, rounded "
            "down so that none looks better than it was."
        )
    return ReportModel(title, sources, snapshot, views, others, notes)


def sla_view(
    document: Document,
    catalog: Catalog,
    findings: list[Finding],
    measurements: Measurements,
) -> SlaView:
    spec, metadata = document.spec, document.metadata
    paid_for = _paid_remedies(document)
    view = SlaView(
        name=document.name,
        path=document.path,
        line=document.source.line,
        service=_text(spec.get("service")),
        version=_text(metadata.get("version")),
        effective=_text(spec.get("effectiveDate")),
        expiry=_text(spec.get("expiryDate")),
        description=_text(spec.get("description")),
        customers=customers_clause(spec),
        commitments=[
            commitment_view(c, catalog, measurements.get((document.name, c.name)))
            for c in commitments(document)
        ],
        measurement=measurement_clause(spec),
        exclusions=exclusions_clause(spec),
        remedies=other_remedies_clause(spec, set(paid_for.values())),
        claims=claims_clause(spec),
        escalation=escalation_clause(spec),
    )
    _place_findings(view, _own_findings(document, findings), paid_for)
    return view


def commitment_view(
    commitment: Objective, catalog: Catalog, measured: MeasuredView | None
) -> CommitmentView:
    raw = raw_mapping(commitment)
    measurement = commitment.document.spec.get("measurement")
    measurement = measurement if isinstance(measurement, dict) else {}
    schedule = schedule_for(commitment.document, commitment.name)
    attainment = measured.attainment if measured is not None else None
    margin, note = _margin(commitment, catalog)
    return CommitmentView(
        index=commitment.where[-1] if isinstance(commitment.where[-1], int) else 0,
        name=commitment.name,
        sentence=commitment_sentence(commitment, raw, measurement),
        description=_text(raw.get("description")),
        target=commitment.target,
        threshold=_threshold_text(commitment),
        period=period_words(_text(raw.get("period")), _text(raw.get("timeZone"))),
        allowance=allowance(commitment, measurement, measured),
        margin=margin,
        backing_note=note,
        credit=credit_view(schedule, attainment) if schedule is not None else None,
        measured=measured,
    )


def commitment_sentence(
    commitment: Objective, raw: dict[str, Any], measurement: dict[str, Any]
) -> str:
    """Word a commitment: ``99.5% availability per calendar month, UTC``."""
    target = format_percent(commitment.target) if commitment.target is not None else "?"
    period = period_words(_text(raw.get("period")), _text(raw.get("timeZone")))
    threshold = commitment.threshold
    if threshold is None:
        return f"{target} availability per {period}"
    within = threshold_words(threshold.op, threshold.text)
    return f"{target} of {counted_things(measurement)} {within} per {period}"


def allowance(
    commitment: Objective, measurement: dict[str, Any], measured: MeasuredView | None
) -> Allowance | None:
    """Return the downtime (or share of slow requests) a commitment allows."""
    if commitment.target is None or commitment.window is None:
        return None
    budget = ONE - commitment.target
    threshold = commitment.threshold
    if threshold is not None:
        things = counted_things(measurement)
        slow = threshold_fail_words(threshold.op, threshold.text)
        return Allowance(f"up to {format_percent(budget)} of {things} may be {slow}")
    period = commitment.window.period
    if period not in ("month", "quarter", "year"):
        return None
    if (
        measured is not None
        and measured.year is not None
        and measured.month is not None
    ):
        return _exact_allowance(budget, period, measured)
    low, high = (budget * minutes for minutes in period_minutes(period))
    words = period_words(period)
    text = (
        f"{format_minutes(low)} to {format_minutes(high)} of downtime per {words} "
        f"({period_day_range(period)})"
    )
    return Allowance(text, low, high)


def _exact_allowance(budget: Decimal, period: str, measured: MeasuredView) -> Allowance:
    assert measured.year is not None and measured.month is not None
    minutes = budget * period_minutes(period, measured.year, measured.month)[0]
    days = period_minutes(period, measured.year, measured.month)[0] // 1440
    text = f"{format_minutes(minutes)} of downtime in {measured.period} ({days} days)"
    return Allowance(text, minutes, minutes)


def _margin(commitment: Objective, catalog: Catalog) -> tuple[MarginView | None, str]:
    raw = raw_mapping(commitment)
    if not isinstance(raw.get("sloRef"), str):
        return (
            None,
            "No backing SLO: nothing internal warns before this commitment breaks.",
        )
    backing = backing_objective(commitment, catalog)
    objective = backing.objective
    if objective is None:
        problem = backing.problem or (
            backing.resolution.problem if backing.resolution else ""
        )
        return None, f"The backing SLO cannot be used: {problem}."
    threshold = objective.threshold
    view = MarginView(
        slo_name=objective.document.name,
        slo_target=objective.target,
        slo_threshold=threshold_words(threshold.op, threshold.text)
        if threshold
        else "",
        slo_window=objective.window.describe() if objective.window else "",
        relation=compare(commitment, objective),
        points=margin_points(commitment, objective),
        multiple=budget_multiple(commitment, objective),
        threshold_note=_threshold_note(commitment, objective),
    )
    return view, ""


def _threshold_note(commitment: Objective, objective: Objective) -> str:
    ours, theirs = commitment.threshold, objective.threshold
    if (
        ours is None
        or theirs is None
        or (ours.op, ours.value) == (theirs.op, theirs.value)
    ):
        return ""
    return f"and a threshold of {ours.text} against the SLO's {theirs.text}"


def _threshold_text(commitment: Objective) -> str:
    threshold = commitment.threshold
    return threshold_words(threshold.op, threshold.text) if threshold else ""


def _paid_remedies(document: Document) -> dict[str, int]:
    """Map each commitment to the index of the remedy that pays its credits."""
    paid: dict[str, int] = {}
    for commitment in commitments(document):
        schedule = schedule_for(document, commitment.name)
        if schedule is not None:
            paid[commitment.name] = _remedy_index(schedule)
    return paid


def _remedy_index(schedule: CreditSchedule) -> int:
    index = schedule.where[-1]
    return index if isinstance(index, int) else -1


def _own_findings(document: Document, findings: list[Finding]) -> list[Finding]:
    return [
        f
        for f in findings
        if f.path == document.path and f.kind == "SLA" and f.name == document.name
    ]


def _place_findings(
    view: SlaView, findings: list[Finding], paid: dict[str, int]
) -> None:
    """Put each finding next to the clause its field path points into."""
    by_remedy = {index: name for name, index in paid.items()}
    clauses: dict[str, Clause] = {
        "customers": view.customers,
        "measurement": view.measurement,
        "exclusions": view.exclusions,
        "remedies": view.remedies,
        "claims": view.claims,
        "escalation": view.escalation,
    }
    for finding in findings:
        match = _FIELD.match(finding.field_path)
        section = match.group(1) if match else ""
        index = int(match.group(2)) if match and match.group(2) else None
        if section == "commitments" and index is not None:
            if _add_to_commitment(view, index, finding):
                continue
        if section == "remedies" and index in by_remedy:
            if _add_to_credit(view, by_remedy[index], finding):
                continue
        target = clauses.get(section)
        if target is not None:
            target.findings.append(finding)
        else:
            view.general_findings.append(finding)


def _add_to_commitment(view: SlaView, index: int, finding: Finding) -> bool:
    for commitment in view.commitments:
        if commitment.index == index:
            commitment.findings.append(finding)
            return True
    return False


def _add_to_credit(view: SlaView, name: str, finding: Finding) -> bool:
    from dataclasses import replace

    for commitment in view.commitments:
        if commitment.name == name and commitment.credit is not None:
            credit = commitment.credit
            commitment.credit = replace(credit, findings=(*credit.findings, finding))
            return True
    return False


def _text(value: Any) -> str:
    return "" if value is None else str(value)
