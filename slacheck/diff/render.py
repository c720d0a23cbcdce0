"""A diff as text, Markdown (a pull request comment) or JSON."""

from __future__ import annotations

import json
from typing import Any

from slacheck import __version__
from slacheck.diff.model import (
    EFFECTS,
    NEUTRAL,
    STRENGTHENING,
    UNCLEAR,
    WEAKENING,
    DiffResult,
    DocumentDiff,
)
from slacheck.findings import Finding
from slacheck.report.markdown import md

DIFF_FORMATS = ("text", "markdown", "json")

_EFFECT_WORDS = {
    WEAKENING: "weakening",
    UNCLEAR: "unclear",
    STRENGTHENING: "strengthening",
    NEUTRAL: "neutral",
}


def summary_line(result: DiffResult) -> str:
    counts = [f"{result.count(effect)} {_EFFECT_WORDS[effect]}" for effect in EFFECTS]
    documents = len(result.documents)
    findings = [f for f in result.findings if not f.suppressed]
    tail = f"{len(findings)} finding{'' if len(findings) == 1 else 's'}"
    noun = "document" if documents == 1 else "documents"
    return f"{', '.join(counts)} changes in {documents} {noun}; {tail}."


def _heading(document: DocumentDiff) -> str:
    text = f"{document.kind} {document.name} ({document.status}, {document.path})"
    if document.base_version or document.head_version:
        before = document.base_version or "none"
        after = document.head_version or "none"
        text += (
            f", version {before} -> {after}"
            if before != after
            else f", version {after}"
        )
    return text


def render_text(result: DiffResult) -> str:
    lines = [f"Comparing {result.base} with {result.head}", ""]
    width = max(len(word) for word in _EFFECT_WORDS.values())
    for document in result.documents:
        lines.append(_heading(document))
        for change in document.changes:
            lines.append(f"  {_EFFECT_WORDS[change.effect]:<{width}}  {change.message}")
        lines.append("")
    if result.files:
        lines.append("Config, waivers and policies")
        lines.extend(f"  {change.path}: {change.message}" for change in result.files)
        lines.append("")
    if not result.documents and not result.files:
        lines.extend(["No definition, config, waiver or policy changed.", ""])
    lines.extend(_finding_text(f) for f in result.findings if not f.suppressed)
    return "\n".join(lines).rstrip("\n") + "\n"


def _finding_text(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    return f"{where}: {finding.code} {finding.message}"


def render_markdown(result: DiffResult) -> str:
    lines = [
        f"## slacheck diff: `{md(result.base)}` to `{md(result.head)}`",
        "",
        md(summary_line(result)),
        "",
    ]
    findings = [f for f in result.findings if not f.suppressed]
    if findings:
        lines.extend(["### Findings", ""])
        for finding in findings:
            where = f"{finding.path}:{finding.line}"
            lines.append(f"- **{finding.code}** `{md(where)}`: {md(finding.message)}")
        lines.append("")
    for document in result.documents:
        lines.extend(
            [f"### {md(_heading(document))}", "", "| Effect | Change |", "|---|---|"]
        )
        for change in document.changes:
            effect = _EFFECT_WORDS[change.effect]
            if change.effect in (WEAKENING, UNCLEAR):
                effect = f"**{effect}**"
            lines.append(f"| {effect} | {md(change.message)} |")
        lines.append("")
    if result.files:
        lines.extend(
            ["### Config, waivers and policies", "", "| File | Change |", "|---|---|"]
        )
        lines.extend(f"| {md(c.path)} | {md(c.message)} |" for c in result.files)
        lines.append("")
    if not result.documents and not result.files:
        lines.extend(["No definition, config, waiver or policy changed.", ""])
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(result: DiffResult) -> str:
    document: dict[str, Any] = {
        "tool": {"name": "slacheck", "version": __version__, "command": "diff"},
        "base": result.base,
        "head": result.head,
        "documents": [
            {
                "kind": d.kind,
                "name": d.name,
                "status": d.status,
                "path": d.path,
                "baseVersion": d.base_version,
                "headVersion": d.head_version,
                "changes": [c.to_dict() for c in d.changes],
            }
            for d in result.documents
        ],
        "files": [c.to_dict() for c in result.files],
        "findings": [f.to_dict() for f in result.findings],
        "summary": {
            **{effect: result.count(effect) for effect in EFFECTS},
            "findings": sum(1 for f in result.findings if not f.suppressed),
            "text": summary_line(result),
        },
    }
    return json.dumps(document, indent=2) + "\n"


def render(fmt: str, result: DiffResult) -> str:
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    return renderers[fmt](result)
