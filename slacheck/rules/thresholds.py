"""Threshold values of latency objectives and commitments (SC207, SC209)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Catalog, Document
from slacheck.quantities import parse_threshold
from slacheck.rules.base import Issue, RuleContext, get, rule

# Indicator units for which a bare number is the natural way to write a
# threshold; every other unit (us, ms, s, m) is a time and needs its unit.
_UNITLESS = frozenset({"count", "percent"})
_TIME_UNITS = frozenset({"us", "ms", "s", "m"})


def _indicator_unit(slo: Document, catalog: Catalog) -> str | None:
    """Return the thresholdMetric unit of the SLI behind an SLO, if known."""
    inline = get(slo.spec, "indicator", "spec", "thresholdMetric", "unit")
    if isinstance(inline, str):
        return inline
    name = slo.spec.get("indicatorRef")
    if not isinstance(name, str):
        return None
    found = catalog.named("SLI", name)
    unit = get(found[0].spec, "thresholdMetric", "unit") if len(found) == 1 else None
    return unit if isinstance(unit, str) else None


def _thresholds(
    document: Document, catalog: Catalog
) -> Iterator[tuple[tuple[str | int, ...], Any, str | None]]:
    """Yield (path of value, value, indicator unit) for each threshold."""
    if document.kind == "SLO":
        unit = _indicator_unit(document, catalog)
        for index, item in enumerate(document.spec.get("objectives") or []):
            if isinstance(item, dict) and "value" in item:
                yield ("spec", "objectives", index, "value"), item["value"], unit
        return
    for index, item in enumerate(document.spec.get("commitments") or []):
        if not isinstance(item, dict) or "value" not in item:
            continue
        slo_name = item.get("sloRef")
        slos = catalog.named("SLO", slo_name) if isinstance(slo_name, str) else []
        unit = _indicator_unit(slos[0], catalog) if len(slos) == 1 else None
        yield ("spec", "commitments", index, "value"), item["value"], unit


@rule("SC207", "threshold-without-unit", Severity.ERROR, kinds=("SLO", "SLA"))
def threshold_without_unit(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Latency threshold is a bare number without a unit.

    ``value: 300`` could be 300 milliseconds or 300 seconds, and a contract
    that leaves this open cannot be enforced; comparing it with an SLO's
    ``500ms`` is guesswork. Write the unit (``300ms``, ``2s``). A bare number
    is accepted only when the indicator's ``thresholdMetric.unit`` is
    ``count`` or ``percent``. OpenSLO files are exempt, because OpenSLO
    thresholds carry no unit by design.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: api-latency
    spec:
      service: api
      indicatorRef: api-latency
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - op: lte
          value: 500
          target: 99%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: api-latency
    spec:
      service: api
      indicatorRef: api-latency
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ```
    """
    if document.is_openslo:
        return
    for where, value, unit in _thresholds(document, ctx.catalog):
        if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
            continue
        if unit in _UNITLESS:
            continue
        shown = unit if unit else "ms"
        message = (
            f"threshold {value} has no unit; write it with one, such as "
            f"'{value}{shown}' (bare numbers are only for count or percent indicators)"
        )
        yield Issue(where, message, key=str(value))


@rule("SC209", "threshold-unit-mismatch", Severity.ERROR, kinds=("SLO", "SLA"))
def threshold_unit_mismatch(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Threshold is written in a unit its indicator does not measure.

    An objective's ``value`` is compared with what the SLI measures, in the
    SLI's ``thresholdMetric.unit``. A time such as ``500ms`` cannot be
    compared with a ``count`` or a ``percent``, and a percentage such as
    ``95%`` cannot be compared with a time or a count. Usually the objective
    points at the wrong SLI, or the SLI's unit is wrong. A bare number on a
    time indicator is SC207's finding. OpenSLO files are exempt, because
    OpenSLO thresholds carry no unit.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: queue-depth
    spec:
      service: api
      indicator:
        metadata:
          name: queue-depth
        spec:
          thresholdMetric:
            source: prometheus
            query: max(queue_depth)
            unit: count
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: queue-depth
    spec:
      service: api
      indicator:
        metadata:
          name: queue-depth
        spec:
          thresholdMetric:
            source: prometheus
            query: max(queue_depth)
            unit: count
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - op: lte
          value: 500
          target: 99%
    ```
    """
    if document.is_openslo:
        return
    for where, value, unit in _thresholds(document, ctx.catalog):
        parsed = None if isinstance(value, bool) else parse_threshold(value)
        if unit is None or parsed is None or _fits(parsed[1], unit):
            continue
        written = parsed[1]
        digits = str(value).strip().rstrip("usm%")
        message = (
            f"threshold {str(value)!r} is {_describe_unit(written)}, but its "
            f"indicator measures {_describe_unit(unit)} (thresholdMetric.unit: "
            f"{unit}); write it as {_describe_unit(unit)}, such as "
            f"'{digits}{_suffix(unit)}', or check which SLI it is measured against"
        )
        yield Issue(where, message, key=f"{value} {unit}")


def _fits(written: str, unit: str) -> bool:
    """Tell whether a threshold's unit ('ms' for any time, '%' or '') suits the SLI."""
    if unit in _TIME_UNITS:
        # A bare number on a time indicator is reported by SC207.
        return written in ("ms", "")
    if unit == "percent":
        return written in ("%", "")
    return written == ""


def _suffix(unit: str) -> str:
    """Return what a threshold for an SLI of ``unit`` ends with: '', '%' or the unit."""
    if unit == "count":
        return ""
    if unit == "percent":
        return "%"
    return unit


def _describe_unit(unit: str) -> str:
    if unit in _TIME_UNITS:
        return "a time"
    if unit in ("%", "percent"):
        return "a percentage"
    return "a count"
