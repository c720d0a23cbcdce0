"""OpenSLO v1 documents (SC6xx): checks that ``oslo validate`` does not make.

The JSON Schemas under ``schemas/openslo-v1`` hold the field rules of each
kind. The checks in these modules need more than one field, another
document or some judgement. This module checks objectives against the SLI
they measure. ``openslo_windows`` checks windows and time slices,
``openslo_margin`` the SLA objective inside an SLO and ``openslo_alerts``
alert conditions. Importing this module registers all of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.openslo import indicator_for, objective_items, objective_label
from slacheck.rules import (  # noqa: F401  (modules register on import)
    openslo_alerts,
    openslo_margin,
    openslo_windows,
)
from slacheck.rules.base import Issue, RuleContext, rule


@rule("SC601", "op-on-ratio-objective", Severity.ERROR, kinds=("SLO",))
def op_on_ratio_objective(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO objective sets op or value although its SLI is a ratio metric.

    In OpenSLO v1, ``op`` and ``value`` compare the raw values of a
    threshold metric. A ratio metric already divides good by total events,
    so an operator on it means nothing, and readers may believe a threshold
    is enforced. The OpenSLO Go SDK rejects such objectives when the SLI is
    inline; slacheck also follows ``indicatorRef`` to SLIs in other files.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web-shop}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: main-page}
    spec:
      service: web-shop
      indicator:
        metadata: {name: main-page-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Good
          op: gt
          target: 0.99
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web-shop}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: main-page}
    spec:
      service: web-shop
      indicator:
        metadata: {name: main-page-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Good
          target: 0.99
    ```
    """
    for index, objective in objective_items(document):
        fields = [name for name in ("op", "value") if name in objective]
        if not fields:
            continue
        indicator = indicator_for(document, ctx.catalog, index)
        if indicator is None or indicator.metric_type != "ratio":
            continue
        listed = " and ".join(fields)
        message = (
            f"{objective_label(objective, index)} sets {listed}, but {indicator.label} "
            f"is a ratio metric; op and value apply only to threshold metrics, "
            f"so remove {listed}"
        )
        where = ("spec", "objectives", index, fields[0])
        yield Issue(where, message, key=f"{index}:{listed}", at_key=True)


@rule("SC602", "threshold-objective-incomplete", Severity.ERROR, kinds=("SLO",))
def threshold_objective_incomplete(
    document: Document, ctx: RuleContext
) -> Iterator[Issue]:
    """OpenSLO objective over a threshold metric lacks op or value.

    A threshold metric yields raw values such as latencies; an objective
    counts a value as good by comparing it with ``value`` using ``op``.
    Without both, the objective does not say what good means.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web-shop}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: search-latency}
    spec:
      service: web-shop
      indicator:
        metadata: {name: search-latency}
        spec:
          thresholdMetric:
            metricSource: {type: Prometheus, spec: {query: search_seconds}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Fast searches
          op: lt
          target: 0.99
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web-shop}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: search-latency}
    spec:
      service: web-shop
      indicator:
        metadata: {name: search-latency}
        spec:
          thresholdMetric:
            metricSource: {type: Prometheus, spec: {query: search_seconds}}
      budgetingMethod: Occurrences
      objectives:
        - displayName: Fast searches
          op: lt
          value: 0.5
          target: 0.99
    ```
    """
    for index, objective in objective_items(document):
        missing = [name for name in ("op", "value") if name not in objective]
        if not missing:
            continue
        indicator = indicator_for(document, ctx.catalog, index)
        if indicator is None or indicator.metric_type != "threshold":
            continue
        listed = " and ".join(missing)
        message = (
            f"{objective_label(objective, index)} compares the threshold metric of "
            f"{indicator.label} but has no {listed}; add op (lt, lte, gt or gte) "
            "and value, the threshold a good value must meet"
        )
        yield Issue(("spec", "objectives", index), message, key=f"{index}:{listed}")


@rule("SC608", "indicator-on-both-levels", Severity.ERROR, kinds=("SLO",))
def indicator_on_both_levels(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO SLO names an indicator on the spec and on its objectives.

    A plain SLO names its SLI once, with ``spec.indicator`` or
    ``spec.indicatorRef``. A composite SLO names one per objective instead.
    Doing both leaves it unclear which SLI an objective measures; the
    OpenSLO Go SDK rejects it.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLI
    metadata: {name: web-responses}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
        total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicatorRef: web-responses
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
          indicatorRef: web-responses
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLI
    metadata: {name: web-responses}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
        total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
          indicatorRef: web-responses
    ```
    """
    spec_level = [f for f in ("indicator", "indicatorRef") if f in document.spec]
    composite = [
        index
        for index, objective in objective_items(document)
        if "indicator" in objective or "indicatorRef" in objective
    ]
    if not spec_level or not composite:
        return
    places = ", ".join(f"objectives[{index}]" for index in composite)
    message = (
        f"the SLO sets spec.{spec_level[0]} and {places} name their own indicator; "
        f"remove spec.{spec_level[0]} for a composite SLO, or the objective ones"
    )
    yield Issue(("spec", spec_level[0]), message, key=spec_level[0], at_key=True)
