"""``slacheck rules``, ``explain`` and ``schema``: the rule catalogue and schemas."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from slacheck.console import UsageError
from slacheck.rules.base import all_rules, get_rule


def list_rules(fmt: str) -> str:
    rules = all_rules()
    if fmt == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "severity": str(r.severity),
                "summary": r.summary,
            }
            for r in rules
        ]
        return json.dumps(data, indent=2) + "\n"
    if fmt != "text":
        raise UsageError(f"--format {fmt!r} is invalid; use text or json")
    width = max(len(r.name) for r in rules)
    lines = [
        f"{r.code}  {r.name:<{width}}  {str(r.severity):<7}  {r.summary}" for r in rules
    ]
    return "\n".join(lines) + "\n"


def explain_rule(
    code: str, *, policies: Sequence[str] = (), config: Path | None = None
) -> str:
    """Return the documentation of a built-in code or a policy rule.

    Policy rules are looked for in the shipped pack, the config's policy
    folders and ``policies`` (from ``--policy``), as lint and evaluate
    load them. The config is read only for codes that are not built in.
    """
    found = get_rule(code.strip().upper())
    if found is not None:
        header = f"{found.code} {found.name} (default severity: {found.severity})"
        return f"{header}\n\n{found.doc}\n"
    for value in policies:
        if not Path(value).exists():
            raise UsageError(f"--policy {value!r} does not exist")
    paths, use_default = _policy_sources(policies, config)
    found_policy = _policy_rule_doc(code.strip(), paths, use_default)
    if found_policy is not None:
        return found_policy
    raise UsageError(
        f"unknown code {code!r}; 'slacheck rules' lists them, and policy rules "
        f"are read from the config's policies and --policy PATH{_problem(paths)}"
    )


def _policy_sources(
    policies: Sequence[str], config: Path | None
) -> tuple[list[str], bool]:
    """Return the policy paths and default-pack flag of the config plus ``policies``."""
    try:
        from slacheck.config import apply_config
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.config":
            raise
        return list(policies), True
    from slacheck.settings import LintSettings

    settings = LintSettings()
    apply_config(settings, config)
    return [*settings.policy_paths, *policies], settings.use_default_policies


def _problem(paths: list[str]) -> str:
    """Name the first problem of the user's policy files, which may hide a rule."""
    if not paths:
        return ""
    from slacheck.policies import load_policy_set

    findings = load_policy_set(paths, use_default=False).findings
    if not findings:
        return ""
    first = findings[0]
    return (
        f" (policy file {first.path}:{first.line} has a problem: {first.code} "
        f"{first.message})"
    )


def _policy_rule_doc(rule_id: str, paths: list[str], use_default: bool) -> str | None:
    try:
        from slacheck.policies import explain_policy_rule
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.policies":
            raise
        return None
    return explain_policy_rule(rule_id, paths, use_default)


def print_schema(kind: str, api_version: str) -> str:
    from slacheck.model import OPENSLO_KINDS, OPENSLO_V1, SLACHECK_KINDS, SLACHECK_V1
    from slacheck.schema import load_schema

    kinds = {SLACHECK_V1: SLACHECK_KINDS, OPENSLO_V1: OPENSLO_KINDS}.get(api_version)
    if kinds is None:
        raise UsageError(
            f"--api-version {api_version!r} is invalid; use slacheck/v1 or openslo/v1"
        )
    match = next((k for k in kinds if k.lower() == kind.strip().lower()), None)
    schema = load_schema(api_version, match) if match else None
    if schema is None:
        raise UsageError(
            f"no schema for kind {kind!r} in {api_version}; use one of {', '.join(kinds)}"
        )
    return json.dumps(schema, indent=2) + "\n"
