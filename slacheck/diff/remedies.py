"""Changes to an SLA's remedies: credit schedules, caps and termination rights."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from slacheck.credits import CreditSchedule, credit_for, schedules
from slacheck.diff.model import NEUTRAL, STRENGTHENING, UNCLEAR, WEAKENING, Change
from slacheck.diff.pair import Pair, mapping, sequence, shown
from slacheck.quantities import ONE, ZERO, format_percent
from slacheck.report.credit_table import EXAMPLE_ATTAINMENTS
from slacheck.report.words import CREDIT_BASE_WORDS

# Credit bases from smallest to largest amount of money for the same share.
_BASE_RANK = {"affectedServiceFee": 0, "monthlyFee": 1, "annualFee": 2}

_PARTIAL_RANK = {"none": 0, "full": 1}


def _credit_schedules(pair: Pair, side: str) -> dict[str | None, CreditSchedule]:
    document = pair.base if side == "base" else pair.head
    if document is None:
        return {}
    found: dict[str | None, CreditSchedule] = {}
    for schedule in schedules(document):
        found.setdefault(schedule.commitment, schedule)
    return found


def remedy_changes(pair: Pair) -> Iterator[Change]:
    old, new = _credit_schedules(pair, "base"), _credit_schedules(pair, "head")
    for key in old:
        if key not in new:
            message = f"service credits for {_about(key)} removed"
            yield pair.change(
                WEAKENING,
                message,
                ("spec", "remedies"),
                commitment=key or "",
                contract=True,
            )
    for key, schedule in new.items():
        if key not in old:
            message = f"service credits for {_about(key)} added"
            yield pair.change(
                STRENGTHENING,
                message,
                schedule.where,
                commitment=key or "",
                contract=True,
            )
        else:
            yield from _schedule_changes(pair, old[key], schedule)
    yield from _termination_changes(pair)


def _about(commitment: str | None) -> str:
    return f"commitment {commitment!r}" if commitment else "the SLA"


def _schedule_changes(
    pair: Pair, old: CreditSchedule, new: CreditSchedule
) -> Iterator[Change]:
    about = _about(new.commitment)
    commitment = new.commitment or ""
    if old.limit != new.limit:
        effect = WEAKENING if new.limit < old.limit else STRENGTHENING
        verb = "lowered" if effect == WEAKENING else "raised"
        message = (
            f"credit cap for {about} {verb} from {format_percent(old.limit)} "
            f"to {format_percent(new.limit)}"
        )
        where = (*new.where, "cap")
        yield pair.change(effect, message, where, commitment=commitment, contract=True)
    if old.base != new.base:
        yield _base_change(pair, old, new, about)
    step_old, step_new = old.step, new.step
    if (
        step_old is not None
        and step_new is not None
        and step_old.partial != step_new.partial
    ):
        yield _partial_change(pair, old, new, about)
    curve = compare_credits(old, new)
    if curve is not None:
        effect, message = curve
        where = (*new.where, "step" if new.step is not None else "tiers")
        text = f"credits for {about}: {message}"
        yield pair.change(effect, text, where, commitment=commitment, contract=True)


def _base_change(
    pair: Pair, old: CreditSchedule, new: CreditSchedule, about: str
) -> Change:
    old_rank, new_rank = _BASE_RANK.get(old.base or ""), _BASE_RANK.get(new.base or "")
    effect = UNCLEAR
    if old_rank is not None and new_rank is not None:
        effect = WEAKENING if new_rank < old_rank else STRENGTHENING
    before = CREDIT_BASE_WORDS.get(old.base or "", shown(old.base))
    after = CREDIT_BASE_WORDS.get(new.base or "", shown(new.base))
    message = f"credits for {about} are now a share of {after}, not {before}"
    return pair.change(
        effect,
        message,
        (*new.where, "base"),
        commitment=new.commitment or "",
        contract=True,
    )


def _partial_change(
    pair: Pair, old: CreditSchedule, new: CreditSchedule, about: str
) -> Change:
    assert old.step is not None and new.step is not None
    before, after = old.step.partial, new.step.partial
    old_rank, new_rank = _PARTIAL_RANK.get(before or ""), _PARTIAL_RANK.get(after or "")
    effect = UNCLEAR
    if old_rank is not None and new_rank is not None:
        effect = WEAKENING if new_rank < old_rank else STRENGTHENING
    message = (
        f"credits for {about}: a partly used step now earns {_partial(after)} "
        f"(before: {_partial(before)})"
    )
    where = (*new.where, "step", "partialStep")
    return pair.change(
        effect, message, where, commitment=new.commitment or "", contract=True
    )


def _partial(value: str | None) -> str:
    return {"full": "its full credit", "none": "nothing"}.get(
        value or "", "an unstated credit"
    )


def compare_credits(old: CreditSchedule, new: CreditSchedule) -> tuple[str, str] | None:
    """Compare two schedules' credits at every band edge, cap left aside.

    Caps are reported on their own, so this compares the shape alone.
    Returns (effect, message) or None when every sampled credit is equal.
    """
    old_open, new_open = replace(old, cap=None), replace(new, cap=None)
    lower, higher = [], []
    for attainment in _sample_points(old, new):
        before = credit_for(old_open, attainment).share
        after = credit_for(new_open, attainment).share
        if after < before:
            lower.append((attainment, before, after))
        elif after > before:
            higher.append((attainment, before, after))
    if not lower and not higher:
        return None
    if lower and higher:
        return (
            UNCLEAR,
            "smaller at some attainments and larger at others "
            f"({_at(lower[0])}; {_at(higher[0])})",
        )
    if lower:
        return WEAKENING, f"smaller credits ({_at(_pick(lower))})"
    return STRENGTHENING, f"larger credits ({_at(_pick(higher))})"


def _pick(
    points: list[tuple[Decimal, Decimal, Decimal]],
) -> tuple[Decimal, Decimal, Decimal]:
    """Prefer a worked-example attainment, so messages match the report's examples."""
    for point in points:
        if point[0] in EXAMPLE_ATTAINMENTS:
            return point
    return points[0]


