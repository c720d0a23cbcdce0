"""Evaluation results as the variables of result rules (SLOResult and the rest).

Values stay exact here (Decimal) so messages show them as computed; the
CEL layer converts them to doubles. Fields that are unknown for a target
are left out, so rules test them with ``has()``.
"""

from __future__ import annotations

from typing import Any

from slacheck.evaluation.measure import SLIRules
from slacheck.evaluation.periods import Period
from slacheck.evaluation.results import (
    NO_DATA,
    NOT_JUDGED,
    Budget,
    KPIResult,
    SLAResult,
    SLOResult,
    service_of,
)
from slacheck.evaluation.sla import credit_text
from slacheck.evaluation.snapshot import Measurement, Snapshot
from slacheck.model import Document
from slacheck.objectives import Objective, Threshold

Facts = dict[str, Any]


def compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown (None) fields so CEL's has() reports them as absent."""
    return {key: value for key, value in mapping.items() if value is not None}


def snapshot_facts(snapshot: Snapshot) -> Facts:
    period = snapshot.period
    return compact(
        {
            "name": snapshot.name,
            "service": snapshot.service,
            **_period_facts(period),
            "asOf": period.local(period.as_of).isoformat(),
        }
    )


def _period_facts(period: Period) -> Facts:
    return {
        "start": period.local(period.start).isoformat(),
        "end": period.local(period.end).isoformat(),
        "timeZone": period.time_zone,
        "running": period.running,
        "elapsed": period.elapsed,
        "days": period.days,
    }


def window_facts(period: Period, rolling: bool = False, note: str = "") -> Facts:
    return compact({**_period_facts(period), "rolling": rolling, "note": note or None})


def threshold_facts(threshold: Threshold | None) -> Facts:
    if threshold is None:
        return {}
    return {
        "op": threshold.op,
        "threshold": threshold.value,
        "unit": threshold.unit or None,
    }


def measured_facts(
    name: str, measurement: Measurement | None, unit: str | None, rules: SLIRules
) -> Facts:
    counts = None
    if measurement is not None:
        counts = measurement.time_slices if unit == "timeSlices" else measurement.events
    return compact(
        {
            "name": name,
            "unit": unit,
            "good": counts.good if counts else None,
            "bad": counts.bad if counts else None,
            "total": counts.total if counts else None,
            "zeroTraffic": rules.zero_traffic,
            "missingData": rules.missing_data,
        }
    )


def _metadata(document: Document) -> Facts:
    metadata = document.metadata
    return compact(
        {
            "name": document.name,
            "owner": metadata.get("owner"),
            "labels": metadata.get("labels") or {},
        }
    )


def slo_facts(result: SLOResult, snapshot: Snapshot, rules: SLIRules) -> Facts:
    budget = result.budget
    window = result.objective.window
    return {
        "slo": compact(
            {
                **_metadata(result.document),
                "service": service_of(result.document),
                "budgetingMethod": result.document.spec.get("budgetingMethod"),
            }
        ),
        "objective": _objective_facts(result.objective),
        "sli": measured_facts(
            result.sli,
            result.measurement,
            budget.unit if budget else None,
            rules,
        ),
        "result": compact(
            {
                "status": result.status,
                "judged": result.status not in (NO_DATA, NOT_JUDGED),
                "met": result.met,
                "attainment": result.attainment,
                "missingData": result.missing_data,
                "notes": list(result.notes),
            }
        ),
        "budget": budget_facts(budget, result.objective),
        "window": window_facts(
            snapshot.period, bool(window and window.rolling), result.window_note
        ),
        "snapshot": snapshot_facts(snapshot),
    }


def _objective_facts(objective: Objective) -> Facts:
    return compact(
        {
            "name": objective.name,
            "target": objective.target,
            **threshold_facts(objective.threshold),
        }
    )


