"""The targets rules are checked against, with the place each finding points at.

A definition rule's finding points at the start of the definition
document; a result rule's finding points at the measurement in the
snapshot file (or at the snapshot's period when nothing was measured).
"""

from __future__ import annotations

from typing import Any

from slacheck.evaluation import Evaluation, KPIResult, SLAResult, SLOResult
from slacheck.evaluation.measure import sli_rules
from slacheck.evaluation.snapshot import Snapshot
from slacheck.findings import Finding, Severity, format_field
from slacheck.model import Catalog, Document
from slacheck.policies.facts import kpi_facts, sla_facts, slo_facts
from slacheck.policies.runner import Place, Target
from slacheck.policies.variables import DEFINITIONS
from slacheck.policies.views import definition_facts
from slacheck.yamlload import FieldPath


def definition_targets(catalog: Catalog) -> list[Target]:
    return [
        Target(d.kind, d.label, definition_facts(d, catalog), _document_place(d))
        for d in catalog.documents
        if d.valid and d.kind in DEFINITIONS
    ]


def _document_place(document: Document) -> Place:
    def place(code: str, message: str, severity: Severity) -> Finding:
        return Finding(
            document.path,
            document.source.line,
            document.source.column,
            code,
            message,
            severity=severity,
            kind=document.kind,
            name=document.name,
            field_path="$",
            key=f"{code}:{document.kind}:{document.name}",
        )

    return place


def result_targets(evaluation: Evaluation, catalog: Catalog) -> list[Target]:
    targets: list[Target] = []
    for judged in evaluation.snapshots:
        snapshot = judged.snapshot
        for slo in judged.slos:
            facts = slo_facts(slo, snapshot, sli_rules(catalog, slo.sli, slo.document))
            targets.append(
                _result_target("SLOResult", f"SLO {slo.label!r}", slo, facts, snapshot)
            )
        for sla in judged.slas:
            facts = sla_facts(sla, snapshot, sli_rules(catalog, sla.sli))
            targets.append(
                _result_target(
                    "SLAResult", f"SLA commitment {sla.label!r}", sla, facts, snapshot
                )
            )
        for kpi in judged.kpis:
            targets.append(
                _result_target(
                    "KPIResult",
                    f"KPI {kpi.name!r}",
                    kpi,
                    kpi_facts(kpi, snapshot),
                    snapshot,
                )
            )
    return targets


def _result_target(
    applies_to: str, label: str, result: Any, facts: dict[str, Any], snapshot: Snapshot
) -> Target:
    where = _where(result, snapshot)
    full_label = f"{label} in snapshot {snapshot.name!r}"

    def place(code: str, message: str, severity: Severity) -> Finding:
        line, column = snapshot.document.position(where)
        return Finding(
            snapshot.document.path,
            line,
            column,
            code,
            message,
            severity=severity,
            kind="Snapshot",
            name=snapshot.name,
            field_path=format_field(where),
            key=f"{code}:{label}",
        )

    return Target(applies_to, full_label, facts, place)


def _where(result: SLOResult | SLAResult | KPIResult, snapshot: Snapshot) -> FieldPath:
    if isinstance(result, KPIResult):
        measured = snapshot.kpi_value(result.name)
        return measured.where if measured is not None else ("spec", "kpis")
    if result.measurement is not None:
        return result.measurement.where
    return ("spec", "period")
