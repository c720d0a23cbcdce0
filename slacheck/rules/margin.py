"""SLA commitments against the SLOs behind them (SC2xx).

The margin is how much looser a commitment is than its SLO: a 99.5% SLA
over a 99.9% SLO has 0.4 points of margin and five times the error budget.
Without margin, a month that breaks the SLO already breaches the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import (
    Objective,
    Window,
    backing_objective,
    commitments,
    raw_mapping,
)
from slacheck.quantities import (
    HUNDRED,
    ZERO,
    format_minutes,
    format_number,
    format_percent,
    format_points,
    target_field,
)
from slacheck.rules.base import Issue, RuleContext, rule


def compare(commitment: Objective, objective: Objective) -> str:
    """Classify a commitment against its objective.

    Returns ``looser``, ``equal``, ``stricter`` or ``incomparable``. For a
    latency objective both the ratio and the threshold count: a commitment
    is looser when neither is stricter and at least one is looser.
    """
    if commitment.target is None or objective.target is None:
        return "incomparable"
    ratio = _sign(objective.target - commitment.target)
    if commitment.threshold is None and objective.threshold is None:
        threshold = 0
    elif commitment.threshold is None or objective.threshold is None:
        return "incomparable"
    else:
        ours, theirs = commitment.threshold, objective.threshold
        if ours.unit != theirs.unit or ours.lower_is_better != theirs.lower_is_better:
            return "incomparable"
        difference = ours.value - theirs.value
        threshold = _sign(difference if ours.lower_is_better else -difference)
    if ratio == 0 and threshold == 0:
        return "equal"
    if ratio >= 0 and threshold >= 0:
        return "looser"
    if ratio <= 0 and threshold <= 0:
        return "stricter"
    return "incomparable"


def margin_points(commitment: Objective, objective: Objective) -> Decimal | None:
    if commitment.target is None or objective.target is None:
        return None
    return (objective.target - commitment.target) * HUNDRED


def budget_multiple(commitment: Objective, objective: Objective) -> Decimal | None:
    """Return the SLA's error budget divided by the SLO's (None if the SLO has none)."""
    if commitment.error_budget is None or not objective.error_budget:
        return None
    return commitment.error_budget / objective.error_budget


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def _backed_pairs(
    document: Document, ctx: RuleContext
) -> Iterator[tuple[Objective, Objective]]:
    for commitment in commitments(document):
        objective = backing_objective(commitment, ctx.catalog).objective
        # An SLO that failed its schema already has a finding; comparing
        # with its unreadable target would only add noise.
        if objective is None or not objective.document.valid:
            continue
        if objective.target is None or commitment.target is None:
            continue
        yield commitment, objective


def _describe(objective: Objective) -> str:
    text = format_percent(objective.target) if objective.target is not None else "?"
    if objective.threshold is not None:
        text += f" {objective.threshold.op} {objective.threshold.text}"
    return text


def _slo_label(objective: Objective) -> str:
    label = f"SLO {objective.document.name!r}"
    if objective.name and len(objective.document.spec.get("objectives") or []) > 1:
        label += f" objective {objective.name!r}"
    return label


def _target_where(commitment: Objective) -> tuple[str | int, ...]:
    return (*commitment.where, target_field(raw_mapping(commitment)))


@rule("SC201", "no-margin", Severity.ERROR, kinds=("SLA",))
def no_margin(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment equals its backing SLO's target.

    The SLO is the early warning: a bad month should break the internal
    objective before it breaches the contract. When the SLA promises exactly
    what the SLO targets, the first missed SLO is already a breach with
    credits owed. For latency objectives both the ratio and the threshold
    are compared.

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
          target: 0.999
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
    for commitment, objective in _backed_pairs(document, ctx):
        if compare(commitment, objective) == "equal":
            message = (
                f"commitment {commitment.name!r} promises {_describe(commitment)}, "
                f"the same as {_slo_label(objective)}: no margin, so a missed SLO "
                "is already a breach; loosen the commitment or tighten the SLO"
            )
            yield Issue(_target_where(commitment), message, key=commitment.name)


@rule("SC202", "stricter-than-slo", Severity.ERROR, kinds=("SLA",))
def stricter_than_slo(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment is stricter than its backing SLO.

    The contract promises more than the team aims for internally, so the
    SLO can be met while customers are owed credits. Either the commitment
    was tightened without the SLO, or the SLO was relaxed without checking
    the contracts that depend on it.

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
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: latency
          sloRef: api-latency
          op: lte
          value: 300ms
          target: 99%
          period: month
          timeZone: UTC
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
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: latency
          sloRef: api-latency
          op: lte
          value: 1s
          target: 95%
          period: month
          timeZone: UTC
    ```
    """
    for commitment, objective in _backed_pairs(document, ctx):
        if compare(commitment, objective) == "stricter":
            message = (
                f"commitment {commitment.name!r} promises {_describe(commitment)}, "
                f"stricter than {_slo_label(objective)} ({_describe(objective)}); "
                "the SLO can be met while the SLA is breached"
            )
            yield Issue(_target_where(commitment), message, key=commitment.name)