def budget_facts(budget: Budget | None, objective: Objective) -> Facts:
    if budget is None:
        ratio = None if objective.target is None else 1 - objective.target
        return compact({"ratio": ratio})
    return compact(
        {
            "ratio": budget.ratio,
            "unit": budget.unit,
            "allowed": budget.allowed,
            "consumed": budget.consumed,
            "remaining": budget.remaining,
            "consumedShare": budget.consumed_share,
            "remainingShare": budget.remaining_share,
            "burnRate": budget.burn_rate,
            "pace": budget.pace,
            "allowedMinutes": budget.allowed_minutes,
        }
    )


def sla_facts(result: SLAResult, snapshot: Snapshot, rules: SLIRules) -> Facts:
    spec = result.document.spec
    customers = spec.get("customers") or {}
    commitment = result.commitment
    window = commitment.window
    return {
        "sla": compact(
            {
                **_metadata(result.document),
                "service": service_of(result.document),
                "version": result.document.metadata.get("version"),
                "tiers": list(customers.get("tiers") or []),
                "plans": list(customers.get("plans") or []),
                "effectiveDate": spec.get("effectiveDate"),
            }
        ),
        "commitment": compact(
            {
                "name": commitment.name,
                "target": commitment.target,
                "period": window.period if window else None,
                "timeZone": window.time_zone if window else None,
                **threshold_facts(commitment.threshold),
            }
        ),
        "sli": measured_facts(
            result.sli, result.measurement, _unit(result), rules
        ),
        "result": _sla_result(result),
        "risk": {
            "level": result.risk.level,
            "worseningKpis": list(result.risk.worsening_kpis),
        },
        "history": compact(
            {
                "periods": result.history.periods,
                "breaches": result.history.breaches,
                "breachRate": result.history.breach_rate,
                "headroomPoints": list(result.history.headroom_points),
            }
        ),
        "window": window_facts(snapshot.period),
        "snapshot": snapshot_facts(snapshot),
    }


def _sla_result(result: SLAResult) -> Facts:
    credit = result.credit
    deadline = result.claim_deadline
    return compact(
        {
            "status": result.status,
            "judged": result.status not in (NO_DATA, NOT_JUDGED),
            "met": result.met,
            "breached": result.breached,
            "attainment": result.attainment,
            "headroomPoints": result.headroom_points,
            "budgetUsed": result.budget_used,
            "credit": credit.share if credit else None,
            "creditAlternative": credit.alternative if credit else None,
            "creditCapped": bool(credit and credit.capped),
            "creditBase": result.credit_base,
            "creditText": credit_text(result) or "none",
            "claimDeadline": deadline.isoformat() if deadline else None,
            "excludedMinutes": result.excluded_minutes,
            "missingData": result.missing_data,
            "notes": list(result.notes),
        }
    )


def _unit(result: SLAResult) -> str | None:
    method = result.document.spec.get("measurement") or {}
    measurement = result.measurement
    if measurement is None:
        return None
    if method.get("unit") == "interval" or measurement.events is None:
        return "timeSlices" if measurement.time_slices is not None else None
    return "events"


def kpi_facts(result: KPIResult, snapshot: Snapshot) -> Facts:
    spec = result.document.spec if result.document is not None else {}
    owner = (
        result.document.metadata.get("owner") if result.document is not None else None
    )
    return {
        "kpi": compact(
            {
                "name": result.name,
                "derived": result.document is None,
                "service": service_of(result.document) or None,
                "unit": result.unit,
                "target": result.target,
                "direction": result.direction,
                "owner": owner,
                "leadingIndicatorFor": list(spec.get("leadingIndicatorFor") or []),
            }
        ),
        "result": compact(
            {
                "status": result.status,
                "value": result.value,
                "onTarget": result.on_target,
                "previous": result.previous,
                "change": result.change,
                "trend": result.trend,
                "notes": list(result.notes),
            }
        ),
        "window": window_facts(snapshot.period),
        "snapshot": snapshot_facts(snapshot),
    }
