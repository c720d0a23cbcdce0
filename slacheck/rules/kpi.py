"""KPIs and targets (SC501-SC503)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import commitments, raw_mapping, slo_objectives
from slacheck.quantities import HUNDRED, ONE, ZERO, target_field, to_decimal
from slacheck.rules.base import Issue, RuleContext, rule

_PERCENT_TEXT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")

_KPI_FIELDS = (
    (
        ("spec",),
        "target",
        "KPI has no 'target', so nobody can tell whether it is on track; add the "
        "value to reach in the KPI's unit, such as 'target: 60'",
    ),
    (
        ("spec",),
        "direction",
        "KPI has no 'direction', so a value above the target could be good or bad; "
        "add 'direction: lowerIsBetter' or 'direction: higherIsBetter'",
    ),
    (
        ("metadata",),
        "owner",
        "KPI has no owner, so nobody is accountable for acting on it; add "
        "'metadata.owner' naming the team or person",
    ),
)


@rule("SC501", "kpi-incomplete", Severity.WARNING, kinds=("KPI",))
def kpi_incomplete(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """KPI lacks a target, a direction or an owner.

    A KPI is useful when someone looks at it and acts. That takes a target
    (the value to reach), a direction (whether lower or higher is better, so
    a value beyond the target can be judged) and an owner who is accountable
    (``metadata.owner``). Each missing item is one finding.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: KPI
    metadata:
      name: mttr-sev1
    spec:
      metric: Mean time to restore for severity-1 incidents
      unit: minutes
      target: 60
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: KPI
    metadata:
      name: mttr-sev1
      owner: sre-lead
    spec:
      metric: Mean time to restore for severity-1 incidents
      unit: minutes
      target: 60
      direction: lowerIsBetter
    ```
    """
    for parent, field, message in _KPI_FIELDS:
        container = document.data.get(parent[0])
        if not isinstance(container, dict) or field not in container:
            yield Issue(parent, message, key=f"{field} missing", at_key=True)


@rule("SC502", "zero-error-budget", Severity.WARNING, kinds=("SLO", "SLA", "KPI"))
def zero_error_budget(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """A target of 100% leaves no error budget.

    Every real system fails sometimes. A 100% SLO objective is missed by
    the first failed request, so it leaves no budget for releases,
    experiments or maintenance. A 100% SLA commitment is breached by it. The same holds
    for a KPI measured in percent with a 100% target when higher is better,
    or a 0% target when lower is better. Pick the highest level the service
    can really sustain, such as 99.9%.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: api-availability
    spec:
      service: api
      indicatorRef: api-availability
      budgetingMethod: Occurrences
      timeWindow:
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - target: 100%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: api-availability
    spec:
      service: api
      indicatorRef: api-availability
      budgetingMethod: Occurrences
      timeWindow:
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - target: 99.9%
    ```
    """
    if document.kind == "KPI":
        yield from _kpi_without_budget(document)
        return
    if document.kind == "SLO":
        items, noun = slo_objectives(document), "objective"
    else:
        items, noun = commitments(document), "commitment"
    for item in items:
        if item.target != ONE:
            continue
        field = target_field(raw_mapping(item))
        label = f"{noun} {item.name!r}" if item.name else noun
        message = (
            f"{label} targets 100%, which leaves no error budget: the first failed "
            "event is a miss; choose the level the service can sustain, such as 99.9%"
        )
        yield Issue((*item.where, field), message, key=item.name or str(item.where))


def _kpi_without_budget(document: Document) -> Iterator[Issue]:
    spec = document.spec
    percent = _kpi_target_percent(spec.get("target"), spec.get("unit"))
    lower_is_better = spec.get("direction") == "lowerIsBetter"
    limit = ZERO if lower_is_better else HUNDRED
    if percent is None or percent != limit:
        return
    written = spec.get("target")
    direction = spec.get("direction")
    qualifier = f" with {direction}" if isinstance(direction, str) else ""
    message = (
        f"target {written!r}{qualifier} leaves no error budget: a single miss puts the "
        "KPI off target; set a target the team can sustain"
    )
    yield Issue(("spec", "target"), message, key=str(written))


def _kpi_target_percent(target: Any, unit: Any) -> Decimal | None:
    """Return a KPI target in percent, or None when it is not a share."""
    if isinstance(target, str):
        match = _PERCENT_TEXT.match(target)
        return Decimal(match.group(1)) if match else None
    number = to_decimal(target)
    if number is None:
        return None
    if unit == "percent":
        return number
    if unit == "ratio":
        return number * HUNDRED
    return None


# KPI units whose values may be written as a percentage: '15%' is 15 for a
# percent KPI and 0.15 for a ratio KPI (see slacheck.evaluation.kpi).
_SHARE_UNITS = frozenset({"percent", "ratio"})


@rule("SC503", "kpi-unit-mismatch", Severity.ERROR, kinds=("KPI",))
def kpi_unit_mismatch(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """KPI target is written in a form its unit cannot have.

    A KPI's ``target`` is read in its ``unit``. A percentage such as ``60%``
    only makes sense for a KPI in ``percent`` or ``ratio``. With ``minutes``
    a reader cannot tell whether 60 minutes or 60% of something was meant, and
    evaluation reads it as 60 minutes. A ``ratio`` is a share between 0 and
    1, so ``target: 15`` with ``unit: ratio`` is 1500%, almost always a
    percentage written in the wrong unit.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: KPI
    metadata:
      name: mttr-sev1
      owner: sre-lead
    spec:
      metric: Mean time to restore for severity-1 incidents
      unit: minutes
      target: 60%
      direction: lowerIsBetter
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: KPI
    metadata:
      name: mttr-sev1
      owner: sre-lead
    spec:
      metric: Mean time to restore for severity-1 incidents
      unit: minutes
      target: 60
      direction: lowerIsBetter
    ```
    """
    unit, target = document.spec.get("unit"), document.spec.get("target")
    if not isinstance(unit, str):
        return
    if isinstance(target, str) and _PERCENT_TEXT.match(target):
        if unit not in _SHARE_UNITS:
            yield _percentage_in_other_unit(target, unit)
        return
    number = to_decimal(target)
    if unit == "ratio" and number is not None and number > ONE:
        message = (
            f"target {number} is above 1, but a ratio is a share between 0 and 1; "
            f"write it as a ratio (such as 'target: {number / HUNDRED}') or as "
            f"'target: {number}%', or set 'unit: percent'"
        )
        yield Issue(("spec", "target"), message, key=f"ratio {number}")


def _percentage_in_other_unit(target: str, unit: str) -> Issue:
    digits = target.strip().rstrip("%").strip()
    message = (
        f"target {target!r} is a percentage, but the KPI's unit is {unit!r}; "
        f"write the target in {unit} (such as 'target: {digits}'), or set "
        "'unit: percent'"
    )
    return Issue(("spec", "target"), message, key=f"{unit} {target}")