@rule("SC203", "incomparable-to-slo", Severity.WARNING, kinds=("SLA",))
def incomparable(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment cannot be ranked against its backing SLO.

    For a latency commitment such as "95% within 300ms" over an SLO of "99%
    within 500ms", the ratio is looser but the threshold is stricter, so
    neither is clearly looser: a month can meet the SLO and breach the SLA.
    Thresholds in different units, or a threshold on one side only, cannot
    be compared either.

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
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: latency
          sloRef: api-latency
          op: lte
          value: 300ms
          target: 95%
          period: month
          timeZone: UTC
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
        - isRolling: false
          calendar: {period: month, timeZone: UTC}
      objectives:
        - op: lte
          value: 500ms
          target: 99%
    ---
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: latency
          sloRef: api-latency
          op: lte
          value: 800ms
          target: 95%
          period: month
          timeZone: UTC
    ```
    """
    for commitment, objective in _backed_pairs(document, ctx):
        if compare(commitment, objective) == "incomparable":
            message = (
                f"commitment {commitment.name!r} ({_describe(commitment)}) is neither "
                f"clearly looser nor stricter than {_slo_label(objective)} "
                f"({_describe(objective)}); make both the ratio and the threshold "
                "at least as loose as the SLO's"
            )
            yield Issue(_target_where(commitment), message, key=commitment.name)


@rule("SC204", "margin-below-minimum", Severity.WARNING, kinds=("SLA",))
def thin_margin(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment is looser than its SLO, but by too little.

    A margin of a few hundredths of a point leaves almost no time between
    the SLO alert and the contract breach. The minimum is set in points
    (``min-margin-points``, default 0.1) and as a budget multiple, the SLA's
    error budget over the SLO's (``min-budget-multiple``, default 2); both
    must hold. Commitments made looser only by their latency threshold are
    not measured in points.

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
          target: 99.85%
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
    options = ctx.options
    for commitment, objective in _backed_pairs(document, ctx):
        if compare(commitment, objective) != "looser":
            continue
        points = margin_points(commitment, objective)
        multiple = budget_multiple(commitment, objective)
        if points is None or points <= ZERO:
            continue
        too_few_points = points < options.min_margin_points
        too_small_budget = (
            multiple is not None and multiple < options.min_budget_multiple
        )
        if not (too_few_points or too_small_budget):
            continue
        shown_multiple = (
            f"{format_number(multiple.quantize(Decimal('0.01')))}x" if multiple else "?"
        )
        message = (
            f"commitment {commitment.name!r} has {format_points(points)} of margin over "
            f"{_slo_label(objective)} (SLA budget {shown_multiple} the SLO's); the minimum "
            f"is {format_points(options.min_margin_points)} and "
            f"{format_number(options.min_budget_multiple)}x"
        )
        yield Issue(_target_where(commitment), message, key=commitment.name)


@rule("SC205", "no-backing-slo", Severity.ERROR, kinds=("SLA",))
def no_backing_slo(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA commitment has no SLO behind it.

    Measure first, commit second: a customer commitment needs an internal
    objective, tighter than the promise, that alerts the team before the
    contract is breached. A commitment backed only by an SLI is measured but
    not defended.

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
          indicatorRef: api-availability
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
    ```
    """
    for commitment in commitments(document):
        raw = raw_mapping(commitment)
        if "sloRef" in raw:
            continue
        if "indicatorRef" in raw:
            detail = f"is backed only by SLI {raw['indicatorRef']!r}"
        else:
            detail = "names no SLO or SLI"
        message = (
            f"commitment {commitment.name!r} {detail}; add an internal SLO that is "
            "tighter than the commitment and name it with 'sloRef'"
        )
        yield Issue((*commitment.where, "name"), message, key=commitment.name)


@rule("SC206", "window-mismatch", Severity.WARNING, kinds=("SLA",))
def window_mismatch(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA period and SLO window differ.

    A monthly SLA over an SLO with a rolling 28-day window is common and
    workable, but the two budgets are not the same length: the calendar
    month allows up to three more days of errors than the SLO watches. The
    message gives the SLO's budget over both, in minutes, so the team can
    judge whether the SLO still warns in time.

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
        - duration: 28d
          isRolling: true
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
    for commitment, objective in _backed_pairs(document, ctx):
        period, window = commitment.window, objective.window
        if period is None or window is None or period.same_length_as(window):
            continue
        message = (
            f"commitment {commitment.name!r} is judged over {period.describe()} but "
            f"{_slo_label(objective)} uses {window.describe()}"
        )
        detail = _budget_difference(objective, period, window)
        if detail:
            message += f"; {detail}"
        yield Issue((*commitment.where, "period"), message, key=commitment.name)


def _budget_difference(objective: Objective, period: Window, window: Window) -> str:
    budget = objective.error_budget
    period_range, window_range = period.minutes_range(), window.minutes_range()
    if budget is None or period_range is None or window_range is None:
        return ""
    in_window = window_range[0] * budget
    low, high = period_range[0] * budget, period_range[1] * budget
    over_period = (
        format_minutes(low)
        if low == high
        else f"{format_minutes(low)} to {format_minutes(high)}"
    )
    gaps = sorted({abs(low - in_window), abs(high - in_window)})
    gap = format_minutes(gaps[-1])
    shown_window = "its window" if window.rolling else "its period"
    return (
        f"at {format_percent(objective.target or ZERO)} the SLO allows "
        f"{format_minutes(in_window)} of downtime over {shown_window} but {over_period} "
        f"over the SLA period, a difference of up to {gap}"
    )
