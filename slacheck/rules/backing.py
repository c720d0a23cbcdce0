"""Whether the SLO behind an SLA commitment measures the same service (SC208)."""

from __future__ import annotations

from collections.abc import Iterator

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import commitments, raw_mapping
from slacheck.rules.base import Issue, RuleContext, rule


@rule("SC208", "backing-slo-other-service", Severity.WARNING, kinds=("SLA",))
def backing_slo_other_service(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment is backed by an SLO of another service.

    An SLA promises something about its own ``service``; the SLO named by a
    commitment's ``sloRef`` is the internal early warning for that promise.
    When the SLO belongs to another service, its budget burns for the wrong
    system: the SLA can be breached while the SLO looks healthy, and margin
    checks compare unrelated numbers. Usually a name was copied from another
    service's SLA.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: billing-availability
    spec:
      service: billing
      indicatorRef: billing-availability
      budgetingMethod: Occurrences
      timeWindow:
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - target: 99.9%
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: billing-availability
          target: 99.5%
          period: month
          timeZone: UTC
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
    ---
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
    """
    service = document.spec.get("service")
    if not isinstance(service, str):
        return
    for commitment in commitments(document):
        slo_name = raw_mapping(commitment).get("sloRef")
        if not isinstance(slo_name, str):
            continue
        slo = ctx.catalog.resolve("SLO", slo_name).target
        other = slo.spec.get("service") if slo is not None else None
        if not isinstance(other, str) or other == service:
            continue
        message = (
            f"commitment {commitment.name!r} is backed by SLO {slo_name!r} of "
            f"service {other!r}, but this SLA is for service {service!r}; point "
            f"'sloRef' at an SLO of {service!r}"
        )
        yield Issue((*commitment.where, "sloRef"), message, key=f"{slo_name} {other}")
