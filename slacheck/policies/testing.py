"""``slacheck test``: run the test cases written beside policies.

A test file is a YAML file named ``*.test.yaml`` holding a ``tests`` list.
Each case gives the ``variables`` a rule receives (as docs/policies.md lists
them for the rule's ``appliesTo``) and the rule ids expected to ``fire``
and to stay ``silent``::

    tests:
      - name: budget burning at twice the pace
        variables:
          window: {running: true, elapsed: 0.4}
          budget: {pace: 2, consumedShare: 0.8}
          slo: {name: api-availability}
          objective: {name: availability, target: 0.999}
        fire: [POL001]
        silent: []

A case fails when a rule does the opposite, cannot be evaluated on its
variables, names a field its kind of rule does not have, or names a rule
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slacheck.discovery import discover
from slacheck.findings import Finding, Severity
from slacheck.policies.loader import TEST_PATTERNS, load_policy_set
from slacheck.policies.model import PolicyRule, PolicySet
from slacheck.policies.variables import check_value
from slacheck.yamlload import SourceDocument, load_file


@dataclass
class CaseResult:
    path: str
    line: int
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class TestRun:
    """Outcome of ``slacheck test``: cases, load findings and rule coverage."""

    cases: list[CaseResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    rules: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        errors = any(f.severity >= Severity.ERROR for f in self.findings)
        return errors or not self.cases or any(not c.passed for c in self.cases)


def run_tests(path: str, time_budget: float) -> TestRun:
    """Load the policies and test files under ``path`` and run every case."""
    from slacheck.policies.runner import compile_rules

    policies = load_policy_set([path], use_default=False)
    compile_rules(policies, policies.rules)
    run = TestRun(
        findings=list(policies.findings), rules=[r.id for r in policies.rules]
    )
    for file in _test_files(path):
        run.files.append(file)
        _run_file(file, policies, run, time_budget)
    return run


def _test_files(path: str) -> list[str]:
    candidates = discover([path], include=[f"**/{p}" for p in TEST_PATTERNS])
    return [
        c.path
        for c in candidates
        if c.path.endswith(tuple(p[1:] for p in TEST_PATTERNS))
    ]


def _run_file(path: str, policies: PolicySet, run: TestRun, time_budget: float) -> None:
    loaded = load_file(path, Path(path).read_bytes())
    run.findings.extend(loaded.findings)
    for source in loaded.documents:
        cases = source.data.get("tests") if isinstance(source.data, dict) else None
        if not isinstance(cases, list):
            line, column = source.line, source.column
            run.findings.append(
                Finding(
                    path,
                    line,
                    column,
                    "SC010",
                    "a policy test file needs a 'tests' list of cases",
                )
            )
            continue
        for index, case in enumerate(cases):
            run.cases.append(_run_case(source, index, case, policies, run, time_budget))


def _run_case(
    source: SourceDocument,
    index: int,
    case: Any,
    policies: PolicySet,
    run: TestRun,
    time_budget: float,
) -> CaseResult:
    line = source.position(("tests", index))[0]
    if not isinstance(case, dict):
        return CaseResult(
            source.path, line, f"case {index + 1}", ["a case must be a mapping"]
        )
    result = CaseResult(source.path, line, str(case.get("name") or f"case {index + 1}"))
    variables = case.get("variables")
    fire, silent = _ids(case.get("fire")), _ids(case.get("silent"))
    if not fire and not silent:
        result.problems.append("name rule ids under 'fire' or 'silent'")
    if not isinstance(variables, dict):
        result.problems.append("'variables' must be a mapping of the rule's variables")
        return result
    if result.problems:
        return result
    for rule_id, expected in [
        *((i, True) for i in fire),
        *((i, False) for i in silent),
    ]:
        problem = _check(rule_id, expected, variables, policies, time_budget)
        if problem:
            result.problems.append(problem)
        elif expected:
            run.fired.add(rule_id.upper())
        else:
            run.silent.add(rule_id.upper())
    return result


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _check(
    rule_id: str,
    expected: bool,
    variables: dict[str, Any],
    policies: PolicySet,
    time_budget: float,
) -> str:
    """Return '' when the rule does what the case expects, else the problem."""
    from slacheck.policies import cel
    from slacheck.policies.runner import Target, check_rule

    rule = policies.find(rule_id)
    if rule is None:
        return f"rule {rule_id!r} does not exist in the policies under test"
    if rule.broken:
        return f"{rule.label} does not compile (see its finding)"
    problem = check_value(rule.applies_to, variables)
    if problem:
        return f"variables do not fit {rule.applies_to} rules: {problem}"
    fired: list[str] = []

    def place(code: str, message: str, severity: Severity) -> Finding:
        fired.append(message)
        return Finding("", 0, 0, code, message, severity=severity)

    target = Target(rule.applies_to, "the test variables", variables, place)
    outcome = check_rule(policies, rule, target, cel.activation(variables), time_budget)
    rule.disabled = False
    if outcome is not None and outcome.code != rule.id:
        return outcome.message
    return _compare(rule, expected, fired)


def _compare(rule: PolicyRule, expected: bool, fired: list[str]) -> str:
    if expected and not fired:
        return f"{rule.id} was expected to fire but stayed silent"
    if not expected and fired:
        return f"{rule.id} was expected to stay silent but fired: {fired[0]}"
    return ""


def summary(run: TestRun) -> list[str]:
    """Return the closing lines: counts, and rules lacking a firing or silent case."""
    passed = sum(1 for c in run.cases if c.passed)
    failed = len(run.cases) - passed
    lines = [
        f"{passed} passed, {failed} failed ({len(run.rules)} rules, "
        f"{len(run.files)} test files)"
    ]
    if not run.cases:
        lines.append("no policy tests ran: add *.test.yaml files with a 'tests' list")
    untested_fire = [r for r in run.rules if r not in run.fired]
    untested_silent = [r for r in run.rules if r not in run.silent]
    if untested_fire:
        lines.append(
            f"rules with no passing case that fires: {', '.join(untested_fire)}"
        )
    if untested_silent:
        lines.append(
            f"rules with no passing case that stays silent: {', '.join(untested_silent)}"
        )
    return lines
