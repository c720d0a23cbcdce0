"""Run the built-in evaluation over every snapshot, oldest first."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date

from slacheck.evaluation.kpi import evaluate_kpi, link_trends, unknown_kpi_findings
from slacheck.evaluation.measure import indicator_of
from slacheck.evaluation.results import Evaluation, SnapshotEvaluation, service_of
from slacheck.evaluation.sla import evaluate_commitment
from slacheck.evaluation.slo import evaluate_slo
from slacheck.evaluation.snapshot import Snapshot, read_snapshot
from slacheck.findings import Finding, Severity
from slacheck.model import Catalog, Document
from slacheck.objectives import commitments, slo_objectives

log = logging.getLogger(__name__)


def evaluate(catalog: Catalog, snapshots: Iterable[Document]) -> Evaluation:
    """Judge every SLO, SLA commitment and KPI in ``catalog`` over each snapshot.

    Documents that failed schema validation are skipped (the loader has
    reported them). Problems with the snapshots become ``findings``.
    """
    evaluation = Evaluation()
    checked: list[Snapshot] = []
    for document in snapshots:
        if document.kind != "Snapshot" or not document.valid:
            continue
        snapshot, findings = read_snapshot(document)
        evaluation.findings.extend(findings)
        if snapshot is not None:
            checked.append(snapshot)
    checked.sort(key=lambda s: (s.period.start.astimezone(UTC), s.name))
    evaluation.findings.extend(_overlaps(checked))
    for snapshot in checked:
        log.info(
            "evaluating snapshot %s (%s)", snapshot.name, snapshot.period.describe()
        )
        judged, findings = evaluate_snapshot(catalog, snapshot)
        evaluation.snapshots.append(judged)
        evaluation.findings.extend(findings)
    link_trends(evaluation.snapshots)
    return evaluation


def evaluate_snapshot(
    catalog: Catalog, snapshot: Snapshot
) -> tuple[SnapshotEvaluation, list[Finding]]:
    judged = SnapshotEvaluation(snapshot)
    findings = [
        *_unknown_service(catalog, snapshot),
        *_unknown_indicators(catalog, snapshot),
    ]
    for document in _in_scope(catalog, "SLO", snapshot):
        for objective in slo_objectives(document):
            slo, problems = evaluate_slo(document, objective, snapshot, catalog)
            judged.slos.append(slo)
            findings.extend(problems)
    for document in _in_scope(catalog, "SLA", snapshot):
        if not _in_force(document, snapshot):
            continue
        for commitment in commitments(document):
            sla, problems = evaluate_commitment(document, commitment, snapshot, catalog)
            judged.slas.append(sla)
            findings.extend(problems)
    kpis = list(_in_scope(catalog, "KPI", snapshot))
    for document in kpis:
        kpi, problems = evaluate_kpi(document, snapshot)
        judged.kpis.append(kpi)
        findings.extend(problems)
    findings.extend(
        unknown_kpi_findings(snapshot, {d.name for d in catalog.of_kind("KPI")})
    )
    return judged, findings


def _in_scope(catalog: Catalog, kind: str, snapshot: Snapshot) -> Iterable[Document]:
    for document in catalog.of_kind(kind):
        if not document.valid:
            continue
        if snapshot.service is None or service_of(document) == snapshot.service:
            yield document


def _in_force(document: Document, snapshot: Snapshot) -> bool:
    """Return False for an SLA that starts after, or expires before, the period."""
    zone = snapshot.period.zone
    first = snapshot.period.start.astimezone(zone).date()
    last = snapshot.period.end.astimezone(zone).date()
    effective = _date(document.spec.get("effectiveDate"))
    expiry = _date(document.spec.get("expiryDate"))
    if effective is not None and effective >= last:
        log.info("SLA %s is not yet in force in %s", document.name, snapshot.name)
        return False
    return expiry is None or expiry > first


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _unknown_service(catalog: Catalog, snapshot: Snapshot) -> list[Finding]:
    """Report a snapshot scoped to a service no definition names.

    Such a snapshot judges nothing, and without a finding the run would end
    clean.
    """
    if snapshot.service is None:
        return []
    if catalog.named("Service", snapshot.service):
        return []
    if any(service_of(d) == snapshot.service for d in catalog.documents):
        return []
    resolution = catalog.resolve("Service", snapshot.service)
    message = f"{resolution.problem}, so this snapshot judges nothing"
    return [
        snapshot.finding(
            ("spec", "service"),
            resolution.code or "SC101",
            message,
            Severity.ERROR,
            key=f"Service:{snapshot.service}",
        )
    ]


def _unknown_indicators(catalog: Catalog, snapshot: Snapshot) -> list[Finding]:
    inline = {indicator_of(d) for d in catalog.of_kind("SLO")}
    findings = []
    for measurement in snapshot.measurements:
        if measurement.sli in inline:
            continue
        resolution = catalog.resolve("SLI", measurement.sli)
        if resolution.target is None:
            findings.append(
                snapshot.finding(
                    (*measurement.where, "sli"),
                    resolution.code,
                    resolution.problem,
                    Severity.ERROR,
                    key=f"SLI:{measurement.sli}",
                )
            )
    return findings


def _overlaps(snapshots: list[Snapshot]) -> list[Finding]:
    """Report snapshots of the same scope whose periods overlap."""
    findings = []
    last: dict[str | None, Snapshot] = {}
    for snapshot in snapshots:
        before = last.get(snapshot.service)
        if before is not None and snapshot.period.start < before.period.end:
            message = (
                f"snapshot {snapshot.name!r} overlaps snapshot {before.name!r} "
                f"({before.document.path}); evaluate one snapshot per period"
            )
            findings.append(snapshot.finding(("spec", "period"), "SC716", message))
        last[snapshot.service] = snapshot
    return findings
