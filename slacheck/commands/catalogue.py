"""``slacheck rules``, ``explain`` and ``schema``: the rule catalogue and schemas."""

from __future__ import annotations

import json

from slacheck.cli import UsageError
from slacheck.rules.base import all_rules, get_rule


def list_rules(fmt: str) -> str:
    rules = all_rules()
    if fmt == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": str(r.severity), "summary": r.summary}
            for r in rules
        ]
        return json.dumps(data, indent=2) + "\n"
    if fmt != "text":
        raise UsageError(f"--format {fmt!r} is invalid; use text or json")
    width = max(len(r.name) for r in rules)
    lines = [f"{r.code}  {r.name:<{width}}  {str(r.severity):<7}  {r.summary}" for r in rules]
    return "\n".join(lines) + "\n"


def explain_rule(code: str) -> str:
    found = get_rule(code.strip().upper())
    if found is None:
        found_policy = _policy_rule_doc(code.strip())
        if found_policy is not None:
            return found_policy
        raise UsageError(f"unknown code {code!r}; 'slacheck rules' lists them")
    header = f"{found.code} {found.name} (default severity: {found.severity})"
    return f"{header}\n\n{found.doc}\n"


def _policy_rule_doc(rule_id: str) -> str | None:
    try:
        from slacheck.policies import explain_policy_rule
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.policies":
            raise
        return None
    return explain_policy_rule(rule_id)


def print_schema(kind: str, api_version: str) -> str:
    from slacheck.model import OPENSLO_KINDS, OPENSLO_V1, SLACHECK_KINDS, SLACHECK_V1
    from slacheck.schema import load_schema

    kinds = {SLACHECK_V1: SLACHECK_KINDS, OPENSLO_V1: OPENSLO_KINDS}.get(api_version)
    if kinds is None:
        raise UsageError(f"--api-version {api_version!r} is invalid; use slacheck/v1 or openslo/v1")
    match = next((k for k in kinds if k.lower() == kind.strip().lower()), None)
    schema = load_schema(api_version, match) if match else None
    if schema is None:
        raise UsageError(f"no schema for kind {kind!r} in {api_version}; use one of {', '.join(kinds)}")
    return json.dumps(schema, indent=2) + "\n"
