"""Compare the definitions of two trees and collect changes and findings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from slacheck.diff.clauses import (
    claim_changes,
    escalation_changes,
    exclusion_changes,
    measurement_changes,
)
from slacheck.diff.commitments import commitment_changes, customer_changes
from slacheck.diff.files import (
    config_changes,
    inline_waiver_changes,
    referenced_file_changes,
)
from slacheck.diff.model import (
    NEUTRAL,
    STRENGTHENING,
    UNCLEAR,
    WEAKENING,
    Change,
    DiffResult,
    DocumentDiff,
)
from slacheck.diff.others import (
    envelope_changes,
    generic_changes,
    kpi_changes,
    slo_changes,
)
from slacheck.diff.pair import Pair
from slacheck.diff.remedies import remedy_changes
from slacheck.diff.sources import SourceError, Tree
from slacheck.diff.versions import tightened_findings, version_findings
from slacheck.findings import Finding, Severity
from slacheck.lint import Loaded, load_definitions
from slacheck.model import Catalog, Document

log = logging.getLogger(__name__)

# Kinds in the order a reviewer reads them: what is promised first.
KIND_ORDER = ("SLA", "SLO", "SLI", "KPI", "Service", "Policy")

# Loader codes that mean a file could not be read at all, so its documents
# are missing from the comparison rather than removed.
_SCHEMA_CODE = "SC010"

# Clause by clause, in the order a contract reads; version and dates last.
_SLA_CHECKS: tuple[Callable[[Pair], Iterable[Change]], ...] = (
    commitment_changes,
    customer_changes,
    measurement_changes,
    exclusion_changes,
    remedy_changes,
    claim_changes,
    escalation_changes,
    envelope_changes,
)


def load_tree(tree: Tree) -> Loaded:
    paths = [str(path) for path in tree.scan if path.exists()]
    return load_definitions(paths) if paths else Loaded(Catalog())


def diff_trees(base: Tree, head: Tree) -> DiffResult:
    """Compare ``base`` with ``head``; neither tree is changed."""
    if not any(p.exists() for p in [*base.scan, *head.scan]):
        shown = ", ".join(str(p) for p in head.scan)
        raise SourceError(f"nothing to compare: {shown} exists in neither tree")
    old, new = load_tree(base), load_tree(head)
    result = DiffResult(base.label, head.label)
    unreadable = _unreadable(new, head)
    # Files that exist in the head tree but cannot be read, by relative path.
    broken = {head.relative(f.path) for f in new.findings if _is_read_error(f)}
    for pair in _pairs(old.catalog, new.catalog, base, head):
        lost = pair.base is not None and base.relative(pair.base.path) in broken
        document_diff = compare_pair(pair, unreadable=lost)
        if document_diff.changes:
            result.documents.append(document_diff)
        if pair.kind == "SLA":
            result.findings.extend(version_findings(pair, document_diff))
            result.findings.extend(tightened_findings(pair, old.catalog, new.catalog))
    result.findings.extend(unreadable)
    # A base file that cannot be read would make its documents look new in
    # head (and so "strengthening"), so the diff must not pass quietly.
    result.findings.extend(
        replace(f, message=f"in {base.label}: {f.message}")
        for f in _unreadable(old, base)
    )
    result.files.extend(config_changes(base, head))
    result.files.extend(referenced_file_changes(base, head))
    result.files.extend(inline_waiver_changes(_texts(old, base), _texts(new, head)))
    result.findings.sort(key=Finding.sort_key)
    return result


def _pairs(old: Catalog, new: Catalog, base: Tree, head: Tree) -> Iterator[Pair]:
    keys: dict[tuple[str, str], None] = {}
    for catalog in (old, new):
        for document in catalog.documents:
            if document.name:
                keys.setdefault((document.kind, document.name), None)
    order = {kind: index for index, kind in enumerate(KIND_ORDER)}
    for kind, name in sorted(keys, key=lambda k: (order.get(k[0], len(order)), k)):
        before, after = _first(old, kind, name), _first(new, kind, name)

        def show(document: Document, after: Document | None = after) -> str:
            tree = head if document is after else base
            return tree.shown(document.path)

        yield Pair(kind, name, before, after, show)


def _first(catalog: Catalog, kind: str, name: str) -> Document | None:
    found = catalog.named(kind, name)
    return found[0] if found else None


def compare_pair(pair: Pair, *, unreadable: bool = False) -> DocumentDiff:
    """Compare one document; ``unreadable`` when its head file cannot be read."""
    document = pair.current
    diff = DocumentDiff(
        pair.kind,
        pair.name,
        _status(pair),
        pair.path,
        base_version=_version(pair.base),
        head_version=_version(pair.head),
    )
    if pair.base is None or pair.head is None:
        diff.changes.append(_added_or_removed(pair, unreadable))
        return diff
    if pair.base.data == pair.head.data:
        return diff
    if pair.kind == "SLA":
        for check in _SLA_CHECKS:
            diff.changes.extend(check(pair))
    elif pair.kind == "SLO":
        diff.changes.extend(slo_changes(pair))
    elif pair.kind == "KPI":
        diff.changes.extend(kpi_changes(pair))
    else:
        diff.changes.extend(generic_changes(pair))
    log.debug("%s %s: %d changes", document.kind, document.name, len(diff.changes))
    return diff


def _status(pair: Pair) -> str:
    if pair.base is None:
        return "added"
    if pair.head is None:
        return "removed"
    return "changed"


def _version(document: Document | None) -> str:
    if document is None:
        return ""
    version = document.metadata.get("version")
    return str(version) if version is not None else ""


def _added_or_removed(pair: Pair, unreadable: bool) -> Change:
    if pair.head is None and unreadable:
        message = "cannot be compared: its file cannot be read in the head tree"
        return pair.change(UNCLEAR, message, contract=pair.kind == "SLA")
    if pair.kind != "SLA":
        verb = "added" if pair.base is None else "removed"
        return pair.change(NEUTRAL, f"{pair.kind} {verb}")
    if pair.base is None:
        return pair.change(
            STRENGTHENING, "new SLA: every commitment in it is new", contract=True
        )
    return pair.change(
        WEAKENING, "SLA removed: customers lose every commitment in it", contract=True
    )


def _unreadable(loaded: Loaded, tree: Tree) -> list[Finding]:
    """Carry over the head tree's read errors: those documents were not compared."""
    return [
        replace(finding, path=tree.shown(finding.path))
        for finding in loaded.findings
        if _is_read_error(finding)
    ]


def _is_read_error(finding: Finding) -> bool:
    return finding.severity >= Severity.ERROR and finding.code != _SCHEMA_CODE


def _texts(loaded: Loaded, tree: Tree) -> dict[str, str]:
    return {tree.relative(path): text for path, text in loaded.texts.items()}
