"""SLA contract clauses: measurement and exclusions (SC301-SC304).

A commitment only means something when both sides compute attainment the
same way and agree on what does not count. The other contract clauses
have their own modules, imported here so that their rules register with
this one: remedies (SC305, SC309, SC313), credit schedules (SC306-SC308,
SC312) and claims (SC310, SC311).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.rules import claims, remedies, schedules  # noqa: F401  (they register)
from slacheck.rules.base import Issue, RuleContext, rule

# Measurement fields and the question each one settles, for SC302's messages.
_MEASUREMENT_FIELDS = (
    ("source", "the system of record attainment is computed from"),
    ("unit", "whether attainment counts events or time intervals (event or interval)"),
    ("bad", "what counts as a bad event or interval"),
    (
        "lowTraffic",
        "how an interval or period with too few requests counts "
        "(lowTraffic: {minimumEvents, treatAs})",
    ),
)


def _missing(parent: tuple[str | int, ...], field: str, message: str) -> Issue:
    """Report a missing field at the key of the mapping that should hold it."""
    return Issue(parent, message, key=f"{field} missing", at_key=True)


@rule("SC301", "missing-methodology", Severity.ERROR, kinds=("SLA",))
def missing_methodology(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA does not say how attainment is measured.

    "99.5% available" has no agreed meaning until the contract says where
    the numbers come from, whether it counts requests or minutes, and what
    counts as a failure. Without ``measurement`` the provider and the
    customer will each compute attainment their own way, and the dispute
    starts at the first claim.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      measurement:
        source: Load balancer access logs
        unit: event
        bad: A request answered with HTTP 5xx
        lowTraffic: {minimumEvents: 100, treatAs: good}
    ```
    """
    if "measurement" not in document.spec:
        message = (
            "SLA has no 'measurement', so nothing says where attainment comes "
            "from or what counts as bad; add spec.measurement with source, unit, "
            "bad and lowTraffic"
        )
        yield _missing(("spec",), "measurement", message)


@rule("SC302", "incomplete-methodology", Severity.WARNING, kinds=("SLA",))
def incomplete_methodology(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA measurement leaves out part of the method.

    A methodology needs four answers: the source of truth (``source``),
    whether it counts events or intervals (``unit``, plus ``interval`` for
    interval counting), what counts as bad (``bad``), and what happens when
    there is too little traffic to judge (``lowTraffic``). A quiet night
    with two requests, one of them failed, is 50% availability unless the
    contract says otherwise. Each missing answer is one finding.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      measurement:
        source: Load balancer access logs
        unit: interval
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      measurement:
        source: Load balancer access logs
        unit: interval
        interval: 1m
        bad: A minute in which more than 5% of requests fail with HTTP 5xx
        lowTraffic: {minimumEvents: 10, treatAs: good}
    ```
    """
    measurement = document.spec.get("measurement")
    if not isinstance(measurement, dict):
        return
    where = ("spec", "measurement")
    for field, meaning in _MEASUREMENT_FIELDS:
        if field not in measurement:
            message = f"measurement has no '{field}'; add it to state {meaning}"
            yield _missing(where, field, message)
    if measurement.get("unit") == "interval" and "interval" not in measurement:
        message = (
            "measurement counts 'unit: interval' but gives no 'interval'; "
            "add the interval length, such as 'interval: 1m'"
        )
        yield Issue((*where, "unit"), message, key="interval missing")


@rule("SC303", "no-exclusions", Severity.WARNING, kinds=("SLA",))
def no_exclusions(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA lists no exclusions.

    Without exclusions every bad minute counts against the commitment,
    including announced maintenance, force majeure and failures the
    customer caused. Either the provider pays credits it never meant to
    owe, or it argues about exclusions the contract never made. When the
    agreement really excludes nothing, say so by suppressing this finding.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      exclusions: []
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      exclusions:
        - type: forceMajeure
        - type: customerCaused
    ```
    """
    advice = (
        "list what does not count against the commitments, such as "
        "scheduledMaintenance with a noticePeriod, forceMajeure and customerCaused"
    )
    exclusions = document.spec.get("exclusions")
    if exclusions is None:
        yield _missing(("spec",), "exclusions", f"SLA has no 'exclusions'; {advice}")
    elif exclusions == []:
        message = f"SLA has an empty 'exclusions' list; {advice}"
        yield Issue(("spec", "exclusions"), message, key="exclusions empty")


@rule("SC304", "maintenance-without-notice", Severity.WARNING, kinds=("SLA",))
def maintenance_without_notice(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Scheduled maintenance is excluded without a notice period.

    An exclusion for scheduled maintenance with no advance notice lets any
    outage be declared maintenance after the fact, which empties the
    commitment. Customers expect maintenance to be announced some hours or
    days ahead (``noticePeriod``), and often capped per period
    (``maxPerPeriod``).

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      exclusions:
        - type: scheduledMaintenance
          description: Planned maintenance windows
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      exclusions:
        - type: scheduledMaintenance
          description: Planned maintenance announced 48 hours ahead
          noticePeriod: 48h
    ```
    """
    exclusions = document.spec.get("exclusions")
    if not isinstance(exclusions, list):
        return
    for index, exclusion in enumerate(exclusions):
        if _is_unannounced_maintenance(exclusion):
            message = (
                "exclusion 'scheduledMaintenance' has no 'noticePeriod', so any "
                "outage can be called maintenance afterwards; add the advance "
                "notice, such as 'noticePeriod: 48h'"
            )
            where = ("spec", "exclusions", index, "type")
            yield Issue(where, message, key="scheduledMaintenance")


def _is_unannounced_maintenance(exclusion: Any) -> bool:
    return (
        isinstance(exclusion, dict)
        and exclusion.get("type") == "scheduledMaintenance"
        and "noticePeriod" not in exclusion
    )
