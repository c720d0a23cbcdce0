"""Find and read policy files: the shipped default pack plus folders a user names."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from slacheck.findings import Finding
from slacheck.policies.model import PolicySet, read_rules
from slacheck.resources import policies_dir

log = logging.getLogger(__name__)

# Policy tests sit beside the policies they test but are not policy files.
TEST_PATTERNS = ("*.test.yaml", "*.test.yml")


def policy_sources(paths: Iterable[str], use_default: bool) -> list[str]:
    sources = [str(policies_dir())] if use_default else []
    return [*sources, *paths]


def load_policy_set(paths: Iterable[str], use_default: bool = True) -> PolicySet:
    """Read every Policy document under the default pack and ``paths``.

    Documents of other kinds in these folders are ignored; load problems
    (YAML, schema) and id collisions become the set's findings.
    """
    from slacheck.lint import load_definitions

    sources = policy_sources(paths, use_default)
    loaded = load_definitions(sources, exclude=TEST_PATTERNS)
    policies = PolicySet(texts=dict(loaded.texts), files=list(loaded.files))
    documents = list(loaded.catalog.of_kind("Policy"))
    policy_files = {d.path for d in documents}
    other_files = {d.path for d in loaded.catalog.documents} - policy_files
    # Definitions that sit in a policy folder are linted on their own, not here.
    policies.findings.extend(f for f in loaded.findings if f.path not in other_files)
    policies.findings.extend(_empty_sources(paths, policy_files))
    read_rules(documents, policies)
    log.info(
        "loaded %d policy rules from %d files", len(policies.rules), len(loaded.files)
    )
    return policies


def _empty_sources(paths: Iterable[str], policy_files: set[str]) -> list[Finding]:
    """Report each user-named policy path that yielded no Policy document."""
    from slacheck.discovery import display_path

    findings = []
    for path in paths:
        shown = display_path(Path(path))
        prefix = "" if shown == "." else shown.rstrip("/") + "/"
        if any(f == shown or f.startswith(prefix) for f in policy_files):
            continue
        message = (
            f"policy path {shown!r} contains no 'kind: Policy' document "
            "(apiVersion slacheck/v1); check the path and the files' kind"
        )
        findings.append(Finding(shown, 1, 1, "SC717", message))
    return findings
