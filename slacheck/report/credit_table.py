"""A credit schedule as a table, with worked examples a reader can check."""

from __future__ import annotations

from decimal import Decimal

from slacheck.credits import Credit, CreditSchedule, StepRule, credit_for
from slacheck.quantities import HUNDRED, ZERO, format_number, format_percent
from slacheck.report.model import CreditRow, CreditView, WorkedExample
from slacheck.report.words import CREDIT_BASE_WORDS

# Attainments every report works through, so readers of different SLAs can
# compare them: just under a typical 99.5% commitment, about a point under,
# and a bad month.
EXAMPLE_ATTAINMENTS = (Decimal("0.992"), Decimal("0.987"), Decimal("0.94"))

# A step rule without a cap can take hundreds of steps to reach 100% credit.
# The table lists this many bands and then states the rule for the rest.
MAX_STEP_ROWS = 12


def credit_view(
    schedule: CreditSchedule, measured: Decimal | None = None
) -> CreditView:
    """Describe ``schedule`` with its bands and worked examples."""
    breakpoints = _breakpoints(schedule)
    starts: Decimal | None
    if schedule.step is not None:
        rows = _step_rows(schedule, schedule.step)
        starts = schedule.step.below
    else:
        rows = _tier_rows(schedule)
        starts = max((tier.below for tier in schedule.tiers), default=None)
    return CreditView(
        schedule=schedule,
        summary=_summary(schedule),
        base=CREDIT_BASE_WORDS.get(schedule.base or "", "the fee"),
        cap=schedule.cap,
        limit=schedule.limit,
        rows=tuple(rows),
        examples=tuple(worked_examples(schedule, breakpoints, measured)),
        breakpoints=tuple(breakpoints),
        starts_below=starts,
        open_question=_open_question(schedule),
    )


def worked_examples(
    schedule: CreditSchedule, breakpoints: list[Decimal], measured: Decimal | None
) -> list[WorkedExample]:
    """Return the credit at the fixed examples, each boundary and the measured value."""
    reasons: dict[Decimal, str] = {}
    for value in breakpoints:
        if value > ZERO:
            reasons[value] = "boundary"
    for value in EXAMPLE_ATTAINMENTS:
        reasons[value] = "example"
    if measured is not None:
        reasons[measured] = "measured"
    ordered = sorted(reasons, reverse=True)
    return [WorkedExample(v, credit_for(schedule, v), reasons[v]) for v in ordered]


def _breakpoints(schedule: CreditSchedule) -> list[Decimal]:
    points: set[Decimal] = set()
    if schedule.step is not None:
        points.update(_step_bounds(schedule, schedule.step))
    for index, tier in enumerate(schedule.tiers):
        points.add(tier.below)
        points.add(schedule.tier_floor(index))
    return sorted(points, reverse=True)


def _step_bounds(schedule: CreditSchedule, step: StepRule) -> list[Decimal]:
    """Return ``below``, ``below - points``, ... down to the step reaching the cap."""
    bounds = [step.below]
    for count in range(1, MAX_STEP_ROWS + 1):
        bound = step.below - step.points * count / HUNDRED
        if bound < ZERO:
            break
        bounds.append(bound)
        if step.credit * count >= schedule.limit:
            break
    return bounds


def _tier_rows(schedule: CreditSchedule) -> list[CreditRow]:
    order = sorted(range(len(schedule.tiers)), key=lambda i: -schedule.tiers[i].below)
    rows = []
    for index in order:
        tier = schedule.tiers[index]
        floor = schedule.tier_floor(index)
        band = f"below {format_percent(tier.below)}"
        if floor > ZERO:
            band = f"at least {format_percent(floor)} and {band}"
        capped = tier.credit > schedule.limit
        rows.append(CreditRow(band, min(tier.credit, schedule.limit), capped=capped))
    return rows


def _step_rows(schedule: CreditSchedule, step: StepRule) -> list[CreditRow]:
    """List one band per step until a band pays the limit, which is open below."""
    rows = []
    upper = step.below
    for count in range(1, MAX_STEP_ROWS + 1):
        lower = max(step.below - step.points * count / HUNDRED, ZERO)
        credit = credit_for(schedule, (upper + lower) / 2)
        final = credit.share >= schedule.limit or lower == ZERO
        band = _band(schedule, upper, None if final else lower, credit)
        rows.append(CreditRow(band, credit.share, credit.alternative, credit.capped))
        if final:
            return rows
        upper = lower
    rows.append(_remaining_row(schedule, step, upper))
    return rows


def _band(
    schedule: CreditSchedule, upper: Decimal, lower: Decimal | None, credit: Credit
) -> str:
    """Word one band, saying which end belongs to it (credit_for decides)."""
    top = credit_for(schedule, upper).share == credit.share
    upper_words = f"{'at most' if top else 'below'} {format_percent(upper)}"
    if lower is None:
        return upper_words
    bottom = credit_for(schedule, lower).share == credit.share
    lower_words = f"{'at least' if bottom else 'above'} {format_percent(lower)}"
    return f"{lower_words} and {upper_words}"


def _remaining_row(
    schedule: CreditSchedule, step: StepRule, below: Decimal
) -> CreditRow:
    band = f"below {format_percent(below)}"
    more = f"{format_percent(step.credit)} more per {format_number(step.points)} points"
    limit = format_percent(schedule.limit)
    return CreditRow(f"{band} ({more}, at most {limit})", schedule.limit, capped=True)


def _summary(schedule: CreditSchedule) -> str:
    base = CREDIT_BASE_WORDS.get(schedule.base or "", "the fee")
    cap = (
        f", at most {format_percent(schedule.cap)}" if schedule.cap is not None else ""
    )
    step = schedule.step
    if step is None:
        return f"A credit on {base} by attainment band{cap}"
    points = format_number(step.points)
    per = {
        "full": f"every {points} points or part of them",
        "none": f"every full {points} points",
    }.get(step.partial or "", f"every {points} points")
    credit, below = format_percent(step.credit), format_percent(step.below)
    return f"{credit} of {base} for {per} below {below}{cap}"


def _open_question(schedule: CreditSchedule) -> str:
    step = schedule.step
    if step is None or step.partial is not None:
        return ""
    return (
        "The schedule does not say whether a partly used step earns its credit "
        "(partialStep); the figures assume it does, and the lower reading is "
        "shown beside them."
    )
