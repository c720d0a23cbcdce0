"""Changes to an SLA's measurement, exclusions, claims and escalation clauses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slacheck.diff.model import NEUTRAL, STRENGTHENING, UNCLEAR, WEAKENING, Change
from slacheck.diff.pair import Pair, compare_numbers, mapping, sequence, shown
from slacheck.quantities import parse_duration
from slacheck.report.words import EXCLUSION_WORDS, duration_words

# Low-traffic periods counted as good raise attainment, which weakens the
# commitment for the customer; counted as bad, they strengthen it.
_LOW_TRAFFIC_RANK = {"good": 0, "excluded": 1, "bad": 2}

# How early a claim deadline starts to run: an incident comes before the end
# of the period, and the invoice after it.
_ANCHOR_RANK = {"incident": 0, "periodEnd": 1, "invoice": 2}


def _spec(pair: Pair, side: str) -> dict[str, Any]:
    document = pair.base if side == "base" else pair.head
    return document.spec if document is not None else {}


def _duration_effect(before: Any, after: Any, *, longer_is: str) -> str:
    """Classify a duration change; ``longer_is`` is the effect of a longer one."""
    old, new = parse_duration(before), parse_duration(after)
    direction = compare_numbers(old, new)
    if direction == 0:
        return UNCLEAR
    shorter_is = STRENGTHENING if longer_is == WEAKENING else WEAKENING
    return longer_is if direction > 0 else shorter_is


def measurement_changes(pair: Pair) -> Iterator[Change]:
    old = mapping(_spec(pair, "base").get("measurement"))
    new = mapping(_spec(pair, "head").get("measurement"))
    where = ("spec", "measurement")
    for key in ("source", "unit", "interval", "bad", "description"):
        if old.get(key) != new.get(key):
            message = (
                f"measurement {key} changed from {shown(old.get(key))} "
                f"to {shown(new.get(key))}"
            )
            yield pair.change(NEUTRAL, message, (*where, key), contract=True)
    yield from _low_traffic(
        pair, mapping(old.get("lowTraffic")), mapping(new.get("lowTraffic"))
    )


def _low_traffic(
    pair: Pair, old: dict[str, Any], new: dict[str, Any]
) -> Iterator[Change]:
    where = ("spec", "measurement", "lowTraffic")
    if old.get("minimumEvents") != new.get("minimumEvents"):
        message = (
            f"low-traffic minimum changed from {shown(old.get('minimumEvents'))} "
            f"to {shown(new.get('minimumEvents'))} requests"
        )
        yield pair.change(NEUTRAL, message, (*where, "minimumEvents"), contract=True)
    before, after = old.get("treatAs"), new.get("treatAs")
    if before == after:
        return
    old_rank, new_rank = (
        _LOW_TRAFFIC_RANK.get(str(before)),
        _LOW_TRAFFIC_RANK.get(str(after)),
    )
    effect = UNCLEAR
    if old_rank is not None and new_rank is not None:
        effect = WEAKENING if new_rank < old_rank else STRENGTHENING
    message = (
        f"low-traffic periods counted as {shown(after)} instead of {shown(before)}"
    )
    yield pair.change(effect, message, (*where, "treatAs"), contract=True)


def _by_type(items: list[Any]) -> dict[tuple[str, int], tuple[int, dict[str, Any]]]:
    """Key exclusions by (type, occurrence), so two of one type still pair up."""
    keyed: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type"))
        count = seen.get(kind, 0)
        seen[kind] = count + 1
        keyed[(kind, count)] = (index, item)
    return keyed


def exclusion_changes(pair: Pair) -> Iterator[Change]:
    old = _by_type(sequence(_spec(pair, "base").get("exclusions")))
    new = _by_type(sequence(_spec(pair, "head").get("exclusions")))
    for key, (_, item) in old.items():
        if key not in new:
            message = f"exclusion removed: {_exclusion_name(item)}"
            yield pair.change(
                STRENGTHENING, message, ("spec", "exclusions"), contract=True
            )
    for key, (index, item) in new.items():
        where = ("spec", "exclusions", index)
        if key not in old:
            message = f"new exclusion: {_exclusion_name(item)}"
            if item.get("description"):
                message += f" ({item['description']})"
            yield pair.change(WEAKENING, message, where, contract=True)
        else:
            yield from _one_exclusion(pair, old[key][1], item, where)


def _exclusion_name(item: dict[str, Any]) -> str:
    kind = str(item.get("type"))
    return EXCLUSION_WORDS.get(kind, kind).lower()


def _one_exclusion(
    pair: Pair, old: dict[str, Any], new: dict[str, Any], where: tuple[str | int, ...]
) -> Iterator[Change]:
    name = _exclusion_name(new)
    notice_old, notice_new = old.get("noticePeriod"), new.get("noticePeriod")
    if notice_old != notice_new:
        if notice_new is None:
            effect = WEAKENING
        elif notice_old is None:
            effect = STRENGTHENING
        else:
            # Less notice weakens the commitment: customers learn of downtime later.
            effect = _duration_effect(notice_old, notice_new, longer_is=STRENGTHENING)
        message = (
            f"{name}: notice period changed from {_duration(notice_old)} "
            f"to {_duration(notice_new)}"
        )
        yield pair.change(effect, message, (*where, "noticePeriod"), contract=True)
    limit_old, limit_new = old.get("maxPerPeriod"), new.get("maxPerPeriod")
    if limit_old != limit_new:
        if limit_new is None:
            effect = WEAKENING
        elif limit_old is None:
            effect = STRENGTHENING
        else:
            effect = _duration_effect(limit_old, limit_new, longer_is=WEAKENING)
        message = (
            f"{name}: excluded time per period changed from {_duration(limit_old)} "
            f"to {_duration(limit_new)}"
        )
        yield pair.change(effect, message, (*where, "maxPerPeriod"), contract=True)
    if old.get("description") != new.get("description"):
        message = f"{name}: wording changed to {shown(new.get('description'))}"
        yield pair.change(NEUTRAL, message, (*where, "description"), contract=True)


def _duration(value: Any) -> str:
    return "no limit" if value is None else duration_words(value)


def claim_changes(pair: Pair) -> Iterator[Change]:
    old = mapping(_spec(pair, "base").get("claims"))
    new = mapping(_spec(pair, "head").get("claims"))
    where = ("spec", "claims")
    if old and not new:
        yield pair.change(WEAKENING, "claim process removed", where, contract=True)
        return
    if new and not old:
        yield pair.change(STRENGTHENING, "claim process added", where, contract=True)
        return
    yield from _deadline(
        pair, mapping(old.get("deadline")), mapping(new.get("deadline"))
    )
    yield from _evidence(
        pair, sequence(old.get("evidence")), sequence(new.get("evidence"))
    )
    for key, label in (
        ("channel", "claim channel"),
        ("creditApplied", "how credits are paid"),
    ):
        if old.get(key) != new.get(key):
            message = (
                f"{label} changed from {shown(old.get(key))} to {shown(new.get(key))}"
            )
            yield pair.change(NEUTRAL, message, (*where, key), contract=True)


def _deadline(pair: Pair, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    where = ("spec", "claims", "deadline")
    before, after = old.get("within"), new.get("within")
    if before != after:
        if before is None or after is None:
            effect = UNCLEAR
        else:
            effect = _duration_effect(before, after, longer_is=STRENGTHENING)
        word = {WEAKENING: "shorter", STRENGTHENING: "longer"}.get(effect, "changed")
        message = (
            f"{word} claim window: {_duration(before)} before, {_duration(after)} now"
        )
        yield pair.change(effect, message, (*where, "within"), contract=True)
    anchor_old, anchor_new = old.get("after"), new.get("after")
    if anchor_old != anchor_new:
        old_rank, new_rank = (
            _ANCHOR_RANK.get(str(anchor_old)),
            _ANCHOR_RANK.get(str(anchor_new)),
        )
        effect = UNCLEAR
        if old_rank is not None and new_rank is not None:
            effect = WEAKENING if new_rank < old_rank else STRENGTHENING
        message = (
            f"claim deadline now runs from {shown(anchor_new)} "
            f"instead of {shown(anchor_old)}"
        )
        yield pair.change(effect, message, (*where, "after"), contract=True)


def _evidence(pair: Pair, old: list[Any], new: list[Any]) -> Iterator[Change]:
    where = ("spec", "claims", "evidence")
    for item in new:
        if item not in old:
            message = f"a claim now also needs evidence: {shown(item)}"
            yield pair.change(WEAKENING, message, where, contract=True)
    for item in old:
        if item not in new:
            message = f"a claim no longer needs evidence: {shown(item)}"
            yield pair.change(STRENGTHENING, message, where, contract=True)


def escalation_changes(pair: Pair) -> Iterator[Change]:
    old = _levels(_spec(pair, "base").get("escalation"))
    new = _levels(_spec(pair, "head").get("escalation"))
    where = ("spec", "escalation")
    for level, (_, item) in old.items():
        if level not in new:
            message = f"escalation level {level} ({shown(item.get('contact'))}) removed"
            yield pair.change(WEAKENING, message, where, contract=True)
    for level, (index, item) in new.items():
        if level not in old:
            message = f"escalation level {level} added: {shown(item.get('contact'))}"
            yield pair.change(STRENGTHENING, message, (*where, index), contract=True)
            continue
        before = old[level][1]
        if before.get("within") != item.get("within"):
            effect = _duration_effect(
                before.get("within"), item.get("within"), longer_is=WEAKENING
            )
            message = (
                f"escalation level {level}: response time changed from "
                f"{_duration(before.get('within'))} to {_duration(item.get('within'))}"
            )
            yield pair.change(effect, message, (*where, index, "within"), contract=True)
        if before.get("contact") != item.get("contact"):
            message = (
                f"escalation level {level}: contact changed from "
                f"{shown(before.get('contact'))} to {shown(item.get('contact'))}"
            )
            yield pair.change(
                NEUTRAL, message, (*where, index, "contact"), contract=True
            )


def _levels(value: Any) -> dict[Any, tuple[int, dict[str, Any]]]:
    levels = {}
    for index, item in enumerate(sequence(value)):
        if isinstance(item, dict):
            levels[item.get("level", index + 1)] = (index, item)
    return levels
