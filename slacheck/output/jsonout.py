"""JSON: every finding with its position, document and field path."""

from __future__ import annotations

import json
from typing import Any

from slacheck import __version__
from slacheck.output import Report, summary_line


def render(report: Report) -> str:
    document: dict[str, Any] = {
        "tool": {"name": "slacheck", "version": __version__, "command": report.tool},
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": len(report.files),
            "errors": _count(report, "error"),
            "warnings": _count(report, "warning"),
            "suppressed": sum(1 for f in report.findings if f.suppressed),
            "text": summary_line(report),
        },
    }
    document.update(report.extra)
    return json.dumps(document, indent=2, default=str) + "\n"


def _count(report: Report, severity: str) -> int:
    return sum(1 for f in report.findings if str(f.severity) == severity and not f.suppressed)
