"""References between documents (SC1xx)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from slacheck.display import quote
from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.objectives import backing_objective, commitments, slo_objectives
from slacheck.rules.base import Issue, RuleContext, get, rule
from slacheck.yamlload import FieldPath

# (kind of the referring document, path to the field, kind referred to)
_SIMPLE_REFERENCES: tuple[tuple[str, FieldPath, str], ...] = (
    ("SLI", ("spec", "service"), "Service"),
    ("SLO", ("spec", "service"), "Service"),
    ("SLO", ("spec", "indicatorRef"), "SLI"),
    ("SLA", ("spec", "service"), "Service"),
    ("KPI", ("spec", "service"), "Service"),
)


Reference = tuple[FieldPath, str, str]


def _references(document: Document) -> list[Reference]:
    """Return (field path, target kind, name) for every reference in a document.

    Five rules read them, so they are read once per document.
    """
    return document.remember("references", lambda d: list(_read_references(d)))


def _read_references(document: Document) -> Iterator[Reference]:
    if document.is_openslo:
        # OpenSLO documents list their references in notes set by the reader.
        yield from document.notes.get("references", ())
        return
    for kind, parts, target in _SIMPLE_REFERENCES:
        value = get(document.data, *parts)
        if document.kind == kind and isinstance(value, str):
            yield parts, target, value
    if document.kind == "SLA":
        for index, item in enumerate(document.spec.get("commitments") or []):
            for field, target in (("sloRef", "SLO"), ("indicatorRef", "SLI")):
                value = get(item, field)
                if isinstance(value, str):
                    yield ("spec", "commitments", index, field), target, value
    if document.kind == "KPI":
        for index, name in enumerate(document.spec.get("leadingIndicatorFor") or []):
            if isinstance(name, str):
                yield ("spec", "leadingIndicatorFor", index), "SLA", name


def _resolution_issues(
    document: Document, ctx: RuleContext, code: str
) -> Iterator[Issue]:
    for parts, kind, name in _references(document):
        resolution = ctx.catalog.resolve(kind, name)
        if resolution.target is None and resolution.code == code:
            problem = resolution.problem
            if code == "SC103":
                found = ctx.catalog.named(kind, name)
                places = _places(found, len(found))
                count = len(found)
                problem = f"{kind} {quote(name)} is defined {count} times ({places})"
            yield Issue(parts, problem, key=f"{kind}:{name}")


# Places a duplicate-name message lists before "and N more": two thousand
# copies of one file once made every message list all the others.
_PLACES_SHOWN = 3


def _places(documents: list[Document], total: int) -> str:
    """List where the first few documents are defined, then how many more."""
    shown = documents[:_PLACES_SHOWN]
    places = ", ".join(f"{d.path}:{d.source.line}" for d in shown)
    more = total - len(shown)
    return f"{places} and {more} more" if more > 0 else places


@rule("SC101", "unresolved-reference", Severity.ERROR)
def unresolved_reference(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """A reference names a document that no file defines.

    SLAs name their SLOs, SLOs their SLIs and services, KPIs the SLAs they
    predict. A name that resolves nowhere is usually a typo or a file that
    was not committed, and every check that depends on it is skipped.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      indicatorRef: checkout-availabilty
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - target: 99.9%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ---
    apiVersion: slacheck/v1
    kind: SLI
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      ratioMetric:
        good: {source: prometheus, query: sum(rate(ok[5m]))}
        total: {source: prometheus, query: sum(rate(all[5m]))}
    ---
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      indicatorRef: checkout-availability
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - target: 99.9%
    ```
    """
    return _resolution_issues(document, ctx, "SC101")


@rule("SC102", "reference-to-wrong-kind", Severity.ERROR)
def wrong_kind_reference(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """A reference names a document of another kind.

    ``sloRef: checkout-availability`` must name an SLO; when only an SLI of
    that name exists the commitment has no internal objective behind it.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ---
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      indicatorRef: checkout
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - target: 99.9%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ---
    apiVersion: slacheck/v1
    kind: SLI
    metadata:
      name: checkout
    spec:
      service: checkout
      ratioMetric:
        good: {source: prometheus, query: sum(rate(ok[5m]))}
        total: {source: prometheus, query: sum(rate(all[5m]))}
    ```
    """
    return _resolution_issues(document, ctx, "SC102")


@rule("SC103", "duplicate-name", Severity.ERROR)
def duplicate_name(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Two documents of the same kind share a name.

    Names are unique per kind, because references use them: with two SLOs
    called ``checkout-availability`` an SLA's ``sloRef`` is ambiguous. Each
    copy is reported, naming where the others are.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ---
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ---
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: payments
    ```
    """
    same = ctx.catalog.named(document.kind, document.name) if document.name else []
    if len(same) > 1:
        others = (d for d in same if d is not document)
        places = _places(list(islice(others, _PLACES_SHOWN)), len(same) - 1)
        name = quote(document.name)
        message = f"{document.kind} {name} is also defined at {places}; rename one"
        yield Issue(("metadata", "name"), message, key=document.name)
    # A reference to a duplicated name is ambiguous, so it is reported too.
    yield from _resolution_issues(document, ctx, "SC103")


