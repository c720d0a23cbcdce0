"""Waivers: accept a finding for a named reason, owner and period.

A waiver comes from the config file's ``waivers:`` list or from a comment
inside a definition file::

    # slacheck: waive SC201 owner=legal until=2026-06-30 reason="signed as is"

A comment applies to the document it sits in. A waived finding stays in the
results, marked suppressed with the reason, so JSON and SARIF reports show
it to auditors. An expired waiver suppresses nothing and is reported
(SC801), and so is a waiver that matches no finding (SC802).
"""

from __future__ import annotations

import fnmatch
import logging
import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from slacheck.findings import Finding, Suppression

if TYPE_CHECKING:
    from slacheck.lint import Loaded
    from slacheck.model import Catalog, Document
    from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

INLINE_KIND = "inline-waiver"
CONFIG_KIND = "config-waiver"
INLINE_FORM = 'waive CODE owner=NAME until=YYYY-MM-DD reason="..."'
# Code prefixes of the findings only ``slacheck evaluate`` produces.
EVALUATION_CODES = ("SC71",)

# A YAML comment starts at a '#' that begins the line or follows whitespace.
# NOTE: a quoted value that contains " # slacheck:" is also read as a comment.
_DIRECTIVE = re.compile(r"(?:^|\s)#\s*slacheck:\s*(?P<body>.*)$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CODE_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_INLINE_FIELDS = ("owner", "until", "reason")


@dataclass(frozen=True)
class Waiver:
    """One accepted finding code for one document, file or file pattern.

    ``kind`` and ``name`` select the document, and empty values match any.
    ``path`` is a glob for config waivers and the exact file for inline
    ones. ``lines`` is the span of the document an inline comment sits in.
    """

    code: str
    owner: str
    until: date
    reason: str
    kind: str = ""
    name: str = ""
    path: str = ""
    source: str = ""
    line: int = 1
    column: int = 1
    inline: bool = False
    lines: tuple[int, int] = (0, 0)

    @property
    def target(self) -> str:
        """Name the waived document or file for messages."""
        if self.name:
            return f"{self.kind} {self.name!r}" if self.kind else repr(self.name)
        return repr(self.path) if self.path else "every document"

    def expired(self, today: date) -> bool:
        return today > self.until

    def matches(self, finding: Finding) -> bool:
        if finding.code != self.code:
            return False
        if self.inline:
            first, last = self.lines
            return finding.path == self.path and first <= finding.line <= last
        if self.path and not fnmatch.fnmatch(finding.path, self.path):
            return False
        if self.name and finding.name != self.name:
            return False
        return not self.kind or finding.kind == self.kind

    def suppression(self) -> Suppression:
        kind = INLINE_KIND if self.inline else CONFIG_KIND
        return Suppression(kind, self.reason, self.owner, self.until.isoformat())


def parse_date(text: str) -> date | None:
    """Parse ``YYYY-MM-DD``; None when the text is not such a date."""
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_code(code: str) -> str | None:
    """Return why ``code`` cannot be waived, or None when it can."""
    from slacheck.rules.base import CODE_PATTERN, get_rule

    if CODE_PATTERN.match(code):
        return None if get_rule(code) else f"unknown code {code!r}"
    if code.startswith("SC") or not _CODE_LIKE.match(code):
        return f"invalid code {code!r}"
    return None


# -- inline comments ---------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    kind: str
    name: str


def inline_waivers(
    path: str, text: str, catalog: Catalog
) -> tuple[list[Waiver], list[Finding]]:
    """Read the waiver comments of one file; malformed ones become SC803."""
    spans = document_spans(path, text, catalog)
    return _scan(path, text, lambda line: _span_at(spans, line))


def comment_waivers(path: str, text: str) -> list[Waiver]:
    """Read the well-formed waiver comments of a file, without documents."""
    whole = _Span(1, 10**9, "", "")
    return _scan(path, text, lambda line: whole)[0]


def _scan(
    path: str, text: str, span_at: Callable[[int], _Span | None]
) -> tuple[list[Waiver], list[Finding]]:
    waivers: list[Waiver] = []
    problems: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        column = match.start() + (1 if line[match.start()] == "#" else 2)
        span = span_at(number)
        found, problem = _parse_comment(match["body"], path, number, column, span)
        waivers.extend(found)
        if problem is not None:
            problems.append(problem)
    return waivers, problems


def document_spans(path: str, text: str, catalog: Catalog) -> list[_Span]:
    """Split a file into the line ranges of its documents.

    A document owns the lines from its ``---`` marker (or the end of the
    previous document) up to the next document, so a comment just below a
    ``---`` belongs to the document that follows it.
    """
    by_path = catalog.memo("documents-by-path", lambda: _documents_by_path(catalog))
    documents = sorted(by_path.get(path, ()), key=lambda d: d.source.line)
    markers = [n for n, line in enumerate(text.splitlines(), 1) if _is_marker(line)]
    spans: list[_Span] = []
    previous = 0
    for document in documents:
        start = document.source.line
        between = [m for m in markers if previous < m < start]
        if between:
            first = between[-1]
        else:
            first = previous + 1 if previous else 1
        if spans:
            spans[-1] = replace(spans[-1], last=first - 1)
        spans.append(_Span(first, 10**9, document.kind, document.name))
        previous = start
    return spans


def _is_marker(line: str) -> bool:
    return line == "---" or line.startswith(("--- ", "---\t"))


def _span_at(spans: Sequence[_Span], line: int) -> _Span | None:
    return next((s for s in spans if s.first <= line <= s.last), None)


def _parse_comment(
    body: str, path: str, line: int, column: int, span: _Span | None
) -> tuple[list[Waiver], Finding | None]:
    def problem(message: str) -> tuple[list[Waiver], Finding]:
        text = f"{message}; write '# slacheck: {INLINE_FORM}'"
        return [], Finding(path, line, column, "SC803", text, key=body.strip())

    try:
        tokens = shlex.split(body, comments=False)
    except ValueError as exc:
        return problem(f"waiver comment cannot be split into words ({exc})")
    if not tokens or tokens[0] != "waive":
        directive = tokens[0] if tokens else ""
        return problem(f"unknown slacheck directive {directive!r}")
    if len(tokens) < 2 or "=" in tokens[1]:
        return problem("waiver comment names no code")
    fields, error = _fields(tokens[2:])
    if error:
        return problem(error)
    until = parse_date(fields["until"])
    if until is None:
        return problem(
            f"waiver date until={fields['until']!r} is not a YYYY-MM-DD date"
        )
    codes = [c.strip().upper() for c in tokens[1].split(",") if c.strip()]
    for code in codes:
        reason = check_code(code)
        if reason:
            return problem(
                f"waiver names an {reason} ('slacheck rules' lists the codes)"
            )
    if span is None:
        return problem("waiver comment sits outside any definition document")
    waivers = [
        Waiver(
            code=code,
            owner=fields["owner"],
            until=until,
            reason=fields["reason"],
            kind=span.kind,
            name=span.name,
            path=path,
            source=path,
            line=line,
            column=column,
            inline=True,
            lines=(span.first, span.last),
        )
        for code in codes
    ]
    return waivers, None


def _fields(tokens: list[str]) -> tuple[dict[str, str], str]:
    fields: dict[str, str] = {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep or key not in _INLINE_FIELDS:
            return (
                fields,
                f"unknown waiver field {token!r}; use owner, until and reason",
            )
        fields[key] = value.strip()
    missing = [k for k in _INLINE_FIELDS if not fields.get(k)]
    if missing:
        return fields, f"waiver comment has no {', '.join(missing)}"
    return fields, ""


# -- applying waivers to a run -----------------------------------------------


def apply_waivers(
    findings: list[Finding], loaded: Loaded, settings: LintSettings
) -> list[Finding]:
    """Suppress waived findings and report expired, unused and invalid waivers."""
    from slacheck.lint import finalize

    waivers, problems = collect_waivers(loaded, settings)
    today = settings.today or date.today()
    active = [w for w in waivers if not w.expired(today)]
    used: set[Waiver] = set()
    out = [_waive(finding, active, used) for finding in findings]
    problems.extend(_expired(waivers, today))
    problems.extend(_unused(active, used, loaded.catalog, settings))
    return sorted([*out, *finalize(problems, settings)], key=Finding.sort_key)


def collect_waivers(
    loaded: Loaded, settings: LintSettings
) -> tuple[list[Waiver], list[Finding]]:
    """Gather config waivers and the inline waivers of every loaded file."""
    waivers = list(settings.waivers)
    problems: list[Finding] = []
    from slacheck.lint import WAIVER_MARK, text_mentions

    for path in loaded.files:
        # A file taken from the cache is read only if its entry records a mark.
        if not text_mentions(loaded.texts, path, WAIVER_MARK):
            continue
        text = loaded.texts.get(path, "")
        found, invalid = inline_waivers(path, text, loaded.catalog)
        waivers.extend(found)
        problems.extend(invalid)
    if settings.config_from:
        from slacheck.gitrev import drop_new_inline_waivers

        waivers, changed = drop_new_inline_waivers(waivers, settings.config_from)
        problems.extend(changed)
    return waivers, problems


def _waive(finding: Finding, waivers: Iterable[Waiver], used: set[Waiver]) -> Finding:
    """Suppress a finding with the first waiver that matches it.

    Every matching waiver counts as used, so a finding waived both inline
    and in the config does not make either look stale.
    """
    if finding.suppressed or finding.code.startswith("SC8"):
        return finding
    matching = [waiver for waiver in waivers if waiver.matches(finding)]
    if not matching:
        return finding
    used.update(matching)
    return finding.with_suppression(matching[0].suppression())


def _expired(waivers: Iterable[Waiver], today: date) -> list[Finding]:
    out = []
    for waiver in waivers:
        if not waiver.expired(today):
            continue
        message = (
            f"waiver for {waiver.code} on {waiver.target} (owner {waiver.owner}) "
            f"expired on {waiver.until.isoformat()}; fix the finding or renew the "
            "waiver with a new date and reason"
        )
        out.append(_about(waiver, "SC801", message))
    return out


def _unused(
    waivers: Iterable[Waiver],
    used: set[Waiver],
    catalog: Catalog,
    settings: LintSettings,
) -> list[Finding]:
    out = []
    for waiver in waivers:
        if waiver in used or not _checked(waiver, catalog, settings):
            continue
        message = f"waiver for {waiver.code} on {waiver.target} matches no finding"
        if not waiver.inline and not _targets(waiver, catalog):
            message += "; no loaded document matches its document and path"
        out.append(_about(waiver, "SC802", message + "; remove it"))
    return out


def _checked(waiver: Waiver, catalog: Catalog, settings: LintSettings) -> bool:
    """Tell whether this run could have produced the findings a waiver covers."""
    from slacheck.lint import code_matches

    if settings.select and not code_matches(waiver.code, settings.select):
        return False
    if code_matches(waiver.code, settings.ignore):
        return False
    if _about_evaluation(waiver, settings) != (settings.command == "evaluate"):
        return False
    if settings.report_only is None:
        return True
    if waiver.inline:
        return waiver.path in settings.report_only
    return any(d.path in settings.report_only for d in _targets(waiver, catalog))


def _about_evaluation(waiver: Waiver, settings: LintSettings) -> bool:
    """Tell whether only ``slacheck evaluate`` produces the findings a waiver covers.

    Those are its judgements of snapshots (SC710-SC719), the findings of
    policy rules that check results, and anything about a Snapshot document.
    Lint and evaluate share one config, so each leaves the other's waivers
    alone when looking for unused ones.
    """
    from slacheck.lint import code_matches

    return (
        code_matches(waiver.code, EVALUATION_CODES)
        or waiver.code in settings.result_rule_ids
        or waiver.kind == "Snapshot"
    )


def _documents_by_path(catalog: Catalog) -> dict[str, list[Document]]:
    groups: dict[str, list[Document]] = {}
    for document in catalog.documents:
        groups.setdefault(document.path, []).append(document)
    return groups


def _targets(waiver: Waiver, catalog: Catalog) -> list[Document]:
    return [
        d
        for d in catalog.documents
        if (not waiver.name or d.name == waiver.name)
        and (not waiver.kind or d.kind == waiver.kind)
        and (not waiver.path or fnmatch.fnmatch(d.path, waiver.path))
    ]


def _about(waiver: Waiver, code: str, message: str) -> Finding:
    key = f"{waiver.code} {waiver.target} until {waiver.until.isoformat()}"
    kind, name = (waiver.kind, waiver.name) if waiver.inline else ("", "")
    return Finding(
        waiver.source,
        waiver.line,
        waiver.column,
        code,
        message,
        kind=kind,
        name=name,
        key=key,
    )
