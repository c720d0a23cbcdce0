"""GitLab Code Quality report: a JSON list of issues for merge request widgets.

GitLab reads ``description``, ``check_name``, ``fingerprint``, ``severity``
(info, minor, major, critical or blocker) and ``location`` with a path
relative to the repository root and a first line. The format has no
notion of a suppressed issue, so waived and baselined findings are left
out; the JSON and SARIF reports keep them.
"""

from __future__ import annotations

import json
from typing import Any

from slacheck.findings import Finding, Severity
from slacheck.output import Report
from slacheck.output.ci import fingerprints, repo_path

_SEVERITIES = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFO: "info",
}


def render(report: Report) -> str:
    prints = fingerprints(report.findings)
    issues = [
        _issue(finding, prints[number])
        for number, finding in enumerate(report.findings)
        if not finding.suppressed
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "engine_name": "slacheck",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.message}",
        "categories": ["Bug Risk"],
        "severity": _SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": repo_path(finding.path) or finding.path,
            "lines": {"begin": max(finding.line, 1)},
        },
    }