@rule("SC104", "unknown-objective-or-commitment", Severity.ERROR, kinds=("SLA",))
def unknown_member(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """A commitment or remedy names an objective or commitment that does not exist.

    When an SLO has several objectives, a commitment picks one with
    ``objective:``; a remedy picks the commitment it pays for with
    ``commitment:``. A name that matches nothing leaves the margin or the
    credit undefined.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: checkout-enterprise
    spec:
      service: checkout
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          target: 99.5%
          period: month
          timeZone: UTC
      remedies:
        - type: serviceCredit
          commitment: availability
          tiers:
            - below: 99.5%
              credit: 10%
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: checkout-enterprise
    spec:
      service: checkout
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          target: 99.5%
          period: month
          timeZone: UTC
      remedies:
        - type: serviceCredit
          commitment: uptime
          tiers:
            - below: 99.5%
              credit: 10%
    ```
    """
    for commitment in commitments(document):
        backing = backing_objective(commitment, ctx.catalog)
        if backing.problem:
            yield Issue((*commitment.where, "objective"), backing.problem)
    names = {c.name for c in commitments(document)}
    for index, remedy in enumerate(document.spec.get("remedies") or []):
        wanted = get(remedy, "commitment")
        if isinstance(wanted, str) and wanted not in names:
            known = ", ".join(sorted(repr(n) for n in names)) or "none"
            message = f"remedy names commitment {wanted!r}, but this SLA has {known}"
            yield Issue(("spec", "remedies", index, "commitment"), message, key=wanted)


@rule("SC105", "duplicate-member-name", Severity.ERROR, kinds=("SLA", "SLO"))
def duplicate_member_name(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Two commitments of one SLA, or two objectives of one SLO, share a name.

    Commitments and objectives are referred to by name: a remedy's
    ``commitment:`` picks the commitment it pays for, a commitment's
    ``objective:`` picks the SLO objective behind it, and waivers, reports
    and ``slacheck diff`` match them by name. With two of the same name each
    of these picks one of them silently. Every copy after the first is
    reported, naming the line of the first. An OpenSLO objective without a
    ``name`` is known by its ``displayName``.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
        - name: uptime
          sloRef: api-availability
          target: 99%
          period: quarter
          timeZone: UTC
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: monthly-uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
        - name: quarterly-uptime
          sloRef: api-availability
          target: 99%
          period: quarter
          timeZone: UTC
    ```
    """
    if document.kind == "SLA":
        members, noun = commitments(document), "commitment"
    else:
        members, noun = slo_objectives(document), "objective"
    first_seen: dict[str, FieldPath] = {}
    for member in members:
        if not member.name:
            continue
        first = first_seen.setdefault(member.name, member.where)
        if first == member.where:
            continue
        line = document.position(_name_field(document, first))[0]
        message = (
            f"{noun} name {member.name!r} is already used on line {line}, so a "
            f"reference to {member.name!r} cannot tell them apart; rename one"
        )
        where = _name_field(document, member.where)
        yield Issue(where, message, key=f"{noun} {member.name}")


def _name_field(document: Document, where: FieldPath) -> FieldPath:
    """Return the path of the field a member's name is written in."""
    member = get(document.data, *where)
    if isinstance(member, dict) and "name" not in member and "displayName" in member:
        return (*where, "displayName")
    return (*where, "name")
