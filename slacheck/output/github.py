"""GitHub Actions workflow commands: one annotation per finding.

An annotation reads ``::error file=PATH,line=N,col=N,title=CODE::message``;
GitHub shows it on the pull request's diff. Because a step shows only ten
annotations of each level, :func:`write_step_summary` also writes every
finding as a Markdown table to the job summary (``$GITHUB_STEP_SUMMARY``).
Suppressed findings get no annotation; the summary counts and lists them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from slacheck.findings import Finding, Severity
from slacheck.output import Report, summary_line
from slacheck.output.ci import active, repo_path

SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
# GitHub accepts up to 1 MiB of summary per step. A few hundred rows stay
# far below that, and a reviewer reads no more than that anyway.
MAX_SUMMARY_ROWS = 300

_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def render(report: Report) -> str:
    lines = [_annotation(finding) for finding in active(report.findings)]
    return "".join(line + "\n" for line in lines)


def _annotation(finding: Finding) -> str:
    properties = [f"file={_property(repo_path(finding.path) or finding.path)}"]
    if finding.line > 0:
        properties.append(f"line={finding.line}")
        if finding.column > 0:
            properties.append(f"col={finding.column}")
    properties.append(f"title={_property(finding.code)}")
    command = _COMMANDS[finding.severity]
    return f"::{command} {','.join(properties)}::{_data(finding.message)}"


def _data(text: str) -> str:
    """Escape a command's message as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def summary_markdown(report: Report) -> str:
    """Render the job summary: the counts, then a table of findings."""
    shown = active(report.findings)
    suppressed = [f for f in report.findings if f.suppressed]
    out = [f"## slacheck {report.tool}", "", summary_line(report), ""]
    if shown:
        out.extend(_table(shown, ("Severity", "Code", "Location", "Message"), _row))
    if suppressed:
        out.extend(["<details><summary>Suppressed findings</summary>", ""])
        header = ("Code", "Location", "Reason", "Owner", "Until")
        out.extend(_table(suppressed, header, _suppressed_row))
        out.extend(["</details>", ""])
    return "\n".join(out)


def _table(
    findings: list[Finding],
    header: tuple[str, ...],
    row: Callable[[Finding], tuple[str, ...]],
) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for finding in findings[:MAX_SUMMARY_ROWS]:
        cells = row(finding)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    hidden = len(findings) - MAX_SUMMARY_ROWS
    if hidden > 0:
        lines.extend(["", f"{hidden} more not shown; the full report lists them."])
    return [*lines, ""]


def _row(finding: Finding) -> tuple[str, ...]:
    return (str(finding.severity), finding.code, _where(finding), finding.message)


def _suppressed_row(finding: Finding) -> tuple[str, ...]:
    suppression = finding.suppression
    assert suppression is not None
    return (
        finding.code,
        _where(finding),
        suppression.reason,
        suppression.owner,
        suppression.expires,
    )


def _where(finding: Finding) -> str:
    path = repo_path(finding.path) or finding.path
    return f"`{path}:{finding.line}:{finding.column}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def write_step_summary(report: Report, environ: Mapping[str, str] = os.environ) -> bool:
    """Append the summary to ``$GITHUB_STEP_SUMMARY``; False when it is unset.

    Raises :class:`OSError` when the file cannot be written.
    """
    target = environ.get(SUMMARY_VARIABLE)
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(summary_markdown(report) + "\n")
    return True
