"""The lint run: find files, load definitions, validate, resolve and check."""

from __future__ import annotations

import fnmatch
import gc
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from slacheck import openslo, schema
from slacheck.classify import SUPPORTED, classify_file, looks_like_definitions
from slacheck.console import is_command_process
from slacheck.discovery import Candidate, discover
from slacheck.findings import Finding, Severity
from slacheck.model import Catalog, Document
from slacheck.rules.base import Issue, Rule, RuleContext, checks_for, get_rule
from slacheck.settings import LintSettings
from slacheck.yamlload import LoadedFile, NotRegularFile, load_file, read_bytes

log = logging.getLogger(__name__)

# Names other modules import from here.
__all__ = ["SUPPORTED", "classify_file", "looks_like_definitions"]


# Every inline waiver comment contains this word (see slacheck.waivers).
WAIVER_MARK = "slacheck:"


class SourceTexts(MutableMapping[str, str]):
    """File texts by path, where a cached file's text is read on first use.

    A warm run takes unchanged files from the cache without reading them.
    Few of their texts are needed: those containing :data:`WAIVER_MARK`,
    which the cache entry records, and any that a report or a diff reads.
    Paths keep the order in which they were added, as in a dict.
    """

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self._texts: dict[str, str | _DeferredText] = dict(texts or {})

    def defer(self, path: str, read: Callable[[], str], *, marked: bool) -> None:
        """Add a text that ``read`` returns when first needed.

        ``marked`` is whether the text contains :data:`WAIVER_MARK`.
        """
        self._texts[path] = _DeferredText(read, marked)

    def mentions(self, path: str, word: str) -> bool:
        """Return whether the text of ``path`` contains ``word``.

        A deferred text is read unless ``word`` is :data:`WAIVER_MARK`,
        whose presence the cache entry records.
        """
        text = self._texts.get(path)
        if isinstance(text, _DeferredText) and word == WAIVER_MARK:
            return text.marked
        return word in self.get(path, "")

    def __getitem__(self, path: str) -> str:
        text = self._texts[path]
        if isinstance(text, _DeferredText):
            text = self._texts[path] = text.read()
        return text

    def __setitem__(self, path: str, text: str) -> None:
        self._texts[path] = text

    def __delitem__(self, path: str) -> None:
        del self._texts[path]

    def __contains__(self, path: object) -> bool:
        return path in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


@dataclass(frozen=True)
class _DeferredText:
    read: Callable[[], str]
    marked: bool


def text_mentions(texts: Mapping[str, str], path: str, word: str) -> bool:
    """Return whether the text of ``path`` contains ``word``.

    A :class:`SourceTexts` reads a deferred text only when it must.
    """
    if isinstance(texts, SourceTexts):
        return texts.mentions(path, word)
    return word in texts.get(path, "")


@dataclass
class Loaded:
    """Definitions read from disk, plus the findings met while reading them."""

    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    texts: MutableMapping[str, str] = field(default_factory=SourceTexts)


@dataclass
class LintResult:
    findings: list[Finding]
    catalog: Catalog
    files: list[str]
    texts: MutableMapping[str, str] = field(default_factory=SourceTexts)

    def failed(self, fail_on: Severity) -> bool:
        return any(f.severity >= fail_on and not f.suppressed for f in self.findings)


def read_candidate(candidate: Candidate) -> LoadedFile | None:
    """Read and parse one file; None when a folder scan should skip it."""
    if candidate.error:
        return _unreadable(candidate.path, f"cannot read folder: {candidate.error}")
    try:
        raw = read_bytes(candidate.path)
    except NotRegularFile:
        if not candidate.explicit:
            return None  # a FIFO or device that a link in the folder points at
        message = "cannot read file: not a regular file (a FIFO, socket or device)"
        return _unreadable(candidate.path, message)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _unreadable(candidate.path, f"cannot read file: {reason}")
    if not candidate.explicit and not looks_like_definitions(raw):
        return None
    return load_file(candidate.path, raw)


def _unreadable(path: str, message: str) -> LoadedFile:
    return LoadedFile(path, [], [Finding(path, 1, 1, "SC011", message)])


