"""Report formats for findings. Each format is one module with a ``render``."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from slacheck.findings import Finding, Severity

# Format name -> module under slacheck.output; modules load only when used.
FORMATS = {
    "text": "text",
    "json": "jsonout",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
}


@dataclass
class Report:
    """Findings and run details that a command passes to a formatter."""

    tool: str
    findings: Sequence[Finding]
    files: Sequence[str] = ()
    fail_on: Severity = Severity.ERROR
    texts: Mapping[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # The policies the run read, so formats can document policy rule ids.
    policy_paths: Sequence[str] = ()
    default_policies: bool = True


def available_formats() -> list[str]:
    """Return the formats whose module is installed, without importing them.

    Importing every format to check ``--format`` loaded XML and hashing
    modules that a text report never uses.
    """
    from importlib.util import find_spec

    return [
        name
        for name, module in FORMATS.items()
        if find_spec(f"slacheck.output.{module}") is not None
    ]


def render(fmt: str, report: Report) -> str:
    module = importlib.import_module(f"slacheck.output.{FORMATS[fmt]}")
    text: str = module.render(report)
    return text


def summary_line(report: Report) -> str:
    """Return one line such as 'Found 2 errors and 1 warning in 14 files.'"""
    active = [f for f in report.findings if not f.suppressed]
    counts = {s: sum(1 for f in active if f.severity == s) for s in Severity}
    parts = []
    for severity, word in (
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.INFO, "note"),
    ):
        count = counts[severity]
        if count:
            parts.append(f"{count} {word}{'' if count == 1 else 's'}")
    files = len(report.files)
    where = f"in {files} file{'' if files == 1 else 's'}"
    suppressed = len(report.findings) - len(active)
    tail = f" ({suppressed} suppressed)" if suppressed else ""
    if not parts:
        return f"No findings {where}.{tail}"
    return f"Found {' and '.join(parts)} {where}.{tail}"
