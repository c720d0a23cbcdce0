"""Service-credit schedules: parsing them from an SLA and computing credits.

Two forms are common in contracts and both are supported:

* tiers, such as "below 99.5% 10%, below 99% 25%, below 95% 100%": each
  tier covers attainment in ``[atLeast, below)``; without ``atLeast`` a tier
  reaches down to the next tier's ``below`` (or to 0% for the last tier);
* a step rule, such as "10% per 0.5 point below 99.5%": every ``points``
  percentage points of shortfall earn ``credit``. Whether a partly used step
  earns its credit (``partialStep: full``) or not (``none``) changes the
  result by a whole step, so the contract must say which.

Credits are Decimal shares of the credit base and are capped by ``cap``
(and never exceed 100%).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from slacheck.model import Document
from slacheck.quantities import HUNDRED, ONE, ZERO, parse_ratio, to_decimal
from slacheck.yamlload import FieldPath


@dataclass(frozen=True)
class CreditTier:
    below: Decimal
    at_least: Decimal | None
    credit: Decimal
    where: FieldPath


@dataclass(frozen=True)
class StepRule:
    below: Decimal
    points: Decimal
    credit: Decimal
    partial: str | None
    where: FieldPath


@dataclass(frozen=True)
class CreditSchedule:
    """One ``serviceCredit`` remedy of an SLA."""

    commitment: str | None
    base: str | None
    cap: Decimal | None
    tiers: tuple[CreditTier, ...]
    step: StepRule | None
    where: FieldPath

    @property
    def limit(self) -> Decimal:
        """Return the highest credit the schedule can pay (cap, at most 100%)."""
        return ONE if self.cap is None else min(self.cap, ONE)

    def tier_floor(self, index: int) -> Decimal:
        """Return the lower bound of tier ``index`` (explicit or implied)."""
        tier = self.tiers[index]
        if tier.at_least is not None:
            return tier.at_least
        if index + 1 < len(self.tiers):
            return self.tiers[index + 1].below
        return ZERO


@dataclass(frozen=True)
class Credit:
    """A computed credit share.

    When a step rule leaves ``partialStep`` unset, ``share`` is the reading
    in which a partly used step earns its credit and ``alternative`` the
    reading in which it does not (None when both agree).
    """

    share: Decimal
    alternative: Decimal | None = None
    capped: bool = False


def schedules(document: Document) -> list[CreditSchedule]:
    """Return the service-credit schedules of an SLA, in document order.

    They are read once per document; callers share the list.
    """
    return document.remember("schedules", _read_schedules)


def _read_schedules(document: Document) -> list[CreditSchedule]:
    remedies = document.spec.get("remedies")
    if not isinstance(remedies, list):
        return []
    found = []
    for index, remedy in enumerate(remedies):
        if isinstance(remedy, dict) and remedy.get("type") == "serviceCredit":
            found.append(_schedule(remedy, ("spec", "remedies", index)))
    return found


def schedule_for(document: Document, commitment: str) -> CreditSchedule | None:
    """Return the schedule paying for ``commitment`` (an unnamed one if only one)."""
    all_schedules = schedules(document)
    for schedule in all_schedules:
        if schedule.commitment == commitment:
            return schedule
    unnamed = [s for s in all_schedules if s.commitment is None]
    return unnamed[0] if len(unnamed) == 1 else None


def _schedule(remedy: dict[str, Any], where: FieldPath) -> CreditSchedule:
    tiers = []
    for index, item in enumerate(remedy.get("tiers") or []):
        if not isinstance(item, dict):
            continue
        below, credit = parse_ratio(item.get("below")), parse_ratio(item.get("credit"))
        if below is None or credit is None:
            continue
        at_least = parse_ratio(item["atLeast"]) if "atLeast" in item else None
        tiers.append(CreditTier(below, at_least, credit, (*where, "tiers", index)))
    return CreditSchedule(
        commitment=remedy.get("commitment")
        if isinstance(remedy.get("commitment"), str)
        else None,
        base=remedy.get("base") if isinstance(remedy.get("base"), str) else None,
        cap=parse_ratio(remedy.get("cap")) if "cap" in remedy else None,
        tiers=tuple(tiers),
        step=_step(remedy.get("step"), (*where, "step")),
        where=where,
    )


def _step(raw: Any, where: FieldPath) -> StepRule | None:
    if not isinstance(raw, dict):
        return None
    below, credit = parse_ratio(raw.get("below")), parse_ratio(raw.get("credit"))
    points = to_decimal(raw.get("points"))
    if below is None or credit is None or points is None or points <= ZERO:
        return None
    partial = raw.get("partialStep")
    return StepRule(
        below, points, credit, partial if isinstance(partial, str) else None, where
    )


def credit_for(schedule: CreditSchedule, attainment: Decimal) -> Credit:
    """Return the credit owed at ``attainment`` (a ratio), cap applied."""
    if schedule.step is not None:
        return _step_credit(schedule, schedule.step, attainment)
    return _capped(schedule, _tier_credit(schedule, attainment))


def _tier_credit(schedule: CreditSchedule, attainment: Decimal) -> Decimal:
    # Overlapping tiers are a lint finding; here the customer gets the
    # highest matching credit, which is how such a clause is usually read.
    best = ZERO
    for index, tier in enumerate(schedule.tiers):
        if schedule.tier_floor(index) <= attainment < tier.below:
            best = max(best, tier.credit)
    return best


def _step_credit(
    schedule: CreditSchedule, step: StepRule, attainment: Decimal
) -> Credit:
    if attainment >= step.below:
        return Credit(ZERO)
    steps = (step.below - attainment) * HUNDRED / step.points
    full = steps.to_integral_value(rounding=ROUND_CEILING) * step.credit
    none = steps.to_integral_value(rounding=ROUND_FLOOR) * step.credit
    if step.partial == "none":
        return _capped(schedule, none)
    result = _capped(schedule, full)
    if step.partial is None:
        other = _capped(schedule, none).share
        return Credit(
            result.share, other if other != result.share else None, result.capped
        )
    return result


def _capped(schedule: CreditSchedule, share: Decimal) -> Credit:
    limit = schedule.limit
    if share > limit:
        return Credit(limit, capped=True)
    return Credit(share)
