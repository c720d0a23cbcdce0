"""The SLA's clauses other than commitments, in plain words."""

from __future__ import annotations

from typing import Any

from slacheck.report.model import Clause
from slacheck.report.words import (
    CLAIM_ANCHOR_WORDS,
    EXCLUSION_WORDS,
    counted_things,
    duration_words,
)


def _mapping(spec: dict[str, Any], key: str) -> dict[str, Any]:
    value = spec.get(key)
    return value if isinstance(value, dict) else {}


def _sequence(spec: dict[str, Any], key: str) -> list[Any]:
    value = spec.get(key)
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def customers_clause(spec: dict[str, Any]) -> Clause:
    customers = _mapping(spec, "customers")
    clause = Clause("Customers covered")
    if customers.get("party"):
        clause.lines.append(("Party", _text(customers["party"])))
    for key, label in (("tiers", "Tiers"), ("plans", "Plans")):
        values = customers.get(key)
        if isinstance(values, list) and values:
            clause.lines.append((label, ", ".join(_text(v) for v in values)))
    if not clause.lines:
        clause.missing = "The SLA does not say which customers it covers."
    return clause


def measurement_clause(spec: dict[str, Any]) -> Clause:
    measurement = _mapping(spec, "measurement")
    clause = Clause("How it is measured")
    if not measurement:
        clause.missing = "The SLA does not say how attainment is measured."
        return clause
    if measurement.get("source"):
        clause.lines.append(("Source of truth", _text(measurement["source"])))
    clause.lines.append(("Counted in", counted_things(measurement)))
    if measurement.get("bad"):
        clause.lines.append(("Counts as bad", _text(measurement["bad"])))
    low = _mapping(measurement, "lowTraffic")
    if low:
        clause.lines.append(("Low traffic", _low_traffic(low, measurement)))
    if measurement.get("description"):
        clause.lines.append(("Also", _text(measurement["description"])))
    return clause


def _low_traffic(low: dict[str, Any], measurement: dict[str, Any]) -> str:
    unit = "An interval" if measurement.get("unit") == "interval" else "A period"
    treat = {
        "good": "counts as good",
        "bad": "counts as bad",
        "excluded": "is left out of the calculation",
    }.get(_text(low.get("treatAs")), f"is treated as {_text(low.get('treatAs'))!r}")
    return f"{unit} with fewer than {_text(low.get('minimumEvents'))} requests {treat}"


def exclusions_clause(spec: dict[str, Any]) -> Clause:
    clause = Clause("Exclusions")
    for item in _sequence(spec, "exclusions"):
        if isinstance(item, dict):
            clause.items.append(_exclusion(item))
    if "exclusions" not in spec:
        clause.missing = "The SLA lists no exclusions."
    elif not clause.items:
        clause.missing = "The SLA excludes nothing: every minute of downtime counts."
    return clause


def _exclusion(item: dict[str, Any]) -> str:
    kind = _text(item.get("type"))
    text = EXCLUSION_WORDS.get(kind, kind)
    if item.get("description"):
        text += f": {_text(item['description'])}"
    details = []
    if item.get("noticePeriod"):
        details.append(f"notice at least {duration_words(item['noticePeriod'])} ahead")
    if item.get("maxPerPeriod"):
        details.append(f"at most {duration_words(item['maxPerPeriod'])} per period")
    if details:
        text += f" ({'; '.join(details)})"
    return text


def other_remedies_clause(spec: dict[str, Any], paid_for: set[int]) -> Clause:
    """Return remedies that no commitment section shows (all but matched credits)."""
    clause = Clause("Other remedies")
    for index, item in enumerate(_sequence(spec, "remedies")):
        if index in paid_for or not isinstance(item, dict):
            continue
        clause.items.append(_remedy(item))
    if not _sequence(spec, "remedies"):
        clause.missing = "The SLA promises no remedy when a commitment is missed."
    return clause


def _remedy(item: dict[str, Any]) -> str:
    kind = _text(item.get("type"))
    about = f" (for {_text(item['commitment'])!r})" if item.get("commitment") else ""
    if kind == "termination":
        text = "Termination right"
        if item.get("breaches"):
            text += f": after {_text(item['breaches'])} breached periods"
        if item.get("within"):
            text += f" within {duration_words(item['within'])}"
    elif kind == "serviceCredit":
        text = "Service credit for no commitment in this SLA"
    else:
        text = "Remedy"
    text += about
    if item.get("description"):
        text += f". {_text(item['description'])}"
    return text


def claims_clause(spec: dict[str, Any]) -> Clause:
    claims = _mapping(spec, "claims")
    clause = Clause("How a customer claims")
    if not claims:
        clause.missing = "The SLA does not say how a customer claims a credit."
        return clause
    if claims.get("channel"):
        clause.lines.append(("Channel", _text(claims["channel"])))
    clause.lines.append(
        ("Deadline", claim_deadline_words(_mapping(claims, "deadline")))
    )
    evidence = claims.get("evidence")
    if isinstance(evidence, list) and evidence:
        clause.items_title = "Evidence required"
        clause.items.extend(_text(item) for item in evidence)
    if claims.get("creditApplied"):
        clause.lines.append(("Credit paid as", _text(claims["creditApplied"])))
    return clause


def claim_deadline_words(deadline: dict[str, Any]) -> str:
    within, anchor = deadline.get("within"), deadline.get("after")
    if not within:
        return "not stated"
    anchor_words = CLAIM_ANCHOR_WORDS.get(_text(anchor), "an unstated starting point")
    return f"within {duration_words(within)} after {anchor_words}"


def escalation_clause(spec: dict[str, Any]) -> Clause:
    clause = Clause("Escalation")
    steps = [s for s in _sequence(spec, "escalation") if isinstance(s, dict)]
    for step in sorted(steps, key=lambda s: _level(s.get("level"))):
        text = f"Level {_text(step.get('level'))}: {_text(step.get('contact'))}"
        if step.get("within"):
            text += f", within {duration_words(step['within'])}"
        clause.items.append(text)
    if not clause.items:
        clause.missing = "The SLA names no escalation path."
    return clause


def _level(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
