"""An evaluation as JSON-ready data; Decimals become strings so no digit is lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from slacheck.evaluation.results import (
    Budget,
    Evaluation,
    KPIResult,
    SLAResult,
    SLOResult,
    SnapshotEvaluation,
    service_of,
)
from slacheck.evaluation.sla import credit_text


def number(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    return {"snapshots": [_snapshot(s) for s in evaluation.snapshots]}


def _snapshot(judged: SnapshotEvaluation) -> dict[str, Any]:
    period = judged.period
    return {
        "name": judged.snapshot.name,
        "path": judged.snapshot.document.path,
        "service": judged.snapshot.service,
        "period": {
            "start": period.local(period.start).isoformat(),
            "end": period.local(period.end).isoformat(),
            "asOf": period.local(period.as_of).isoformat(),
            "timeZone": period.time_zone,
            "running": period.running,
            "elapsed": number(period.elapsed),
        },
        "slos": [_slo(r) for r in judged.slos],
        "slas": [_sla(r) for r in judged.slas],
        "kpis": [_kpi(r) for r in judged.kpis],
    }


def _slo(result: SLOResult) -> dict[str, Any]:
    return {
        "slo": result.document.name,
        "objective": result.objective.name,
        "service": service_of(result.document),
        "sli": result.sli,
        "target": number(result.objective.target),
        "status": result.status,
        "met": result.met,
        "attainment": number(result.attainment),
        "budget": _budget(result.budget),
        "windowNote": result.window_note or None,
        "missingData": result.missing_data,
        "notes": result.notes,
    }


def _budget(budget: Budget | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    return {
        "ratio": number(budget.ratio),
        "unit": budget.unit,
        "allowed": number(budget.allowed),
        "consumed": number(budget.consumed),
        "remaining": number(budget.remaining),
        "consumedShare": number(budget.consumed_share),
        "remainingShare": number(budget.remaining_share),
        "burnRate": number(budget.burn_rate),
        "pace": number(budget.pace),
        "allowedMinutes": number(budget.allowed_minutes),
    }


def _sla(result: SLAResult) -> dict[str, Any]:
    credit = result.credit
    return {
        "sla": result.document.name,
        "commitment": result.commitment.name,
        "service": service_of(result.document),
        "sli": result.sli,
        "target": number(result.commitment.target),
        "status": result.status,
        "met": result.met,
        "attainment": number(result.attainment),
        "headroomPoints": number(result.headroom_points),
        "budgetUsed": number(result.budget_used),
        "credit": None
        if credit is None
        else {
            "share": number(credit.share),
            "alternative": number(credit.alternative),
            "capped": credit.capped,
            "base": result.credit_base,
            "text": credit_text(result),
        },
        "claimDeadline": _date(result.claim_deadline),
        "excludedMinutes": number(result.excluded_minutes),
        "risk": {
            "level": result.risk.level,
            "worseningKpis": result.risk.worsening_kpis,
        },
        "history": {
            "periods": result.history.periods,
            "breaches": result.history.breaches,
            "breachRate": number(result.history.breach_rate),
            "headroomPoints": [number(p) for p in result.history.headroom_points],
        },
        "missingData": result.missing_data,
        "notes": result.notes,
    }


def _kpi(result: KPIResult) -> dict[str, Any]:
    return {
        "kpi": result.name,
        "derived": result.document is None,
        "unit": result.unit,
        "target": number(result.target),
        "direction": result.direction,
        "value": number(result.value),
        "status": result.status,
        "onTarget": result.on_target,
        "previous": number(result.previous),
        "change": number(result.change),
        "trend": result.trend,
        "notes": result.notes,
    }


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
