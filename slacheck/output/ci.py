"""Helpers the CI report formats share: repository paths, fingerprints, rule docs."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from slacheck.baseline import meaning
from slacheck.findings import Finding, Severity

if TYPE_CHECKING:
    from slacheck.policies import PolicyRule


@cache
def repo_root() -> Path:
    """Return the repository root around the current folder (or the folder)."""
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def repo_path(path: str) -> str | None:
    """Return ``path`` relative to the repository root; None outside it."""
    absolute = Path(os.path.abspath(path))
    root = repo_root()
    if not absolute.is_relative_to(root):
        return None
    return absolute.relative_to(root).as_posix()


def fingerprint_input(finding: Finding) -> str:
    """Join what identifies a finding apart from its line and column.

    The field path and the key (or the message without numbers) describe
    what the finding is about, so an edit elsewhere in the file keeps it.
    """
    about = meaning(finding)
    where = repo_path(finding.path) or finding.path
    parts = (finding.code, where, finding.kind, finding.name, finding.field_path, about)
    return "\0".join(parts)


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Return one stable fingerprint per finding, unique within the report.

    Findings that agree on everything but their position are distinguished
    by their order in the file, which only an edit among them changes.
    """
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        text = fingerprint_input(finding)
        seen[text] += 1
        if seen[text] > 1:
            text += f"\0{seen[text]}"
        # A file name that is not valid UTF-8 reaches Python as surrogates.
        encoded = text.encode("utf-8", "surrogateescape")
        out.append(hashlib.sha256(encoded).hexdigest()[:32])
    return out


def active(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.suppressed]


@dataclass(frozen=True)
class RuleDoc:
    """A code's documentation as the report formats show it."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str

    @property
    def description(self) -> str:
        """Return the documentation between the summary and the examples."""
        body = self.doc.split("\n\n", 1)[1] if "\n\n" in self.doc else ""
        body = re.split(r"^(?:Failing|Passing) example:", body, maxsplit=1, flags=re.M)[
            0
        ]
        return " ".join(body.split()) or self.summary


def rule_docs(
    findings: Iterable[Finding],
    policy_paths: Sequence[str] = (),
    default_policies: bool = True,
) -> list[RuleDoc]:
    """Document every registered code and every other code in ``findings``.

    Other codes are policy rule ids, looked up in the shipped pack (unless
    ``default_policies`` is False) and ``policy_paths``, the policies the
    run read.
    """
    from slacheck.rules.base import all_rules

    docs = [RuleDoc(r.code, r.name, r.severity, r.summary, r.doc) for r in all_rules()]
    known = {d.code for d in docs}
    unregistered = []
    for finding in findings:
        if finding.code not in known:
            known.add(finding.code)
            unregistered.append(finding)
    if unregistered:
        policies = _policy_docs(policy_paths, default_policies)
        docs.extend(policies.get(f.code) or _bare(f) for f in unregistered)
    return docs


def _bare(finding: Finding) -> RuleDoc:
    """Describe a code that neither a rule nor a loaded policy documents."""
    code = finding.code
    return RuleDoc(code, code, finding.severity, code, code)


def _summary(rule: PolicyRule) -> str:
    """Return the first sentence of a policy rule's description, or its name."""
    text = " ".join(rule.description.split())
    if not text:
        return rule.name
    return text.split(". ", 1)[0].rstrip(".") + "."


def _policy_docs(paths: Sequence[str], use_default: bool) -> dict[str, RuleDoc]:
    """Return the documentation of every policy rule the run read, by id."""
    try:
        from slacheck.policies import describe_rule, load_policy_set
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.policies":
            raise
        return {}
    docs = {}
    for rule in load_policy_set(paths, use_default).rules:
        doc = describe_rule(rule).strip()
        docs[rule.id] = RuleDoc(rule.id, rule.name, rule.severity, _summary(rule), doc)
    return docs
