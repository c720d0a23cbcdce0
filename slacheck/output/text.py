"""Plain text: one ``path:line:col: CODE message`` line per finding."""

from __future__ import annotations

from slacheck.output import Report


def render(report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"
        for f in report.findings
        if not f.suppressed
    ]
    return "\n".join(lines) + ("\n" if lines else "")
