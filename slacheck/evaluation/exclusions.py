"""Removing time excluded under an SLA's exclusion clauses from its measurement.

Event-based attainment needs the events measured inside the excluded time.
Time-slice attainment can use them too; without them, the excluded minutes
are removed as bad slices, because excluded time is downtime the contract
excuses. A clause with ``maxPerPeriod`` excuses at most that much time; past
it, the counts are pro-rated and rounded down, so no more is excluded than
the clause allows.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_FLOOR, Decimal

from slacheck.evaluation.measure import EVENTS, TIME_SLICES, Reading, with_counts
from slacheck.evaluation.results import SLAResult
from slacheck.evaluation.snapshot import Counts, ExcludedTime, Snapshot
from slacheck.findings import Finding, Severity
from slacheck.quantities import ONE, format_minutes, parse_duration


def apply_exclusions(
    reading: Reading, result: SLAResult, snapshot: Snapshot
) -> tuple[Reading, list[Finding]]:
    """Return the reading with excluded time removed, and findings on what was not."""
    clauses = _clauses(result)
    groups: dict[str, list[ExcludedTime]] = defaultdict(list)
    for excluded in snapshot.exclusions:
        if excluded.sla in (None, result.document.name) and excluded.sli in (
            None,
            result.sli,
        ):
            groups[excluded.type].append(excluded)
    findings: list[Finding] = []
    for kind, entries in groups.items():
        if kind not in clauses:
            message = (
                f"SLA {result.document.name!r} has no {kind!r} exclusion, so "
                f"{format_minutes(_minutes(entries))} stay in commitment {result.label!r}"
            )
            findings.append(
                snapshot.finding(entries[0].where, "SC714", message, Severity.WARNING)
            )
            continue
        share = _allowed_share(entries, clauses[kind], result, snapshot, findings)
        for excluded in entries:
            reading = _remove(reading, excluded, share, result, snapshot, findings)
    return reading, findings


def _clauses(result: SLAResult) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for clause in result.document.spec.get("exclusions") or []:
        if isinstance(clause, dict) and isinstance(clause.get("type"), str):
            found.setdefault(clause["type"], clause)
    return found


def _minutes(entries: list[ExcludedTime]) -> Decimal:
    return sum((e.minutes for e in entries), Decimal(0))


def _allowed_share(
    entries: list[ExcludedTime],
    clause: dict[str, object],
    result: SLAResult,
    snapshot: Snapshot,
    findings: list[Finding],
) -> Decimal:
    """Return the share of the excluded time that the clause excuses."""
    limit = parse_duration(clause.get("maxPerPeriod"))
    total = _minutes(entries)
    if limit is None or total * 60 <= limit:
        return ONE
    message = (
        f"{format_minutes(total)} of {entries[0].type!r} time exceeds the "
        f"{clause.get('maxPerPeriod')} a period that SLA {result.document.name!r} "
        f"excludes; only {format_minutes(limit / 60)} are excluded"
    )
    findings.append(
        snapshot.finding(entries[0].where, "SC714", message, Severity.WARNING)
    )
    return limit / 60 / total


def _remove(
    reading: Reading,
    excluded: ExcludedTime,
    share: Decimal,
    result: SLAResult,
    snapshot: Snapshot,
    findings: list[Finding],
) -> Reading:
    counts = reading.counts
    inside = excluded.events if reading.unit == EVENTS else excluded.time_slices
    if counts is None:
        problem = "a ratio measurement cannot have time removed; measure counts instead"
    elif inside is None and reading.unit == TIME_SLICES and reading.slice_seconds:
        slices = _floor(excluded.minutes * 60 / reading.slice_seconds * share)
        inside = Counts(0, slices)
        problem = ""
    elif inside is None:
        problem = f"give the {reading.unit} measured inside the excluded time"
    else:
        inside = Counts(_floor(inside.good * share), _floor(inside.total * share))
        problem = ""
    if problem or inside is None or counts is None:
        message = f"exclusion not applied to commitment {result.label!r}: {problem}"
        findings.append(
            snapshot.finding(excluded.where, "SC714", message, Severity.WARNING)
        )
        return reading
    return _subtract(
        reading, counts, inside, excluded, share, result, snapshot, findings
    )


def _subtract(
    reading: Reading,
    counts: Counts,
    inside: Counts,
    excluded: ExcludedTime,
    share: Decimal,
    result: SLAResult,
    snapshot: Snapshot,
    findings: list[Finding],
) -> Reading:
    good, total = counts.good - inside.good, counts.total - inside.total
    if good < 0 or total < good:
        message = (
            f"exclusion removes {inside.total} {reading.unit} ({inside.good} good) from "
            f"{counts.total} measured ({counts.good} good) for commitment {result.label!r}"
        )
        findings.append(snapshot.finding(excluded.where, "SC712", message))
        return reading
    result.excluded_minutes += excluded.minutes * share
    updated = with_counts(reading, Counts(good, total))
    updated.notes.append(
        f"{format_minutes(excluded.minutes * share)} excluded as {excluded.type}"
    )
    return updated


def _floor(value: Decimal | int) -> int:
    return int(Decimal(value).to_integral_value(rounding=ROUND_FLOOR))
