"""The variables each kind of policy rule receives, and checks of paths into them.

A schema maps a field to a type word, or to a nested schema. A trailing
``?`` marks a field that is absent when unknown (test it with ``has()``).
``any`` accepts every path below it: ``spec`` is the document's own spec.
docs/policies.md describes each field.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_PERIOD: Schema = {
    "name": "string",
    "service?": "string",
    "start": "string",
    "end": "string",
    "timeZone": "string",
    "asOf": "string",
    "running": "bool",
    "elapsed": "number",
    "days": "number",
}
_WINDOW: Schema = {
    "start": "string",
    "end": "string",
    "timeZone": "string",
    "running": "bool",
    "elapsed": "number",
    "days": "number",
    "rolling": "bool",
    "note?": "string",
}
_THRESHOLD: Schema = {"op?": "string", "threshold?": "number", "unit?": "string"}
_MEASURED: Schema = {
    "name": "string",
    "unit?": "string",
    "good?": "number",
    "bad?": "number",
    "total?": "number",
    "zeroTraffic": "string",
    "missingData": "string",
}
_DOCUMENT: Schema = {
    "name": "string",
    "owner?": "string",
    "version?": "string",
    "labels": "map",
    "spec": "any",
}

SLO_RESULT: Schema = {
    "slo": {
        "name": "string",
        "service": "string",
        "owner?": "string",
        "labels": "map",
        "budgetingMethod?": "string",
    },
    "objective": {"name": "string", "target": "number", **_THRESHOLD},
    "sli": _MEASURED,
    "result": {
        "status": "string",
        "judged": "bool",
        "met?": "bool",
        "attainment?": "number",
        "missingData?": "string",
        "notes": "list",
    },
    "budget": {
        "ratio": "number",
        "unit?": "string",
        "allowed?": "number",
        "consumed?": "number",
        "remaining?": "number",
        "consumedShare?": "number",
        "remainingShare?": "number",
        "burnRate?": "number",
        "pace?": "number",
        "allowedMinutes?": "number",
    },
    "window": _WINDOW,
    "snapshot": _PERIOD,
}

SLA_RESULT: Schema = {
    "sla": {
        "name": "string",
        "service": "string",
        "owner?": "string",
        "version?": "string",
        "labels": "map",
        "tiers": "list",
        "plans": "list",
        "effectiveDate?": "string",
    },
    "commitment": {
        "name": "string",
        "target": "number",
        "period": "string",
        "timeZone": "string",
        **_THRESHOLD,
    },
    "sli": _MEASURED,
    "result": {
        "status": "string",
        "judged": "bool",
        "met?": "bool",
        "breached": "bool",
        "attainment?": "number",
        "headroomPoints?": "number",
        "budgetUsed?": "number",
        "credit?": "number",
        "creditAlternative?": "number",
        "creditCapped": "bool",
        "creditBase?": "string",
        "creditText": "string",
        "claimDeadline?": "string",
        "excludedMinutes": "number",
        "missingData?": "string",
        "notes": "list",
    },
    "risk": {"level": "string", "worseningKpis": "list"},
    "history": {
        "periods": "number",
        "breaches": "number",
        "breachRate?": "number",
        "headroomPoints": "list",
    },
    "window": _WINDOW,
    "snapshot": _PERIOD,
}

KPI_RESULT: Schema = {
    "kpi": {
        "name": "string",
        "derived": "bool",
        "service?": "string",
        "unit": "string",
        "target?": "number",
        "direction?": "string",
        "owner?": "string",
        "leadingIndicatorFor": "list",
    },
    "result": {
        "status": "string",
        "value?": "number",
        "onTarget?": "bool",
        "previous?": "number",
        "change?": "number",
        "trend": "string",
        "notes": "list",
    },
    "window": _WINDOW,
    "snapshot": _PERIOD,
}

_SLO_OBJECTIVE: Schema = {"name": "string", "target?": "number", **_THRESHOLD}

DEFINITIONS: dict[str, Schema] = {
    "SLA": {
        "sla": {
            **_DOCUMENT,
            "service": "string",
            "tiers": "list",
            "plans": "list",
            "effectiveDate?": "string",
            "commitments": "list",
        }
    },
    "SLO": {
        "slo": {
            **_DOCUMENT,
            "service": "string",
            "budgetingMethod?": "string",
            "indicator?": "string",
            "rolling": "bool",
            "windowDays?": "number",
            "period?": "string",
            "timeZone?": "string",
            "target?": "number",
            "objectives": "list",
        }
    },
    "SLI": {
        "sli": {
            **_DOCUMENT,
            "service?": "string",
            "zeroTraffic": "string",
            "missingData": "string",
        }
    },
    "KPI": {
        "kpi": {
            **_DOCUMENT,
            "service?": "string",
            "unit?": "string",
            "target?": "number",
            "direction?": "string",
            "leadingIndicatorFor": "list",
        }
    },
    "Service": {"service": {**_DOCUMENT, "tiers": "list"}},
}

# Fields of each item in SLA commitments and SLO objectives lists (for the docs).
COMMITMENT_ITEM: Schema = {
    "name": "string",
    "target?": "number",
    "period": "string",
    "timeZone": "string",
    **_THRESHOLD,
    "slo?": {
        "name": "string",
        **_SLO_OBJECTIVE,
        "rolling": "bool",
        "windowDays?": "number",
    },
    "marginPoints?": "number",
    "budgetMultiple?": "number",
}
OBJECTIVE_ITEM: Schema = _SLO_OBJECTIVE

RESULTS: dict[str, Schema] = {
    "SLOResult": SLO_RESULT,
    "SLAResult": SLA_RESULT,
    "KPIResult": KPI_RESULT,
}
SCHEMAS: dict[str, Schema] = {**DEFINITIONS, **RESULTS}


def is_result(applies_to: str) -> bool:
    return applies_to in RESULTS


def field_schema(schema: Schema, name: str) -> tuple[Any, bool] | None:
    """Return (sub-schema, optional) for ``name``, or None when unknown."""
    if name in schema:
        return schema[name], False
    if f"{name}?" in schema:
        return schema[f"{name}?"], True
    return None


def check_path(applies_to: str, parts: list[str]) -> str:
    """Return '' when ``parts`` is a known variable path, else what is wrong."""
    schema: Any = SCHEMAS[applies_to]
    for depth, part in enumerate(parts):
        if schema in ("any", "map"):
            return ""
        if not isinstance(schema, dict):
            shown = ".".join(parts[:depth])
            return f"{shown} is a {schema}, with no field {part!r}"
        found = field_schema(schema, part)
        if found is None:
            where = ".".join(parts[:depth]) or applies_to
            names = ", ".join(sorted(k.rstrip("?") for k in schema))
            return f"{where} has no field {part!r} (it has {names})"
        schema = found[0]
    return ""


def check_value(applies_to: str, values: dict[str, Any]) -> str:
    """Return '' when test input ``values`` uses only known fields, else a problem."""
    return _check_mapping(SCHEMAS[applies_to], values, [])


def _check_mapping(schema: Schema, values: dict[str, Any], prefix: list[str]) -> str:
    for key, value in values.items():
        path = [*prefix, str(key)]
        found = field_schema(schema, str(key))
        if found is None:
            where = ".".join(prefix) or "the input"
            return f"{where} has no field {key!r}"
        sub = found[0]
        if isinstance(sub, dict):
            if not isinstance(value, dict):
                return f"{'.'.join(path)} must be a mapping"
            problem = _check_mapping(sub, value, path)
            if problem:
                return problem
    return ""
