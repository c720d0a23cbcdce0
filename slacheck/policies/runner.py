"""Apply compiled policy rules to targets and turn the outcomes into findings.

A rule fires (a finding with the rule's id, severity and message) where its
guard is true and its assertion false. A rule that cannot be evaluated on
a target (missing field, type mismatch, division by zero, a result that is
not a bool) gives an SC704 finding at the expression in the policy file,
naming the target; the other rules and targets still run. A rule that runs
past its time budget gives SC703 and is skipped for the rest of the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slacheck.findings import Finding, Severity
from slacheck.policies.locate import offset_of
from slacheck.policies.model import PolicyRule, PolicySet
from slacheck.policies.reach import Reach, merge
from slacheck.policies.template import render

if TYPE_CHECKING:
    from slacheck.policies.cel import Watch

log = logging.getLogger(__name__)

# Builds the finding for a rule that fires: (code, message, severity) -> Finding.
Place = Callable[[str, str, Severity], Finding]


@dataclass
class Target:
    """One thing rules are checked against: its variables and where findings go."""

    applies_to: str
    label: str
    facts: dict[str, Any]
    place: Place


def compile_rules(policies: PolicySet, rules: list[PolicyRule]) -> None:
    """Compile each rule's expressions once; a rule that fails is marked broken."""
    from slacheck.policies import cel

    for rule in rules:
        if rule.programs or rule.broken:
            continue
        for field, text in rule.expressions():
            try:
                rule.programs[field] = cel.compile_expression(text)
            except cel.CompileProblem as problem:
                rule.broken = True
                offset = offset_of(text, problem.line, problem.column)
                message = f"{rule.label}: {problem}"
                policies.findings.append(
                    policies.problem(
                        rule, (field,), problem.code, message, offset, text
                    )
                )
                break


def check_targets(
    policies: PolicySet, targets: list[Target], time_budget: float
) -> list[Finding]:
    """Check every compiled rule against the targets of its kind."""
    from slacheck.policies import cel

    findings: list[Finding] = []
    kinds: dict[str, tuple[list[PolicyRule], Reach]] = {}
    with cel.Watch() as watch:
        for target in targets:
            findings.extend(_check_target(policies, target, kinds, time_budget, watch))
    return findings


def _check_target(
    policies: PolicySet,
    target: Target,
    kinds: dict[str, tuple[list[PolicyRule], Reach]],
    time_budget: float,
    watch: Watch,
) -> list[Finding]:
    """Check the rules of the target's kind, which ``kinds`` keeps by kind."""
    from slacheck.policies import cel

    if target.applies_to not in kinds:
        kinds[target.applies_to] = _rules_of_kind(policies, target.applies_to)
    rules, reach = kinds[target.applies_to]
    if not rules:
        return []
    # Convert each target once, only the fields that some rule of its kind reads.
    activation = cel.activation(target.facts, reach)
    findings: list[Finding] = []
    for rule in rules:
        if rule.disabled:
            continue
        finding = check_rule(policies, rule, target, activation, time_budget, watch)
        if finding is not None:
            findings.append(finding)
    return findings


def _rules_of_kind(
    policies: PolicySet, applies_to: str
) -> tuple[list[PolicyRule], Reach]:
    rules = [r for r in policies.for_kind(applies_to) if r.programs]
    reach: Reach = {}
    for rule in rules:
        for program in rule.programs.values():
            merge(reach, program.reach)
    return rules, reach


def check_rule(
    policies: PolicySet,
    rule: PolicyRule,
    target: Target,
    activation: dict[str, Any],
    time_budget: float,
    watch: Watch | None = None,
) -> Finding | None:
    """Return the rule's finding on this target, or a finding about the rule itself."""
    from slacheck.policies import cel

    for field in ("when", "assert"):
        program = rule.programs.get(field)
        if program is None:
            continue
        text = rule.when if field == "when" else rule.assertion
        assert text is not None
        try:
            value = cel.run(program, activation, time_budget, watch)
        except cel.RuleTimeout:
            rule.disabled = True
            message = (
                f"{rule.label} ran past its time budget of {time_budget:g} s on "
                f"{target.label}; it is skipped for the rest of the run"
            )
            return policies.problem(rule, (field,), "SC703", message)
        except cel.EvaluationProblem as problem:
            return _evaluation_problem(policies, rule, target, field, text, problem)
        if not isinstance(value, bool):
            wrong_type = cel.EvaluationProblem(
                f"'{field}' must give true or false, not {cel.describe_value(value)}"
            )
            return _evaluation_problem(policies, rule, target, field, text, wrong_type)
        if field == "when" and not value:
            return None
        if field == "assert" and value:
            return None
    return target.place(rule.id, render(rule.message, target.facts), rule.severity)


def _evaluation_problem(
    policies: PolicySet,
    rule: PolicyRule,
    target: Target,
    field: str,
    text: str,
    problem: Any,
) -> Finding:
    offset = None
    if problem.line is not None and problem.column is not None:
        offset = offset_of(text, problem.line, problem.column)
    message = f"{rule.label} failed on {target.label}: {problem}"
    log.debug("%s", message)
    return policies.problem(rule, (field,), "SC704", message, offset, text)
