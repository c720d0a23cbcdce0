"""Service-credit schedule shape: tiers and step rules (SC306-SC308, SC312).

Schedules are read with :func:`slacheck.credits.schedules`, so the rules
judge a schedule exactly the way credits are computed: each tier covers
attainment in ``[atLeast, below)``, and a tier without ``atLeast`` reaches
down to the ``below`` of the tier listed after it. Tiers are compared from
the highest ``below`` down, wherever they are listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from slacheck.credits import CreditSchedule, CreditTier, StepRule, credit_for, schedules
from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.quantities import HUNDRED, ONE, ZERO, format_percent, format_points
from slacheck.rules.base import Issue, RuleContext, rule

# A tier with the lower bound it covers down to (explicit or implied).
RankedTier = tuple[CreditTier, Decimal]


def ranked_tiers(schedule: CreditSchedule) -> list[RankedTier]:
    """Return the tiers from the highest ``below`` down, each with its floor."""
    pairs = [(tier, schedule.tier_floor(i)) for i, tier in enumerate(schedule.tiers)]
    return sorted(pairs, key=lambda pair: (-pair[0].below, -pair[1]))


def _usable_tiers(schedule: CreditSchedule) -> list[RankedTier]:
    """Return the ranked tiers that cover some attainment."""
    ranked = ranked_tiers(schedule)
    return [(tier, floor) for tier, floor in ranked if floor < tier.below]


def _tier_label(tier: CreditTier) -> str:
    return f"the tier below {format_percent(tier.below)}"


def _describe_step(step: StepRule) -> str:
    return (
        f"{format_percent(step.credit)} per {format_points(step.points)} "
        f"below {format_percent(step.below)}"
    )


@rule("SC306", "credit-schedule-gap-or-overlap", Severity.ERROR, kinds=("SLA",))
def schedule_gap_or_overlap(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Credit tiers leave attainment uncovered or cover it twice.

    Each tier covers attainment in ``[atLeast, below)``. A gap between two
    tiers means a month in that range owes no credit, although it is worse
    than a month that does. An overlap means two credits match one month.
    A lowest tier that stops above 0% leaves the worst months with no
    credit at all, and a tier whose ``atLeast`` is not below its ``below``
    covers nothing.

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
          tiers:
            - below: 99.5%
              atLeast: 99%
              credit: 10%
            - below: 98%
              credit: 25%
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
          tiers:
            - below: 99.5%
              atLeast: 99%
              credit: 10%
            - below: 99%
              credit: 25%
    ```
    """
    for schedule in schedules(document):
        yield from _empty_tiers(schedule)
        usable = _usable_tiers(schedule)
        for (upper, upper_floor), (lower, _) in zip(usable, usable[1:], strict=False):
            if lower.below < upper_floor:
                yield _gap(upper, upper_floor, lower)
            elif lower.below > upper_floor:
                yield _overlap(upper, upper_floor, lower)
        # A lowest tier without 'atLeast' reaches down to the 'below' of an
        # empty tier listed after it, which _empty_tiers already reports.
        if usable and usable[-1][0].at_least is not None and usable[-1][1] > ZERO:
            yield _bottom_gap(*usable[-1])


def _empty_tiers(schedule: CreditSchedule) -> Iterator[Issue]:
    for tier, floor in ranked_tiers(schedule):
        if floor < tier.below:
            continue
        if tier.at_least is not None:
            message = (
                f"{_tier_label(tier)} has 'atLeast: {format_percent(floor)}', so it "
                "covers no attainment; 'atLeast' must be lower than 'below'"
            )
            yield Issue((*tier.where, "atLeast"), message, key=f"empty {tier.below}")
            continue
        message = (
            f"{_tier_label(tier)} is listed before a tier with 'below: "
            f"{format_percent(floor)}', so it reaches down only to "
            f"{format_percent(floor)} and covers no attainment; list tiers from the "
            "highest 'below' down, or give each tier an 'atLeast'"
        )
        yield Issue((*tier.where, "below"), message, key=f"empty {tier.below}")


def _gap(upper: CreditTier, upper_floor: Decimal, lower: CreditTier) -> Issue:
    low, high = format_percent(lower.below), format_percent(upper_floor)
    message = (
        f"no credit tier covers attainment from {low} up to {high}, between "
        f"{_tier_label(lower)} and {_tier_label(upper)}, so a month there owes no "
        f"credit; set this tier to 'below: {high}'"
    )
    return Issue((*lower.where, "below"), message, key=f"gap {low}-{high}")


def _overlap(upper: CreditTier, upper_floor: Decimal, lower: CreditTier) -> Issue:
    low = format_percent(upper_floor)
    high = format_percent(min(lower.below, upper.below))
    message = (
        f"{_tier_label(lower)} overlaps {_tier_label(upper)} from {low} up to "
        f"{high}, so a month there matches two credits; set this tier to "
        f"'below: {low}'"
    )
    return Issue((*lower.where, "below"), message, key=f"overlap {low}-{high}")


def _bottom_gap(tier: CreditTier, floor: Decimal) -> Issue:
    lowest = format_percent(floor)
    message = (
        f"no credit tier covers attainment below {lowest}, so the worst months owe "
        "no credit; let the lowest tier reach down to 0% by removing its 'atLeast'"
    )
    return Issue((*tier.where, "atLeast"), message, key=f"gap 0%-{lowest}")


