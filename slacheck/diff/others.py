"""Changes to SLOs, KPIs and every other kind, and to an SLA's envelope.

None of these change what a customer is promised, so they are neutral; the
messages still state which way an objective moved, because a looser SLO
shrinks the margin of every SLA it backs.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from slacheck.diff.model import NEUTRAL, Change
from slacheck.diff.pair import Pair, mapping, sequence, shown
from slacheck.objectives import Objective, slo_objectives
from slacheck.quantities import format_percent, to_decimal

# Generic changes listed per document before the rest is summed up.
MAX_GENERIC_CHANGES = 12


def envelope_changes(pair: Pair) -> Iterator[Change]:
    """Version, dates and description of an SLA."""
    old = pair.base.data if pair.base else {}
    new = pair.head.data if pair.head else {}
    fields = (
        (("metadata", "version"), "version", False),
        (("metadata", "owner"), "owner", False),
        (("spec", "service"), "service", False),
        (("spec", "description"), "description", False),
        (("spec", "effectiveDate"), "effective date", True),
        (("spec", "expiryDate"), "expiry date", True),
    )
    for where, label, contract in fields:
        before, after = _get(old, where), _get(new, where)
        if before != after:
            message = f"{label} changed from {shown(before)} to {shown(after)}"
            yield pair.change(NEUTRAL, message, where, contract=contract)


def _get(data: Any, where: tuple[str, ...]) -> Any:
    for key in where:
        data = mapping(data).get(key)
    return data


def slo_changes(pair: Pair) -> Iterator[Change]:
    assert pair.base is not None and pair.head is not None
    old = _objectives(slo_objectives(pair.base))
    new = _objectives(slo_objectives(pair.head))
    for name in old:
        if name not in new:
            yield pair.change(
                NEUTRAL, f"objective {name!r} removed", ("spec", "objectives")
            )
    for name, objective in new.items():
        if name not in old:
            message = f"objective {name!r} added: {_objective_words(objective)}"
            yield pair.change(NEUTRAL, message, objective.where)
        else:
            yield from _objective_changes(pair, name, old[name], objective)
    spec_old, spec_new = pair.base.spec, pair.head.spec
    for key, label in (
        ("timeWindow", "window"),
        ("indicatorRef", "indicator"),
        ("budgetingMethod", "budgeting method"),
    ):
        if spec_old.get(key) != spec_new.get(key):
            before, after = _brief(spec_old.get(key)), _brief(spec_new.get(key))
            message = f"{label} changed from {before} to {after}"
            yield pair.change(NEUTRAL, message, ("spec", key))


def _objectives(items: list[Objective]) -> dict[str, Objective]:
    return {item.name or f"#{index + 1}": item for index, item in enumerate(items)}


def _objective_words(objective: Objective) -> str:
    text = format_percent(objective.target) if objective.target is not None else "?"
    if objective.threshold is not None:
        text += f" {objective.threshold.op} {objective.threshold.text}"
    return text


def _objective_changes(
    pair: Pair, name: str, old: Objective, new: Objective
) -> Iterator[Change]:
    if old.target != new.target and old.target is not None and new.target is not None:
        if new.target < old.target:
            tail = "looser, so every SLA it backs has less margin"
            verb = "lowered"
        else:
            tail = "tighter, so every SLA it backs has more margin"
            verb = "raised"
        message = (
            f"objective {name!r}: target {verb} from {format_percent(old.target)} "
            f"to {format_percent(new.target)} ({tail})"
        )
        yield pair.change(NEUTRAL, message, (*new.where, "target"))
    if _threshold_text(old) != _threshold_text(new):
        before, after = _threshold_text(old) or "none", _threshold_text(new) or "none"
        message = f"objective {name!r}: threshold changed from {before} to {after}"
        yield pair.change(NEUTRAL, message, (*new.where, "value"))


def _threshold_text(objective: Objective) -> str:
    threshold = objective.threshold
    return "" if threshold is None else f"{threshold.op} {threshold.text}"


def kpi_changes(pair: Pair) -> Iterator[Change]:
    assert pair.base is not None and pair.head is not None
    old, new = pair.base.spec, pair.head.spec
    if old.get("target") != new.get("target"):
        yield pair.change(NEUTRAL, _kpi_target_message(old, new), ("spec", "target"))
    for key, label in (
        ("direction", "direction"),
        ("unit", "unit"),
        ("metric", "metric"),
        ("source", "source"),
        ("reviewCadence", "review cadence"),
    ):
        if old.get(key) != new.get(key):
            message = (
                f"{label} changed from {shown(old.get(key))} to {shown(new.get(key))}"
            )
            yield pair.change(NEUTRAL, message, ("spec", key))
    if pair.base.metadata.get("owner") != pair.head.metadata.get("owner"):
        before, after = pair.base.metadata.get("owner"), pair.head.metadata.get("owner")
        yield pair.change(
            NEUTRAL,
            f"owner changed from {shown(before)} to {shown(after)}",
            ("metadata", "owner"),
        )
    yield from _leading(
        pair,
        sequence(old.get("leadingIndicatorFor")),
        sequence(new.get("leadingIndicatorFor")),
    )


def _kpi_target_message(old: dict[str, Any], new: dict[str, Any]) -> str:
    before, after = old.get("target"), new.get("target")
    message = f"target changed from {_brief(before)} to {_brief(after)}"
    old_value, new_value = _kpi_number(before), _kpi_number(after)
    direction = new.get("direction")
    if (
        old_value is None
        or new_value is None
        or direction not in ("lowerIsBetter", "higherIsBetter")
    ):
        return message
    looser = (
        new_value > old_value if direction == "lowerIsBetter" else new_value < old_value
    )
    return message + (" (looser)" if looser else " (tighter)")


def _kpi_number(value: Any) -> Decimal | None:
    """Read a KPI target: a number, or a percentage such as ``15%``."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            return Decimal(value[:-1])
        except InvalidOperation:
            return None
    return to_decimal(value)