def _at(point: tuple[Decimal, Decimal, Decimal]) -> str:
    attainment, before, after = point
    return (
        f"at {format_percent(attainment)} the credit is {format_percent(after)}, "
        f"was {format_percent(before)}"
    )


def _sample_points(old: CreditSchedule, new: CreditSchedule) -> list[Decimal]:
    """Return both schedules' band edges, the midpoints between them, the examples."""
    edges = {ZERO, ONE, *EXAMPLE_ATTAINMENTS}
    for schedule in (old, new):
        edges.update(_edges(schedule))
    ordered = sorted(edges)
    middles = [(a + b) / 2 for a, b in zip(ordered, ordered[1:], strict=False)]
    return sorted({*ordered, *middles}, reverse=True)


def _edges(schedule: CreditSchedule) -> list[Decimal]:
    edges = []
    for index, tier in enumerate(schedule.tiers):
        edges.extend([tier.below, schedule.tier_floor(index)])
    step = schedule.step
    if step is not None:
        # Steps past 100% of credit cannot differ once both are capped at 100%.
        count = 0
        while count * step.credit <= ONE and count <= 200:
            edges.append(max(ZERO, step.below - step.points * count / 100))
            count += 1
    return edges


def _terminations(pair: Pair, side: str) -> dict[str, tuple[int, dict[str, Any]]]:
    document = pair.base if side == "base" else pair.head
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    remedies = sequence(document.spec.get("remedies")) if document is not None else []
    for index, item in enumerate(remedies):
        item = mapping(item)
        if item.get("type") == "termination":
            found.setdefault(str(item.get("commitment") or ""), (index, item))
    return found


def _termination_changes(pair: Pair) -> Iterator[Change]:
    old, new = _terminations(pair, "base"), _terminations(pair, "head")
    for key in old:
        if key not in new:
            message = f"termination right for {_about(key or None)} removed"
            yield pair.change(
                WEAKENING, message, ("spec", "remedies"), commitment=key, contract=True
            )
    for key, (index, item) in new.items():
        where = ("spec", "remedies", index)
        if key not in old:
            message = f"termination right for {_about(key or None)} added"
            yield pair.change(
                STRENGTHENING, message, where, commitment=key, contract=True
            )
            continue
        before = old[key][1]
        if before.get("breaches") != item.get("breaches"):
            yield _breaches_change(pair, before, item, where, key)
        if before.get("description") != item.get("description"):
            message = f"termination right for {_about(key or None)}: wording changed"
            yield pair.change(
                NEUTRAL, message, (*where, "description"), commitment=key, contract=True
            )


def _breaches_change(
    pair: Pair,
    old: dict[str, Any],
    new: dict[str, Any],
    where: tuple[str | int, ...],
    key: str,
) -> Change:
    before, after = old.get("breaches"), new.get("breaches")
    effect = UNCLEAR
    if isinstance(before, int) and isinstance(after, int):
        effect = WEAKENING if after > before else STRENGTHENING
    message = (
        f"termination right for {_about(key or None)} now needs {shown(after)} "
        f"breached periods instead of {shown(before)}"
    )
    return pair.change(
        effect, message, (*where, "breaches"), commitment=key, contract=True
    )
