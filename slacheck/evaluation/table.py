"""Plain-text tables of an evaluation: one block per snapshot and service."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from slacheck.evaluation.periods import elapsed_share_text
from slacheck.evaluation.results import (
    Evaluation,
    KPIResult,
    SLAResult,
    SLOResult,
    SnapshotEvaluation,
    service_of,
)
from slacheck.evaluation.sla import credit_text
from slacheck.policies.template import show
from slacheck.quantities import format_percent, format_points

STATUS_WORDS = {
    "met": "met",
    "missed": "MISSED",
    "breached": "BREACHED",
    "noData": "no data",
    "notJudged": "not judged",
    "onTarget": "on target",
    "offTarget": "OFF TARGET",
    "noTarget": "no target",
}
DASH = "-"
Result = TypeVar("Result", SLOResult, SLAResult, KPIResult)


def render_tables(evaluation: Evaluation) -> str:
    blocks = [_snapshot_block(judged) for judged in evaluation.snapshots]
    return "\n".join(blocks)


def _snapshot_block(judged: SnapshotEvaluation) -> str:
    period = judged.period
    lines = [
        f"Snapshot {judged.snapshot.name} ({judged.snapshot.document.path}): "
        f"{period.describe()}, {elapsed_share_text(period)}",
    ]
    # Grouped once: picking each service's results from all of them made a
    # run over 500 services spend seconds here.
    slos = _by_service(judged.slos)
    slas = _by_service(judged.slas)
    kpis = _by_service(r for r in judged.kpis if r.document is not None)
    for service in judged.services():
        lines.append("")
        lines.append(f"Service {service or '(none)'}")
        mine = (slos.get(service, []), slas.get(service, []), kpis.get(service, []))
        lines.extend(_service_block(judged, *mine))
    return "\n".join(lines) + "\n"


def _by_service(results: Iterable[Result]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = {}
    for result in results:
        grouped.setdefault(service_of(result.document), []).append(result)
    return grouped


def _service_block(
    judged: SnapshotEvaluation,
    slos: list[SLOResult],
    slas: list[SLAResult],
    kpis: list[KPIResult],
) -> list[str]:
    lines: list[str] = []
    running = judged.period.running
    if slos:
        lines.extend(_table(_SLO_HEADER, [_slo_row(r, running) for r in slos]))
    if slas:
        header = (
            _SLA_HEADER
            if not running
            else (*_SLA_HEADER[:-2], "credit if ended now", "claim by")
        )
        lines.extend(_table(header, [_sla_row(r, running) for r in slas]))
    if kpis:
        lines.extend(_table(_KPI_HEADER, [_kpi_row(r) for r in kpis]))
    notes = _notes(slos, slas, kpis)
    if notes:
        lines.append("  Notes:")
        lines.extend(f"    {note}" for note in notes)
    return lines


_SLO_HEADER = (
    "SLO",
    "target",
    "measured",
    "status",
    "budget used",
    "budget left",
    "burn rate",
    "pace",
)
_SLA_HEADER = (
    "SLA commitment",
    "target",
    "measured",
    "status",
    "headroom",
    "budget used",
    "risk",
    "credit",
    "claim by",
)
_KPI_HEADER = ("KPI", "target", "measured", "status", "previous", "trend")


def _table(header: Sequence[str], rows: list[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return (
            "  "
            + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        )

    return ["", line(header), *(line(row) for row in rows)]


def _status(status: str, running: bool) -> str:
    """Return the status word; a running period's met or missed is provisional."""
    word = STATUS_WORDS[status]
    if running and status in ("met", "missed", "breached"):
        word += " so far"
    return word


def _percent(value: Decimal | None) -> str:
    return DASH if value is None else format_percent(value, places=2)


def _number(value: Decimal | None) -> str:
    return DASH if value is None else show(value)


def _measured(result: SLOResult | SLAResult) -> str:
    """Return the attainment, marked when the SLI's missingData rule stood in."""
    text = _percent(result.attainment)
    if result.missing_data is not None:
        text += f" (missingData: {result.missing_data})"
    return text


def _target_text(target: Decimal | None, threshold: object) -> str:
    text = _percent(target)
    if threshold is not None:
        text += f" {getattr(threshold, 'op', '')} {getattr(threshold, 'text', '')}"
    return text


def _slo_row(result: SLOResult, running: bool) -> list[str]:
    budget = result.budget
    left = DASH
    if budget is not None and budget.remaining is not None:
        unit = "slices" if budget.unit == "timeSlices" else budget.unit
        left = f"{show(budget.remaining)} {unit}"
        if budget.allowed_minutes is not None and budget.allowed:
            minutes = budget.allowed_minutes * budget.remaining / budget.allowed
            left += f" ({show(minutes, 'minutes')})"
    return [
        result.label,
        _target_text(result.objective.target, result.objective.threshold),
        _measured(result),
        _status(result.status, running),
        _percent(budget.consumed_share if budget else None),
        left,
        _number(budget.burn_rate if budget else None),
        _number(budget.pace if budget else None),
    ]


def _sla_row(result: SLAResult, running: bool) -> list[str]:
    headroom = DASH
    if result.headroom_points is not None:
        headroom = format_points(
            result.headroom_points.quantize(Decimal("0.01")).normalize()
        )
    credit = credit_text(result) or "none"
    if result.credit is not None and result.credit.share == 0:
        credit = "none"
    deadline = DASH
    if result.claim_deadline is not None and credit != "none":
        deadline = result.claim_deadline.isoformat()
    return [
        result.label,
        _target_text(result.commitment.target, result.commitment.threshold),
        _measured(result),
        _status(result.status, running),
        headroom,
        _percent(result.budget_used),
        result.risk.level,
        credit,
        deadline,
    ]


def _kpi_row(result: KPIResult) -> list[str]:
    unit = "%" if result.unit == "percent" else f" {result.unit}"

    def with_unit(value: Decimal | None) -> str:
        return DASH if value is None else f"{show(value)}{unit}"

    direction = {"lowerIsBetter": " (lower)", "higherIsBetter": " (higher)"}
    target = with_unit(result.target)
    if result.target is not None and result.direction:
        target += direction[result.direction]
    trend = DASH if result.trend == "unknown" else result.trend
    return [
        result.name,
        target,
        with_unit(result.value),
        STATUS_WORDS[result.status],
        with_unit(result.previous),
        trend,
    ]


def _notes(
    slos: list[SLOResult], slas: list[SLAResult], kpis: list[KPIResult]
) -> list[str]:
    notes = []
    for slo in slos:
        for note in ([slo.window_note] if slo.window_note else []) + slo.notes:
            notes.append(f"{slo.label}: {note}")
    for sla in slas:
        for note in sla.notes:
            notes.append(f"{sla.label}: {note}")
        if sla.risk.worsening_kpis:
            kpi_names = ", ".join(sla.risk.worsening_kpis)
            notes.append(
                f"{sla.label}: risk raised by leading KPIs getting worse: {kpi_names}"
            )
    for kpi in kpis:
        notes.extend(f"{kpi.name}: {note}" for note in kpi.notes)
    return notes
