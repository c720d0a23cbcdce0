"""Findings a diff raises: unversioned or under-versioned SLA changes, lost margin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from slacheck.diff.codes import TIGHTENED_TO_SLO, UNVERSIONED, WEAKENED_WITHOUT_MAJOR
from slacheck.diff.model import UNCLEAR, WEAKENING, Change, DocumentDiff
from slacheck.diff.pair import Pair
from slacheck.findings import Finding, Severity, format_field
from slacheck.model import Catalog, Document
from slacheck.objectives import Objective, backing_objective, commitments
from slacheck.quantities import format_percent
from slacheck.rules.margin import compare

_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\Z"
)

# How many change messages a version finding quotes before summing up.
_QUOTED_CHANGES = 2


@dataclass(frozen=True, order=True)
class Version:
    """A semantic version; a pre-release sorts first (1.0.0-rc.1 < 1.0.0)."""

    major: int
    minor: int
    patch: int
    release: int  # 0 for a pre-release, 1 for a release
    pre: tuple[tuple[int, int | str], ...]

    @property
    def text(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def parse_version(text: object) -> Version | None:
    match = _SEMVER.match(str(text)) if isinstance(text, str) else None
    if match is None:
        return None
    pre = match.group(4)
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in (pre.split(".") if pre else [])
    )
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    return Version(major, minor, patch, 0 if pre else 1, parts)


def version_findings(pair: Pair, diff: DocumentDiff) -> Iterator[Finding]:
    """Check that an SLA whose commitments changed has a high enough new version."""
    if pair.base is None or pair.head is None:
        return
    contract = [c for c in diff.changes if c.contract]
    if not contract:
        return
    weakening = [c for c in contract if c.effect in (WEAKENING, UNCLEAR)]
    before = parse_version(pair.base.metadata.get("version"))
    after_text = pair.head.metadata.get("version")
    after = parse_version(after_text)
    quoted = _quote(weakening or contract)
    suggestion = _suggest(before, bool(weakening))
    if after is None or (before is not None and after <= before):
        stays = f"stays {after_text}" if after is not None else "is missing"
        if after is not None and before is not None and after < before:
            stays = f"went down from {before.text} to {after.text}"
        message = (
            f"SLA {pair.name!r} changes its commitments ({quoted}) but "
            f"metadata.version {stays}; set it to {suggestion}"
        )
        yield _finding(pair, UNVERSIONED, message, ("metadata", "version"), after_text)
    elif weakening and before is not None and after.major <= before.major:
        message = (
            f"SLA {pair.name!r} weakens its commitments ({quoted}) but version "
            f"{after.text} is not a new major version; use {suggestion}"
        )
        yield _finding(
            pair, WEAKENED_WITHOUT_MAJOR, message, ("metadata", "version"), after_text
        )


def _quote(changes: list[Change]) -> str:
    messages = [change.message for change in changes[:_QUOTED_CHANGES]]
    rest = len(changes) - len(messages)
    if rest:
        messages.append(f"and {rest} more")
    return "; ".join(messages)


def _suggest(before: Version | None, weakening: bool) -> str:
    if before is None:
        return "a semantic version such as 1.0.0"
    if weakening:
        return f"{before.major + 1}.0.0"
    return f"{before.major}.{before.minor + 1}.0 or higher"


def _finding(
    pair: Pair, code: str, message: str, where: tuple[str | int, ...], key: object
) -> Finding:
    document = pair.current
    line, column = document.position(where)
    return Finding(
        pair.path,
        line,
        column,
        code,
        message,
        severity=Severity.ERROR,
        kind=pair.kind,
        name=pair.name,
        field_path=format_field(where),
        key=f"{pair.name}:{key}",
    )


def tightened_findings(
    pair: Pair, base_catalog: Catalog, head_catalog: Catalog
) -> Iterator[Finding]:
    """Report commitments that lost their margin in this change."""
    if pair.head is None:
        return
    before = _relations(pair.base, base_catalog) if pair.base is not None else {}
    for commitment in commitments(pair.head):
        backing = backing_objective(commitment, head_catalog).objective
        if backing is None:
            continue
        relation = compare(commitment, backing)
        if relation not in ("equal", "stricter") or before.get(commitment.name) in (
            "equal",
            "stricter",
        ):
            continue
        yield _tightened(pair, commitment, backing, relation)


def _relations(document: Document, catalog: Catalog) -> dict[str, str]:
    found = {}
    for commitment in commitments(document):
        backing = backing_objective(commitment, catalog).objective
        if backing is not None:
            found[commitment.name] = compare(commitment, backing)
    return found


def _tightened(
    pair: Pair, commitment: Objective, slo: Objective, relation: str
) -> Finding:
    promise = (
        format_percent(commitment.target) if commitment.target is not None else "?"
    )
    target = format_percent(slo.target) if slo.target is not None else "?"
    amount = "as much as" if relation == "equal" else "more than"
    message = (
        f"commitment {commitment.name!r} now promises {promise}, {amount} SLO "
        f"{slo.document.name!r} targets ({target}); keep the SLA looser than its SLO"
    )
    where = (*commitment.where, "target")
    return _finding(pair, TIGHTENED_TO_SLO, message, where, commitment.name)