@rule("SC307", "credits-not-monotonic", Severity.ERROR, kinds=("SLA",))
def credits_not_monotonic(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Credit does not grow as attainment falls.

    A worse month must never earn a smaller credit than a better one. When
    a lower tier pays less than the tier above it, the provider gains from
    making an outage longer; usually two credit values were swapped. Tiers
    are compared from the highest ``below`` down, whatever order they are
    listed in. A credit of 0% is reported as SC313.

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
          tiers:
            - below: 99.5%
              atLeast: 99%
              credit: 25%
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
          tiers:
            - below: 99.5%
              atLeast: 99%
              credit: 10%
            - below: 99%
              credit: 25%
    ```
    """
    for schedule in schedules(document):
        usable = _usable_tiers(schedule)
        for (upper, _), (lower, _) in zip(usable, usable[1:], strict=False):
            # A 0% tier is SC313's finding, which says more than "it shrinks".
            if ZERO < lower.credit < upper.credit:
                yield _shrinking_credit(upper, lower)


def _shrinking_credit(upper: CreditTier, lower: CreditTier) -> Issue:
    message = (
        f"{_tier_label(lower)} pays {format_percent(lower.credit)}, less than the "
        f"{format_percent(upper.credit)} of {_tier_label(upper)}, so a worse month "
        "earns a smaller credit; make credits grow as attainment falls"
    )
    return Issue((*lower.where, "credit"), message, key=f"credit {lower.below}")


@rule("SC308", "credit-above-limit", Severity.ERROR, kinds=("SLA",))
def credit_above_limit(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Credit schedule can pay more than 100% of the fee.

    A credit is a share of a fee, so it cannot sensibly exceed 100%. A
    ``cap`` or a tier ``credit`` above 100% is already rejected by the
    schema (SC010). This rule catches the form the schema cannot see: a
    step rule without a ``cap``, whose credit keeps growing with every step
    until, at low enough attainment, it passes 100%. slacheck then pays at
    most 100%, but the written contract promises more; add a ``cap``.

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
          step:
            below: 99.5%
            points: 0.5
            credit: 10%
            partialStep: full
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
          cap: 30%
          step:
            below: 99.5%
            points: 0.5
            credit: 10%
            partialStep: full
    ```
    """
    for schedule in schedules(document):
        step = schedule.step
        if step is None or schedule.cap is not None or step.credit <= ZERO:
            continue
        reached = _attainment_past_full_fee(step)
        if reached is None:
            continue
        message = (
            f"step rule ({_describe_step(step)}) has no 'cap', so {reached} the "
            "credit passes 100% of the fee; add a cap of at most 100%, such as "
            "'cap: 30%'"
        )
        yield Issue(step.where, message, key=_describe_step(step), at_key=True)


def _attainment_past_full_fee(step: StepRule) -> str | None:
    """Describe the attainment below which a step rule pays more than 100%.

    ``steps`` is the smallest whole number of steps whose credit passes
    100%. With whole partial steps paid, that many steps start just below
    ``below - (steps - 1) * points``; paid only for completed steps, they
    need ``below - steps * points`` exactly.
    """
    steps = (ONE / step.credit).to_integral_value(rounding=ROUND_FLOOR) + 1
    if step.partial == "none":
        bound = step.below - steps * step.points / HUNDRED
        return f"at or below {format_percent(bound)}" if bound >= ZERO else None
    bound = step.below - (steps - 1) * step.points / HUNDRED
    return f"below {format_percent(bound)}" if bound > ZERO else None


@rule("SC312", "step-partial-unspecified", Severity.ERROR, kinds=("SLA",))
def step_partial_unspecified(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Step rule does not say how a partly used step counts.

    "10% per 0.5 points below 99.5%" does not say what 99.2% earns: 10% if
    a started step counts in full, 0% if only completed steps count. The two
    readings differ by a whole step at almost every attainment, so the
    contract must choose: ``partialStep: full`` or ``partialStep: none``.

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
          cap: 30%
          step:
            below: 99.5%
            points: 0.5
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
          cap: 30%
          step:
            below: 99.5%
            points: 0.5
            credit: 10%
            partialStep: none
    ```
    """
    for schedule in schedules(document):
        step = schedule.step
        if step is None or step.partial is not None:
            continue
        message = (
            f"step rule ({_describe_step(step)}) does not say whether a partly used "
            "step earns its credit, and the two readings differ by a whole step"
        )
        example = _partial_example(schedule, step)
        if example:
            message += f": {example}"
        message += "; add 'partialStep: full' or 'partialStep: none'"
        yield Issue(step.where, message, key=_describe_step(step), at_key=True)


def _partial_example(schedule: CreditSchedule, step: StepRule) -> str:
    """Show the credit under both readings at 1.5 steps (or 0.5) below the start."""
    for steps in (Decimal("1.5"), Decimal("0.5")):
        attainment = step.below - steps * step.points / HUNDRED
        if attainment < ZERO:
            continue
        credit = credit_for(schedule, attainment)
        if credit.alternative is not None:
            return (
                f"at {format_percent(attainment)} the credit is "
                f"{format_percent(credit.share)} with 'partialStep: full' and "
                f"{format_percent(credit.alternative)} with 'partialStep: none'"
            )
    return ""
