"""The SLA objective inside an OpenSLO SLO against its internal objectives (SC604).

Besides the target and the latency threshold, which
:func:`slacheck.rules.margin.compare` ranks, time-slice budgeting adds the
slice target (a lower one is looser) and the slice length (different
lengths cannot be ranked).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import Objective, raw_mapping, slo_objectives
from slacheck.openslo import (
    SLA_OBJECTIVE_ANNOTATION,
    objective_items,
    parse_shorthand,
    sla_objective_indexes,
)
from slacheck.quantities import format_percent, target_field, to_decimal
from slacheck.rules.base import Issue, RuleContext, rule
from slacheck.rules.margin import compare
from slacheck.yamlload import FieldPath

_SIGNS = {"looser": 1, "equal": 0, "stricter": -1}


@rule("SC604", "sla-objective-without-margin", Severity.ERROR, kinds=("SLO",))
def sla_objective_without_margin(
    document: Document, ctx: RuleContext
) -> Iterator[Issue]:
    """OpenSLO SLA objective is not looser than the SLO's internal objective.

    OpenSLO has no SLA kind, so teams often keep the contract as one more
    objective of the SLO. slacheck treats an objective as the contract when
    the SLO's annotation ``slacheck.dev/sla-objective`` names its
    ``displayName``, or, without that annotation, when its ``displayName``
    starts with the word "SLA". Every other objective is internal. The
    internal objective is the early warning, so the SLA objective must be
    looser in every respect: target, threshold and time-slice target. An
    SLA objective equal to or stricter than an internal one is an error.
    One that is looser in one respect but stricter in another is a warning.
    An annotation naming no objective is reported too.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Internal objective
          target: 0.99
        - displayName: SLA
          target: 0.99
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Internal objective
          target: 0.995
        - displayName: SLA
          target: 0.99
    ```
    """
    if not document.is_openslo:
        return
    yield from _unknown_sla_annotation(document)
    yield from sla_objective_issues(document, sla_objective_indexes(document))


def _unknown_sla_annotation(document: Document) -> Iterator[Issue]:
    annotations = document.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return
    chosen = annotations.get(SLA_OBJECTIVE_ANNOTATION)
    if not isinstance(chosen, str) or sla_objective_indexes(document):
        return
    names = [o.get("displayName") for _, o in objective_items(document)]
    known = ", ".join(repr(n) for n in names if isinstance(n, str)) or "none"
    message = (
        f"annotation {SLA_OBJECTIVE_ANNOTATION} names objective {chosen!r}, but no "
        f"objective has that displayName (they are {known})"
    )
    where: FieldPath = ("metadata", "annotations", SLA_OBJECTIVE_ANNOTATION)
    yield Issue(where, message, key=chosen)


def sla_objective_issues(document: Document, sla_indexes: list[int]) -> Iterator[Issue]:
    """Yield an issue for each SLA objective not looser than an internal one."""
    objectives = {o.where[-1]: o for o in slo_objectives(document)}
    internal = [o for index, o in objectives.items() if index not in sla_indexes]
    for index in sla_indexes:
        sla = objectives.get(index)
        if sla is None:
            continue
        for other in internal:
            verdict = rank(sla, other)
            if verdict != "looser":
                yield _issue(sla, other, verdict)


def rank(sla: Objective, internal: Objective) -> str:
    """Rank the SLA objective: looser, equal, stricter or incomparable."""
    verdict = compare(sla, internal)
    slices = _slice_sign(raw_mapping(sla), raw_mapping(internal))
    if verdict == "incomparable" or slices is None:
        return "incomparable"
    signs = {_SIGNS[verdict], slices}
    if signs == {0}:
        return "equal"
    if min(signs) >= 0:
        return "looser"
    if max(signs) <= 0:
        return "stricter"
    return "incomparable"


def _slice_sign(sla: dict[str, Any], internal: dict[str, Any]) -> int | None:
    """Rank the time-slice fields: 1 looser, 0 same, -1 stricter, None unrankable."""
    if _slice_seconds(sla.get("timeSliceWindow")) != _slice_seconds(
        internal.get("timeSliceWindow")
    ):
        return None
    ours = to_decimal(sla.get("timeSliceTarget"))
    theirs = to_decimal(internal.get("timeSliceTarget"))
    if ours is None or theirs is None:
        return 0 if ours is theirs else None
    return (ours < theirs) - (ours > theirs)


def _slice_seconds(value: Any) -> Decimal | None:
    """Return a slice length in seconds; OpenSLO reads a bare number as minutes."""
    number = to_decimal(value)
    if number is not None:
        return number * 60
    shorthand = parse_shorthand(value)
    return None if shorthand is None else shorthand.seconds


def _describe(objective: Objective) -> str:
    raw = raw_mapping(objective)
    text = format_percent(objective.target) if objective.target is not None else "?"
    if objective.threshold is not None:
        text += f" {objective.threshold.op} {objective.threshold.text}"
    slice_target = to_decimal(raw.get("timeSliceTarget"))
    if slice_target is not None:
        window = raw.get("timeSliceWindow")
        text += f", slices of {window} at {format_percent(slice_target)}"
    return text


def _issue(sla: Objective, internal: Objective, verdict: str) -> Issue:
    ours = f"SLA objective {sla.name!r} ({_describe(sla)})"
    theirs = f"internal objective {internal.name!r} ({_describe(internal)})"
    severity = None
    if verdict == "equal":
        message = (
            f"{ours} is the same as {theirs}: no margin, so a missed internal "
            "objective is already a breach; loosen the SLA objective or tighten "
            "the internal one"
        )
    elif verdict == "stricter":
        message = (
            f"{ours} is stricter than {theirs}, so the internal objective can be met "
            "while the contract is breached; make the SLA objective the looser one"
        )
    else:
        severity = Severity.WARNING
        message = (
            f"{ours} is neither clearly looser nor stricter than {theirs}; make its "
            "target, threshold and time slices each at least as loose"
        )
    where = (*sla.where, target_field(raw_mapping(sla)))
    return Issue(where, message, key=f"{sla.name}:{internal.name}", severity=severity)