def load_definitions(
    paths: Iterable[str],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    jobs: int = 1,
    cache_dir: str | None = None,
) -> Loaded:
    """Load every definition under ``paths`` into one catalogue.

    ``jobs`` above 1 reads files in that many processes; ``cache_dir`` keeps
    parsed files between runs. Neither changes the result.
    """
    from slacheck.parallel import check_files

    loaded = Loaded(Catalog())
    candidates = discover(paths, include=include, exclude=exclude)
    with collection_paused():
        for checked in check_files(candidates, jobs=jobs, cache_dir=cache_dir):
            if checked is not None:
                add_checked(loaded, checked)
    # OpenSLO objective units come from SLIs that may sit in any file.
    openslo.link(loaded.catalog)
    return loaded


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many objects.

    Loading keeps every document, so each collection pass walks all of them
    again and finds nothing: about a tenth of a large run. The values are
    acyclic, so reference counting still frees what is dropped. In the
    slacheck command, which exits when done, what was built is then moved
    out of the collector's view (``gc.freeze``), so later passes, such as
    while sorting findings, do not walk it either.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if is_command_process():
                gc.freeze()
            gc.enable()


@dataclass
class CheckedFile:
    """One file after reading, parsing, classifying and schema validation.

    This is the unit the cache stores and worker processes return. A file
    taken from the cache by its stat signature has ``text`` None, and
    ``read_text`` reads the text when something needs it. ``marked`` is
    whether the text contains :data:`WAIVER_MARK`.
    """

    path: str
    text: str | None
    documents: list[Document]
    findings: list[Finding]
    read_text: Callable[[], str] | None = None
    marked: bool = False

    def __post_init__(self) -> None:
        if self.text is not None:
            self.marked = WAIVER_MARK in self.text


def check_file(candidate: Candidate) -> CheckedFile | None:
    """Read and check one file; None when the scan skips it."""
    parsed = read_candidate(candidate)
    if parsed is None:
        return None
    return check_parsed(parsed, explicit=candidate.explicit)


def check_parsed(parsed: LoadedFile, *, explicit: bool) -> CheckedFile | None:
    """Classify a parsed file's documents and validate them against the schemas."""
    documents, findings = classify_file(parsed, explicit=explicit)
    if not documents and not findings:
        log.info("skipping %s: no slacheck or OpenSLO definitions", parsed.path)
        return None
    for document in documents:
        problems = schema.validate(document.source, document.api_version, document.kind)
        document.valid = not problems
        findings.extend(_stamp(problems, document))
    return CheckedFile(parsed.path, parsed.text, documents, findings)


def add_file(loaded: Loaded, parsed: LoadedFile, *, explicit: bool) -> None:
    checked = check_parsed(parsed, explicit=explicit)
    if checked is not None:
        add_checked(loaded, checked)


def add_checked(loaded: Loaded, checked: CheckedFile) -> None:
    loaded.files.append(checked.path)
    if checked.text is not None:
        loaded.texts[checked.path] = checked.text
    elif checked.read_text is not None:
        if isinstance(loaded.texts, SourceTexts):
            loaded.texts.defer(checked.path, checked.read_text, marked=checked.marked)
        else:
            loaded.texts[checked.path] = checked.read_text()
    loaded.findings.extend(checked.findings)
    for document in checked.documents:
        openslo.annotate(document)
        loaded.catalog.add(document)


def _stamp(findings: list[Finding], document: Document) -> list[Finding]:
    from dataclasses import replace

    return [replace(f, kind=document.kind, name=document.name) for f in findings]


def run_rules(catalog: Catalog, settings: LintSettings) -> list[Finding]:
    # A rule reports only at the document it checks, so documents whose file
    # is not reported (pre-commit's --changed-only) need no checking.
    documents = [
        d for d in catalog.documents
        if d.valid and (settings.report_only is None or d.path in settings.report_only)
    ]
    if settings.jobs > 1 and len(documents) > 1:
        from slacheck import parallel

        found = parallel.run_rules(catalog, settings, documents)
        if found is not None:
            return found
    with collection_paused():
        return run_rules_on(catalog, settings, documents)


