"""Changes to an SLA's commitments and customers, classified for the customer."""

from __future__ import annotations

from collections.abc import Iterator

from slacheck.diff.model import NEUTRAL, STRENGTHENING, UNCLEAR, WEAKENING, Change
from slacheck.diff.pair import Pair, mapping, sequence, shown
from slacheck.objectives import Objective, Threshold, commitments, raw_mapping
from slacheck.quantities import PERIOD_WORDS, format_percent
from slacheck.report.build import commitment_sentence

# Longer contract periods average a bad month away and delay every claim.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

# Comparison operators that make a threshold looser, for each direction.
_LOOSER_OP = {
    ("lt", "lte"): True,
    ("lte", "lt"): False,
    ("gt", "gte"): True,
    ("gte", "gt"): False,
}


def commitment_changes(pair: Pair) -> Iterator[Change]:
    base = {c.name: c for c in commitments(pair.base)} if pair.base else {}
    head = {c.name: c for c in commitments(pair.head)} if pair.head else {}
    for name, old in base.items():
        if name not in head:
            yield pair.change(
                WEAKENING,
                f"commitment {name!r} removed (it promised {_sentence(old)})",
                ("spec", "commitments"),
                commitment=name,
                contract=True,
            )
    for name, new in head.items():
        if name not in base:
            yield pair.change(
                STRENGTHENING,
                f"commitment {name!r} added: {_sentence(new)}",
                new.where,
                commitment=name,
                contract=True,
            )
        else:
            yield from _one_commitment(pair, base[name], new)


def _sentence(commitment: Objective) -> str:
    measurement = mapping(commitment.document.spec.get("measurement"))
    return commitment_sentence(commitment, raw_mapping(commitment), measurement)


def _one_commitment(pair: Pair, old: Objective, new: Objective) -> Iterator[Change]:
    yield from _target(pair, old, new)
    yield from _threshold(pair, old, new)
    yield from _period(pair, old, new)
    old_raw, new_raw = raw_mapping(old), raw_mapping(new)
    texts = (
        ("timeZone", "time zone", True),
        ("description", "wording", True),
        ("sloRef", "backing SLO", False),
        ("objective", "backing SLO objective", False),
        ("indicatorRef", "indicator", False),
    )
    for key, label, contract in texts:
        before, after = old_raw.get(key), new_raw.get(key)
        if before != after:
            message = (
                f"commitment {new.name!r}: {label} changed from {shown(before)} "
                f"to {shown(after)}"
            )
            yield pair.change(
                NEUTRAL,
                message,
                (*new.where, key),
                commitment=new.name,
                contract=contract,
            )


def _target(pair: Pair, old: Objective, new: Objective) -> Iterator[Change]:
    if old.target == new.target:
        return
    where = (*new.where, "target" if "target" in raw_mapping(new) else "targetPercent")
    before = (
        format_percent(old.target) if old.target is not None else "an unreadable value"
    )
    after = (
        format_percent(new.target) if new.target is not None else "an unreadable value"
    )
    if old.target is None or new.target is None:
        effect, verb = UNCLEAR, "changed"
    elif new.target < old.target:
        effect, verb = WEAKENING, "lowered"
    else:
        effect, verb = STRENGTHENING, "raised"
    message = f"commitment {new.name!r}: target {verb} from {before} to {after}"
    yield pair.change(effect, message, where, commitment=new.name, contract=True)


def _threshold(pair: Pair, old: Objective, new: Objective) -> Iterator[Change]:
    before, after = old.threshold, new.threshold
    if _same_threshold(before, after):
        return
    effect = threshold_effect(before, after)
    message = (
        f"commitment {new.name!r}: threshold changed from {_words(before)} "
        f"to {_words(after)}"
    )
    if effect == WEAKENING:
        message += " (looser)"
    elif effect == STRENGTHENING:
        message += " (tighter)"
    where = (*new.where, "value")
    yield pair.change(effect, message, where, commitment=new.name, contract=True)


def _same_threshold(before: Threshold | None, after: Threshold | None) -> bool:
    if before is None or after is None:
        return before is after
    return (before.op, before.value, before.unit) == (after.op, after.value, after.unit)


def _words(threshold: Threshold | None) -> str:
    return "none" if threshold is None else f"{threshold.op} {threshold.text}"


def threshold_effect(before: Threshold | None, after: Threshold | None) -> str:
    """Classify a threshold change: a looser threshold weakens the commitment."""
    if before is None or after is None or before.unit != after.unit:
        return UNCLEAR
    if before.lower_is_better != after.lower_is_better:
        return UNCLEAR
    if before.value != after.value:
        looser = after.value > before.value
        if not before.lower_is_better:
            looser = not looser
        if before.op != after.op:
            op_looser = _LOOSER_OP.get((before.op, after.op))
            if op_looser is not None and op_looser != looser:
                return UNCLEAR
        return WEAKENING if looser else STRENGTHENING
    looser_op = _LOOSER_OP.get((before.op, after.op))
    if looser_op is None:
        return UNCLEAR
    return WEAKENING if looser_op else STRENGTHENING


def _period(pair: Pair, old: Objective, new: Objective) -> Iterator[Change]:
    before = old.window.period if old.window else None
    after = new.window.period if new.window else None
    if before == after:
        return
    old_months, new_months = (
        PERIOD_MONTHS.get(before or ""),
        PERIOD_MONTHS.get(after or ""),
    )
    where = (*new.where, "period")
    message = (
        f"commitment {new.name!r}: judged per {_period_words(before)} before, "
        f"per {_period_words(after)} now"
    )
    if old_months is None or new_months is None:
        effect = UNCLEAR
    elif new_months > old_months:
        effect = WEAKENING
        message += "; a longer period averages bad weeks away and delays every claim"
    else:
        effect = STRENGTHENING
    yield pair.change(effect, message, where, commitment=new.name, contract=True)


def _period_words(period: str | None) -> str:
    return PERIOD_WORDS.get(period or "", shown(period))


def customer_changes(pair: Pair) -> Iterator[Change]:
    old = mapping(pair.base.spec.get("customers")) if pair.base else {}
    new = mapping(pair.head.spec.get("customers")) if pair.head else {}
    for key, word in (("tiers", "tier"), ("plans", "plan")):
        before = [str(v) for v in sequence(old.get(key))]
        after = [str(v) for v in sequence(new.get(key))]
        for value in before:
            if value not in after:
                message = f"no longer covers customer {word} {value!r}"
                yield pair.change(
                    WEAKENING, message, ("spec", "customers", key), contract=True
                )
        for value in after:
            if value not in before:
                message = f"now also covers customer {word} {value!r}"
                yield pair.change(
                    STRENGTHENING, message, ("spec", "customers", key), contract=True
                )
    if old.get("party") != new.get("party"):
        party_before, party_after = shown(old.get("party")), shown(new.get("party"))
        message = f"customer party changed from {party_before} to {party_after}"
        yield pair.change(
            NEUTRAL, message, ("spec", "customers", "party"), contract=True
        )
