"""Measured values for the report, taken from the built-in snapshot evaluation.

This module is the only place the report reads evaluation results, so a
change to ``slacheck.evaluation`` touches one adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slacheck.findings import Finding
from slacheck.model import Catalog
from slacheck.report.model import MeasuredView

if TYPE_CHECKING:
    from slacheck.evaluation import SLAResult, SnapshotEvaluation
    from slacheck.evaluation.periods import Period

Measurements = dict[tuple[str, str], MeasuredView]


class SnapshotError(Exception):
    """A snapshot that cannot be evaluated; the message names the file and fix."""


@dataclass
class Measured:
    """Per (SLA, commitment): the latest judged result, plus what went wrong."""

    values: Measurements = field(default_factory=dict)
    label: str = ""
    findings: list[Finding] = field(default_factory=list)


def measure(catalog: Catalog, snapshot_paths: list[str]) -> Measured:
    """Evaluate snapshot files against ``catalog``; later periods replace earlier ones.

    Each commitment shows its result from the latest snapshot that judged it.
    """
    from slacheck.evaluation import evaluate
    from slacheck.lint import load_definitions

    loaded = load_definitions(snapshot_paths)
    documents = list(loaded.catalog.of_kind("Snapshot"))
    if not documents:
        names = ", ".join(snapshot_paths)
        raise SnapshotError(
            f"no Snapshot document in {names}; a snapshot file needs "
            "'apiVersion: slacheck/v1' and 'kind: Snapshot'"
        )
    evaluation = evaluate(catalog, documents)
    result = Measured(findings=[*loaded.findings, *evaluation.findings])
    for judged in evaluation.snapshots:
        for sla in judged.slas:
            key = (sla.document.name, sla.commitment.name)
            result.values[key] = measured_view(sla, judged)
    latest = evaluation.latest
    if latest is not None:
        result.label = f"{latest.snapshot.name}, {latest.period.describe()}"
    return result


# English month names, fixed so output does not depend on the locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_label(period: Period) -> str:
    """Return ``March 2026`` for a whole calendar month, else the period's dates."""
    start, end = period.local(period.start), period.local(period.end)
    midnight = (start.hour, start.minute, start.second, start.microsecond) == (
        0,
        0,
        0,
        0,
    )
    next_month = (start.year + start.month // 12, start.month % 12 + 1)
    whole_month = (
        midnight
        and start.day == 1
        and end.replace(tzinfo=None)
        == start.replace(tzinfo=None, year=next_month[0], month=next_month[1])
    )
    if whole_month:
        return f"{_MONTHS[start.month - 1]} {start.year}"
    start_day, end_day = start.date().isoformat(), end.date().isoformat()
    return f"{start_day} to {end_day} ({period.time_zone})"


def _notes(result: SLAResult, period: Period) -> list[str]:
    notes = list(result.notes)
    if period.running:
        as_of = (
            period.local(period.as_of)
            .replace(tzinfo=None)
            .isoformat(sep=" ", timespec="minutes")
        )
        notes.insert(0, f"the period is still running; measured as of {as_of}")
    return notes


def measured_view(result: SLAResult, judged: SnapshotEvaluation) -> MeasuredView:
    period = judged.period
    start = period.local(period.start)
    judged_ok = result.met is not None
    deadline = result.claim_deadline.isoformat() if result.claim_deadline else ""
    return MeasuredView(
        period=period_label(period),
        attainment=result.attainment,
        met=result.met,
        headroom_points=result.headroom_points,
        credit=result.credit.share if result.credit is not None else None,
        claim_deadline=deadline,
        notes=tuple(_notes(result, period)),
        running=period.running,
        # The exact downtime allowed needs a judged, whole contract period.
        year=start.year if judged_ok else None,
        month=start.month if judged_ok else None,
    )
