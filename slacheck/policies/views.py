"""Definition documents as the variables of definition rules (SLA, SLO and others).

Besides the document's own ``spec``, each view carries normalised fields
computed in Decimal: targets as ratios (``99.9%`` becomes 0.999), SLA
margins and budget multiples against the backing SLO, so rules compare
values instead of parsing or dividing them.
"""

from __future__ import annotations

from slacheck.evaluation.kpi import DIRECTIONS, kpi_number
from slacheck.evaluation.measure import indicator_of
from slacheck.model import Catalog, Document
from slacheck.objectives import (
    Objective,
    Window,
    backing_objective,
    commitments,
    slo_objectives,
    slo_window,
)
from slacheck.policies.facts import Facts, compact, threshold_facts
from slacheck.quantities import HUNDRED


def definition_facts(document: Document, catalog: Catalog) -> Facts:
    """Return the variables for a definition rule on ``document``."""
    builders = {"SLA": _sla, "SLO": _slo, "SLI": _sli, "KPI": _kpi, "Service": _service}
    variable = {
        "SLA": "sla",
        "SLO": "slo",
        "SLI": "sli",
        "KPI": "kpi",
        "Service": "service",
    }
    return {variable[document.kind]: builders[document.kind](document, catalog)}


def _base(document: Document) -> Facts:
    metadata = document.metadata
    return compact(
        {
            "name": document.name,
            "owner": metadata.get("owner"),
            "version": metadata.get("version"),
            "labels": metadata.get("labels") or {},
            "spec": document.spec,
        }
    )


def _sla(document: Document, catalog: Catalog) -> Facts:
    customers = document.spec.get("customers") or {}
    return compact(
        {
            **_base(document),
            "service": document.spec.get("service"),
            "tiers": list(customers.get("tiers") or []),
            "plans": list(customers.get("plans") or []),
            "effectiveDate": document.spec.get("effectiveDate"),
            "commitments": [_commitment(c, catalog) for c in commitments(document)],
        }
    )


def _commitment(commitment: Objective, catalog: Catalog) -> Facts:
    window = commitment.window
    facts: Facts = compact(
        {
            "name": commitment.name,
            "target": commitment.target,
            "period": window.period if window else None,
            "timeZone": window.time_zone if window else None,
            **threshold_facts(commitment.threshold),
        }
    )
    backing = backing_objective(commitment, catalog).objective
    if backing is None:
        return facts
    facts["slo"] = compact(
        {
            "name": backing.document.name,
            **_objective(backing),
            **_window(backing.window),
        }
    )
    if commitment.target is not None and backing.target is not None:
        facts["marginPoints"] = (backing.target - commitment.target) * HUNDRED
        if backing.target < 1:
            facts["budgetMultiple"] = (1 - commitment.target) / (1 - backing.target)
    return facts


def _objective(objective: Objective) -> Facts:
    return compact(
        {
            "name": objective.name,
            "target": objective.target,
            **threshold_facts(objective.threshold),
        }
    )


def _window(window: Window | None) -> Facts:
    if window is None:
        return {"rolling": False}
    days = (
        window.seconds / 86400
        if window.rolling and window.seconds is not None
        else None
    )
    return compact({"rolling": window.rolling, "windowDays": days})


def _slo(document: Document, catalog: Catalog) -> Facts:
    objectives = slo_objectives(document)
    window = slo_window(document)
    return compact(
        {
            **_base(document),
            "service": document.spec.get("service"),
            "budgetingMethod": document.spec.get("budgetingMethod"),
            "indicator": indicator_of(document),
            **_window(window),
            "period": window.period if window else None,
            "timeZone": (window.time_zone or None) if window else None,
            "target": objectives[0].target if len(objectives) == 1 else None,
            "objectives": [_objective(o) for o in objectives],
        }
    )


def _sli(document: Document, catalog: Catalog) -> Facts:
    zero, missing = document.spec.get("zeroTraffic"), document.spec.get("missingData")
    return compact(
        {
            **_base(document),
            "service": document.spec.get("service"),
            "zeroTraffic": zero if isinstance(zero, str) else "noData",
            "missingData": missing if isinstance(missing, str) else "noData",
        }
    )


def _kpi(document: Document, catalog: Catalog) -> Facts:
    spec = document.spec
    unit = str(spec.get("unit", ""))
    direction = spec.get("direction")
    return compact(
        {
            **_base(document),
            "service": spec.get("service"),
            "unit": unit or None,
            "target": kpi_number(spec.get("target"), unit),
            "direction": direction if direction in DIRECTIONS else None,
            "leadingIndicatorFor": list(spec.get("leadingIndicatorFor") or []),
        }
    )


def _service(document: Document, catalog: Catalog) -> Facts:
    return {**_base(document), "tiers": list(document.spec.get("tiers") or [])}
