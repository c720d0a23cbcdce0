"""OpenSLO alert conditions (SC605)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.openslo import dict_items
from slacheck.rules.base import Issue, RuleContext, rule
from slacheck.yamlload import FieldPath


@rule(
    "SC605",
    "burn-rate-alert-inverted",
    Severity.WARNING,
    kinds=("AlertCondition", "AlertPolicy", "SLO"),
)
def burn_rate_alert_inverted(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO burn-rate alert condition fires when the burn rate is low.

    A burn-rate condition alerts when the error budget is consumed faster
    than the window allows. With ``op: lt`` or ``lte`` it fires while the
    burn rate stays below the threshold, which is nearly always, and stays
    silent during the fast burn it was written for. Inline conditions in
    alert policies and SLOs are checked too.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: AlertCondition
    metadata: {name: fast-burn}
    spec:
      severity: page
      condition:
        kind: burnrate
        op: lte
        threshold: 2
        lookbackWindow: 1h
        alertAfter: 5m
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: AlertCondition
    metadata: {name: fast-burn}
    spec:
      severity: page
      condition:
        kind: burnrate
        op: gte
        threshold: 2
        lookbackWindow: 1h
        alertAfter: 5m
    ```
    """
    for where, condition in _alert_conditions(document):
        op = condition.get("op")
        if condition.get("kind") != "burnrate" or op not in ("lt", "lte"):
            continue
        comparison = "below" if op == "lt" else "at or below"
        message = (
            f"op {op!r} makes this burn-rate condition fire while the burn rate is "
            f"{comparison} {condition.get('threshold')}, not when the error budget "
            "burns fast; use 'gt' or 'gte'"
        )
        yield Issue((*where, "op"), message, key=f"{op}:{condition.get('threshold')}")


def _alert_conditions(document: Document) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """Yield (path, condition) for the condition and inline conditions."""
    if not document.is_openslo:
        return
    spec = document.spec
    if document.kind == "AlertCondition":
        yield from _condition_at(spec, ("spec",))
    elif document.kind == "AlertPolicy":
        yield from _policy_conditions(spec, ("spec",))
    elif document.kind == "SLO":
        for index, policy in dict_items(spec.get("alertPolicies")):
            policy_spec = policy.get("spec")
            where: FieldPath = ("spec", "alertPolicies", index, "spec")
            yield from _policy_conditions(policy_spec, where)


def _policy_conditions(
    policy_spec: Any, where: FieldPath
) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    if not isinstance(policy_spec, dict):
        return
    for index, item in dict_items(policy_spec.get("conditions")):
        yield from _condition_at(
            item.get("spec"), (*where, "conditions", index, "spec")
        )


def _condition_at(
    spec: Any, where: FieldPath
) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    condition = spec.get("condition") if isinstance(spec, dict) else None
    if isinstance(condition, dict):
        yield (*where, "condition"), condition
