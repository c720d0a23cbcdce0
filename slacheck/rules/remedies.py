"""Remedies: is each commitment paid for, from its target down (SC305, SC309, SC313).

The first tier of a schedule is the one with the highest ``below``,
wherever it is listed; see :mod:`slacheck.rules.schedules` for how tiers
are ranked.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slacheck.credits import CreditSchedule, schedule_for, schedules
from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import commitments
from slacheck.quantities import ZERO, format_percent
from slacheck.rules.base import Issue, RuleContext, get, rule
from slacheck.rules.schedules import ranked_tiers
from slacheck.rules.tiers import is_internal_target
from slacheck.yamlload import FieldPath


def _paid_for(name: str, credit_schedules: list[CreditSchedule]) -> bool:
    """Tell whether a schedule names the commitment or applies to every one."""
    return any(s.commitment in (name, None) for s in credit_schedules)


@rule("SC305", "no-remedy", Severity.ERROR, kinds=("SLA",))
def no_remedy(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment has no service credit behind it.

    A commitment that costs nothing when it is missed is a statement of
    intent, not an agreement. Every commitment needs a ``serviceCredit``
    remedy, either one that names it with ``commitment:`` or one without
    ``commitment:``, which pays for every commitment of the SLA. A
    termination right alone does not count: it helps only after months of
    breaches. An SLA with no customer party and no remedies at all is
    reported as an internal target (SC403) instead.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      customers:
        party: Enterprise customers
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
        party: Enterprise customers
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      remedies:
        - type: serviceCredit
          commitment: uptime
          tiers:
            - below: 99.5%
              credit: 10%
    ```
    """
    if is_internal_target(document):
        return
    credit_schedules = schedules(document)
    if not credit_schedules:
        yield _no_credit_at_all(document)
        return
    for commitment in commitments(document):
        if not _paid_for(commitment.name, credit_schedules):
            message = (
                f"commitment {commitment.name!r} has no 'serviceCredit' remedy, so "
                "missing it costs nothing; add a serviceCredit remedy with "
                f"'commitment: {commitment.name}'"
            )
            yield Issue((*commitment.where, "name"), message, key=commitment.name)


def _no_credit_at_all(document: Document) -> Issue:
    remedies = document.spec.get("remedies")
    advice = "add a 'serviceCredit' remedy with a credit schedule for the commitments"
    if not remedies:
        where: FieldPath = ("spec", "remedies") if remedies == [] else ("spec",)
        message = f"SLA has no remedies; {advice}"
        return Issue(where, message, key="remedies", at_key=True)
    types = sorted({str(r.get("type")) for r in remedies if isinstance(r, dict)})
    type_list = ", ".join(repr(t) for t in types)
    message = f"SLA remedies are only {type_list}, with no service credit; {advice}"
    return Issue(("spec", "remedies"), message, key="remedies", at_key=True)


@rule("SC309", "schedule-not-at-commitment", Severity.ERROR, kinds=("SLA",))
def schedule_not_at_commitment(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Credit schedule does not start at the commitment's target.

    The first tier's ``below`` (or the step rule's ``below``) must equal the
    target of the commitment it pays for, compared exactly. Starting lower
    leaves a range where the SLA is breached but no credit is owed; starting
    higher owes credits while the commitment is still met. A schedule
    without ``commitment:`` pays for every commitment that no other schedule
    names, and is compared with each of them.

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
      remedies:
        - type: serviceCredit
          commitment: uptime
          tiers:
            - below: 99%
              credit: 10%
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
      remedies:
        - type: serviceCredit
          commitment: uptime
          tiers:
            - below: 0.995
              credit: 10%
    ```
    """
    for commitment in commitments(document):
        schedule = schedule_for(document, commitment.name)
        start = _schedule_start(schedule) if schedule is not None else None
        target = commitment.target
        if start is None or target is None or start[0] == target:
            continue
        below, where = start
        message = _start_message(below, commitment.name, target)
        yield Issue(where, message, key=f"{commitment.name} {below}")


def _schedule_start(schedule: CreditSchedule) -> tuple[Decimal, FieldPath] | None:
    """Return the ``below`` where credits start, and where it is written."""
    if schedule.step is not None:
        return schedule.step.below, (*schedule.step.where, "below")
    if not schedule.tiers:
        return None
    first = ranked_tiers(schedule)[0][0]
    return first.below, (*first.where, "below")


def _start_message(below: Decimal, name: str, target: Decimal) -> str:
    start, promised = format_percent(below), format_percent(target)
    if below < target:
        effect = (
            f"from {start} up to {promised} the SLA is breached, yet no credit is owed"
        )
    else:
        effect = f"from {promised} up to {start} credits are owed while it is met"
    return (
        f"credits start below {start}, but commitment {name!r} promises "
        f"{promised}: {effect}; set 'below: {promised}'"
    )


@rule("SC313", "credit-never-paid", Severity.ERROR, kinds=("SLA",))
def credit_never_paid(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Service credit can never be paid.

    A ``serviceCredit`` remedy counts as the price of missing a commitment
    (SC305 is satisfied by it), so it must be able to cost something. A
    remedy with neither ``tiers`` nor a ``step`` rule names no amount,
    ``cap: 0%`` limits every credit to nothing, and a tier or step rule with
    ``credit: 0%`` pays nothing where it applies. Each such clause is one
    finding.

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
      remedies:
        - type: serviceCredit
          commitment: uptime
          description: A credit at our discretion
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
      remedies:
        - type: serviceCredit
          commitment: uptime
          tiers:
            - below: 99.5%
              credit: 10%
    ```
    """
    for schedule in schedules(document):
        raw = get(document.data, *schedule.where)
        if "tiers" not in raw and "step" not in raw:
            yield _without_amount(schedule)
            continue
        yield from _zero_credits(schedule)


def _without_amount(schedule: CreditSchedule) -> Issue:
    message = (
        "serviceCredit remedy has neither 'tiers' nor 'step', so it names no "
        "credit and never pays; add a credit schedule, such as "
        "'tiers: [{below: 99.5%, credit: 10%}]'"
    )
    return Issue((*schedule.where, "type"), message, key="no schedule")


def _zero_credits(schedule: CreditSchedule) -> Iterator[Issue]:
    """Report a 0% cap and each 0% credit of a schedule."""
    if schedule.cap == ZERO:
        message = (
            "'cap: 0%' limits every credit of this remedy to nothing, so it never "
            "pays; raise the cap or remove it"
        )
        yield Issue((*schedule.where, "cap"), message, key="cap 0%")
    for tier in schedule.tiers:
        if tier.credit != ZERO:
            continue
        below = format_percent(tier.below)
        message = (
            f"the tier below {below} credits 0%, so a month in it is breached yet "
            "owes nothing; set a credit above 0% or remove the tier"
        )
        yield Issue((*tier.where, "credit"), message, key=f"tier {below} credit 0%")
    step = schedule.step
    if step is not None and step.credit == ZERO:
        message = "step rule credits 0% per step, so it never pays; set a credit"
        yield Issue((*step.where, "credit"), message, key="step credit 0%")