def run_rules_on(
    catalog: Catalog, settings: LintSettings, documents: list[Document]
) -> list[Finding]:
    ctx = RuleContext(catalog, settings.options)
    findings: list[Finding] = []
    for document in documents:
        for registered in checks_for(document.kind):
            findings.extend(_run_one(registered, document, ctx))
    return findings


def _run_one(registered: Rule, document: Document, ctx: RuleContext) -> list[Finding]:
    assert registered.check is not None
    try:
        issues = list(registered.check(document, ctx))
    except Exception as exc:  # a bug must not hide the other findings
        log.debug("rule %s failed on %s", registered.code, document.path, exc_info=True)
        line, column = document.source.line, document.source.column
        message = f"rule {registered.code} failed: {type(exc).__name__}: {exc}"
        return [Finding(document.path, line, column, "SC012", message,
                        kind=document.kind, name=document.name)]
    return [issue_to_finding(issue, registered, document) for issue in issues]


def issue_to_finding(issue: Issue, registered: Rule, document: Document) -> Finding:
    """Turn a rule's issue into a finding at its file position."""
    from slacheck.findings import format_field

    if issue.at_key:
        line, column = document.source.key_position(issue.where)
    else:
        line, column = document.source.position(issue.where)
    return Finding(
        document.path,
        line,
        column,
        registered.code,
        issue.message,
        severity=issue.severity or registered.severity,
        kind=document.kind,
        name=document.name,
        field_path=format_field(issue.where),
        key=issue.key,
    )


def lint(settings: LintSettings) -> LintResult:
    paths = [*settings.paths, *settings.context_paths]
    loaded = load_definitions(
        paths,
        include=settings.include,
        exclude=settings.exclude,
        jobs=settings.jobs,
        cache_dir=settings.cache_dir,
    )
    findings = [*loaded.findings, *run_rules(loaded.catalog, settings)]
    findings.extend(_policy_findings(loaded, settings))
    findings.extend(settings.config_findings)
    final = accept(finalize(findings, settings), loaded, settings)
    return LintResult(final, loaded.catalog, loaded.files, loaded.texts)


def accept(
    findings: list[Finding], loaded: Loaded, settings: LintSettings
) -> list[Finding]:
    """Mark findings that waivers or the baseline accept as suppressed."""
    from slacheck.baseline import apply_baseline
    from slacheck.waivers import apply_waivers

    findings = apply_waivers(findings, loaded, settings)
    if settings.baseline is not None:
        # Stale entries are unknowable when only some files are reported.
        stale = settings.report_only is None
        baselined = apply_baseline(findings, settings.baseline, report_stale=stale)
        findings = finalize(baselined, settings)
    return findings


def _policy_findings(loaded: Loaded, settings: LintSettings) -> list[Finding]:
    """Apply definition policies when the policy engine is installed."""
    try:
        from slacheck.policies import definition_findings
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.policies":
            raise
        return []
    return list(definition_findings(loaded.catalog, settings))


def finalize(findings: Iterable[Finding], settings: LintSettings) -> list[Finding]:
    """Apply severities and filters from the settings, then sort."""
    out = []
    for finding in findings:
        if not _selected(finding, settings):
            continue
        severity = settings.severities.get(finding.code) or _default_severity(finding)
        if severity != finding.severity:
            finding = finding.with_severity(severity)
        out.append(finding)
    return sorted(set(out), key=Finding.sort_key)


def _default_severity(finding: Finding) -> Severity:
    """Return the registered severity for codes the loader and engine emit."""
    registered = get_rule(finding.code)
    if registered is None or registered.check is not None:
        return finding.severity
    return registered.severity


def code_matches(code: str, patterns: Iterable[str]) -> bool:
    """Match a code against codes or prefixes (``SC2`` matches SC201 to SC299)."""
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())


def _selected(finding: Finding, settings: LintSettings) -> bool:
    if settings.report_only is not None and finding.path not in settings.report_only:
        return False
    if settings.select and not code_matches(finding.code, settings.select):
        return False
    if code_matches(finding.code, settings.ignore):
        return False
    for pattern, codes in settings.per_path_ignores.items():
        if fnmatch.fnmatch(finding.path, pattern) and code_matches(finding.code, codes):
            return False
    return True
