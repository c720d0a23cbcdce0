"""Baselines: accept today's findings so later runs report only new ones.

A baseline file records findings by what they are about, not where they
sit: the file, the document's kind and name, the code and the finding's key
(the offending value), or its message with the numbers taken out when the
rule sets no key. Editing an unrelated line therefore keeps every entry.
Each entry accepts one finding, so a second finding with the same identity
is new.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slacheck import __version__
from slacheck.findings import Finding, Suppression

FORMAT_VERSION = 1
BASELINE_KIND = "baseline"
Identity = tuple[str, str, str, str, str]
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_FIELDS = ("path", "kind", "name", "code", "key")


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file."""


@dataclass
class Baseline:
    """Accepted findings, with paths relative to the baseline file's folder."""

    path: str
    folder: Path
    entries: Counter[Identity] = field(default_factory=Counter)


def meaning(finding: Finding) -> str:
    """Return what a finding is about, independent of line numbers."""
    return finding.key or _NUMBER.sub("#", finding.message)


def identity(finding: Finding, folder: Path) -> Identity:
    path = Path(os.path.relpath(os.path.abspath(finding.path), folder)).as_posix()
    return (path, finding.kind, finding.name, finding.code, meaning(finding))


def recordable(finding: Finding) -> bool:
    """Tell whether a finding belongs in a baseline.

    Waived findings have their own record, and findings about waivers and
    baselines (SC8xx) must stay visible.
    """
    return not finding.suppressed and not finding.code.startswith("SC8")


def load_baseline(path: str) -> Baseline:
    """Read a baseline file written by :func:`render_baseline`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"baseline {path!r} does not exist; record one with --write-baseline"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path!r}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}:{exc.lineno}: baseline is not valid JSON ({exc.msg}); "
            "record it again with --write-baseline"
        ) from None
    baseline = Baseline(path, Path(os.path.abspath(path)).parent)
    for identity_ in _entries(data, path):
        baseline.entries[identity_] += 1
    return baseline


def _entries(data: Any, path: str) -> Iterable[Identity]:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: not a slacheck baseline of format version {FORMAT_VERSION}; "
            "record it again with --write-baseline"
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: 'findings' must be a list")
    for index, entry in enumerate(findings):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(name), str) for name in _FIELDS
        ):
            raise BaselineError(
                f"{path}: findings[{index}] needs the text fields {', '.join(_FIELDS)}"
            )
        yield tuple(entry[name] for name in _FIELDS)  # type: ignore[misc]


def render_baseline(findings: Iterable[Finding], path: str) -> tuple[str, int]:
    """Return the baseline file text for ``findings`` and the entry count."""
    folder = Path(os.path.abspath(path)).parent
    entries = []
    for finding in findings:
        if not recordable(finding):
            continue
        entry = dict(zip(_FIELDS, identity(finding, folder), strict=True))
        entry["message"] = finding.message  # for reviewers; matching ignores it
        entries.append(entry)
    entries.sort(key=lambda e: tuple(e[name] for name in (*_FIELDS, "message")))
    data = {
        "version": FORMAT_VERSION,
        "tool": f"slacheck {__version__}",
        "findings": entries,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", len(entries)


def apply_baseline(
    findings: list[Finding], baseline: Baseline, *, report_stale: bool
) -> list[Finding]:
    """Suppress findings the baseline accepts; report stale entries (SC805)."""
    remaining = Counter(baseline.entries)
    reason = f"accepted in baseline {baseline.path}"
    out = []
    for finding in findings:
        key = identity(finding, baseline.folder)
        if recordable(finding) and remaining[key] > 0:
            remaining[key] -= 1
            finding = finding.with_suppression(Suppression(BASELINE_KIND, reason))
        out.append(finding)
    stale = sum(remaining.values())
    if report_stale and stale:
        counted = (
            "1 baseline entry matches"
            if stale == 1
            else f"{stale} baseline entries match"
        )
        message = (
            f"{counted} no finding any more; "
            "record the baseline again with --write-baseline"
        )
        out.append(Finding(baseline.path, 1, 1, "SC805", message, key="stale entries"))
    return out
