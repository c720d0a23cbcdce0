"""Policy rules read from ``kind: Policy`` documents, before any CEL is compiled.

Reading rules needs no CEL library, so a lint run whose policies hold only
result rules never imports cel-python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from slacheck.findings import Finding, Severity, format_field
from slacheck.model import Document
from slacheck.policies.locate import locate
from slacheck.policies.template import check_template
from slacheck.policies.variables import is_result
from slacheck.rules.base import CODE_PATTERN, get_rule
from slacheck.yamlload import FieldPath

_BUILT_IN_STYLE = re.compile(r"SC[0-9]+\Z")


@dataclass
class PolicyRule:
    """One rule of a policy document; ``programs`` is filled by the CEL compiler."""

    id: str
    name: str
    severity: Severity
    applies_to: str
    assertion: str
    message: str
    document: Document
    index: int
    when: str | None = None
    description: str = ""
    programs: dict[str, Any] = field(default_factory=dict)
    broken: bool = False
    disabled: bool = False

    @property
    def where(self) -> FieldPath:
        return ("spec", "rules", self.index)

    @property
    def for_results(self) -> bool:
        return is_result(self.applies_to)

    @property
    def label(self) -> str:
        return f"policy rule {self.id} ({self.name})"

    def expressions(self) -> list[tuple[str, str]]:
        """Return (field, CEL text) pairs: the guard first, then the assertion."""
        pairs = [("assert", self.assertion)]
        if self.when is not None:
            pairs.insert(0, ("when", self.when))
        return pairs


@dataclass
class PolicySet:
    """Rules from every policy file of a run, with the file texts for positions."""

    rules: list[PolicyRule] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def for_kind(self, applies_to: str) -> list[PolicyRule]:
        return [r for r in self.rules if r.applies_to == applies_to and not r.broken]

    def find(self, rule_id: str) -> PolicyRule | None:
        requested = rule_id.strip().upper()
        return next((r for r in self.rules if r.id == requested), None)

    def problem(
        self,
        rule: PolicyRule,
        parts: FieldPath,
        code: str,
        message: str,
        offset: int | None = None,
        value: str = "",
    ) -> Finding:
        """Build a finding at a rule's field, or at ``offset`` inside its text."""
        line, column = rule.document.position((*rule.where, *parts))
        text = self.texts.get(rule.document.path)
        if offset is not None and text is not None:
            line, column = locate(text, (line, column), value, offset)
        return Finding(
            rule.document.path,
            line,
            column,
            code,
            message,
            severity=Severity.ERROR,
            kind="Policy",
            name=rule.document.name,
            field_path=format_field((*rule.where, *parts)),
            key=f"{rule.id}:{'.'.join(str(p) for p in parts)}:{message}",
        )


def read_rules(documents: list[Document], policies: PolicySet) -> None:
    """Read the rules of valid Policy documents, reporting id collisions."""
    seen: dict[str, PolicyRule] = {}
    for document in documents:
        if document.kind != "Policy" or not document.valid:
            continue
        for index, raw in enumerate(document.spec.get("rules") or []):
            rule = _rule(raw, document, index)
            problem = _id_problem(rule, seen)
            if problem:
                policies.findings.append(
                    policies.problem(rule, ("id",), "SC705", problem)
                )
                continue
            seen[rule.id] = rule
            _check_message(rule, policies)
            policies.rules.append(rule)


def _rule(raw: dict[str, Any], document: Document, index: int) -> PolicyRule:
    when = raw.get("when")
    return PolicyRule(
        id=str(raw["id"]),
        name=str(raw["name"]),
        severity=Severity.parse(str(raw["severity"])),
        applies_to=str(raw["appliesTo"]),
        assertion=str(raw["assert"]),
        message=str(raw["message"]),
        document=document,
        index=index,
        when=when if isinstance(when, str) else None,
        description=str(raw.get("description", "")).strip(),
    )


def _id_problem(rule: PolicyRule, seen: dict[str, PolicyRule]) -> str:
    if CODE_PATTERN.match(rule.id) or _BUILT_IN_STYLE.match(rule.id):
        built_in = get_rule(rule.id)
        owner = "slacheck's own codes"
        if built_in is not None:
            owner = f"the built-in rule {built_in.name}"
        return (
            f"policy rule id {rule.id!r} collides with {owner}; SC followed by digits is "
            "reserved, so choose an id with your own prefix, such as ACME001"
        )
    if rule.id in seen:
        first = seen[rule.id]
        line = first.document.position((*first.where, "id"))[0]
        return (
            f"policy rule id {rule.id!r} is already used by rule {first.name!r} "
            f"({first.document.path}:{line}); ids must be unique"
        )
    return ""


def _check_message(rule: PolicyRule, policies: PolicySet) -> None:
    problem = check_template(rule.message, rule.applies_to)
    if problem is None:
        return
    rule.broken = True
    message = f"invalid message template in {rule.label}: {problem.message}"
    policies.findings.append(
        policies.problem(
            rule, ("message",), "SC706", message, problem.offset, rule.message
        )
    )
