"""Customer tiers, and what counts as an SLA at all (SC401-SC404).

A Service lists the tiers or plans it sells in ``spec.tiers``; each SLA
names the tiers it covers in ``spec.customers.tiers``. Tiers exist to sell
different promises, so one SLA for all of them, or two tiers with the same
commitments, usually means a contract was copied without being adapted.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slacheck.display import close_matches
from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import Objective, commitments
from slacheck.quantities import PERIOD_WORDS, format_percent
from slacheck.rules.base import Issue, RuleContext, get, rule


def has_customer_party(document: Document) -> bool:
    """Tell whether an SLA names who it is agreed with (party, tiers or plans)."""
    customers = document.spec.get("customers")
    if not isinstance(customers, dict):
        return False
    return any(customers.get(field) for field in ("party", "tiers", "plans"))


def is_internal_target(document: Document) -> bool:
    """Tell whether an SLA has neither a customer party nor any remedy."""
    return not has_customer_party(document) and not document.spec.get("remedies")


def _service(document: Document, ctx: RuleContext) -> Document | None:
    name = document.spec.get("service")
    if not isinstance(name, str):
        return None
    return ctx.catalog.resolve("Service", name).target


def _listed_tiers(service: Document) -> list[str]:
    tiers = service.spec.get("tiers")
    if not isinstance(tiers, list):
        return []
    return [tier for tier in tiers if isinstance(tier, str)]


def _named_tiers(document: Document) -> list[str]:
    tiers = get(document.spec, "customers", "tiers")
    if not isinstance(tiers, list):
        return []
    return [tier for tier in tiers if isinstance(tier, str)]


@rule("SC401", "one-sla-for-all-tiers", Severity.WARNING, kinds=("SLA",))
def one_sla_for_all_tiers(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """One SLA covers every customer tier of its service.

    When a Service sells several tiers (``spec.tiers``), each tier usually
    pays for a different promise. An SLA that names no tier covers everyone,
    and one that names every tier does the same: the enterprise customer
    gets the standard customer's commitments. Write one SLA per tier and
    name it in ``customers.tiers``. An SLA scoped by ``customers.plans``
    alone is not reported, because plans cannot be matched to tiers.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: api
    spec:
      tiers: [enterprise, standard]
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-customers
    spec:
      service: api
      customers:
        party: All customers
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
    kind: Service
    metadata:
      name: api
    spec:
      tiers: [enterprise, standard]
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      customers:
        party: Enterprise customers
        tiers: [enterprise]
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```
    """
    service = _service(document, ctx)
    listed = _listed_tiers(service) if service is not None else []
    if service is None or len(listed) < 2 or is_internal_target(document):
        return
    named = _named_tiers(document)
    if not named and get(document.spec, "customers", "plans"):
        return
    tier_list = ", ".join(listed)
    advice = "write one SLA per tier and name its tier in 'customers.tiers'"
    if not named:
        where: tuple[str, ...] = ("spec", "customers")
        if "customers" not in document.spec:
            where = ("spec",)
        message = (
            f"SLA names no tier, so it covers every tier of Service "
            f"{service.name!r} ({tier_list}) with the same commitments; {advice}"
        )
        yield Issue(where, message, key="no tier", at_key=True)
    elif set(listed) <= set(named):
        message = (
            f"SLA names every tier of Service {service.name!r} ({tier_list}), so all "
            f"of them get the same commitments; {advice}"
        )
        yield Issue(("spec", "customers", "tiers"), message, key="all tiers")


@rule("SC402", "identical-tier-commitments", Severity.WARNING, kinds=("SLA",))
def identical_tier_commitments(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLAs for different tiers make identical commitments.

    Two SLAs of one service for different customer tiers that promise the
    same targets, thresholds and periods give the higher tier nothing for
    its price. Usually one file was copied and never adapted.
    Each of the SLAs is reported, naming the others. Remedies and other
    clauses may differ and are not compared.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      customers: {tiers: [enterprise]}
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-standard
    spec:
      service: api
      customers: {tiers: [standard]}
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 0.995
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
      customers: {tiers: [enterprise]}
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-standard
    spec:
      service: api
      customers: {tiers: [standard]}
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99%
          period: month
          timeZone: UTC
    ```
    """
    named = _named_tiers(document)
    ours = _signature(commitments(document))
    if not named or not ours:
        return
    siblings = _sibling_slas(document, ctx)
    same = [other for other in siblings if _same_promise(other, named, ours)]
    if not same:
        return
    others = ", ".join(
        f"SLA {o.name!r} ({', '.join(_named_tiers(o))}) at {o.path}:{o.source.line}"
        for o in same
    )
    promise = "; ".join(_describe(c) for c in commitments(document))
    message = (
        f"SLA for tier {', '.join(named)} makes the same commitments ({promise}) as "
        f"{others}, so the tiers differ in price but not in promise; make the "
        "commitments differ, or cover the tiers with one SLA"
    )
    key = ",".join(sorted(o.name for o in same))
    yield Issue(("spec", "commitments"), message, key=key, at_key=True)


def _sibling_slas(document: Document, ctx: RuleContext) -> Iterator[Document]:
    by_service = ctx.catalog.memo("valid-slas-by-service", lambda: _slas_by_service(ctx))
    for other in by_service.get(document.spec.get("service"), ()):
        if other is not document:
            yield other


def _slas_by_service(ctx: RuleContext) -> dict[Any, list[Document]]:
    groups: dict[Any, list[Document]] = {}
    for sla in ctx.catalog.of_kind("SLA"):
        if sla.valid:
            groups.setdefault(sla.spec.get("service"), []).append(sla)
    return groups


def _same_promise(other: Document, named: list[str], ours: tuple[Any, ...]) -> bool:
    theirs = _named_tiers(other)
    if not theirs or set(theirs) == set(named):
        return False
    return _signature(commitments(other)) == ours


def _signature(items: list[Objective]) -> tuple[Any, ...]:
    """Return what a set of commitments promises, ignoring names and order."""
    promises = []
    for item in items:
        threshold = item.threshold
        bound = ""
        if threshold is not None:
            bound = f"{threshold.op} {_canonical(threshold.value)} {threshold.unit}"
        period = item.window.period if item.window is not None else None
        promises.append((_canonical(item.target), bound, str(period)))
    return tuple(sorted(promises))


def _canonical(value: Decimal | None) -> str:
    """Spell equal numbers alike, so 0.995 and 0.9950 compare equal."""
    return "" if value is None else str(value.normalize())


def _describe(commitment: Objective) -> str:
    text = format_percent(commitment.target) if commitment.target is not None else "?"
    if commitment.threshold is not None:
        text += f" {commitment.threshold.op} {commitment.threshold.text}"
    period = commitment.window.period if commitment.window is not None else None
    return f"{text} per {PERIOD_WORDS.get(str(period), str(period))}"


@rule("SC403", "internal-target-named-sla", Severity.ERROR, kinds=("SLA",))
def internal_target_named_sla(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """An "SLA" with no customer and no remedy is an internal target.

    An agreement needs a counterparty and a consequence. A document with
    ``kind: SLA`` that names no customer (no ``customers.party``, ``tiers``
    or ``plans``) and lists no remedies promises nothing to anyone: it is an
    objective the team sets for itself. Calling it an SLA makes reviewers
    and auditors believe a contract exists; make it an SLO, or a KPI when
    it is a business measure.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-internal
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
      customers:
        party: Customers on an Enterprise subscription
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```
    """
    if is_internal_target(document):
        message = (
            "kind 'SLA' names no customer party and no remedies, so this is an "
            "internal target; make it an SLO (or a KPI for a business measure), "
            "or add spec.customers and spec.remedies"
        )
        yield Issue(("kind",), message, key="internal target")


@rule("SC404", "unknown-tier", Severity.ERROR, kinds=("SLA",))
def unknown_tier(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA names a customer tier its Service does not list.

    ``customers.tiers`` must use the tier names of the Service's
    ``spec.tiers``. An unknown name is usually a typo (``enterprize``) or a
    tier that was renamed or retired, and it hides which customers the SLA
    actually covers.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: api
    spec:
      tiers: [enterprise, standard]
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      customers:
        tiers: [enterprize]
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
    kind: Service
    metadata:
      name: api
    spec:
      tiers: [enterprise, standard]
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      customers:
        tiers: [enterprise]
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```
    """
    service = _service(document, ctx)
    tiers = get(document.spec, "customers", "tiers")
    if service is None or not isinstance(tiers, list):
        return
    listed = _listed_tiers(service)
    for index, tier in enumerate(tiers):
        if isinstance(tier, str) and tier not in listed:
            message = _unknown_tier_message(tier, service.name, listed)
            yield Issue(("spec", "customers", "tiers", index), message, key=tier)


def _unknown_tier_message(tier: str, service: str, listed: list[str]) -> str:
    if not listed:
        return (
            f"tier {tier!r} is named, but Service {service!r} lists no tiers; add "
            f"'tiers: [{tier}]' to the Service or remove the tier here"
        )
    message = (
        f"tier {tier!r} is not a tier of Service {service!r}, which lists "
        f"{', '.join(listed)}"
    )
    close = close_matches(tier, listed, n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}; use one of those or add {tier!r} to the Service"