def _leading(pair: Pair, old: list[Any], new: list[Any]) -> Iterator[Change]:
    where = ("spec", "leadingIndicatorFor")
    for name in new:
        if name not in old:
            yield pair.change(
                NEUTRAL, f"now a leading indicator for SLA {shown(name)}", where
            )
    for name in old:
        if name not in new:
            yield pair.change(
                NEUTRAL, f"no longer a leading indicator for SLA {shown(name)}", where
            )


def generic_changes(pair: Pair) -> Iterator[Change]:
    """List changed fields of any other kind, policies by rule id."""
    assert pair.base is not None and pair.head is not None
    if pair.kind == "Policy":
        yield from _policy_changes(pair)
        return
    old, new = _leaves(pair.base.data), _leaves(pair.head.data)
    missing = object()
    paths = sorted(
        (p for p in {*old, *new} if old.get(p, missing) != new.get(p, missing)), key=str
    )
    for where in paths[:MAX_GENERIC_CHANGES]:
        label = ".".join(str(part) for part in where)
        if where not in old:
            message = f"{label} added: {_brief(new[where])}"
        elif where not in new:
            message = f"{label} removed (was {_brief(old[where])})"
        else:
            message = (
                f"{label} changed from {_brief(old[where])} to {_brief(new[where])}"
            )
        yield pair.change(NEUTRAL, message, where)
    if len(paths) > MAX_GENERIC_CHANGES:
        more = len(paths) - MAX_GENERIC_CHANGES
        yield pair.change(NEUTRAL, f"and {more} more changed fields", ())


def _leaves(
    data: Any, prefix: tuple[str | int, ...] = ()
) -> dict[tuple[str | int, ...], Any]:
    if isinstance(data, dict):
        found: dict[tuple[str | int, ...], Any] = {}
        for key, value in data.items():
            found.update(_leaves(value, (*prefix, str(key))))
        return found
    if isinstance(data, list):
        found = {}
        for index, value in enumerate(data):
            found.update(_leaves(value, (*prefix, index)))
        return found
    return {prefix: data}


def _policy_changes(pair: Pair) -> Iterator[Change]:
    assert pair.base is not None and pair.head is not None
    old = _rules(pair.base.spec.get("rules"))
    new = _rules(pair.head.spec.get("rules"))
    for rule_id in old:
        if rule_id not in new:
            yield pair.change(
                NEUTRAL, f"policy rule {rule_id!r} removed", ("spec", "rules")
            )
    for rule_id, (index, rule) in new.items():
        where = ("spec", "rules", index)
        if rule_id not in old:
            yield pair.change(NEUTRAL, f"policy rule {rule_id!r} added", where)
            continue
        changed = sorted(
            k
            for k in {*rule, *old[rule_id][1]}
            if rule.get(k) != old[rule_id][1].get(k)
        )
        if changed:
            message = f"policy rule {rule_id!r}: {', '.join(changed)} changed"
            yield pair.change(NEUTRAL, message, where)


def _rules(value: Any) -> dict[str, tuple[int, dict[str, Any]]]:
    found = {}
    for index, item in enumerate(sequence(value)):
        if isinstance(item, dict):
            found[str(item.get("id", f"#{index + 1}"))] = (index, item)
    return found


def _brief(value: Any) -> str:
    """Quote a value in at most 60 characters."""
    text = shown(value) if not isinstance(value, (dict, list)) else _compact(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _compact(value: Any) -> str:
    import json

    return json.dumps(value, default=str, sort_keys=True)
