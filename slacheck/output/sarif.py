"""SARIF 2.1.0, the format GitHub code scanning and other viewers import.

Every registered code is listed as a rule with its documentation as help
text. Each result points at its file relative to the repository root
(``%SRCROOT%``) and carries a ``partialFingerprints`` entry that ignores
line numbers, so viewers keep tracking an alert when unrelated lines move.
Waived and baselined findings stay in the log with ``suppressions``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from slacheck import __version__
from slacheck.findings import Finding, Severity
from slacheck.output import Report
from slacheck.output.ci import RuleDoc, fingerprints, repo_path, repo_root, rule_docs

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT_ID = "%SRCROOT%"
FINGERPRINT_KEY = "slacheckFinding/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# slacheck's suppression kinds mapped to SARIF's, which record where a
# suppression is kept: in the source file or outside it.
_SUPPRESSION_KINDS = {"inline-waiver": "inSource"}


def render(report: Report) -> str:
    docs = rule_docs(report.findings, report.policy_paths, report.default_policies)
    index = {doc.code: position for position, doc in enumerate(docs)}
    prints = fingerprints(report.findings)
    results = [
        _result(finding, index[finding.code], prints[number])
        for number, finding in enumerate(report.findings)
    ]
    run: dict[str, Any] = {
        "tool": {"driver": _driver(docs)},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {ROOT_ID: {"uri": repo_root().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _driver(docs: Sequence[RuleDoc]) -> dict[str, Any]:
    return {
        "name": "slacheck",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(doc) for doc in docs],
    }


def _rule(doc: RuleDoc) -> dict[str, Any]:
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.description},
        "help": {"text": doc.doc, "markdown": doc.doc},
        "defaultConfiguration": {"level": _LEVELS[doc.severity]},
    }


def _invocation(report: Report) -> dict[str, Any]:
    return {
        "executionSuccessful": True,
        "properties": {"command": report.tool, "failOn": str(report.fail_on)},
    }


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    properties = {"severity": str(finding.severity)}
    for name, value in (
        ("kind", finding.kind),
        ("name", finding.name),
        ("field", finding.field_path),
    ):
        if value:
            properties[name] = value
    result["properties"] = properties
    if finding.suppression is not None:
        result["suppressions"] = [_suppression(finding)]
    return result


def _location(finding: Finding) -> dict[str, Any]:
    inside = repo_path(finding.path)
    if inside is not None:
        artifact = {"uri": quote(inside), "uriBaseId": ROOT_ID}
    else:
        artifact = {"uri": _file_uri(finding.path)}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if finding.line > 0:
        region = {"startLine": finding.line}
        if finding.column > 0:
            region["startColumn"] = finding.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.kind or finding.name:
        qualified = f"{finding.kind}/{finding.name}{(finding.field_path or '$')[1:]}"
        location["logicalLocations"] = [
            {"name": finding.name, "fullyQualifiedName": qualified, "kind": "object"}
        ]
    return location


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).resolve().as_uri()


def _suppression(finding: Finding) -> dict[str, Any]:
    suppression = finding.suppression
    assert suppression is not None
    entry: dict[str, Any] = {
        "kind": _SUPPRESSION_KINDS.get(suppression.kind, "external"),
        "status": "accepted",
        "justification": suppression.reason,
    }
    properties = {"slacheckKind": suppression.kind}
    if suppression.owner:
        properties["owner"] = suppression.owner
    if suppression.expires:
        properties["expires"] = suppression.expires
    entry["properties"] = properties
    return entry
