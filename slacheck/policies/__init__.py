"""Policies: organisation rules written in CEL, kept in ``kind: Policy`` documents.

A rule has an ``id``, a code such as ``POL001`` that shares one namespace
with slacheck's SC### codes, so ``--select``, ``--ignore`` and ``explain``
take it. It also has a ``severity`` and what it ``appliesTo``: a
definition kind, checked by ``slacheck lint``, or an evaluation result,
checked by ``slacheck evaluate``. An optional ``when`` guard, an ``assert``
condition that must hold and a ``message`` template complete it.

Entry points:

* :func:`definition_findings` runs definition rules during lint. It imports
  cel-python only when some loaded rule applies to definitions.
* :func:`result_findings` runs result rules on an evaluation.
* :func:`explain_policy_rule` returns a rule's documentation.

See docs/policies.md for the variables each kind of rule sees, and
:mod:`slacheck.policies.cel` for the limits that make untrusted rules safe
to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from slacheck.findings import Finding
from slacheck.policies.loader import load_policy_set
from slacheck.policies.model import PolicyRule, PolicySet

if TYPE_CHECKING:
    from slacheck.evaluation import Evaluation
    from slacheck.model import Catalog
    from slacheck.settings import LintSettings

DEFAULT_TIME_BUDGET = 0.5  # seconds; the same value as slacheck.policies.cel

__all__ = [
    "DEFAULT_TIME_BUDGET",
    "PolicyRule",
    "PolicySet",
    "definition_findings",
    "describe_rule",
    "explain_policy_rule",
    "load_policy_set",
    "result_findings",
]


def definition_findings(catalog: Catalog, settings: LintSettings) -> list[Finding]:
    """Apply definition rules from the default pack and ``settings.policy_paths``."""
    policies = load_policy_set(settings.policy_paths, settings.use_default_policies)
    # Waivers of result rules are left to evaluate (slacheck.waivers).
    settings.result_rule_ids = frozenset(r.id for r in policies.rules if r.for_results)
    rules = [r for r in policies.rules if not r.for_results]
    if not rules:
        return list(policies.findings)
    from slacheck.policies.runner import check_targets, compile_rules
    from slacheck.policies.targets import definition_targets

    compile_rules(policies, rules)
    targets = definition_targets(catalog)
    findings = check_targets(policies, targets, DEFAULT_TIME_BUDGET)
    return [*policies.findings, *findings]


def result_findings(
    evaluation: Evaluation,
    catalog: Catalog,
    policies: PolicySet,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> list[Finding]:
    """Apply result rules to every SLO, SLA and KPI result of ``evaluation``.

    Compile problems are added to ``policies.findings``; the returned list
    contains the rules' findings and the problems met while evaluating them.
    """
    rules = [r for r in policies.rules if r.for_results]
    if not rules:
        return []
    from slacheck.policies.runner import check_targets, compile_rules
    from slacheck.policies.targets import result_targets

    compile_rules(policies, rules)
    return check_targets(policies, result_targets(evaluation, catalog), time_budget)


def explain_policy_rule(
    rule_id: str, paths: Sequence[str] = (), use_default: bool = True
) -> str | None:
    """Return the documentation of a policy rule (by id or name), or None.

    The rule is looked for in the shipped pack (unless ``use_default`` is
    False) and in the policy files and folders ``paths``.
    """
    policies = load_policy_set(paths, use_default)
    requested = rule_id.strip()
    rule = policies.find(requested) or next(
        (r for r in policies.rules if r.name == requested.lower()), None
    )
    if rule is None:
        return None
    return describe_rule(rule)


def describe_rule(rule: PolicyRule) -> str:
    line = rule.document.position(rule.where)[0]
    lines = [
        f"{rule.id} {rule.name} (default severity: {rule.severity})",
        f"Policy {rule.document.name!r}, {rule.document.path}:{line}; "
        f"applies to {rule.applies_to}.",
        "",
    ]
    if rule.description:
        lines.extend([rule.description, ""])
    if rule.when is not None:
        lines.append(f"When:    {' '.join(rule.when.split())}")
    lines.append(f"Assert:  {' '.join(rule.assertion.split())}")
    lines.append(f"Message: {rule.message.strip()}")
    return "\n".join(lines) + "\n"
