"""KPIs against their targets, and trends across consecutive snapshots."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from slacheck.evaluation.results import KPIResult, SLAResult, SnapshotEvaluation
from slacheck.evaluation.snapshot import Snapshot
from slacheck.findings import Finding, Severity
from slacheck.model import Document
from slacheck.quantities import HUNDRED, to_decimal

DIRECTIONS = ("lowerIsBetter", "higherIsBetter")


def kpi_number(value: Any, unit: str) -> Decimal | None:
    """Read a KPI value or target in the KPI's unit.

    ``'15%'`` is 15 for a percent KPI and 0.15 for a ratio KPI.
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = Decimal(value.strip()[:-1])
        except InvalidOperation:
            return None
        return number / HUNDRED if unit == "ratio" else number
    return to_decimal(value)


def evaluate_kpi(
    document: Document, snapshot: Snapshot
) -> tuple[KPIResult, list[Finding]]:
    spec = document.spec
    unit = str(spec.get("unit", ""))
    direction = spec.get("direction") if spec.get("direction") in DIRECTIONS else None
    result = KPIResult(
        name=document.name,
        document=document,
        value=None,
        target=kpi_number(spec.get("target"), unit),
        direction=direction,
        unit=unit,
    )
    measured = snapshot.kpi_value(document.name)
    if measured is None:
        result.notes.append(
            f"snapshot {snapshot.name!r} has no value for KPI {document.name!r}"
        )
        return result, []
    result.value = kpi_number(measured.value, unit)
    if result.value is None:
        message = f"KPI {document.name!r} value {measured.value!r} is not a number"
        return result, [snapshot.finding((*measured.where, "value"), "SC712", message)]
    if result.target is None or direction is None:
        result.notes.append("the KPI has no target or direction to judge it by")
    return result, []


def link_trends(evaluations: list[SnapshotEvaluation]) -> None:
    """Fill previous values, SLA risk and commitment history, oldest snapshot first."""
    previous_kpis: dict[str, Decimal] = {}
    history: dict[tuple[str, str], list[SLAResult]] = {}
    for evaluation in evaluations:
        for kpi in evaluation.kpis:
            kpi.previous = previous_kpis.get(kpi.name)
        _raise_risk(evaluation)
        for sla in evaluation.slas:
            past = history.setdefault((sla.document.name, sla.commitment.name), [])
            past.append(sla)
            _fill_history(sla, past)
        evaluation.kpis.extend(_derived_kpis(evaluation))
        for kpi in evaluation.kpis:
            if kpi.value is not None:
                previous_kpis[kpi.name] = kpi.value


def _raise_risk(evaluation: SnapshotEvaluation) -> None:
    worsening: dict[str, list[str]] = {}
    for kpi in evaluation.kpis:
        if kpi.document is None or kpi.trend != "worse":
            continue
        for sla in kpi.document.spec.get("leadingIndicatorFor") or []:
            worsening.setdefault(str(sla), []).append(kpi.name)
    for sla in evaluation.slas:
        sla.risk.worsening_kpis = sorted(worsening.get(sla.document.name, []))


def _fill_history(current: SLAResult, past: list[SLAResult]) -> None:
    judged = [r for r in past if r.met is not None]
    current.history.periods = len(judged)
    current.history.breaches = sum(1 for r in judged if r.breached)
    current.history.headroom_points = [
        r.headroom_points for r in judged if r.headroom_points is not None
    ]


def _derived_kpis(evaluation: SnapshotEvaluation) -> list[KPIResult]:
    """Return each commitment's breach rate and headroom as KPIs."""
    derived = []
    for sla in evaluation.slas:
        rate = sla.history.breach_rate
        if rate is not None:
            derived.append(
                KPIResult(
                    f"{sla.label}:breach-rate",
                    None,
                    rate,
                    None,
                    "lowerIsBetter",
                    "ratio",
                )
            )
        if sla.headroom_points is not None:
            derived.append(
                KPIResult(
                    f"{sla.label}:headroom",
                    None,
                    sla.headroom_points,
                    None,
                    "higherIsBetter",
                    "points",
                )
            )
    return derived


def unknown_kpi_findings(snapshot: Snapshot, known: set[str]) -> list[Finding]:
    findings = []
    for measured in snapshot.kpis:
        if measured.kpi not in known:
            message = f"no KPI named {measured.kpi!r} is defined"
            findings.append(
                snapshot.finding(
                    (*measured.where, "kpi"),
                    "SC101",
                    message,
                    Severity.ERROR,
                    key=f"KPI:{measured.kpi}",
                )
            )
    return findings
